"""Shared helpers of the tools/plot_*.py scripts: open an output file with a clear error, the
region of each population (from the config stored in /provenance), matplotlib without a display.
Needs Debian's python3-h5py, python3-numpy and python3-matplotlib (run with /usr/bin/python3)."""
import os
import re
import sys
import tempfile

import h5py


def open_output(path, tool):
    try:
        return h5py.File(path, "r")
    except OSError as e:
        sys.exit("%s: %s: cannot be opened as an HDF5 output file (%s)" % (tool, path, e))


def require(f, group, tool, hint):
    if group not in f:
        sys.exit("%s: %s has no /%s: %s" % (tool, f.filename, group, hint))
    return f[group]


def config_text(f):
    if "provenance/config" not in f:
        return ""
    v = f["provenance/config"][()]
    return v.decode() if isinstance(v, bytes) else str(v)


def population_regions(f):
    """{population: region} from the canonical config in /provenance (region '' if none)."""
    out = {}
    section = None
    for line in config_text(f).splitlines():
        m = re.match(r"\s*\[population\.([^\]]+)\]", line)
        if m:
            section = m.group(1)
            out.setdefault(section, "")
            continue
        if line.strip().startswith("["):
            section = None
            continue
        m = re.match(r"\s*region\s*=\s*(\S+)", line)
        if section and m:
            out[section] = m.group(1)
    return out


def pyplot():
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    return plt


def text_attr(obj, name, default=""):
    v = obj.attrs.get(name, default)
    return v.decode() if isinstance(v, bytes) else str(v)


def default_png(output, suffix):
    base = output[:-3] if output.endswith(".h5") else output
    return base + "_" + suffix + ".png"


def save(fig, png, output, tool):
    """Writes the figure to `png` without ever damaging anything: refuses the input file itself
    and anything that is not a regular file (a device, a directory, a FIFO); writes a temporary
    file beside the target and renames it over the target only when complete, so a full disk or
    an unwritable directory leaves an older PNG untouched. Errors exit 1 with the path."""
    png = os.path.abspath(png)
    if os.path.exists(png):
        if os.path.exists(output) and os.path.samefile(png, output):
            sys.exit("%s: -o %s is the input file; choose another name for the PNG" % (tool, png))
        if not os.path.isfile(png):
            sys.exit("%s: -o %s exists and is not a regular file (a device, directory or FIFO); not replaced" % (tool, png))
    directory = os.path.dirname(png)
    try:
        fd, tmp = tempfile.mkstemp(prefix=".%s." % os.path.basename(png), suffix=".part", dir=directory)
    except OSError as e:
        sys.exit("%s: cannot write in %s (%s)" % (tool, directory, e.strerror))
    try:
        with os.fdopen(fd, "wb") as f:
            fig.savefig(f, format="png", dpi=120)
            f.flush()
            os.fsync(f.fileno())
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)  # as an ordinary new file (mkstemp makes it 0600)
        os.replace(tmp, png)
    except OSError as e:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        sys.exit("%s: writing %s failed (%s); nothing was replaced" % (tool, png, e.strerror or e))
    return png
