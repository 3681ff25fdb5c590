#!/bin/bash
# Starts a private SLURM cluster of one node on localhost (munged, slurmctld, slurmd) for the
# job-script tests, without touching the system's configuration:
#   source tests/slurm/local_slurm.sh DIR     # exports SLURM_CONF; defines local_slurm_stop
#   local_slurm_wait T0 SECONDS               # waits for the queue to empty (1: timed out)
# Needs root (slurmd runs jobs as their user) and Debian's slurm-wlm and munge. Returns 77
# ("skip") if they are missing or the daemons do not come up.
local_slurm_start() {
  local dir=$1
  for c in munged slurmctld slurmd sbatch scontrol sinfo; do
    command -v "$c" > /dev/null || { echo "local_slurm: $c not found (tools/install-deps.sh --slurm)"; return 77; }
  done
  [ "$(id -u)" -eq 0 ] || { echo "local_slurm: needs root"; return 77; }
  mkdir -p "$dir"/{state,spool,log,munge}
  chmod 700 "$dir/munge"
  dd if=/dev/urandom of="$dir/munge/munge.key" bs=1 count=1024 status=none
  chmod 400 "$dir/munge/munge.key"
  munged --force --key-file="$dir/munge/munge.key" --socket="$dir/munge/munge.socket" \
         --pid-file="$dir/munge/munged.pid" --log-file="$dir/log/munged.log" \
         --seed-file="$dir/munge/munge.seed" || { echo "local_slurm: munged did not start"; return 77; }
  local port=$((20000 + RANDOM % 20000))
  local cpus; cpus=$(nproc)
  local mem; mem=$(( $(awk '/MemTotal/ {print $2}' /proc/meminfo) / 1024 / 2 ))
  cat > "$dir/slurm.conf" <<CONF
ClusterName=neurochemtest
SlurmctldHost=$(hostname -s)(127.0.0.1)
SlurmctldPort=$port
SlurmdPort=$((port + 1))
AuthType=auth/munge
AuthInfo=socket=$dir/munge/munge.socket
CredType=cred/munge
SlurmUser=root
SlurmdUser=root
StateSaveLocation=$dir/state
SlurmdSpoolDir=$dir/spool
SlurmctldPidFile=$dir/slurmctld.pid
SlurmdPidFile=$dir/slurmd.pid
SlurmctldLogFile=$dir/log/slurmctld.log
SlurmdLogFile=$dir/log/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
MpiDefault=none
SchedulerType=sched/builtin
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
ReturnToService=2
JobRequeue=1
KillWait=10
MinJobAge=600
NodeName=$(hostname -s) NodeAddr=127.0.0.1 CPUs=$cpus RealMemory=$mem State=UNKNOWN
PartitionName=test Nodes=ALL Default=YES MaxTime=INFINITE State=UP
CONF
  export SLURM_CONF=$dir/slurm.conf
  slurmctld -f "$SLURM_CONF" || { echo "local_slurm: slurmctld did not start"; cat "$dir/log/slurmctld.log"; return 77; }
  slurmd -f "$SLURM_CONF" || { echo "local_slurm: slurmd did not start"; cat "$dir/log/slurmd.log"; return 77; }
  local i
  for i in $(seq 1 60); do
    if sinfo -h -o %t 2>/dev/null | grep -q idle; then return 0; fi
    sleep 0.5
  done
  echo "local_slurm: the node did not become idle"; sinfo; tail "$dir/log/slurmd.log" "$dir/log/slurmctld.log"
  return 77
}

local_slurm_stop() {
  local dir=$1
  for f in slurmd slurmctld munge/munged; do
    [ -f "$dir/$f.pid" ] && kill "$(cat "$dir/$f.pid")" 2>/dev/null
  done
  sleep 0.5
}

# Waits until no job is left, at most SECONDS after T0 (epoch seconds); returns 1 on timeout.
# A requeued job waits about 2 minutes before it may start again (SLURM's fixed delay): it is
# let start at once. A requeued job can also drop out of squeue's default listing for a moment
# between its cancellation and its return to the queue, and squeue prints nothing when the
# controller does not answer (busy machine), so the queue counts as empty only when squeue
# succeeds and lists nothing over 6 s; with DONE_FILE (the run's final output) it must also stay
# empty for 30 s while that file is missing (a job requeued a second time was once taken for
# the end of the run).
local_slurm_wait() {
  local t0=$1 limit=$2 done_file=${3:-} quiet=0 out id
  while :; do
    if out=$(squeue -h -o %i 2>/dev/null); then
      if [ -z "$out" ]; then
        quiet=$((quiet + 1))
        if [ -z "$done_file" ] || [ -e "$done_file" ]; then
          [ "$quiet" -ge 3 ] && return 0
        else
          [ "$quiet" -ge 15 ] && return 0
        fi
      else
        quiet=0
        for id in $(squeue -h -t PD -o "%i %r" 2>/dev/null | awk '$2 == "BeginTime" {print $1}'); do
          scontrol update JobId="$id" StartTime=now
        done
      fi
    else
      quiet=0
    fi
    [ $(( $(date +%s) - t0 )) -gt "$limit" ] && return 1
    sleep 2
  done
}
