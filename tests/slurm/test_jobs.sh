#!/bin/bash
# Batch-job tests against a real SLURM on localhost (tests/slurm/local_slurm.sh):
#   test_jobs.sh NEUROCHEM SOURCE_DIR WORK_DIR [MODE...]     MODE: requeue, chain (default: both)
#   requeue: jobs/long_run.sbatch with a 1-minute limit, requeued until done
#   chain:   jobs/chain.sh, up to 8 dependent jobs of 1 minute
# A job is signalled (SIGUSR1) about 20 s into each minute, checkpoints and is requeued (or the
# next job of the chain starts); the final output must equal an uninterrupted run's, bitwise.
# The modes share one SLURM, one calibration and one reference run (they are serial tests).
# Exit code 77 means SLURM could not be started here (the test is skipped).
set -u
EXE=$1 SRC=$2 W=$3
shift 3
modes=("$@")
[ ${#modes[@]} -eq 0 ] && modes=(requeue chain)
rm -rf "$W"
mkdir -p "$W"
# shellcheck source=local_slurm.sh
source "$SRC/tests/slurm/local_slurm.sh"
local_slurm_start "$W/slurm" || exit $?
trap 'local_slurm_stop "$W/slurm"' EXIT

# tests/data/brunel_small.ini made long enough that the signal 20 s into a job always finds
# the run still going: ~30 s of wall time on this machine (the test runs alone), from a 30 s
# calibration run (at least 100 s simulated: ~21 s here).
t_cal=$(date +%s%N)
"$EXE" run "$SRC/tests/data/brunel_small.ini" -o "$W/calibration.h5" -q --threads 2 \
      --set "simulation.duration=30 s" || exit 1
ms_per_s=$(( ($(date +%s%N) - t_cal) / 1000000 / 30 ))   # wall ms per simulated s
duration=$(( 30000 / (ms_per_s > 0 ? ms_per_s : 1) ))
[ "$duration" -lt 100 ] && duration=100
echo "calibration: ${ms_per_s} ms per simulated second; simulating ${duration} s"
CONFIG=$W/brunel_long.ini
sed "s/^duration = .*/duration = ${duration} s/" "$SRC/tests/data/brunel_small.ini" > "$CONFIG"
grep -q "^duration = ${duration} s" "$CONFIG" || { echo "could not set the duration in $CONFIG"; exit 1; }
echo "reference run (uninterrupted)"
"$EXE" run "$CONFIG" -o "$W/ref.h5" -q --threads 2 || exit 1
export NEUROCHEM=$EXE

for mode in "${modes[@]}"; do
  D=$W/$mode
  mkdir -p "$D" && cd "$D" || exit 1
  echo "== $mode"
  t0=$(date +%s)
  case "$mode" in
    requeue)
      sbatch --time=1 --signal=B:USR1@40 --cpus-per-task=2 -o "$D/job.log" \
             "$SRC/jobs/long_run.sbatch" "$CONFIG" "$D/out.h5" --checkpoint-every '30 s' || exit 1 ;;
    chain)
      SBATCH_TIMELIMIT=1 SBATCH_SIGNAL=B:USR1@40 "$SRC/jobs/chain.sh" 8 "$CONFIG" "$D/out.h5" || exit 1 ;;
    *) echo "unknown mode $mode (requeue, chain)"; exit 2 ;;
  esac
  # Wait for the job(s) to finish (a requeued one is let start at once).
  local_slurm_wait "$t0" 900 || { echo "timeout waiting for the jobs"; squeue; exit 1; }
  echo "jobs finished after $(( $(date +%s) - t0 )) s"
  cat "$D"/*.log 2>/dev/null
  [ -f "$D/out.h5" ] || { echo "no final output"; ls -la "$D"; exit 1; }
  if [ "$mode" = requeue ]; then
    grep -q "checkpointed; requeueing" "$D/job.log" || { echo "the job was never signalled and requeued"; exit 1; }
  else
    [ "$(cat "$D"/neurochem-chain-*.log | grep -c "neurochem exit code 3")" -ge 1 ] || { echo "no chain step was signalled"; exit 1; }
  fi
  "$EXE" compare "$W/ref.h5" "$D/out.h5" || exit 1
done
