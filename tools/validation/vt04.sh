#!/bin/bash
# VT-04: SERT (and NET) occupancy at the minimum therapeutic dose at steady state (day 28,
# trough before the morning dose and mean over the day), from the drug files in configs/drugs/.
#   tools/validation/vt04.sh [NEUROCHEM]
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
EXE=${1:-$ROOT/build/bin/neurochem}
W=$(mktemp -d)
trap 'rm -rf "$W"' EXIT
printf "%-14s %8s %10s %10s %10s\n" drug "mg/day" "SERT %" "NET %" "target"
for entry in citalopram:20:77 escitalopram:10:81.5 sertraline:50:76-85 fluoxetine:20:76-85 \
             paroxetine:20:83 venlafaxine:75:76-85 duloxetine:60:-; do
  IFS=: read -r drug dose target <<< "$entry"
  cat > "$W/$drug.ini" <<CONF
[include]
files = $ROOT/configs/drugs/$drug.ini
[population.X]
model = lif_coba
size = 1
[regimen.r]
drug = $drug
dose = $dose mg
CONF
  row=$("$EXE" pk "$W/$drug.ini" --days 28 --every 24 | awk '$1 == "28.00"')
  sert=$(echo "$row" | awk '{print $(NF-2)}')
  net=$(echo "$row" | awk '{print $(NF-1)}')
  printf "%-14s %8s %10s %10s %10s\n" "$drug" "$dose" "$sert" "$net" "$target"
done
