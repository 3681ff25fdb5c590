#!/usr/bin/python3
"""Sleep-wake hypnogram of a course (/slow): the network's state (sleep/asleep), sleep pressure,
the VLPO drive and the arousal-centre rates over calendar time.

    /usr/bin/python3 tools/plot_hypnogram.py OUT.h5 [-o hypnogram.png]

Needs a run with [protocol] and [sleep]. Prints the hours awake and asleep per day.
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
    a = ap.parse_args()
    run = plotlib.open_output(a.output, "plot_hypnogram")
    plotlib.require(run, "slow", "plot_hypnogram", "the run had no [protocol] (a course)")
    s = plotlib.reader.strip_units(run.slow())
    if "state/sleep/asleep" not in s.columns:
        sys.exit("plot_hypnogram: %s has no /slow/state/sleep: the model has no [sleep] section" % a.output)
    t = s.index.to_numpy()
    dt = s["step_h"].to_numpy()
    asleep = s["state/sleep/asleep"].to_numpy()
    H = s["state/sleep/pressure"].to_numpy()
    plt = plotlib.pyplot()
    fig, axes = plt.subplots(3, 1, figsize=(10, 7), sharex=True)
    axes[0].step(t - dt, asleep, where="post", color="k")
    axes[0].set_yticks([0, 1])
    axes[0].set_yticklabels(["wake", "sleep"])
    axes[0].set_title("state decided by the network (VLPO window rate)", fontsize=9, loc="left")
    axes[1].plot(t, H, color="tab:purple")
    axes[1].set_ylabel("sleep pressure (nM)")
    for name in ("LC", "DRN", "VLPO"):
        if "rate/" + name in s.columns:
            axes[2].plot(t, s["rate/" + name].to_numpy(), lw=1, label=name)
    axes[2].set_ylabel("window rate (Hz)")
    axes[2].set_xlabel("calendar time (h)")
    axes[2].legend(fontsize=8)
    fig.suptitle("%s: hypnogram" % os.path.basename(a.output))
    fig.tight_layout()
    png = a.png or plotlib.default_png(a.output, "hypnogram")
    png = plotlib.save(fig, png, a.output, "plot_hypnogram")
    days = int(np.floor(t[-1] / 24.0 + 1e-9))
    for d in range(days):
        m = (t > d * 24) & (t <= (d + 1) * 24 + 1e-9)
        slept = float((asleep[m] * dt[m]).sum())
        print("day %d: %.2f h awake, %.2f h asleep" % (d, float(dt[m].sum()) - slept, slept))
    print("wrote", png)


if __name__ == "__main__":
    main()
