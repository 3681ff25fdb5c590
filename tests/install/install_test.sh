#!/usr/bin/env bash
# ctest install_prefix: `cmake --install` into a temporary prefix, then, from a clean
# environment that knows nothing of the source or build tree, through the Lmod modulefile:
# the installed binary runs a model from the installed configs, the library example
# (docs/examples/library) builds against the installed CMake package and runs on 2 MPI ranks,
# and the installed Python reader reads the outputs.
#   install_test.sh BUILD_DIR SOURCE_DIR WORK_DIR
set -euo pipefail
build=$1 src=$2 work=$3
rm -rf "$work" && mkdir -p "$work"
prefix=$work/prefix
cp -r "$src/docs/examples/library" "$work/example-src"  # the example as a user would copy it

echo "== cmake --install $build --prefix $prefix"
cmake --install "$build" --prefix "$prefix" > "$work/install.log"
for f in bin/neurochem include/neurochem/simulation.hpp include/neurochem/checkpoint.hpp \
         include/neurochem/config.hpp share/neurochem/configs/coba.ini share/neurochem/jobs \
         share/neurochem/tools/plot_main.py share/neurochem/python/neurochem_reader/__init__.py \
         share/modulefiles/neurochem share/doc/neurochem/CHANGELOG.md; do
  [ -e "$prefix/$f" ] || { echo "FAIL: $f was not installed"; exit 1; }
done
ls "$prefix"/lib*/cmake/neurochem/neurochemConfig.cmake > /dev/null
module_file=$(ls "$prefix"/share/modulefiles/neurochem/*.lua)
grep -q "local root = \"$prefix\"" "$module_file" || { echo "FAIL: $module_file does not name $prefix"; exit 1; }

# A clean environment: no PATH entries of ours, no CMAKE_PREFIX_PATH, HOME in the work dir.
env -i HOME="$work" PATH=/usr/local/bin:/usr/bin:/bin LANG=C.UTF-8 TERM=dumb \
    OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 OMPI_MCA_rmaps_base_oversubscribe=1 \
    OMPI_MCA_mpi_yield_when_idle=1 OMP_WAIT_POLICY=PASSIVE OMP_NUM_THREADS=1 \
    bash --noprofile --norc -c '
set -euo pipefail
prefix=$1 work=$2
cd "$work"
source /usr/share/lmod/lmod/init/bash
module use "$prefix/share/modulefiles"
module load neurochem
echo "== module load neurochem: $(command -v neurochem)"
[ "$(command -v neurochem)" = "$prefix/bin/neurochem" ] || { echo "FAIL: PATH does not lead to the installed binary"; exit 1; }
neurochem --version | tee version.txt
grep -q "^installed in $prefix " version.txt || { echo "FAIL: --version does not name the prefix"; exit 1; }
[ "$NEUROCHEM_CONFIGS" = "$prefix/share/neurochem/configs" ] || { echo "FAIL: NEUROCHEM_CONFIGS=$NEUROCHEM_CONFIGS"; exit 1; }

echo "== the installed binary on an installed config"
neurochem run "$NEUROCHEM_CONFIGS/coba.ini" -o coba.h5 --set simulation.duration=200ms > run.log
tail -n 3 run.log

echo "== the library example against the installed package"
cmake -S example-src -B example -DCMAKE_BUILD_TYPE=Release > example-configure.log
cmake --build example > example-build.log
mpirun -n 2 example/restart_example ckpt "$NEUROCHEM_CONFIGS/coba.ini" | tee example.log
grep -q "restart identical" example.log

echo "== the installed Python reader on both outputs"
version=$(neurochem --version | head -n 1 | cut -d" " -f 2)
/usr/bin/python3 - "$prefix" <<PY
import sys, pathlib
import neurochem_reader as nr
prefix = pathlib.Path(sys.argv[1]).resolve()
assert pathlib.Path(nr.__file__).resolve().is_relative_to(prefix), nr.__file__
with nr.open_run("coba.h5") as run:
    counts = {p: len(run.spikes(p)) for p in run.populations}
    summary = run.summary()
    print("coba.h5 spikes per population:", counts)
    assert set(counts) == {"E", "I"} and all(n > 0 for n in counts.values()), counts
    assert all(counts[p] == summary.loc[p, "spikes"] for p in counts), summary
    t = run.spikes("E")["time_ms"]
    assert t.min() > 0 and t.max() <= 200.0, (t.min(), t.max())
    assert run.provenance["neurochem_version"] == "$version", run.provenance["neurochem_version"]
ckpt = sorted(pathlib.Path("ckpt").glob("ckpt_*.h5"))
assert len(ckpt) == 1, ckpt
info = nr.checkpoint_info(ckpt[0])
print(ckpt[0].name, "format", info["format_version"], "step", info["step"], "written by", info["neurochem_version"])
assert info["step"] == 2000 and info["neurochem_version"] == "$version", info
PY
' _ "$prefix" "$work"
echo "install test passed"
