#!/usr/bin/env bash
# Wall time of multi-day courses (docs/performance.md, "Days and weeks"):
#   tools/bench/course_bench.sh [NEUROCHEM]
# 1. wall time per simulated day against the window W, the slow step D and the model size
#    (configs/raphe_pfc_chronic.ini for 2 days, its populations scaled by 1 and 4);
# 2. the overhead of the slow layer: a course against a plain run of the same fast time;
# 3. the output written per simulated week.
set -euo pipefail
cd "$(dirname "$0")/../.."
exe=${1:-build/bin/neurochem}
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
wall() { /usr/bin/time -f %e "$@" 2>&1 >/dev/null | tail -1; }
scale_sets() {
  local s=$1
  for p in DRN:100 VTA:100 LC:50 PFC_E:400 PFC_I:100; do
    echo "--set population.${p%%:*}.size=$(( ${p##*:} * s ))"
  done
}
echo "# machine: $(lscpu | sed -n 's/^Model name: *//p') x $(nproc), $(date -u +%Y-%m-%d)"
echo "# 1. wall seconds per simulated day (2-day course; settle = W/4)"
printf "%-6s %-8s %-8s %10s %12s\n" scale D W "s/day" "fast s/day"
for scale in 1 4; do
  for D in "1 h" "15 min"; do
    for W in 0.25 1 4; do
      S=$(/usr/bin/python3 -c "print($W/4)")
      t=$(wall "$exe" run configs/raphe_pfc_chronic.ini -q -o "$dir/c.h5" --set "simulation.duration=2 days" \
            --set "protocol.slow_step=$D" --set "protocol.window=$W s" --set "protocol.settle=$S s" $(scale_sets $scale))
      steps=$([ "$D" = "1 h" ] && echo 24 || echo 96)
      printf "%-6s %-8s %-8s %10.2f %12.1f\n" "x$scale" "$D" "$W s" "$(echo "$t / 2" | bc -l)" \
             "$(echo "$steps * ($W + $S)" | bc -l)"
    done
  done
done
echo "# 2. overhead of the slow layer: the same 300 s of fast time as a course and as a plain run"
tc=$(wall "$exe" run configs/raphe_pfc_chronic.ini -q -o "$dir/c.h5" --set "simulation.duration=10 days" \
        --set "protocol.record_every=inf h" --set "protocol.settle=0.25 s" --set "protocol.window=1 s" \
        --set "simulation.duration=240 h" --threads 1)
tp=$(wall "$exe" run configs/raphe_pfc.ini -q -o "$dir/p.h5" --set "simulation.duration=300 s" \
        --set output.spikes=false --threads 1)
echo "course (240 slow steps, 300 s fast, nothing recorded): $tc s; plain run of 300 s without spike output: $tp s"
echo "# 3. output per simulated week (daily recorded window of 1.25 s, hourly slow rows)"
"$exe" run configs/raphe_pfc_chronic.ini -q -o "$dir/w.h5" --set "simulation.duration=7 days"
echo "one week: $(du -k "$dir/w.h5" | cut -f1) kB"
