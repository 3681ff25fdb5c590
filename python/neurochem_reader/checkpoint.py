"""A checkpoint's header (docs/checkpoint-format.md): where a run stopped and what it was.

    info = checkpoint_info("run.checkpoints/ckpt_00000000002000.h5")
    info["step"], info["time_ms"], info["config_hash"], info["complete"]
"""
from pathlib import Path

import h5py

from .h5values import attrs

FORMAT = "neurochem checkpoint"


def checkpoint_info(path):
    """The root attributes of a checkpoint as a dict (plus `config`, the resolved config text).

    Raises FileNotFoundError for a missing file and ValueError, naming the file, for one that is
    not a neurochem checkpoint or is incomplete (a checkpoint cut off while it was written).
    """
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"{path}: no such checkpoint file")
    try:
        f = h5py.File(path, "r")
    except OSError as e:
        raise ValueError(f"{path}: not an HDF5 file ({e})") from None
    with f:
        info = attrs(f)
        if info.get("format") != FORMAT:
            raise ValueError(f"{path}: not a neurochem checkpoint (format = {info.get('format')!r})")
        if int(info.get("complete", 0)) != 1:
            raise ValueError(f"{path}: an incomplete checkpoint (cut off while it was written)")
        if "config" in f:
            raw = f["config"][()]
            info["config"] = raw.decode("utf-8") if isinstance(raw, bytes) else str(raw)
    return info
