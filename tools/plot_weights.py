#!/usr/bin/python3
"""Histograms of the final weights of plastic projections (/edges in an output file).

    /usr/bin/python3 tools/plot_weights.py OUT.h5 [-o weights.png] [--bins 50]

Writes one panel per recorded projection (`record_weights = true` in its [plasticity.PRE->POST]
section) and prints each projection's count, mean, standard deviation and range. Needs Debian's
python3-h5py, python3-numpy and python3-matplotlib (hence /usr/bin/python3).
"""
import argparse
import os
import sys

import h5py
import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import plotlib  # noqa: E402


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("output")
    ap.add_argument("-o", "--png", default=None, help="PNG file (default: OUT's name with _weights.png)")
    ap.add_argument("--bins", type=int, default=50)
    a = ap.parse_args()
    try:
        f = h5py.File(a.output, "r")
    except OSError as e:
        sys.exit("plot_weights: %s: cannot be opened as HDF5 (%s)" % (a.output, e))
    if "edges" not in f or len(f["edges"]) == 0:
        sys.exit("plot_weights: %s has no /edges: set record_weights = true in a [plasticity.PRE->POST] section" % a.output)
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    names = sorted(f["edges"])
    fig, axes = plt.subplots(1, len(names), figsize=(4.5 * len(names), 3.5), squeeze=False)
    for ax, name in zip(axes[0], names):
        g = f["edges"][name]
        w = g["0/syn_weight"][:]
        unit = g["0/syn_weight"].attrs.get("units", b"")
        unit = unit.decode() if isinstance(unit, bytes) else str(unit)
        label = g.attrs.get("projection", name)
        label = label.decode() if isinstance(label, bytes) else str(label)
        print("%-20s %10d synapses  mean %.4g  sd %.4g  min %.4g  max %.4g %s" % (label, len(w), w.mean(), w.std(), w.min(),
                                                                               w.max(), unit))
        ax.hist(w, bins=a.bins, color="C0")
        ax.set_xlabel("weight [%s]" % unit)
        ax.set_ylabel("synapses")
        ax.set_title(label)
    fig.tight_layout()
    png = plotlib.save(fig, a.png or a.output.rsplit(".", 1)[0] + "_weights.png", a.output, "plot_weights")
    print("wrote", png)


if __name__ == "__main__":
    main()
