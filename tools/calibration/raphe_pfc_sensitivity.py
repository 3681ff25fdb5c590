#!/usr/bin/python3
"""Sensitivity of the raphe-PFC test network to the DRN 5-HT1A GIRK conductance (issue 14).

For each GIRK value (and the DRN drive that keeps the baseline rate), runs configs/raphe_pfc.ini
without a drug and 2 h after 20 mg escitalopram (~80 % SERT occupancy, the VT-03 condition) and
prints: baseline DRN rate, baseline 5-HT per region, DRN firing under the SSRI (% of baseline)
and the 5-HT rise per region (VT-03: PFC 2.3-3.0x, raphe > hippocampus > PFC).

  /usr/bin/python3 tools/calibration/raphe_pfc_sensitivity.py build/bin/neurochem \
      [--girk 2,3,4,5,8] [--sources 85] [--set KEY=VALUE ...] [--seconds 5]

Means are over t > 2 s of a 5 s run (the pools settle within ~1 s). Needs h5py (python3-h5py)
and the reader package (PYTHONPATH=python, set here).
"""
import argparse
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(ROOT, "python"))
from neurochem_reader import open_run  # noqa: E402

ACUTE = ("[regimen.acute]\ndrug = escitalopram\ndose = 20 mg\ninterval = 1000 h\n"
         "start = -2 h\n")
REGIONS = ["raphe", "hippocampus", "PFC"]


def run(exe, work, name, drug, sets, seconds, base="raphe_pfc.ini"):
    cfg = os.path.join(ROOT, "configs", ".sens_%d_%s.ini" % (os.getpid(), name))
    with open(cfg, "w") as f:
        f.write("[include]\nfiles = %s, drugs/escitalopram.ini\n" % base)
        if drug:
            f.write(ACUTE)
    out = os.path.join(work, name + ".h5")
    cmd = [exe, "run", cfg, "-q", "-o", out, "--threads", "1",
           "--set", "simulation.duration=%g s" % seconds]
    for s in sets:
        cmd += ["--set", s]
    try:
        subprocess.run(cmd, check=True)
    finally:
        os.remove(cfg)
    r = open_run(out)
    tr = r.traces()
    late = tr[tr.index > 2000.0]
    res = {"DRN_Hz": None, "occ": None}
    for reg in REGIONS:
        col = "pools/%s.5HT_uM" % reg
        res[reg] = late[col].mean() * 1000 if col in late else float("nan")
    if "drug_occupancy/SERT" in late:
        res["occ"] = late["drug_occupancy/SERT"].mean()
    sp = r.spikes("DRN")
    n = int(r.config["population.DRN"]["size"])
    res["DRN_Hz"] = (sp["time_ms"] > 2000.0).sum() / (n * (seconds - 2.0))
    r.close()
    return res


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("exe")
    ap.add_argument("--girk", default="2,3,4,5,8", help="nS values")
    ap.add_argument("--sources", default="", help="DRN Poisson sources per GIRK value (same count)")
    ap.add_argument("--set", action="append", default=[])
    ap.add_argument("--seconds", type=float, default=5.0)
    ap.add_argument("--base", default="raphe_pfc.ini", help="config in configs/ (default raphe_pfc.ini)")
    a = ap.parse_args()
    girks = [float(x) for x in a.girk.split(",")]
    sources = [int(x) for x in a.sources.split(",")] if a.sources else [None] * len(girks)
    print("| GIRK (nS) | DRN sources | DRN baseline (Hz) | 5-HT raphe / hippocampus / PFC (nM) "
          "| SERT occ. | DRN under SSRI | 5-HT rise raphe / hippocampus / PFC |")
    print("|---|---|---|---|---|---|---|")
    with tempfile.TemporaryDirectory() as work:
        for g, s in zip(girks, sources):
            sets = ["effect.DRN.5HT1A.conductance=%g nS" % g] + a.set
            if s is not None:
                sets.append("poisson.DRN.sources=%d" % s)
            b = run(a.exe, work, "base", False, sets, a.seconds, a.base)
            d = run(a.exe, work, "ssri", True, sets, a.seconds, a.base)
            print("| %g | %s | %.2f | %.0f / %.0f / %.0f | %.1f %% | %.0f %% | %.2f / %.2f / %.2f |" % (
                g, s if s is not None else "(config)", b["DRN_Hz"], b["raphe"], b["hippocampus"],
                b["PFC"], 100 * (d["occ"] or 0), 100 * d["DRN_Hz"] / b["DRN_Hz"],
                d["raphe"] / b["raphe"], d["hippocampus"] / b["hippocampus"], d["PFC"] / b["PFC"]))
            sys.stdout.flush()


if __name__ == "__main__":
    main()
