#!/usr/bin/python3
"""Calibrates the weights of a model's background Poisson drives so that each population fires
at its target rate (a fixed-point iteration on short runs: w <- w (target / rate)^gain).

  /usr/bin/python3 tools/calibration/calibrate_drives.py CONFIG TARGETS [--duration 4s]
      [--iterations 15] [--set KEY=VALUE ...] [--neurochem build/bin/neurochem]

TARGETS: comma-separated POP=RATE_HZ; each population's drive is [poisson.bg_POP]. Prints the
rates per iteration and, at the end, the weights to write into the config. The rates are the
means over the whole run (/summary), so use a duration well above the transient. Used for
configs/limbic.ini (docs/model/circuit.md, "Calibration")."""
import argparse, math, os, subprocess, sys, tempfile
import h5py

ap = argparse.ArgumentParser()
ap.add_argument("config")
ap.add_argument("targets")
ap.add_argument("--duration", default="4s")
ap.add_argument("--iterations", type=int, default=15)
ap.add_argument("--gain", type=float, default=0.2)
ap.add_argument("--initial", type=float, default=3.0, help="initial weight (nS)")
ap.add_argument("--set", action="append", default=[])
ap.add_argument("--neurochem", default=os.path.join(os.path.dirname(__file__), "../../build/bin/neurochem"))
ap.add_argument("--start", action="append", default=[], help="POP=WEIGHT_nS initial weight")
a = ap.parse_args()

targets = {k: float(v) for k, v in (t.split("=") for t in a.targets.split(","))}
weights = {k: None for k in targets}
for s in a.start:
    k, v = s.split("=")
    weights[k] = float(v)
for k in weights:
    if weights[k] is None:
        weights[k] = a.initial
out = os.path.join(tempfile.mkdtemp(), "cal.h5")
for it in range(a.iterations):
    cmd = [a.neurochem, "run", a.config, "-o", out, "-q", "--set", "simulation.duration=" + a.duration]
    for s in a.set:
        cmd += ["--set", s]
    for k, w in weights.items():
        cmd += ["--set", f"poisson.bg_{k}.weight={w:.5g} nS"]
    subprocess.run(cmd, check=True)
    with h5py.File(out) as f:
        rates = {k: f["summary"][k].attrs["mean_rate_Hz"] for k in targets}
        allr = {k: f["summary"][k].attrs["mean_rate_Hz"] for k in f["summary"].keys()}
    err = max(abs(math.log(max(rates[k], 1e-3) / targets[k])) for k in targets)
    print(f"iteration {it}: worst |log(rate/target)| = {err:.3f}")
    for k in sorted(allr):
        mark = f"target {targets[k]:6.2f}  weight {weights[k]:.4g} nS" if k in targets else ""
        print(f"   {k:10s} {allr[k]:7.3f} Hz  {mark}")
    if err < 0.05:
        break
    for k in targets:
        r = rates[k]
        ratio = targets[k] / r if r > 0 else 2.0
        weights[k] *= min(max(ratio ** a.gain, 0.85), 1.18)
print("\n# calibrated weights")
for k, w in weights.items():
    print(f"[poisson.bg_{k}] weight = {w:.3g} nS")
