#!/bin/bash
# Under mpirun, SIGUSR1 to the launcher reaches every rank; all ranks stop after the same
# epoch, write one checkpoint and exit with code 3; resuming on another number of ranks gives
# the uninterrupted result bitwise.
#   signal_test.sh NEUROCHEM MPIEXEC SOURCE_DIR WORK_DIR
set -u
EXE=$1 MPIEXEC=$2 SRC=$3 W=$4
rm -rf "$W"; mkdir -p "$W"
CONFIG=$SRC/tests/data/brunel_small.ini
SET=(--set "simulation.duration=20 s")
"$EXE" run "$CONFIG" -q -o "$W/ref.h5" --threads 1 "${SET[@]}" || exit 1
"$MPIEXEC" -n 3 --oversubscribe "$EXE" run "$CONFIG" -q -o "$W/out.h5" --threads 1 "${SET[@]}" &
pid=$!
for _ in $(seq 1 300); do [ -f "$W/out.h5.partial" ] && break; sleep 0.1; done
sleep 1
kill -USR1 $pid
wait $pid
rc=$?
[ $rc -eq 3 ] || { echo "expected exit code 3 after SIGUSR1, got $rc"; exit 1; }
n=$(ls "$W"/out.checkpoints/ckpt_*.h5 2>/dev/null | wc -l)
[ "$n" -eq 1 ] || { echo "expected one checkpoint, found $n"; exit 1; }
"$MPIEXEC" -n 2 --oversubscribe "$EXE" resume "$W/out.checkpoints" -q --threads 2 || exit 1
"$EXE" compare "$W/ref.h5" "$W/out.h5"
[ $? -eq 0 ] || exit 1
# Ctrl-C (SIGINT) stops a serial run like SIGTERM: a checkpoint, exit code 3, a bitwise resume.
# (set -m: the run gets its own process group, so the shell does not ignore SIGINT for it.)
set -m
"$EXE" run "$CONFIG" -q -o "$W/int.h5" --threads 2 "${SET[@]}" &
pid=$!
set +m
for _ in $(seq 1 300); do [ -f "$W/int.h5.partial" ] && break; sleep 0.1; done
sleep 1
kill -INT $pid
wait $pid
rc=$?
[ $rc -eq 3 ] || { echo "expected exit code 3 after SIGINT, got $rc"; exit 1; }
n=$(ls "$W"/int.checkpoints/ckpt_*.h5 2>/dev/null | wc -l)
[ "$n" -eq 1 ] || { echo "expected one checkpoint after SIGINT, found $n"; exit 1; }
"$EXE" resume "$W/int.checkpoints" -q --threads 1 || exit 1
"$EXE" compare "$W/ref.h5" "$W/int.h5"
