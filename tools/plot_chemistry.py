#!/usr/bin/python3
"""Transmitter pools over time (/chemistry/pools), one panel per transmitter, and drug
occupancies if any.

    /usr/bin/python3 tools/plot_chemistry.py OUT.h5 [-o chemistry.png]

Concentrations in nM. Writes OUT_chemistry.png by default.
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
    a = ap.parse_args()
    run = plotlib.open_output(a.output, "plot_chemistry")
    plotlib.require(run, "chemistry", "plot_chemistry", "the model has no chemistry")
    chem = plotlib.reader.strip_units(run.traces())
    t = chem.index.to_numpy() / 1000.0

    def traces(group):  # {name under /chemistry/group: values}
        return {c[len(group) + 1:]: chem[c].to_numpy() for c in chem.columns if c.startswith(group + "/")}

    pools = traces("pools")
    by_tr = {}
    for name in pools:  # REGION.TR_uM
        base = name[:-3] if name.endswith("_uM") else name
        region, _, tr = base.rpartition(".")
        by_tr.setdefault(tr, []).append((region, name))
    panels = sorted(by_tr)
    occ = traces("drug_occupancy") if run.has("chemistry/drug_occupancy") else None
    plt = plotlib.pyplot()
    n = len(panels) + (1 if occ is not None and len(occ) else 0)
    fig, axes = plt.subplots(n, 1, figsize=(10, 2.2 * n + 1), sharex=True, squeeze=False)
    for ax, tr in zip(axes[:, 0], panels):
        for region, name in sorted(by_tr[tr]):
            ax.plot(t, pools[name] * 1000.0, lw=1.0, label=region)
        ax.set_ylabel("%s (nM)" % tr)
        ax.legend(fontsize=7, loc="upper right", ncol=3)
    if n > len(panels):
        ax = axes[-1, 0]
        for target in sorted(occ):
            ax.plot(t, occ[target] * 100.0, lw=1.0, label=target)
        ax.set_ylabel("drug occupancy (%)")
        ax.legend(fontsize=7)
    axes[-1, 0].set_xlabel("time (s of recorded fast time)")
    fig.suptitle("%s: extracellular transmitter pools" % os.path.basename(a.output))
    fig.tight_layout()
    png = a.png or plotlib.default_png(a.output, "chemistry")
    png = plotlib.save(fig, png, a.output, "plot_chemistry")
    print("wrote", png)


if __name__ == "__main__":
    main()
