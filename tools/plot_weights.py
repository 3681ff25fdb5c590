#!/usr/bin/python3
"""Histograms of the final weights of plastic projections (/edges in an output file).

    /usr/bin/python3 tools/plot_weights.py OUT.h5 [-o weights.png] [--bins 50]

Writes one panel per recorded projection (`record_weights = true` in its [plasticity.PRE->POST]
section) and prints each projection's count, mean, standard deviation and range. Needs Debian's
python3-h5py, python3-numpy, python3-pandas and python3-matplotlib (hence /usr/bin/python3).
"""
import argparse
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import plotlib  # noqa: E402


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("output")
    ap.add_argument("-o", "--png", default=None, help="PNG file (default: OUT's name with _weights.png)")
    ap.add_argument("--bins", type=int, default=50)
    a = ap.parse_args()
    run = plotlib.open_output(a.output, "plot_weights", "HDF5")
    if not run.edges:
        sys.exit("plot_weights: %s has no /edges: set record_weights = true in a [plasticity.PRE->POST] section" % a.output)
    plt = plotlib.pyplot()
    names = sorted(run.edges)
    fig, axes = plt.subplots(1, len(names), figsize=(4.5 * len(names), 3.5), squeeze=False)
    for ax, name in zip(axes[0], names):
        e = plotlib.reader.strip_units(run.weights(name))
        w = e["syn_weight"].to_numpy()
        unit = e.attrs["units"]["syn_weight"]
        label = e.attrs["projection"]
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
