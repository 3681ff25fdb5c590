#!/usr/bin/python3
"""Side-by-side benchmark of neurochem and Brian2 (C++ standalone) on the same networks.

Runs COBA (Brette et al. 2007 benchmark 1, scaled with in-degree ~80: p = 80/N) at 4k, 40k and
200k neurons and Brunel (2000) at 12.5k neurons, at 1 and 2 threads, in both simulators, and
prints synaptic events/s, neuron updates/s, real-time factor, peak memory and bytes per
synapse, with matching rate statistics (mean rate, mean CV of ISI).

Timing: the fastest of --repeat runs, simulation loop only (neurochem /provenance/run_time_s; Brian2's network run time
from results/last_run_info.txt), so network construction and Brian2's compilation are
excluded. Memory: peak RSS of the process; bytes per synapse = (peak RSS - peak RSS of the same
network without synapses) / synapses.

Usage (Debian: tools/install-deps.sh --bench):
    /usr/bin/python3 tools/bench/bench.py [--neurochem build/bin/neurochem] [--cases coba4k,...]
                                          [--threads 1,2] [--duration 1] [--no-brian]
"""
import argparse
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
import time

import h5py
import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))

CASES = {
    "coba4k": ("coba", 4000),
    "coba40k": ("coba", 40000),
    "coba200k": ("coba", 200000),
    "brunel12k": ("brunel", 12500),
}


def coba_sets(n, connect=True):
    ne, ni = int(n * 0.8), n - int(n * 0.8)
    p = 80.0 / n if connect else 0.0
    sets = [f"population.E.size={ne}", f"population.I.size={ni}"]
    for proj in ("E->E", "E->I", "I->E", "I->I"):
        sets.append(f"projection.{proj}.probability={p!r}")
    return sets


def brunel_sets(n, connect=True):
    sets = []
    if not connect:
        for proj in ("E->E", "E->I", "I->E", "I->I"):
            sets.append(f"projection.{proj}.indegree=0")
    return sets


def cv_isi(times, ids, n):
    """Mean over neurons with >= 2 ISIs of std(ISI)/mean(ISI), as neurochem reports it."""
    order = np.lexsort((times, ids))
    t, i = times[order], ids[order]
    cvs = []
    starts = np.searchsorted(i, np.arange(n))
    ends = np.searchsorted(i, np.arange(n), side="right")
    for s, e in zip(starts, ends):
        if e - s >= 3:
            isi = np.diff(t[s:e])
            cvs.append(isi.std() / isi.mean())
    return float(np.mean(cvs)) if cvs else float("nan")


def run_neurochem(exe, case, threads, duration, connect=True, record=True):
    kind, n = CASES[case]
    sets = coba_sets(n, connect) if kind == "coba" else brunel_sets(n, connect)
    sets.append(f"simulation.duration={duration} s")
    if not record:
        sets.append("output.spikes=false")
    with tempfile.TemporaryDirectory() as d:
        out = os.path.join(d, "out.h5")
        cmd = [exe, "run", os.path.join(ROOT, "configs", f"{kind}.ini"), "-o", out, "-q",
               "--threads", str(threads)]
        for s in sets:
            cmd += ["--set", s]
        subprocess.run(cmd, check=True, env=dict(os.environ, OMP_PROC_BIND="true"))
        with h5py.File(out, "r") as f:
            prov = f["provenance"].attrs
            summ = f["summary"]
            res = {
                "run_s": float(prov["run_time_s"]),
                "build_s": float(prov["build_time_s"]),
                "rss_mb": float(prov["peak_rss_MB"]),
                "synapses": int(summ.attrs["synapses"]),
                "synapse_bytes": int(prov["synapse_bytes"]),
                "events": int(summ.attrs["synaptic_events"]),
                "neurons": n,
                "rates": {p: float(summ[p].attrs["mean_rate_Hz"]) for p in ("E", "I")},
                "cv": {p: float(summ[p].attrs["mean_cv_isi"]) for p in ("E", "I")},
            }
    return res


BRIAN_SCRIPT = r'''
import sys, json, numpy as np
from brian2 import *
kind, n, threads, duration, connect, outdir, seed, record = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), float(sys.argv[4]), sys.argv[5] == "1", sys.argv[6], int(sys.argv[7]), sys.argv[8] == "1"
set_device("cpp_standalone", directory=outdir, build_on_run=False)
prefs.devices.cpp_standalone.openmp_threads = threads
prefs.codegen.cpp.extra_compile_args_gcc = ["-O3", "-w"]
defaultclock.dt = 0.1*ms
seed_ = seed
np.random.seed(seed)
if kind == "coba":
    ne = int(n*0.8); ni = n - ne
    p = 80.0/n if connect else 0.0
    eqs = """dv/dt = (gL*(EL-v) + ge*(Ee-v) + gi*(Ei-v))/C : volt (unless refractory)
             dge/dt = -ge/taue : siemens
             dgi/dt = -gi/taui : siemens"""
    ns = dict(gL=10*nS, EL=-60*mV, Ee=0*mV, Ei=-80*mV, C=200*pF, taue=5*ms, taui=10*ms)
    P = NeuronGroup(n, eqs, threshold="v>-50*mV", reset="v=-60*mV", refractory=5*ms,
                    method="exponential_euler", namespace=ns)
    P.v = "-65*mV + 5*mV*randn()"
    P.ge = "40*nS + 15*nS*randn()"
    P.gi = "200*nS + 120*nS*randn()"
    Ce = Synapses(P[:ne], P, on_pre="ge += 6*nS", delay=0.1*ms)
    Ci = Synapses(P[ne:], P, on_pre="gi += 67*nS", delay=0.1*ms)
    Ce.connect(p=p); Ci.connect(p=p)
    groups = {"E": (0, ne), "I": (ne, n)}
else:
    ne = int(n*0.8); ni = n - ne
    P = NeuronGroup(n, "dv/dt = -v/(20*ms) : volt (unless refractory)", threshold="v>20*mV",
                    reset="v=10*mV", refractory=2*ms, method="exact")
    Ce = Synapses(P[:ne], P, on_pre="v += 0.1*mV", delay=1.5*ms)
    Ci = Synapses(P[ne:], P, on_pre="v += -0.5*mV", delay=1.5*ms)
    if connect:
        # fixed in-degree with multapses, as in configs/brunel.ini
        post = np.repeat(np.arange(n), 1000); pre = np.random.randint(0, ne, size=n*1000)
        Ce.connect(i=pre, j=post)
        post = np.repeat(np.arange(n), 250); pre = np.random.randint(0, ni, size=n*250)
        Ci.connect(i=pre, j=post)
    ext = PoissonInput(P, "v", N=1000, rate=20*Hz, weight=0.1*mV)  # keep a reference: run() collects it
    groups = {"E": (0, ne), "I": (ne, n)}
if record:
    M = SpikeMonitor(P)
run(duration*second)
device.build(directory=outdir, compile=True, run=False)
'''


def run_brian(case, threads, duration, connect=True, seed=1, record=True):
    kind, n = CASES[case]
    d = tempfile.mkdtemp(prefix="brian_bench_")
    try:
        script = os.path.join(d, "net.py")
        with open(script, "w") as f:
            f.write(BRIAN_SCRIPT)
        proj = os.path.join(d, "proj")
        subprocess.run(["/usr/bin/python3", script, kind, str(n), str(threads), str(duration),
                        "1" if connect else "0", proj, str(seed), "1" if record else "0"], check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        t = subprocess.run(["/usr/bin/time", "-f", "%M", "./main"], cwd=proj, check=True,
                           capture_output=True, text=True)
        rss_mb = int(t.stderr.strip().splitlines()[-1]) / 1024.0
        with open(os.path.join(proj, "results", "last_run_info.txt")) as f:
            run_s = float(f.read().split()[0])
        res = {"run_s": run_s, "rss_mb": rss_mb, "neurons": n}
        if connect and record:
            res.update(read_brian_spikes(proj, n, duration))
        elif connect:
            res["synapses"] = count_brian_synapses(proj)
        return res
    finally:
        shutil.rmtree(d, ignore_errors=True)


def count_brian_synapses(proj):
    res_dir = os.path.join(proj, "results")
    return sum(os.path.getsize(os.path.join(res_dir, f)) // 4 for f in os.listdir(res_dir)
               if re.match(r"_dynamic_array_synapses(_\d+)?__synaptic_pre_", f))


def read_brian_spikes(proj, n, duration):
    """Reads the SpikeMonitor's arrays and the synapse counts from Brian2's results folder."""
    res_dir = os.path.join(proj, "results")
    files = os.listdir(res_dir)
    def load(pattern, dtype):
        name = next(f for f in files if re.match(pattern, f))
        return np.fromfile(os.path.join(res_dir, name), dtype=dtype)
    i = load(r"_dynamic_array_spikemonitor_i_", np.int32)
    t = load(r"_dynamic_array_spikemonitor_t_", np.float64)
    syn = count_brian_synapses(proj)
    ne = int(n * 0.8)
    out = {"synapses": syn, "events": None, "rates": {}, "cv": {}}
    for name, (lo, hi) in {"E": (0, ne), "I": (ne, n)}.items():
        sel = (i >= lo) & (i < hi)
        out["rates"][name] = float(sel.sum()) / ((hi - lo) * duration)
        out["cv"][name] = cv_isi(t[sel], i[sel] - lo, hi - lo)
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--neurochem", default=os.path.join(ROOT, "build", "bin", "neurochem"))
    ap.add_argument("--cases", default=",".join(CASES))
    ap.add_argument("--threads", default="1,2")
    ap.add_argument("--duration", type=float, default=1.0, help="simulated seconds")
    ap.add_argument("--no-brian", action="store_true")
    ap.add_argument("--repeat", type=int, default=1, help="timing runs per point; the fastest is kept")
    ap.add_argument("--json", help="write all results to this file")
    args = ap.parse_args()

    cpu = "unknown"
    with open("/proc/cpuinfo") as f:
        for line in f:
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    print(f"machine: {cpu}, {os.cpu_count()} cores, {platform.platform()}")
    print(f"neurochem: {subprocess.run([args.neurochem, '--version'], capture_output=True, text=True).stdout.splitlines()[0:2]}")
    results = []
    header = (f"{'case':10} {'thr':>3} {'sim':10} {'run s':>8} {'RTF':>7} {'events/s':>10} {'upd/s':>9} "
              f"{'synapses':>10} {'RSS MB':>8} {'B/syn':>6} {'acct':>5} {'rate E':>7} {'rate I':>7} {'CV E':>5} {'CV I':>5}")
    print(header)
    for case in args.cases.split(","):
        kind, n = CASES[case]
        # Memory: peak RSS with and without synapses, 1 thread, 0.1 s, no spike recording (so
        # that activity-dependent buffers do not enter the difference).
        mem = {"neurochem": [run_neurochem(args.neurochem, case, 1, 0.1, connect=c, record=False)
                             for c in (True, False)]}
        if not args.no_brian:
            mem["brian2"] = [run_brian(case, 1, 0.1, connect=c, record=False) for c in (True, False)]
        for threads in [int(x) for x in args.threads.split(",")]:
            def best(f):
                runs = [f() for _ in range(args.repeat)]
                return min(runs, key=lambda r: r["run_s"])
            rows = [("neurochem", best(lambda: run_neurochem(args.neurochem, case, threads, args.duration)))]
            if not args.no_brian:
                rows.append(("brian2", best(lambda: run_brian(case, threads, args.duration))))
            for sim, r in rows:
                with_syn, without = mem[sim]
                syn = r["synapses"]
                events = r["events"]
                if events is None:  # Brian: events = spikes x out-degree, from rates and synapses
                    ne = int(n * 0.8)
                    spikes_e = r["rates"]["E"] * ne * args.duration
                    spikes_i = r["rates"]["I"] * (n - ne) * args.duration
                    events = (spikes_e + spikes_i) * syn / n  # mean out-degree = syn / n
                r["events_per_s"] = events / r["run_s"]
                r["updates_per_s"] = n * args.duration / 1e-4 / r["run_s"]
                r["rtf"] = r["run_s"] / args.duration
                r["bytes_per_synapse"] = ((with_syn["rss_mb"] - without["rss_mb"]) * 1048576 / with_syn["synapses"]
                                          if with_syn.get("synapses") else float("nan"))
                results.append({"case": case, "threads": threads, "simulator": sim, **r})
                print(f"{case:10} {threads:3d} {sim:10} {r['run_s']:8.3f} {r['rtf']:7.3f} {r['events_per_s']:10.3g} "
                      f"{r['updates_per_s']:9.3g} {syn:10d} {r['rss_mb']:8.1f} {r['bytes_per_synapse']:6.2f} "
                      f"{(r['synapse_bytes'] / syn if 'synapse_bytes' in r and syn else float('nan')):5.2f} "
                      f"{r['rates']['E']:7.2f} {r['rates']['I']:7.2f} {r['cv']['E']:5.2f} {r['cv']['I']:5.2f}",
                      flush=True)
            if len(rows) == 2 and rows[1][1]["events_per_s"] > 0:
                print(f"{'':10} {'':3} {'ratio':10} events/s neurochem / brian2 = "
                      f"{rows[0][1]['events_per_s'] / rows[1][1]['events_per_s']:.2f}", flush=True)
    if args.json:
        with open(args.json, "w") as f:
            json.dump(results, f, indent=1)


if __name__ == "__main__":
    main()
