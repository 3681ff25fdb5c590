"""Shared helpers of the tools/plot_*.py scripts: open an output file with a clear error (through
the neurochem_reader package in ../python), the region of each population (from the config
stored in /provenance), matplotlib without a display.
Needs Debian's python3-h5py, python3-numpy, python3-pandas and python3-matplotlib (run with
/usr/bin/python3)."""
import os
import sys
import tempfile


def _add_reader_path():
    """Puts the directory holding neurochem_reader on sys.path: ../python beside this tools
    directory, in the source tree (tools/ -> python/) as installed (<prefix>/share/neurochem/tools
    -> <prefix>/share/neurochem/python); the script's real location too, if it is a symlink."""
    here = os.path.dirname(os.path.abspath(__file__))
    for d in (here, os.path.dirname(os.path.realpath(__file__))):
        candidate = os.path.normpath(os.path.join(d, "..", "python"))
        if os.path.isfile(os.path.join(candidate, "neurochem_reader", "__init__.py")):
            if candidate not in sys.path:
                sys.path.insert(0, candidate)
            return
    # not found: the import below says so (unless the package is installed elsewhere)


_add_reader_path()
try:
    import neurochem_reader as reader  # noqa: E402
except ImportError as e:
    sys.exit("%s: cannot import neurochem_reader (%s): it belongs in %s" % (
        os.path.basename(sys.argv[0] or "tools"), e,
        os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "python"))))


def open_output(path, tool, what="an HDF5 output file"):
    """The output file as a neurochem_reader.Run; exits 1 with the reason if it cannot be read."""
    try:
        return reader.open_run(path)
    except FileNotFoundError as e:
        reason = e.strerror
    except (OSError, ValueError) as e:
        reason = str(e)
        if reason.startswith(str(path) + ": "):
            reason = reason[len(str(path)) + 2:]
    sys.exit("%s: %s: cannot be opened as %s (%s)" % (tool, path, what, reason))


def require(run, group, tool, hint):
    """Exits with `hint` if the output has no /group."""
    if not run.has(group):
        sys.exit("%s: %s has no /%s: %s" % (tool, run.path, group, hint))
    return run


def config_text(run):
    return run.config_text if run.has("provenance/config") else ""


def population_regions(run):
    """{population: region} from the canonical config in /provenance (region '' if none)."""
    if not run.has("provenance/config"):
        return {}
    out = {}
    for section, keys in run.config.items():
        if section.startswith("population."):
            region = keys.get("region", "").split()
            out[section[len("population."):]] = region[0] if region else ""
    return out


def pyplot():
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    return plt


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
