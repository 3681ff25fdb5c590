#!/usr/bin/env bash
# Instruction counts (callgrind) per neuron update and per synaptic event: repeatable on a
# noisy machine, unlike timings. Runs 1 thread, 100 ms of the given config and reports
#   update instr / neuron-step   (Simulation::Impl::update, inclusive: kernels + drive)
#   deliver instr / event        (Simulation::Impl::deliver, inclusive)
#   build instr / synapse        (Simulation::Impl::build, inclusive)
# Usage: tools/bench/callgrind.sh [NEUROCHEM] CONFIG [--set k=v ...]
# Note: valgrind 3.19 does not emulate AVX-512, so the AVX2 clones of the kernels run.
set -euo pipefail
exe=build/bin/neurochem
if [[ $# -gt 0 && -x "$1" && ! "$1" == *.ini ]]; then exe=$1; shift; fi
[[ $# -ge 1 ]] || { echo "usage: $0 [NEUROCHEM] CONFIG [--set k=v ...]" >&2; exit 2; }
config=$1; shift
command -v valgrind >/dev/null || { echo "$0: valgrind is not installed (apt-get install valgrind)" >&2; exit 2; }
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
valgrind --tool=callgrind --callgrind-out-file="$tmp/cg" "$exe" run "$config" -o "$tmp/out.h5" -q \
  --threads 1 --set simulation.duration=100ms "$@" 2> "$tmp/vg.log" || { cat "$tmp/vg.log" >&2; exit 1; }
callgrind_annotate --inclusive=yes --threshold=100 "$tmp/cg" > "$tmp/annotate.txt" 2>/dev/null
ir() { { grep -E "$1" "$tmp/annotate.txt" || echo 0; } | head -1 | awk '{gsub(",","",$1); print $1}'; }
total=$(grep -m1 "PROGRAM TOTALS" "$tmp/annotate.txt" | awk '{gsub(",","",$1); print $1}')
update=$(ir 'Simulation::Impl::update\(')
deliver=$(ir 'Simulation::Impl::deliver\(')
build=$(ir 'Simulation::Impl::build\(')
dt_ms=$("$exe" check "$config" "$@" | awk '/^\[simulation\]/ {s=1; next} /^\[/ {s=0} s && $1 == "dt" {print $3; exit}')
read -r neurons synapses events sim_ms < <(h5dump -A -g /summary "$tmp/out.h5" 2>/dev/null | awk '
  /ATTRIBUTE "synapses"/ {k="s"} /ATTRIBUTE "synaptic_events"/ {k="e"} /ATTRIBUTE "neurons"/ {k="n"}
  /ATTRIBUTE "simulated_ms"/ {k="t"}
  /\(0\):/ { v=$2; if (k=="s") s=v; else if (k=="e") e=v; else if (k=="n") n+=v; else if (k=="t") t=v; k="" }
  END { printf "%d %d %d %.17g\n", n, s, e, t }')
steps=$(awk -v t="$sim_ms" -v dt="$dt_ms" 'BEGIN { printf "%d", t / dt + 0.5 }')
awk -v t="$total" -v u="${update:-0}" -v d="${deliver:-0}" -v b="${build:-0}" -v n="$neurons" \
    -v s="$synapses" -v e="$events" -v st="$steps" -v c="$config" 'BEGIN {
  printf "config %s: %d neurons, %d synapses, %d steps, %d events\n", c, n, s, st, e
  printf "total instructions           %.4g\n", t
  printf "update  instr / neuron-step  %.1f\n", u / (n * st)
  printf "deliver instr / event        %.2f\n", (e > 0 ? d / e : 0)
  printf "build   instr / synapse      %.1f\n", (s > 0 ? b / s : 0)
}'
