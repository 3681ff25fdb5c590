# Spack package recipe for neurochem (docs/install.md, "Spack").
# Written against Spack's documented package API (CMakePackage, depends_on, variant, conflicts);
# it has NOT been built by Spack yet (Spack cannot be fetched on the development machines).
# tests/install/check_spack_recipe.py checks that its dependencies are exactly the ones
# CMakeLists.txt finds.
#
# Use:  spack repo add packaging/spack   (the directory holding repo.yaml)
#       spack install neurochem@main
from spack.package import *


class Neurochem(CMakePackage):
    """Multi-scale spiking network and neurochemistry simulator for HPC: a limbic circuit
    partitioned over MPI ranks, synaptic chemistry in OpenMP kernels, drugs, slow plasticity
    over days to weeks, HDF5 checkpoints, bitwise reproducible on any number of ranks and
    threads."""

    homepage = "https://github.com/neurochem/neurochem"
    git = "https://github.com/neurochem/neurochem.git"

    version("main", branch="main")

    # MPI is part of the engine (a serial run is one rank): the variant exists so that a spec
    # can say +mpi explicitly; ~mpi is not supported.
    variant("mpi", default=True, description="Distribute populations over MPI ranks (required)")
    conflicts("~mpi", msg="neurochem needs MPI; run on one rank for a serial run")
    # Weight precision (double or float per synapse) is a run-time config key,
    # [simulation] weight_precision, not a build option: the same config then gives the same
    # results on every installation. So there is no precision variant.

    depends_on("cmake@3.22:", type="build")
    depends_on("mpi")
    depends_on("hdf5+mpi")  # parallel HDF5: checkpoints and outputs are written collectively
    depends_on("boost@1.74:+program_options")
    depends_on("random123")  # header-only counter-based random numbers
    depends_on("googletest", type="test")
    # OpenMP comes with the compiler (no package); C++20: GCC 12 or newer is tested.
    conflicts("%gcc@:11", msg="neurochem needs C++20 as GCC 12 provides it")

    def cmake_args(self):
        return [
            self.define("NEUROCHEM_TESTS", self.run_tests),
            self.define("HDF5_PREFER_PARALLEL", True),
        ]

    def setup_run_environment(self, env):
        env.set("NEUROCHEM_ROOT", self.prefix)
        env.set("NEUROCHEM_CONFIGS", self.prefix.share.neurochem.configs)
        env.prepend_path("PYTHONPATH", self.prefix.share.neurochem.python)
