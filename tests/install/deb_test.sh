#!/usr/bin/env bash
# ctest install_deb: `cpack -G DEB` packs the install tree as a Debian package; it is extracted
# with `dpkg-deb -x` (not installed: the machine's /usr stays untouched) and the binary runs
# from there, finding its configs beside itself.
#   deb_test.sh BUILD_DIR WORK_DIR
set -euo pipefail
build=$1 work=$2
rm -rf "$work" && mkdir -p "$work"
echo "== cpack -G DEB"
(cd "$work" && cpack -G DEB --config "$build/CPackConfig.cmake" -B "$work/pkg" > cpack.log) \
  || { cat "$work/cpack.log"; exit 1; }
deb=$(ls "$work"/pkg/neurochem_*.deb)
dpkg-deb --info "$deb" | tee "$work/info.txt" | sed -n '/Package:/,$p'
grep -q "^ Package: neurochem$" "$work/info.txt"
grep -Eq "^ Depends:.*libhdf5-openmpi" "$work/info.txt" || { echo "FAIL: no HDF5 (Open MPI) in Depends"; exit 1; }
grep -Eq "^ Depends:.*libboost-program-options" "$work/info.txt" || { echo "FAIL: no Boost in Depends"; exit 1; }

echo "== dpkg-deb -x and run"
dpkg-deb -x "$deb" "$work/root"
root=$work/root/usr
for f in bin/neurochem include/neurochem/simulation.hpp share/neurochem/configs/coba.ini \
         share/modulefiles/neurochem share/doc/neurochem/README.md; do
  [ -e "$root/$f" ] || { echo "FAIL: the package has no /usr/$f"; exit 1; }
done
grep -q 'local root = "/usr"' "$root"/share/modulefiles/neurochem/*.lua
"$root/bin/neurochem" --version | tee "$work/version.txt"
grep -q "^installed in $root " "$work/version.txt" || { echo "FAIL: the extracted binary does not see its prefix"; exit 1; }
cd "$work"
"$root/bin/neurochem" run "$root/share/neurochem/configs/coba.ini" -o coba.h5 \
  --set simulation.duration=100ms --set population.E.size=800 --set population.I.size=200 | tail -n 2
[ -s coba.h5 ] || { echo "FAIL: no output"; exit 1; }
echo "deb test passed"
