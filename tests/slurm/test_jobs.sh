#!/bin/bash
# Batch-job tests against a real SLURM on localhost (tests/slurm/local_slurm.sh):
#   test_jobs.sh NEUROCHEM SOURCE_DIR WORK_DIR [MODE...]     MODE: requeue, chain (default: both)
#   requeue: jobs/long_run.sbatch with a 1-minute limit, requeued until done
#   chain:   jobs/chain.sh, up to 8 dependent jobs of 1 minute
# The first job is signalled (SIGUSR1 to its batch shell, as SLURM's --signal=B:USR1 does before
# a time limit) as soon as its run is under way (its .partial output exists), not after a fixed
# wall time: SLURM checks time limits only every ~30 s, so its own signal (also requested, 40 s
# before each 1-minute limit) may come 20-50 s into a job, or after a short run has ended. The
# job checkpoints and is requeued (or the next job of the chain starts); the final output must
# equal an uninterrupted run's, bitwise.
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

# tests/data/brunel_small.ini made long enough (~15 s of wall time, measured by a 30-s
# calibration run; at least 60 s simulated, two checkpoint intervals) that the first job is
# still running when it is signalled: the signal goes as soon as the run is under way, so the
# length only has to cover the polling (0.2 s) and SLURM's job start.
t_cal=$(date +%s%N)
"$EXE" run "$SRC/tests/data/brunel_small.ini" -o "$W/calibration.h5" -q --threads 2 \
      --set "simulation.duration=30 s" || exit 1
ms_per_s=$(( ($(date +%s%N) - t_cal) / 1000000 / 30 ))   # wall ms per simulated s
duration=$(( 15000 / (ms_per_s > 0 ? ms_per_s : 1) ))
[ "$duration" -lt 60 ] && duration=60
echo "calibration: ${ms_per_s} ms per simulated second; simulating ${duration} s"
CONFIG=$W/brunel_long.ini
sed "s/^duration = .*/duration = ${duration} s/" "$SRC/tests/data/brunel_small.ini" > "$CONFIG"
grep -q "^duration = ${duration} s" "$CONFIG" || { echo "could not set the duration in $CONFIG"; exit 1; }
echo "reference run (uninterrupted)"
"$EXE" run "$CONFIG" -o "$W/ref.h5" -q --threads 2 || exit 1
export NEUROCHEM=$EXE

# signal_when_running DIR: SIGUSR1 to the batch shell of the running job once DIR/out.h5.partial
# exists (the run is under way); fails if the run ends first or nothing runs within 300 s.
signal_when_running() {
  local d=$1 id t_end=$(( $(date +%s) + 300 ))
  while [ "$(date +%s)" -lt "$t_end" ]; do
    [ -f "$d/out.h5" ] && { echo "the run ended before it could be signalled"; return 1; }
    if [ -f "$d/out.h5.partial" ]; then
      id=$(squeue -h -t R -o %i | head -n 1)
      if [ -n "$id" ] && scancel -s USR1 -b "$id"; then
        echo "signalled job $id (USR1 to its batch shell) once its run was under way"
        return 0
      fi
    fi
    sleep 0.2
  done
  echo "no run was under way within 300 s"
  return 1
}

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
  signal_when_running "$D" || { squeue; exit 1; }
  # Wait for the job(s) to finish (a requeued one is let start at once).
  local_slurm_wait "$t0" 900 "$D/out.h5" || { echo "timeout waiting for the jobs"; squeue; exit 1; }
  echo "jobs finished after $(( $(date +%s) - t0 )) s"
  cat "$D"/*.log 2>/dev/null
  [ -f "$D/out.h5" ] || { echo "no final output"; ls -la "$D"; exit 1; }
  if [ "$mode" = requeue ]; then
    grep -q "checkpointed; requeueing" "$D/job.log" || { echo "the job was never signalled and requeued"; exit 1; }
  else
    [ "$(cat "$D"/neurochem-chain-*.log | grep -c "neurochem exit code 3")" -ge 1 ] || { echo "no chain step was signalled"; exit 1; }
    # The step that completes the run cancels the steps pending behind it (unless it was the last).
    steps=$(find "$D" -maxdepth 1 -name 'neurochem-chain-*.log' | wc -l)
    if [ "$steps" -lt 8 ]; then
      cancelled=$(grep -ho "cancelled the [0-9]* pending step" "$D"/neurochem-chain-*.log | grep -o "[0-9]*")
      [ "$((steps + ${cancelled:-0}))" -eq 8 ] ||
        { echo "$steps of 8 chain steps ran and ${cancelled:-no} pending step(s) were cancelled"; exit 1; }
      echo "$steps of 8 chain steps ran; the step that completed the run cancelled the other $cancelled"
    fi
  fi
  "$EXE" compare "$W/ref.h5" "$D/out.h5" || exit 1
done
