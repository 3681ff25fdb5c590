#!/usr/bin/python3
"""Layer rates of a Potjans-Diesmann run against the published reference rates.

Usage: tools/pd14/layer_rates.py OUT.h5 [--from T0_ms]
Reads the SONATA spikes of the eight populations, counts spikes at t >= T0 (default 200 ms,
after the start transient) and prints rate, reference, ratio and CV of the ISI per population.
Needs h5py and numpy (Debian python3-h5py); run with /usr/bin/python3.
"""
import argparse
import sys

import h5py
import numpy as np

POPS = ["L23E", "L23I", "L4E", "L4I", "L5E", "L5I", "L6E", "L6I"]
REFERENCE_HZ = [0.9, 3.0, 4.4, 5.9, 7.6, 8.6, 1.1, 7.8]  # Potjans & Diesmann (2014), Fig. 6


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("output")
    ap.add_argument("--from", dest="t0", type=float, default=200.0, help="start of the window, ms")
    a = ap.parse_args()
    with h5py.File(a.output, "r") as f:
        t_end = float(f["/summary"].attrs["simulated_ms"])
        if t_end <= a.t0:
            sys.exit("%s: simulated %g ms, nothing after --from %g ms" % (a.output, t_end, a.t0))
        print("window %g-%g ms" % (a.t0, t_end))
        print("%-6s %9s %9s %7s %7s" % ("pop", "rate Hz", "ref Hz", "ratio", "CV ISI"))
        for name, ref in zip(POPS, REFERENCE_HZ):
            g = f["/spikes/" + name]
            t = g["timestamps"][:]
            ids = g["node_ids"][:]
            n = int(f["/summary/" + name].attrs["neurons"])
            keep = t >= a.t0
            t, ids = t[keep], ids[keep]
            rate = len(t) / n / ((t_end - a.t0) * 1e-3)
            # CV of the ISI per neuron with >= 3 spikes in the window, averaged.
            order = np.lexsort((t, ids))
            t, ids = t[order], ids[order]
            cvs = []
            if len(t):
                bounds = np.flatnonzero(np.diff(ids)) + 1
                for seg in np.split(t, bounds):
                    if len(seg) >= 3:
                        isi = np.diff(seg)
                        cvs.append(isi.std() / isi.mean())
            cv = np.mean(cvs) if cvs else float("nan")
            print("%-6s %9.3f %9.1f %7.2f %7.2f" % (name, rate, ref, rate / ref, cv))


if __name__ == "__main__":
    main()
