"""Values of HDF5 attributes and datasets as plain Python: strings decoded whatever their HDF5
string type, numbers as Python scalars or numpy arrays.

HDF5 strings come in several kinds: fixed-length or variable-length, character set ASCII or
UTF-8, and (fixed-length) padded NULLTERM, NULLPAD or SPACEPAD. neurochem writes fixed-length
UTF-8 NULLTERM strings; h5py writes variable-length UTF-8 for `str` and fixed-length ASCII
NULLPAD for `numpy.bytes_`. All of them read as the same `str` here:

* NULLTERM: the text ends at the first NUL byte (anything after it is not part of the string);
* NULLPAD: trailing NUL bytes are padding; SPACEPAD: trailing spaces are padding;
* bytes are decoded as UTF-8 (ASCII is a subset; files often hold UTF-8 bytes in strings
  labelled ASCII), and as Latin-1 if they are not valid UTF-8, so decoding never fails.
"""
import h5py
import numpy as np

_h5t = h5py.h5t


def _string_type(tid):
    """(charset, padding) of an HDF5 string type id, None for other types."""
    if not isinstance(tid, _h5t.TypeStringID):
        return None
    return tid.get_cset(), tid.get_strpad()


def _decode(raw, kind):
    """One string element (bytes or str from h5py) as str, following its type's padding."""
    if isinstance(raw, str):  # h5py decoded a variable-length string already
        return raw
    raw = bytes(raw)
    pad = kind[1]
    if pad == _h5t.STR_NULLTERM:
        raw = raw.split(b"\0", 1)[0]
    elif pad == _h5t.STR_SPACEPAD:
        raw = raw.rstrip(b" ")
    else:
        raw = raw.rstrip(b"\0")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("latin-1")


def _convert(value, kind):
    """A value read by h5py as Python: str / list of str for strings, a Python scalar for a
    numeric scalar, a numpy array otherwise ('' for an empty (null) dataspace)."""
    if isinstance(value, h5py.Empty):
        return "" if kind else None
    if kind:
        if isinstance(value, np.ndarray) and value.shape != ():
            return [_decode(v, kind) for v in value.ravel()] if value.ndim <= 1 else \
                np.vectorize(lambda v: _decode(v, kind), otypes=[object])(value)
        if isinstance(value, np.ndarray):
            value = value[()]
        return _decode(value, kind)
    if isinstance(value, np.ndarray) and value.shape == ():
        value = value[()]
    if isinstance(value, np.generic):
        return value.item()
    return value


def attr(obj, name, default=None):
    """Attribute `name` of an h5py object, converted (see module doc); `default` if absent."""
    if name not in obj.attrs:
        return default
    kind = _string_type(obj.attrs.get_id(name).get_type())
    return _convert(obj.attrs[name], kind)


def attrs(obj):
    """Every attribute of an h5py object, converted, in the file's order."""
    return {name: attr(obj, name) for name in obj.attrs}


def text_attr(obj, name, default=""):
    """A string attribute as str (a one-element string array counts as its element)."""
    v = attr(obj, name, default)
    if isinstance(v, list) and len(v) == 1:
        v = v[0]
    return v if isinstance(v, str) else str(v)


def dataset(ds):
    """The whole content of an h5py dataset: a numpy array (object array of str for strings,
    a str for a scalar string)."""
    kind = _string_type(ds.id.get_type())
    value = ds[()]
    if kind:
        v = _convert(value, kind)
        return np.array(v, dtype=object) if isinstance(v, list) else v
    return value


def unit_of(ds, default=""):
    """The `units` attribute of a dataset ('' if none)."""
    return text_attr(ds, "units", default)
