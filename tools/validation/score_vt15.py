#!/usr/bin/python3
"""Score the directions of VT-15 (extinction, CBT) from course outputs (docs/model/validation.md):

    neurochem run configs/course/untreated.ini -o untreated.h5
    neurochem run configs/course/cbt.ini -o cbt.h5
    neurochem run configs/course/cbt_without_il.ini -o cbt_without_il.h5
    /usr/bin/python3 tools/validation/score_vt15.py untreated.h5 cbt.h5 cbt_without_il.h5

For each output: the mean IL->ITC weight at the end of each week (/slow/weight/IL_E->ITC) and the
probe-evoked CeA output (extra spikes per neuron per cue, /probes/threat/CeA/evoked) averaged
over the daily probes (13:00) of each week; cues given during therapy sessions are left out. Directions: with IL engagement the weight rises and CeA output falls
below the untreated arm's and stays down; without IL engagement neither moves much.
Needs Debian's python3-h5py and python3-numpy (hence /usr/bin/python3).
"""
import signal
import sys

import h5py
import numpy as np


def weekly(path):
    try:
        f = h5py.File(path, "r")
    except OSError as e:
        sys.exit("score_vt15: %s: cannot be opened as HDF5 (%s)" % (path, e))
    for need in ("slow/weight/IL_E->ITC", "probes/threat/CeA/evoked"):
        if need not in f:
            sys.exit("score_vt15: %s has no /%s: run a course of configs/course/ (plastic IL->ITC, threat probe)" % (path, need))
    t = f["slow/time_h"][:]
    w = f["slow/weight/IL_E->ITC"][:]
    cal = f["probes/threat/calendar_h"][:]
    ev = f["probes/threat/CeA/evoked"][:]
    weeks = int(np.ceil(t[-1] / 168.0 - 1e-9))
    daily = np.abs(cal % 24 - 13.0) < 0.01  # the daily probe at 13:00, not the cues of a therapy session
    out = []
    for k in range(weeks):
        sel = (cal >= 168 * k) & (cal < 168 * (k + 1)) & daily
        i = min(np.searchsorted(t, 168 * (k + 1) - 1e-9), len(t) - 1)
        out.append((w[i], ev[sel].mean() if sel.any() else float("nan"), int(sel.sum())))
    first_day = ev[cal < 24].mean() if (cal < 24).any() else float("nan")
    return first_day, out


def main():
    signal.signal(signal.SIGPIPE, signal.SIG_DFL)
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    for path in sys.argv[1:]:
        day0, rows = weekly(path)
        print("%s  (CeA evoked on day 0, before any session: %.2f)" % (path, day0))
        print("  week  IL->ITC weight [nS]  CeA evoked [spikes/neuron/cue]  cues")
        for k, (w, e, n) in enumerate(rows):
            print("  %4d  %19.3f  %30.2f  %4d" % (k + 1, w, e, n))


if __name__ == "__main__":
    main()
