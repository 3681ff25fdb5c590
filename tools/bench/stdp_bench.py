#!/usr/bin/python3
"""COBA with pair STDP (configs/coba_stdp.ini) in neurochem and in Brian2's C++ standalone mode.

The same network as tools/bench/bench.py's COBA 4k (Brette et al. 2007) with additive
all-to-all pair STDP on E->E (Song, Miller & Abbott 2000: tau+ = tau- = 20 ms, w_max = 12 nS,
A+ = 0.01 w_max, A- = -1.05 A+, weights start at 6 nS, clipped to [0, w_max]). Brian2 runs the
rule with event-driven traces per synapse (its standard STDP example), neurochem with traces
per neuron (docs/model/plasticity.md). Prints for each simulator and seed: the wall time of the
whole process that simulates (neurochem run; Brian2's compiled ./main, without code generation
and compilation), peak memory, mean rates, and the mean and standard deviation of the E->E
weights at the end.

    /usr/bin/python3 tools/bench/stdp_bench.py [--duration 10] [--seeds 1,2] [--threads 1]
"""
import argparse
import os
import re
import shutil
import subprocess
import tempfile
import time

import h5py
import numpy as np

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

BRIAN = r'''
import sys, numpy as np
from brian2 import *
duration, threads, outdir, seed_value = float(sys.argv[1]), int(sys.argv[2]), sys.argv[3], int(sys.argv[4])
set_device("cpp_standalone", directory=outdir, build_on_run=False)
prefs.devices.cpp_standalone.openmp_threads = threads
prefs.codegen.cpp.extra_compile_args_gcc = ["-O3", "-w"]
defaultclock.dt = 0.1*ms
seed(seed_value)
n = 4000; ne = 3200; p = 0.02
eqs = """dv/dt = (gL*(EL-v) + ge*(Ee-v) + gi*(Ei-v))/C : volt (unless refractory)
         dge/dt = -ge/taue : siemens
         dgi/dt = -gi/taui : siemens"""
ns = dict(gL=10*nS, EL=-60*mV, Ee=0*mV, Ei=-80*mV, C=200*pF, taue=5*ms, taui=10*ms)
P = NeuronGroup(n, eqs, threshold="v>-50*mV", reset="v=-60*mV", refractory=5*ms,
                method="exponential_euler", namespace=ns)
P.v = "-65*mV + 5*mV*randn()"
P.ge = "40*nS + 15*nS*randn()"
P.gi = "200*nS + 120*nS*randn()"
wmax = 12*nS; Apre = 0.01*wmax; Apost = -1.05*Apre; taupre = taupost = 20*ms
See = Synapses(P[:ne], P[:ne], model="""w : siemens
    dapre/dt = -apre/taupre : siemens (event-driven)
    dapost/dt = -apost/taupost : siemens (event-driven)""",
    on_pre="""ge_post += w
    apre += Apre
    w = clip(w + apost, 0*nS, wmax)""",
    on_post="""apost += Apost
    w = clip(w + apre, 0*nS, wmax)""", delay=0.1*ms)
See.connect(p=p)
See.w = 6*nS
Sei = Synapses(P[:ne], P[ne:], on_pre="ge += 6*nS", delay=0.1*ms); Sei.connect(p=p)
Si = Synapses(P[ne:], P, on_pre="gi += 67*nS", delay=0.1*ms); Si.connect(p=p)
M = SpikeMonitor(P)
run(duration*second)
device.build(directory=outdir, compile=True, run=False)
'''


def neurochem(exe, duration, seed, threads):
    with tempfile.TemporaryDirectory() as d:
        out = os.path.join(d, "o.h5")
        t0 = time.perf_counter()
        r = subprocess.run(["/usr/bin/time", "-f", "%M", exe, "run", os.path.join(ROOT, "configs", "coba_stdp.ini"),
                            "-o", out, "-q", "--threads", str(threads), "--seed", str(seed),
                            "--set", f"simulation.duration={duration} s"], check=True, capture_output=True, text=True)
        wall = time.perf_counter() - t0
        rss = int(r.stderr.strip().splitlines()[-1]) / 1024
        with h5py.File(out) as f:
            w = f["edges/E_to_E/0/syn_weight"][:]
            rates = {p: float(f["summary"][p].attrs["mean_rate_Hz"]) for p in ("E", "I")}
    return {"wall_s": wall, "rss_mb": rss, "w_mean": float(w.mean()), "w_std": float(w.std()), "rates": rates,
            "synapses": len(w)}


def brian(duration, seed, threads):
    d = tempfile.mkdtemp(prefix="brian_stdp_")
    try:
        with open(os.path.join(d, "net.py"), "w") as f:
            f.write(BRIAN)
        proj = os.path.join(d, "proj")
        subprocess.run(["/usr/bin/python3", os.path.join(d, "net.py"), str(duration), str(threads), proj, str(seed)],
                       check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        t0 = time.perf_counter()
        r = subprocess.run(["/usr/bin/time", "-f", "%M", "./main"], cwd=proj, check=True, capture_output=True, text=True)
        wall = time.perf_counter() - t0
        rss = int(r.stderr.strip().splitlines()[-1]) / 1024
        res = os.path.join(proj, "results")
        files = os.listdir(res)
        def load(pattern, dtype):
            return np.fromfile(os.path.join(res, next(f for f in files if re.match(pattern, f))), dtype=dtype)
        w = load(r"_dynamic_array_synapses_w_", np.float64) * 1e9  # nS
        i = load(r"_dynamic_array_spikemonitor_i_", np.int32)
        rates = {"E": float((i < 3200).sum()) / (3200 * duration), "I": float((i >= 3200).sum()) / (800 * duration)}
        return {"wall_s": wall, "rss_mb": rss, "w_mean": float(w.mean()), "w_std": float(w.std()), "rates": rates,
                "synapses": len(w)}
    finally:
        shutil.rmtree(d, ignore_errors=True)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--neurochem", default=os.path.join(ROOT, "build", "bin", "neurochem"))
    ap.add_argument("--duration", type=float, default=10.0)
    ap.add_argument("--seeds", default="1,2")
    ap.add_argument("--threads", type=int, default=1)
    a = ap.parse_args()
    print(f"{'simulator':10} {'seed':>4} {'wall s':>7} {'RSS MB':>7} {'synapses':>9} {'rate E':>7} {'rate I':>7} "
          f"{'w mean nS':>9} {'w sd nS':>8}")
    walls = {}
    for seed in [int(s) for s in a.seeds.split(",")]:
        for name, f in (("neurochem", lambda: neurochem(a.neurochem, a.duration, seed, a.threads)),
                        ("brian2", lambda: brian(a.duration, seed, a.threads))):
            r = f()
            walls.setdefault(name, []).append(r["wall_s"])
            print(f"{name:10} {seed:4d} {r['wall_s']:7.2f} {r['rss_mb']:7.1f} {r['synapses']:9d} {r['rates']['E']:7.2f} "
                  f"{r['rates']['I']:7.2f} {r['w_mean']:9.3f} {r['w_std']:8.3f}", flush=True)
    print(f"whole-process speed-up (fastest runs): {min(walls['brian2']) / min(walls['neurochem']):.2f}x")


if __name__ == "__main__":
    main()
