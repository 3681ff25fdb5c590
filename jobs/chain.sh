#!/bin/bash
# A long run as a chain of N dependent jobs (for clusters that do not allow --requeue): job 1
# starts the run, each later job resumes from the newest checkpoint once the previous one has
# ended for any reason (afterany). Each job stops on SIGUSR1 before its limit, as in
# long_run.sbatch; a job that finds the run complete exits at once.
#   jobs/chain.sh N CONFIG OUT.h5 [run options...]      (sbatch options via SBATCH_* variables)
set -euo pipefail
N=${1:?usage: jobs/chain.sh N CONFIG OUT.h5 [run options...]}
shift
HERE=$(cd "$(dirname "$0")" && pwd)
dep=()
for i in $(seq 1 "$N"); do
  id=$(sbatch --parsable --no-requeue "${dep[@]}" --export=ALL,CHAIN_STEP="$i" \
       "$HERE/chain_step.sbatch" "$@")
  echo "submitted step $i of $N as job $id"
  dep=(--dependency=afterany:"$id")
done
