#!/usr/bin/python3
"""Daily (or weekly) table of a multi-day run's /slow trajectories.

    /usr/bin/python3 tools/slow_table.py OUT.h5 [--every 24] [--all-hours] [COLUMN ...]

COLUMN is a path under /slow (e.g. rate/DRN, pool/PFC/5HT, occupancy/SERT,
receptor/DRN/5HT1A/activation); without columns, the raphe/PFC defaults that exist in the file.
Each row is the mean over the slow steps of one period (default 24 h), weighted by their
length, over the awake steps only (protocol/asleep == 0 and, with [sleep], state/sleep/asleep == 0)
unless --all-hours is given. Reads through neurochem_reader (../python); needs Debian's
python3-h5py, python3-numpy and python3-pandas (hence /usr/bin/python3).
"""
import argparse
import os
import signal
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import plotlib  # noqa: E402  (locates neurochem_reader; matplotlib is not needed here)

DEFAULTS = ["rate/DRN", "pool/PFC/5HT", "pool/raphe/5HT", "occupancy/SERT", "receptor/DRN/5HT1A/activation"]


def main():
    signal.signal(signal.SIGPIPE, signal.SIG_DFL)  # quiet under `| head`
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("output", help="an output file of a run with a [protocol]")
    ap.add_argument("columns", nargs="*", help="paths under /slow (default: %s)" % ", ".join(DEFAULTS))
    ap.add_argument("--every", type=float, default=24.0, help="period of a row in hours (default 24)")
    ap.add_argument("--all-hours", action="store_true", help="average over sleep too")
    a = ap.parse_intermixed_args()
    run = plotlib.open_output(a.output, "slow_table", "HDF5")
    if not run.has("slow"):
        sys.exit("slow_table: %s has no /slow group: it is not the output of a run with a [protocol]" % a.output)
    slow = plotlib.reader.strip_units(run.slow()).reset_index()  # time_h as a column too
    units = slow.attrs["units"]
    columns = a.columns or [c for c in DEFAULTS if c in slow.columns]
    for c in columns:
        if c not in slow.columns:
            sys.exit("slow_table: %s has no dataset /slow/%s" % (a.output, c))
    if not a.every > 0:
        sys.exit("slow_table: --every must be > 0 hours")
    end = slow["time_h"].to_numpy()
    length = slow["step_h"].to_numpy()
    # Asleep: the protocol's sleep sessions, or the network's own state where [sleep] measures it.
    awake = slow["protocol/asleep"].to_numpy() == 0
    if "state/sleep/asleep" in slow.columns:
        awake &= slow["state/sleep/asleep"].to_numpy() == 0
    period = np.floor((end - length) / a.every + 1e-9).astype(int)
    head = ["period"] + ["%s [%s]" % (c, units[c]) if units[c] else c for c in columns]
    width = [max(10, len(h)) for h in head]
    print("  ".join(h.rjust(w) for h, w in zip(head, width)))
    label = "day" if a.every == 24 else "week" if a.every == 168 else "period"
    for p in range(period.max() + 1):
        sel = (period == p) & (awake | a.all_hours)
        if not sel.any():
            continue
        w = length[sel]
        row = ["%s %d" % (label, p)] + ["%.4g" % (np.sum(slow[c].to_numpy()[sel] * w) / np.sum(w)) for c in columns]
        print("  ".join(r.rjust(wd) for r, wd in zip(row, width)))


if __name__ == "__main__":
    main()
