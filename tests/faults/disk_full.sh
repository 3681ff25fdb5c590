#!/usr/bin/env bash
# ctest fault_disk_full (issue 15): output and checkpoints on a full file system (a 3 MB
# tmpfs). A run whose output does not fit must fail with exit code 1 and a message naming the
# file and the free space, leave no .partial behind, and leave the previous output byte for byte
# as it was (it used to segfault after renaming the truncated file over it). A checkpoint that
# does not fit must fail the same way and leave the older checkpoint usable.
# Needs root to mount the tmpfs; exit code 77 (skipped) where that is not possible.
# With MPIEXEC, also a 2-rank run (parallel HDF5) on the full file system.
#   disk_full.sh NEUROCHEM SOURCE_DIR WORK_DIR [MPIEXEC]
set -u
EXE=$1 SRC=$2 W=$3 MPIEXEC=${4:-}
rm -rf "$W" && mkdir -p "$W/small" || exit 1
mount -t tmpfs -o size=3m tmpfs "$W/small" 2> /dev/null || { echo "cannot mount a tmpfs here (not root?): skipped"; exit 77; }
trap 'umount "$W/small"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
# run_failing LOG ARGS...: `neurochem ARGS` must fail with exit code 1; its log (without the
# progress lines) is shown.
run_failing() {
  local log=$1 code
  shift
  "$EXE" "$@" > "$log" 2>&1
  code=$?
  grep -v "^progress" "$log"
  [ "$code" -eq 1 ] || fail "exit code $code, expected 1: neurochem $*"
}
CFG=$SRC/configs/coba.ini

echo "== a previous output that fits"
"$EXE" run "$CFG" -o "$W/small/out.h5" -q --threads 1 --set simulation.duration=5ms || fail "the small run failed"
cp "$W/small/out.h5" "$W/previous.h5"

echo "== a run whose output does not fit"
run_failing "$W/full.log" run "$CFG" -o "$W/small/out.h5" -q --threads 1 --set simulation.duration=3000ms
grep -q "writing $W/small/out.h5: " "$W/full.log" || fail "the message does not name the output"
grep -q "MB free in $W/small" "$W/full.log" || fail "the message does not give the free space"
[ ! -e "$W/small/out.h5.partial" ] || fail "the unfinished .partial file was left behind"
cmp -s "$W/previous.h5" "$W/small/out.h5" || fail "the previous output was changed"

echo "== a run whose output cannot fit even at 1 Hz is warned about before it starts"
# 4000 recorded neurons x 60 s x 16 B = 3.84 MB of spikes per Hz on a 3 MB file system.
run_failing "$W/pre.log" run "$CFG" -o "$W/small/out.h5" --threads 1 --set simulation.duration=60s
grep -q "^output: ~.* + 3.84 MB per Hz of mean rate" "$W/pre.log" || fail "no output estimate in the header"
grep -q "^warning: $W/small/out.h5 will need about .* at only 1 Hz .* MB free" "$W/pre.log" \
  || fail "no warning before the run that the output cannot fit"
cmp -s "$W/previous.h5" "$W/small/out.h5" || fail "the previous output was changed"

echo "== a long run is warned about before the disk fills"
# Spikes are written in blocks of 2^20: a 40 MB file system holds two of the ~6 of a 120-s run.
rm -f "$W/small/out.h5"
mount -o remount,size=40m "$W/small" || fail "cannot grow the tmpfs"
run_failing "$W/long.log" run "$CFG" -o "$W/small/long.h5" --threads 1 --set simulation.duration=120000ms
grep -q "warning: $W/small/long.h5.partial has grown .* on track for .* MB free" "$W/long.log" \
  || fail "no early warning that the output will not fit"
warn_line=$(grep -n "^warning: " "$W/long.log" | head -n 1 | cut -d: -f1)
error_line=$(grep -n "^neurochem: error: " "$W/long.log" | head -n 1 | cut -d: -f1)
[ "$warn_line" -lt "$error_line" ] || fail "the warning did not come before the failure"
rm -f "$W"/small/*
mount -o remount,size=3m "$W/small" || fail "cannot shrink the tmpfs"

echo "== a checkpoint that does not fit"
rm -f "$W/small/out.h5"
run_failing "$W/ck.log" run "$CFG" -o "$W/ck.h5" -q --threads 1 --set simulation.duration=200ms \
      --checkpoint-every 10ms --checkpoint-dir "$W/small/ck" --keep 1000
grep -q "no space left\|MB free" "$W/ck.log" || fail "the message does not say the disk is full"
ls "$W"/small/ck/.ckpt_* > /dev/null 2>&1 && fail "a temporary checkpoint file was left behind"
newest=$(ls "$W"/small/ck/ckpt_*.h5 | sort | tail -n 1)
[ -n "$newest" ] || fail "no checkpoint was written before the disk filled"
"$EXE" resume "$newest" -o "$W/resumed.h5" -q --threads 1 --checkpoint-dir "$W/ck2" \
  || fail "the newest complete checkpoint $newest does not resume"
echo "== the output fills up in a run with checkpoints: the partial is kept and resumes"
rm -rf "$W"/small/*
run_failing "$W/out2.log" run "$CFG" -o "$W/small/out2.h5" -q --threads 1 --set simulation.duration=3000ms \
      --checkpoint-every 100ms --checkpoint-dir "$W/ck3" --keep 100
grep -q "out2.h5.partial is kept" "$W/out2.log" || fail "the message does not say the partial is kept"
[ -e "$W/small/out2.h5.partial" ] || fail "the partial of a run with checkpoints was removed"
mount -o remount,size=20m "$W/small" || fail "cannot grow the tmpfs"
"$EXE" resume "$W/ck3" -q --threads 1 || fail "the run does not resume once there is room"
"$EXE" run "$CFG" -o "$W/reference.h5" -q --threads 1 --set simulation.duration=3000ms || fail "reference run"
"$EXE" compare "$W/reference.h5" "$W/small/out2.h5" || fail "the resumed output differs from an uninterrupted run"
echo "== collect's HDF5 table on a nearly full disk"
# A one-point sweep; its table fits once, then the disk is filled up to a few kB, which HDF5's
# create still finds but its close (which writes the cached data) does not: exit code 1, the
# message, the old table byte for byte, no temporary left (it used to exit 0 with a corrupt table).
rm -rf "$W"/small/*
mount -o remount,size=3m "$W/small" || fail "cannot shrink the tmpfs"
printf '[sweep]\nconfig = %s\nseed = 1\n[set]\nsimulation.duration = 5 ms\n' "$CFG" > "$W/one.ini"
"$EXE" sweep "$W/one.ini" --dir "$W/one.sweep" --local -j 1 -q > "$W/one.log" 2>&1 || { cat "$W/one.log"; fail "the one-point sweep failed"; }
"$EXE" collect "$W/one.sweep" -q -o "$W/small/t.h5" || fail "collect of a table that fits"
cp "$W/small/t.h5" "$W/t_previous.h5"
free_kb=$(df -k --output=avail "$W/small" | tail -n 1 | tr -d ' ')
dd if=/dev/zero of="$W/small/fill" bs=1k count=$((free_kb - 8)) 2> /dev/null
run_failing "$W/collect.log" collect "$W/one.sweep" -q -o "$W/small/t.h5"
grep -q "closing $W/small/t.h5.tmp.* (is the disk full?)" "$W/collect.log" || fail "the message does not say the disk is full"
ls "$W"/small/t.h5.tmp.* > /dev/null 2>&1 && fail "collect left its temporary behind"
cmp -s "$W/t_previous.h5" "$W/small/t.h5" || fail "collect changed the previous table"
rm -f "$W"/small/*

if [ -n "$MPIEXEC" ]; then
  echo "== a 2-rank run whose output does not fit (parallel HDF5)"
  rm -rf "$W"/small/*
  mount -o remount,size=3m "$W/small" || fail "cannot shrink the tmpfs"
  "$EXE" run "$CFG" -o "$W/small/out.h5" -q --threads 1 --set simulation.duration=5ms || fail "the small run failed"
  cp "$W/small/out.h5" "$W/previous2.h5"
  # A hang guard, not a speed limit: generous, because an MPI_ABORT on a loaded machine can take
  # minutes to tear the job down.
  timeout 600 "$MPIEXEC" -n 2 --oversubscribe "$EXE" run "$CFG" -o "$W/small/out.h5" -q --threads 1 \
    --set simulation.duration=3000ms > "$W/mpi.log" 2>&1
  code=$?
  grep -v "^progress" "$W/mpi.log"
  [ "$code" -eq 124 ] && fail "the 2-rank run hung on the full disk"
  [ "$code" -eq 1 ] || fail "exit code $code of the 2-rank run, expected 1"
  grep -q "error on rank [01] of 2: writing $W/small/out.h5: .*MB free in $W/small" "$W/mpi.log" \
    || fail "the 2-rank message does not name the output and the free space"
  [ ! -e "$W/small/out.h5.partial" ] || fail "the 2-rank run left its .partial behind"
  cmp -s "$W/previous2.h5" "$W/small/out.h5" || fail "the 2-rank run changed the previous output"
fi
echo "disk-full test passed"
