#!/usr/bin/python3
"""Spike raster of every population, grouped and coloured by region.

    /usr/bin/python3 tools/plot_raster.py OUT.h5 [-o raster.png] [--from 0] [--to 2000] [--max-neurons 100]

Shows at most --max-neurons neurons of each population (the first ones) between --from and --to
(ms), one band per population, labelled with its name and rate. Writes OUT_raster.png by default.
"""
import argparse
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import plotlib  # noqa: E402


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("output")
    ap.add_argument("-o", "--png")
    ap.add_argument("--from", dest="t0", type=float, default=None, help="ms (default: 2 s before the end)")
    ap.add_argument("--to", dest="t1", type=float, default=None, help="ms (default: the end)")
    ap.add_argument("--max-neurons", type=int, default=60)
    a = ap.parse_args()
    run = plotlib.open_output(a.output, "plot_raster")
    plotlib.require(run, "spikes", "plot_raster", "the run wrote no spikes ([output] spikes = false?)")
    regions = plotlib.population_regions(run)
    spikes = {p: run.spikes(p) for p in run.spike_populations}  # time_ms, node_id
    names = sorted(spikes, key=lambda p: (regions.get(p, ""), p))
    t_end = max((spikes[p]["time_ms"].iloc[-1] for p in names if len(spikes[p])), default=0.0)
    t1 = a.t1 if a.t1 is not None else float(t_end)
    t0 = a.t0 if a.t0 is not None else max(0.0, t1 - 2000.0)
    plt = plotlib.pyplot()
    cmap = plt.get_cmap("tab10")
    region_list = sorted(set(regions.get(p, "") for p in names))
    fig, ax = plt.subplots(figsize=(11, 0.35 * len(names) + 2))
    y = 0
    ticks, labels = [], []
    for p in names:
        ts = spikes[p]["time_ms"].to_numpy()
        ids = spikes[p]["node_id"].to_numpy()
        keep = (ts >= t0) & (ts <= t1) & (ids < a.max_neurons)
        n = min(a.max_neurons, int(ids.max()) + 1 if len(ids) else 1)
        color = cmap(region_list.index(regions.get(p, "")) % 10)
        ax.scatter(ts[keep], y + ids[keep], s=1.0, color=color, marker="|", linewidths=0.6)
        rate = keep.sum() / max(1, n) / max(1e-9, (t1 - t0) / 1000.0)
        ticks.append(y + n / 2)
        labels.append("%s (%.1f Hz)" % (p, rate))
        y += n + 5
    ax.set_yticks(ticks)
    ax.set_yticklabels(labels, fontsize=8)
    ax.set_xlim(t0, t1)
    ax.set_ylim(y, -2)  # first region at the top
    ax.set_xlabel("time (ms)")
    ax.set_title("%s: spikes (first %d neurons per population)" % (os.path.basename(a.output), a.max_neurons))
    handles = [plt.Line2D([], [], color=cmap(i % 10), marker="s", linestyle="", label=r or "(no region)")
               for i, r in enumerate(region_list)]
    ax.legend(handles=handles, title="region", loc="upper left", bbox_to_anchor=(1.0, 1.0), fontsize=8)
    fig.tight_layout()
    png = a.png or plotlib.default_png(a.output, "raster")
    png = plotlib.save(fig, png, a.output, "plot_raster")
    print("wrote", png)


if __name__ == "__main__":
    main()
