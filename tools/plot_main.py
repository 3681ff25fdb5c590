#!/usr/bin/python3
"""Trajectories of one or more courses side by side (the main job's arms): the clinical rating
with its response and remission thresholds, amygdala output during the threat cues, raphe firing,
PFC 5-HT, the efficacies of the regulated receptors (raphe 5-HT1A autoreceptor, CeA 5-HT2C,
VLPO 5-HT1A), dentate BDNF, sleep per day and SERT occupancy, over weeks.

    /usr/bin/python3 tools/plot_main.py default.h5 default_untreated.h5 [-o default.png]

Each file is one arm (its name: the file's stem). Needs courses with [outcomes]
(docs/model/outcomes.md); panels whose quantity a file lacks are left out for that file.
"""
import argparse
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import plotlib  # noqa: E402


def daily(t, x, asleep=None, mode="mean"):
    """Per calendar day: the mean (awake windows only if asleep is given) or the value at the
    day's end."""
    days = int(np.floor(t[-1] / 24.0 + 1e-9))
    out = np.full(days, np.nan)
    for d in range(days):
        m = (t > 24 * d + 1e-9) & (t <= 24 * (d + 1) + 1e-9)
        if mode == "end":
            out[d] = x[m][-1] if m.any() else np.nan
            continue
        if asleep is not None:
            m &= asleep == 0
        out[d] = x[m].mean() if m.any() else np.nan
    return out


def days_of(text):
    """'7 days', '168 h', '604800000 ms' -> days."""
    num, _, unit = text.strip().partition(" ")
    scale = {"days": 1, "day": 1, "d": 1, "h": 1 / 24, "min": 1 / 1440, "s": 1 / 86400, "ms": 1 / 8.64e7}
    return float(num) * scale.get(unit.strip() or "days", 1)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("outputs", nargs="+")
    ap.add_argument("-o", "--png")
    ap.add_argument("--quiet", action="store_true", help="print nothing but errors")
    ap.add_argument("--labels", help="comma-separated arm names (default: the files' stems)")
    a = ap.parse_args()
    panels = [
        ("outcome/rating", "end", "clinical rating (score)"),
        ("outcome/amygdala_response", "end", "CeA during cues (Hz)"),
        ("rate/DRN", "awake", "raphe firing, awake (Hz)"),
        ("pool/PFC/5HT", "awake", "PFC 5-HT, awake (uM)"),
        ("state/regulation/DRN_autoreceptor/efficacy", "end", "5-HT1A autoreceptor efficacy"),
        ("state/regulation/CeA_5HT2C/efficacy", "end", "CeA 5-HT2C efficacy"),
        ("state/bdnf/DG/protein", "end", "dentate BDNF (1 = calibrated)"),
        ("outcome/sleep", "end", "sleep (h/day)"),
        ("occupancy/SERT", "awake", "SERT occupancy"),
        ("state/regulation/VLPO_5HT1A/efficacy", "end", "VLPO 5-HT1A efficacy"),
    ]
    plt = plotlib.pyplot()
    fig, axes = plt.subplots(5, 2, figsize=(11, 12), sharex=True)
    axes = axes.ravel()
    thresholds = None
    labels = a.labels.split(",") if a.labels else []
    for n, path in enumerate(a.outputs):
        run = plotlib.open_output(path, "plot_main")
        plotlib.require(run, "slow", "plot_main", "the run had no [protocol] (a course)")
        s = plotlib.reader.strip_units(run.slow())
        t = s.index.to_numpy()
        asleep = s["state/sleep/asleep"].to_numpy() if "state/sleep/asleep" in s.columns else None
        label = labels[n] if n < len(labels) else os.path.splitext(os.path.basename(path))[0]
        vals = dict(run.config.get("outcomes", {})) if run.has("provenance/config") else {}  # [outcomes] keys
        if thresholds is None and vals:
            thresholds = vals
        # Time axis: weeks since the end of the baseline (burn-in + baseline days), if scored.
        origin = days_of(vals.get("burn_in", "0 days")) + days_of(vals.get("baseline", "0 days")) if vals else 0
        for ax, (col, mode, title) in zip(axes, panels):
            ax.set_title(title, fontsize=9, loc="left")
            if col not in s.columns:
                continue
            y = daily(t, s[col].to_numpy(), asleep if mode == "awake" else None, "end" if mode == "end" else "mean")
            if col.startswith("outcome/") and vals:
                y[: int(days_of(vals.get("burn_in", "0 days")))] = np.nan  # not scored
            ax.plot((np.arange(len(y)) + 1 - origin) / 7.0, y, lw=1.2, label=label)
    if thresholds:
        for key, style in (("remission_below", ":"), ("relapse_above", "--")):
            if key in thresholds:
                axes[0].axhline(float(thresholds[key]), color="grey", ls=style, lw=0.8, label=key)
    axes[0].legend(fontsize=8)
    for ax in axes[-2:]:
        ax.set_xlabel("weeks since the end of the baseline (treatment from 0)")
    fig.suptitle("course trajectories: " + ", ".join(os.path.basename(p) for p in a.outputs))
    fig.tight_layout()
    png = a.png or plotlib.default_png(a.outputs[0], "trajectories")
    png = plotlib.save(fig, png, a.outputs[0], "plot_main")
    if not a.quiet:
        print("wrote", png)


if __name__ == "__main__":
    main()
