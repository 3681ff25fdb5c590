#!/usr/bin/python3
"""Threat-probe responses (/probes/NAME): evoked spikes per neuron per cue and latency of each
readout population, cue by cue, with the mean response.

    /usr/bin/python3 tools/plot_probe.py OUT.h5 [-o probe.png] [--probe threat]

Writes OUT_probe.png by default and prints the mean evoked response and median latency.
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
    ap.add_argument("--probe", default=None, help="probe name (default: the first)")
    a = ap.parse_args()
    run = plotlib.open_output(a.output, "plot_probe")
    plotlib.require(run, "probes", "plot_probe", "the model has no [probe.NAME] or no cue completed")
    probes = run.probes
    name = a.probe or sorted(probes)[0]
    if name not in probes:
        sys.exit("plot_probe: %s has no probe '%s'; probes: %s" % (a.output, name, ", ".join(sorted(probes))))
    g = plotlib.reader.strip_units(run.probe(name))
    onset = g["onset_ms"].to_numpy() / 1000.0
    if len(onset) == 0:
        sys.exit("plot_probe: probe '%s' recorded no complete cue (run longer than a cue plus its response window)" % name)
    pops = g.attrs["populations"]

    def col(p, what):  # one readout of one population, cue by cue
        return g[p + "/" + what].to_numpy()

    plt = plotlib.pyplot()
    fig, (a1, a2) = plt.subplots(1, 2, figsize=(11, 4))
    for p in sorted(pops):
        ev = col(p, "evoked")
        lat = col(p, "latency_ms")
        a1.plot(onset, ev, "o-", ms=3, lw=0.8, label="%s (mean %.3f)" % (p, ev.mean()))
        ok = np.isfinite(lat)
        a2.plot(onset[ok], lat[ok], "o", ms=4, label=p)
        med = np.median(lat[ok]) if ok.any() else float("nan")
        print("%-8s evoked %+.4f spikes/neuron/cue (SEM %.4f), baseline %.2f Hz, response %.2f Hz, "
              "median latency %.1f ms (%d of %d cues)" % (
                  p, ev.mean(), ev.std(ddof=1) / np.sqrt(len(ev)) if len(ev) > 1 else float("nan"),
                  col(p, "baseline_Hz").mean(), col(p, "response_Hz").mean(), med, ok.sum(), len(ev)))
    a1.axhline(0, color="k", lw=0.5)
    a1.set_xlabel("cue onset (s of fast time)")
    a1.set_ylabel("evoked (spikes per neuron per cue)")
    a1.legend(fontsize=7)
    a2.set_xlabel("cue onset (s of fast time)")
    a2.set_ylabel("latency (ms)")
    a2.legend(fontsize=7)
    fig.suptitle("%s: probe '%s' (drive %s, response window %g ms)" % (
        os.path.basename(a.output), name, g.attrs.get("drive", ""), float(g.attrs["response_ms"])))
    fig.tight_layout()
    png = a.png or plotlib.default_png(a.output, "probe")
    png = plotlib.save(fig, png, a.output, "plot_probe")
    print("wrote", png)


if __name__ == "__main__":
    main()
