#!/bin/bash
# Checkpoint size, write and read throughput, and time to resume.
#   tools/bench/checkpoint_bench.sh [NEURONS] [WORK_DIR]   (default 40 million neurons)
# A population of NEURONS LIF-COBA neurons with Poisson drive and no synapses (checkpoints hold
# no synapses: they are rebuilt from the seed) is run for 2 ms with a checkpoint at 1 ms; then
# resumed from it. Prints the file size, bytes per neuron, write and read rates.
set -euo pipefail
N=${1:-40000000}
W=${2:-/tmp/neurochem_ckpt_bench}
EXE=${NEUROCHEM:-$(cd "$(dirname "$0")/../.." && pwd)/build/bin/neurochem}
rm -rf "$W"; mkdir -p "$W"
cat > "$W/big.ini" <<CONF
[simulation]
duration = 2 ms
[output]
spikes = false
[population.N]
model = lif_coba
size = $N
V_init = uniform(-70 mV, -55 mV)
[poisson.bg]
target = N
receptor = exc
rate = 1 kHz
weight = 5 nS
CONF
echo "machine: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2) $(nproc) cores; disk: $(df -h "$W" | tail -1 | awk '{print $1, $2}')"
/usr/bin/time -f "run: %e s wall, peak %M KB" "$EXE" run "$W/big.ini" -o "$W/big.h5" --checkpoint-every 1ms --keep 1 2>&1 \
  | grep -E "checkpoint:|built|run:"
ck=$(ls "$W"/big.checkpoints/ckpt_*.h5 | head -1)  # the one at 2 ms (--keep 1)
bytes=$(stat -c %s "$ck")
echo "checkpoint $ck: $bytes bytes = $(( bytes / N )) bytes per neuron"
sync; echo 3 > /proc/sys/vm/drop_caches 2>/dev/null || true
start=$(date +%s.%N)
/usr/bin/time -f "resume: %e s wall, peak %M KB" "$EXE" resume "$ck" -o "$W/resumed.h5" --keep 1 --checkpoint-dir "$W/r.ck" 2>&1 | grep -E "resume:|verified|built|resumed"
end=$(date +%s.%N)
echo "resume (verify + build + load + 1 ms + output): $(echo "$end - $start" | bc) s"
