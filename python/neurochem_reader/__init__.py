"""Reading neurochem's output files into pandas (docs/python-reader.md).

    import neurochem_reader as nr
    with nr.open_run("limbic.h5") as run:
        spikes = run.spikes("CeA")          # time_ms, node_id
        slow = run.slow()                   # indexed by time_h; 'rate/DRN [Hz]', ...
        print(run.provenance["config_hash"])
    table = nr.read_sweep_table("table.csv")  # or table.h5: the same DataFrame

Formats: docs/output-format.md (runs) and docs/sweeps.md (sweep tables, manifests). Units
are in the column names (`NAME [UNIT]` or the file's own `_UNIT` suffix) and in
`df.attrs['units']` (neurochem_reader.units). Needs numpy, h5py and pandas.
"""
from .checkpoint import checkpoint_info
from .run import FORMAT, MAGIC, Run, open_run, parse_config
from .sweep import number_text, read_manifest, read_sweep_table
from .units import label, split_unit, strip_units

__version__ = "0.1.0"
__all__ = ["open_run", "Run", "checkpoint_info", "parse_config", "read_sweep_table", "read_manifest", "strip_units",
           "split_unit", "label", "number_text", "FORMAT", "MAGIC"]
