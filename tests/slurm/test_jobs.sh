#!/bin/bash
# Batch-job tests against a real SLURM on localhost (tests/slurm/local_slurm.sh):
#   test_jobs.sh requeue NEUROCHEM SOURCE_DIR WORK_DIR   jobs/long_run.sbatch, 1-minute limit
#   test_jobs.sh chain   NEUROCHEM SOURCE_DIR WORK_DIR   jobs/chain.sh, 8 jobs of 1 minute
# A job is signalled (SIGUSR1) about 20 s into each minute, checkpoints and is requeued (or the
# next job of the chain starts); the final output must equal an uninterrupted run's, bitwise.
# Exit code 77 means SLURM could not be started here (the test is skipped).
set -u
mode=$1 EXE=$2 SRC=$3 W=$4
rm -rf "$W"
mkdir -p "$W"
# shellcheck source=local_slurm.sh
source "$SRC/tests/slurm/local_slurm.sh"
local_slurm_start "$W/slurm" || exit $?
trap 'local_slurm_stop "$W/slurm"' EXIT

# tests/data/brunel_small.ini made long enough that the signal 20 s into a job always finds
# the run still going: ~45 s of wall time on this machine, from a 30 s calibration run
# (at least 300 s simulated).
t_cal=$(date +%s%N)
"$EXE" run "$SRC/tests/data/brunel_small.ini" -o "$W/calibration.h5" -q --threads 2 \
      --set "simulation.duration=30 s" || exit 1
ms_per_s=$(( ($(date +%s%N) - t_cal) / 1000000 / 30 ))   # wall ms per simulated s
duration=$(( 45000 / (ms_per_s > 0 ? ms_per_s : 1) ))
[ "$duration" -lt 300 ] && duration=300
echo "calibration: ${ms_per_s} ms per simulated second; simulating ${duration} s"
CONFIG=$W/brunel_long.ini
sed "s/^duration = .*/duration = ${duration} s/" "$SRC/tests/data/brunel_small.ini" > "$CONFIG"
grep -q "^duration = ${duration} s" "$CONFIG" || { echo "could not set the duration in $CONFIG"; exit 1; }
echo "reference run (uninterrupted)"
"$EXE" run "$CONFIG" -o "$W/ref.h5" -q --threads 2 || exit 1

cd "$W" || exit 1
export NEUROCHEM=$EXE
t0=$(date +%s)
if [ "$mode" = requeue ]; then
  sbatch --time=1 --signal=B:USR1@40 --cpus-per-task=2 -o "$W/job.log" \
         "$SRC/jobs/long_run.sbatch" "$CONFIG" "$W/out.h5" --checkpoint-every '30 s' || exit 1
else
  SBATCH_TIMELIMIT=1 SBATCH_SIGNAL=B:USR1@40 "$SRC/jobs/chain.sh" 8 "$CONFIG" "$W/out.h5" || exit 1
fi

# Wait for the job(s) to finish (a requeued one is let start at once).
local_slurm_wait "$t0" 900 || { echo "timeout waiting for the jobs"; squeue; exit 1; }
echo "jobs finished after $(( $(date +%s) - t0 )) s"
cat "$W"/*.log 2>/dev/null
[ -f "$W/out.h5" ] || { echo "no final output"; ls -la "$W"; exit 1; }
if [ "$mode" = requeue ]; then
  grep -q "checkpointed; requeueing" "$W/job.log" || { echo "the job was never signalled and requeued"; exit 1; }
else
  [ "$(cat "$W"/neurochem-chain-*.log | grep -c "neurochem exit code 3")" -ge 1 ] || { echo "no chain step was signalled"; exit 1; }
fi
"$EXE" compare "$W/ref.h5" "$W/out.h5"
