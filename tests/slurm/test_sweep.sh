#!/bin/bash
# A sweep as a SLURM job array on a private localhost cluster (tests/slurm/local_slurm.sh):
#   test_sweep.sh NEUROCHEM SOURCE_DIR WORK_DIR
# 8 points (4 drive rates x 2 durations of tests/data/brunel_small.ini) planned with
# `neurochem sweep --slurm --submit` into 4 array tasks of 2 points. Task 0 is sent SIGUSR1
# while its long point runs: the point writes a checkpoint, the task requeues itself and the
# requeued task skips its done point and resumes the other. Then `collect` must give the same
# table, byte for byte (CSV and HDF5), as the same sweep run with --local, and every point's
# output must equal the local one bitwise. Exit code 77: SLURM could not be started (skipped).
set -u
EXE=$1 SRC=$2 W=$3
rm -rf "$W"
mkdir -p "$W"
# shellcheck source=local_slurm.sh
source "$SRC/tests/slurm/local_slurm.sh"
local_slurm_start "$W/slurm" || exit $?
trap 'local_slurm_stop "$W/slurm"' EXIT
fail() { echo "FAILED: $*"; exit 1; }

cat > "$W/spec.ini" <<EOF
[sweep]
config = $SRC/tests/data/brunel_small.ini
seed = 77
[grid]
poisson.ext_E.rate = 15 Hz, 18 Hz, 21 Hz, 24 Hz
simulation.duration = 100 ms, 15 s
EOF
cd "$W" || exit 1
t0=$(date +%s)
out=$("$EXE" sweep spec.ini --dir on_slurm --slurm --threads 1 --points-per-task 2 --time 10 --submit) ||
  fail "sweep --slurm: $out"
echo "$out"
job=$(echo "$out" | awk '/submitted job array/ {print $4}')
[ -n "$job" ] || fail "no job id"

# Signal task 0 while its second (long) point runs.
for i in $(seq 1 300); do
  grep -q "state = running" on_slurm/points/0001/status 2>/dev/null && break
  sleep 0.2
done
grep -q "state = running" on_slurm/points/0001/status || fail "point 1 never started"
sleep 1
# SIGUSR1 to the task's batch shell, as --signal=B:USR1@T does before a time limit (scancel
# --batch reaches it too, but keeps retrying an array task for a minute after it has requeued).
raw=$(squeue -h -j "${job}_0" -o %A)
shell=$(pgrep -f "job0*${raw}/slurm_script" | head -1)
[ -n "$shell" ] || fail "no batch shell of task ${job}_0 (job $raw)"
kill -USR1 "$shell" || fail "kill"
echo "sent SIGUSR1 to the batch shell of task ${job}_0 after $(( $(date +%s) - t0 )) s"

# Wait for the array (a requeued task is let start at once).
local_slurm_wait "$t0" 400 || { squeue; fail "timeout waiting for the job array"; }
echo "job array finished after $(( $(date +%s) - t0 )) s"
cat on_slurm/slurm/*.log
grep -q "checkpointed; requeueing" on_slurm/slurm/*_0.log || fail "task 0 was not checkpointed and requeued"
grep -q "attempt 2: resume" on_slurm/points/0001/log.txt || fail "point 1 was not resumed"
"$EXE" sweep on_slurm --status | tail -1 | grep -qx "8 done" || { "$EXE" sweep on_slurm --status; fail "not all points done"; }

t1=$(date +%s)
"$EXE" sweep spec.ini --dir local --local -j 2 --threads 1 -q || fail "sweep --local"
echo "local sweep: $(( $(date +%s) - t1 )) s"
for d in on_slurm local; do
  "$EXE" collect "$d" -o "$d.csv" -o "$d.h5" || fail "collect $d"
done
cmp on_slurm.csv local.csv || { diff on_slurm.csv local.csv; fail "the CSV tables differ"; }
cmp on_slurm.h5 local.h5 || fail "the HDF5 tables differ"
for p in local/points/*/; do
  n=$(basename "$p")
  "$EXE" compare "local/points/$n/out.h5" "on_slurm/points/$n/out.h5" > /dev/null || fail "point $n differs"
done
echo "the SLURM and local sweeps give the same table ($(wc -l < local.csv) lines) and the same outputs"
