"""The units convention of the DataFrames this package returns.

A column whose data have a unit is named `NAME [UNIT]` (`rate/DRN [Hz]`, `pool/PFC/5HT [uM]`,
`outcome/sleep [h/day]`), as in the tables of `neurochem collect` and the header of
tools/slow_table.py, unless its name already ends in `_UNIT` as the file spells it
(`time_ms`, `step_h`, `pools/PFC.5HT_uM`, `baseline_Hz`): those keep their name. Dimensionless
columns (fractions, flags, counts, node ids) have a bare name. Every frame also carries
`df.attrs["units"]`: {column or index name: unit, '' if dimensionless}.
"""
import re

# Units that appear as a `_UNIT` suffix of dataset names in neurochem outputs.
SUFFIX_UNITS = ("ms", "s", "h", "Hz", "uM", "nM", "mV", "nS", "pA", "MB")

_BRACKET = re.compile(r"^(.*\S) \[([^\[\]]*)\]$")


def label(name, unit):
    """The column name of data `name` with `unit` (see the module doc)."""
    if not unit or name.endswith("_" + unit):
        return name
    return "%s [%s]" % (name, unit)


def split_unit(column):
    """`NAME [UNIT]` -> (NAME, UNIT); a name without brackets -> (name, '')."""
    m = _BRACKET.match(str(column))
    return (m.group(1), m.group(2)) if m else (str(column), "")


def suffix_unit(name):
    """The unit spelled as the name's `_UNIT` suffix ('' if none): `PFC.5HT_uM` -> 'uM'."""
    head, _, tail = name.rpartition("_")
    return tail if head and tail in SUFFIX_UNITS else ""


def strip_units(df):
    """A copy of `df` whose columns are named without their ` [UNIT]` part (`rate/DRN [Hz]` ->
    `rate/DRN`); `attrs['units']` is keyed by the new names and other attrs are kept."""
    units = dict(df.attrs.get("units", {}))
    mapping, new_units = {}, {}
    for c in df.columns:
        name, unit = split_unit(c)
        mapping[c] = name
        new_units[name] = units.get(c, unit)
    if df.index.name in units:
        new_units[df.index.name] = units[df.index.name]
    out = df.rename(columns=mapping)
    out.attrs = dict(df.attrs)
    out.attrs["units"] = new_units
    return out
