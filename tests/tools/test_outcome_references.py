#!/usr/bin/python3
"""tools/calibration/outcome_references.py on a real course: the means it reports over the
baseline week, scored with the run's own [outcomes] weights and references, give the baseline
rating the program computed (/slow/outcome/baseline) — so the tool reads the same daily
readouts the program scores. Then its refusals: too few days, a file that is not an output.
Then tools/calibration/outcome_terms.py on the same run: its baseline terms add up to the
program's baseline, and its late rating is the mean of the program's daily ratings of week 1.

  test_outcome_references.py NEUROCHEM SOURCE_DIR WORK_DIR
"""
import os
import re
import shutil
import subprocess
import sys

import h5py

exe, src, work = sys.argv[1:4]
tool = os.path.join(src, "tools", "calibration", "outcome_references.py")
shutil.rmtree(work, ignore_errors=True)
os.makedirs(work)
out = os.path.join(work, "u.h5")
# The main job's untreated patient, compressed: burn-in (3 days), baseline week, one more week.
run = subprocess.run([exe, "run", os.path.join(src, "configs", "main", "untreated.ini"), "-q",
                      "-o", out, "--threads", "1", "--set", "simulation.duration=17 days",
                      "--set", "simulation.scale=0.1", "--set", "protocol.window=20 ms",
                      "--set", "protocol.settle=10 ms", "--set", "protocol.slow_step=4 h"],
                     capture_output=True, text=True, env=dict(os.environ, OMPI_MCA_btl="self"))
assert run.returncode == 0, run.stdout + run.stderr

r = subprocess.run([sys.executable, tool, out, "--from-day", "3", "--weeks", "1"],
                   capture_output=True, text=True)
assert r.returncode == 0, r.stdout + r.stderr
means = {m.group(1): float(m.group(2))
         for m in re.finditer(r"^(\w+)_reference = ([-0-9.e+]+)", r.stdout, re.M)}
assert set(means) == {"amygdala", "prefrontal", "bdnf", "neurogenesis", "sleep"}, r.stdout

with h5py.File(out, "r") as f:
    cfg = {}
    section = None
    for line in f["provenance/config"][()].decode().splitlines():
        if line.startswith("["):
            section = line.strip("[]")
        elif "=" in line and section == "outcomes":
            k, v = (x.strip() for x in line.split("=", 1))
            cfg[k] = v
    baseline = f["slow/outcome/baseline"][-1]


def num(key):
    return float(cfg[key].split()[0])


sleep_ref_h = num("sleep_reference") / 3.6e6  # canonical ms
sleep = 1 - means["sleep"] / sleep_ref_h
if cfg["sleep_term"] == "deficit":
    sleep = max(0.0, sleep)
load = (num("weight_amygdala") * (means["amygdala"] / num("amygdala_reference") - 1)
        + num("weight_prefrontal") * (1 - means["prefrontal"] / num("prefrontal_reference"))
        + num("weight_bdnf") * (1 - means["bdnf"] / num("bdnf_reference"))
        + num("weight_neurogenesis") * (1 - means["neurogenesis"] / num("neurogenesis_reference"))
        + num("weight_sleep") * sleep)
score = 100 * max(0.0, load)
print("baseline: program %.4f, from the tool's means %.4f" % (baseline, score))
assert baseline > 1, "a baseline of %g cannot tell the readouts apart" % baseline
assert abs(score - baseline) < 0.01, (score, baseline, r.stdout)

# Refusals: more weeks than the run has; a file that is not a neurochem output.
r = subprocess.run([sys.executable, tool, out], capture_output=True, text=True)
assert r.returncode != 0 and "need day 66" in r.stderr, r.stderr
r = subprocess.run([sys.executable, tool, tool], capture_output=True, text=True)
assert r.returncode != 0 and "not a neurochem output" in r.stderr, r.stderr

# outcome_terms.py: the terms of the baseline week, summed, are the program's baseline; the
# late rating of week 1 (days 10-16) is the mean of the program's ratings at those days' ends.
terms_tool = os.path.join(src, "tools", "calibration", "outcome_terms.py")
r = subprocess.run([sys.executable, terms_tool, out, "--weeks", "1-1"], capture_output=True, text=True)
assert r.returncode == 0, r.stdout + r.stderr
head, row = (line.split("\t") for line in r.stdout.strip().splitlines())
cols = dict(zip(head, row))
assert abs(float(cols["baseline"]) - baseline) <= 0.05, (cols, baseline)
start = [float(cols[n].split(" -> ")[0]) for n in ("amygdala", "prefrontal", "bdnf", "newborn", "sleep")]
assert abs(sum(start) - baseline) <= 0.3, (start, baseline)  # five terms printed to 0.1
with h5py.File(out, "r") as f:
    t = f["slow/time_h"][()]
    rating = f["slow/outcome/rating"][()]
week1 = [rating[abs(t - 24 * (d + 1)) < 1e-6][0] for d in range(10, 17)]
late = sum(week1) / len(week1)
assert abs(float(cols["late"]) - late) <= 0.05 and late > 1, (cols, week1)
print(r.stdout)
r = subprocess.run([sys.executable, terms_tool, out, "--weeks", "1-2"], capture_output=True, text=True)
assert r.returncode != 0 and "need day 23" in r.stderr, r.stderr
r = subprocess.run([sys.executable, terms_tool, out, "--weeks", "2-1"], capture_output=True, text=True)
assert r.returncode != 0 and "FIRST-LAST" in r.stderr, r.stderr
print("ok")
