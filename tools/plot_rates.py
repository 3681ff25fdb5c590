#!/usr/bin/python3
"""Population firing rates over time (/rates), one panel per region.

    /usr/bin/python3 tools/plot_rates.py OUT.h5 [-o rates.png] [--smooth 100]

--smooth: width of a boxcar smoothing window in ms (default 100). Writes OUT_rates.png by default.
"""
import argparse
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import plotlib  # noqa: E402


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("output")
    ap.add_argument("-o", "--png")
    ap.add_argument("--smooth", type=float, default=100.0, help="ms")
    a = ap.parse_args()
    run = plotlib.open_output(a.output, "plot_rates")
    plotlib.require(run, "rates", "plot_rates", "the run wrote no rates")
    regions = plotlib.population_regions(run)
    rates = plotlib.reader.strip_units(run.rates())  # one column per population, Hz
    by_region = {}
    for p in rates.columns:
        by_region.setdefault(regions.get(p, "") or "(no region)", []).append(p)
    plt = plotlib.pyplot()
    keys = sorted(by_region)
    fig, axes = plt.subplots(len(keys), 1, figsize=(10, 1.9 * len(keys) + 1), sharex=True, squeeze=False)
    for ax, r in zip(axes[:, 0], keys):
        for p in sorted(by_region[r]):
            v = rates[p].to_numpy()
            bin_ms = float(rates.attrs["bin_ms"])
            k = max(1, int(round(a.smooth / bin_ms)))
            s = np.convolve(v, np.ones(k) / k, mode="same") if k > 1 else v
            t = (np.arange(len(v)) + 0.5) * bin_ms / 1000.0
            ax.plot(t, s, lw=1.0, label="%s (mean %.2f Hz)" % (p, v.mean()))
        ax.set_ylabel("rate (Hz)")
        ax.set_title(r, fontsize=9, loc="left")
        ax.legend(fontsize=7, loc="upper right", ncol=2)
    axes[-1, 0].set_xlabel("time (s of recorded fast time)")
    fig.suptitle("%s: population rates (%g ms boxcar)" % (os.path.basename(a.output), a.smooth))
    fig.tight_layout()
    png = a.png or plotlib.default_png(a.output, "rates")
    png = plotlib.save(fig, png, a.output, "plot_rates")
    print("wrote", png)


if __name__ == "__main__":
    main()
