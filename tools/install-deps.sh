#!/usr/bin/env bash
# Installs the Debian 12 packages neurochem needs, only those that are missing (idempotent).
# Runs apt-get as root directly, or through sudo otherwise.
#   tools/install-deps.sh            build and test dependencies
#   tools/install-deps.sh --bench    also Brian2 and h5py for tools/bench
#   tools/install-deps.sh --slurm    also SLURM and munge for the job-script tests
set -euo pipefail

packages=(build-essential cmake pkg-config git
          openmpi-bin libopenmpi-dev libhdf5-openmpi-dev hdf5-tools
          libboost-program-options-dev librandom123-dev libgtest-dev
          python3-h5py python3-pandas python3-matplotlib python3-pytest  # tests read outputs as users do
          lmod file dpkg-dev)  # install tests: the modulefile, cpack -G DEB (dependencies from the binary)
for arg in "$@"; do
  case "$arg" in
    --bench) packages+=(python3-brian python3-h5py python3-numpy python3-matplotlib) ;;
    --slurm) packages+=(slurm-wlm munge) ;;
    *) echo "install-deps.sh: unknown option $arg (allowed: --bench, --slurm)" >&2; exit 2 ;;
  esac
done

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all ${#packages[@]} packages are installed"
  exit 0
fi
as_root=()
[ "$(id -u)" -eq 0 ] || as_root=(sudo)
echo "install-deps: installing ${missing[*]}"
"${as_root[@]}" apt-get update -qq
DEBIAN_FRONTEND=noninteractive "${as_root[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
