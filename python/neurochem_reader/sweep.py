"""Sweep files (docs/sweeps.md): the table of `neurochem collect` (CSV or HDF5) and the
manifest of a sweep directory."""
import errno
import math
import os

import h5py
import numpy as np
import pandas as pd

from . import h5values as hv
from .units import split_unit

TABLE_FORMAT = "neurochem sweep table"  # /table attribute `format`
ID_COLUMNS = ("point", "sample", "replicate", "seed")  # whole numbers (uint64 in HDF5)
TEXT_COLUMNS = ("status", "config_hash", "output", "log", "error")


def _exists(path):
    path = os.fspath(path)
    if not os.path.exists(path):
        raise FileNotFoundError(errno.ENOENT, os.strerror(errno.ENOENT), path)
    return path


def number_text(x):
    """A float as the CSV table writes it: the shortest round-trip decimal ('15', '0.25',
    '1e-05'), '' for NaN."""
    if isinstance(x, (int, np.integer)):
        return str(int(x))
    x = float(x)
    if math.isnan(x):
        return ""
    s = repr(x)
    return s[:-2] if s.endswith(".0") else s


def read_sweep_table(path, text=False, require=("point", "status")):
    """The results table of `neurochem collect`, from its CSV or its HDF5 file (told apart by
    content): one row per point in point order, columns as in the CSV (`point`, `status`, ...,
    `poisson.ext_E.rate [Hz]`, `E.rate [Hz]`, ...). Both files give the same DataFrame:
    point, sample, replicate and seed as int64; the other numeric columns float64 (NaN where a
    point is not done); text columns str ('' where empty). attrs: units ({column: unit, from
    its `[unit]`}), source, and for HDF5 format, rows, sweep_hash.

    text=True: every cell as the CSV's text instead (numbers as shortest round-trip decimals,
    '' for missing), as the csv module would read it. `require`: columns without which the file
    is refused (ValueError) as not a collect table."""
    path = _exists(path)
    if h5py.is_hdf5(path):
        df, extra = _read_h5_table(path, text)
    else:
        df, extra = _read_csv_table(path, text)
    missing = [c for c in require if c not in df.columns]
    if missing:
        raise ValueError("%s: not a neurochem sweep table (`neurochem collect` output): no column %s"
                         % (path, ", ".join(missing)))
    df.attrs = {"units": {c: split_unit(c)[1] for c in df.columns}, "source": path, **extra}
    return df


def _read_csv_table(path, text):
    try:
        raw = pd.read_csv(path, dtype=str, keep_default_na=False, na_filter=False)
    except pd.errors.EmptyDataError:
        raw = pd.DataFrame()
    except (UnicodeDecodeError, pd.errors.ParserError) as e:
        raise ValueError("%s: not a neurochem sweep table (not a CSV table: %s)" % (path, e)) from None
    if text:
        return raw, {}
    out = {}
    for c in raw.columns:
        col = raw[c]
        if c in ID_COLUMNS:
            try:
                out[c] = col.map(int).astype(np.int64)
            except ValueError:
                raise ValueError("%s: column %s holds a value that is not a whole number" % (path, c)) from None
        elif c in TEXT_COLUMNS:
            out[c] = col
        else:
            try:  # float() parses exactly (round trip), unlike pandas' fast parser
                out[c] = col.map(lambda s: float(s) if s.strip() else np.nan).astype(np.float64)
            except ValueError:
                out[c] = col  # text values (e.g. '0 mg' when a key's values do not share a unit)
    return pd.DataFrame(out, columns=raw.columns), {}


def _read_h5_table(path, text):
    with h5py.File(path, "r") as f:
        t = f.get("table")
        if not isinstance(t, h5py.Group):
            hint = " (it looks like a run's output: use open_run())" if "format" in f.attrs else ""
            raise ValueError("%s: not a neurochem sweep table: no group /table%s" % (path, hint))
        fmt = hv.text_attr(t, "format", None)
        if fmt != TABLE_FORMAT:
            raise ValueError("%s: not a neurochem sweep table: /table attribute format = %r (expected %r)"
                             % (path, fmt, TABLE_FORMAT))
        columns, datasets = hv.attr(t, "columns"), hv.attr(t, "datasets")
        if not isinstance(columns, list) or not isinstance(datasets, list) or len(columns) != len(datasets):
            raise ValueError("%s: /table attributes columns and datasets are missing or differ in length" % path)
        rows = hv.attr(t, "rows")
        data = {}
        for c, d in zip(columns, datasets):
            if not isinstance(t.get(d), h5py.Dataset):
                raise ValueError("%s: no dataset /table/%s (column %s)" % (path, d, c))
            v = hv.dataset(t[d])
            if len(v) != rows:
                raise ValueError("%s: /table/%s has %d rows, /table says %d" % (path, d, len(v), rows))
            if text:
                v = np.array(v if v.dtype == object else [number_text(x) for x in v], dtype=object)
            elif v.dtype.kind == "u" and (len(v) == 0 or v.max() <= np.iinfo(np.int64).max):
                v = v.astype(np.int64)
            data[c] = v
        extra = {k: hv.attr(t, k) for k in ("format", "rows", "sweep_hash") if k in t.attrs}
    return pd.DataFrame(data, columns=columns), extra


def read_manifest(path):
    """DIR/manifest.tsv of a sweep directory (`path`: the directory or the file): one row per
    point with point, sample, replicate, seed (int64), config_hash, config, output, log and one
    text column per varied key, the value as applied ('15 Hz'). attrs: the `# key = value` header
    lines (name, spec, sweep_seed, points, sweep_hash, ...) under 'header', and 'directory'
    (the manifest's directory: its paths are relative to it)."""
    path = os.fspath(path)
    if os.path.isdir(path):
        path = os.path.join(path, "manifest.tsv")
    path = _exists(path)
    header, lines = {}, []
    with open(path, encoding="utf-8") as f:
        for line in f:
            if line.startswith("#"):
                key, eq, value = line[1:].partition("=")
                if eq:
                    header[key.strip()] = value.strip()
            elif line.strip():
                lines.append(line.rstrip("\n"))
    if not lines or lines[0].split("\t")[:1] != ["point"]:
        raise ValueError("%s: not a sweep manifest (no header row starting with 'point')" % path)
    names = lines[0].split("\t")
    rows = [ln.split("\t") for ln in lines[1:]]
    bad = [i for i, r in enumerate(rows) if len(r) != len(names)]
    if bad:
        raise ValueError("%s: row %d has %d fields, the header %d" % (path, bad[0] + 1, len(rows[bad[0]]), len(names)))
    df = pd.DataFrame(rows, columns=names)
    for c in ID_COLUMNS:
        if c in df:
            df[c] = df[c].map(int).astype(np.int64)
    df.attrs = {"header": header, "directory": os.path.dirname(os.path.abspath(path)), "source": path}
    return df
