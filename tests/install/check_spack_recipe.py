#!/usr/bin/env python3
"""Checks packaging/spack/packages/neurochem/package.py against the CMake build (ctest
install_spack_recipe): its dependencies are exactly the packages CMakeLists.txt finds (mapped
to Spack names), its CMake version bound is cmake_minimum_required, and the recipe executes
against a stand-in of Spack's directive API (Spack itself is not available here).

usage: check_spack_recipe.py SOURCE_DIR
"""
import re
import sys
import types
from pathlib import Path

# CMake find_package / find_path name -> Spack package; None: not a package (the compiler's).
CMAKE_TO_SPACK = {"MPI": "mpi", "HDF5": "hdf5", "Boost": "boost", "GTest": "googletest",
                  "RANDOM123": "random123", "OpenMP": None}


def cmake_dependencies(src):
    text = "\n".join(p.read_text() for p in [src / "CMakeLists.txt", *sorted((src / "cmake").glob("*.cmake"))])
    text = re.sub(r"#[^\n]*", "", text)
    names = set(re.findall(r"find_package\(\s*(\w+)", text))
    names |= {m.split("_")[0] for m in re.findall(r"find_path\(\s*(\w+)", text)}
    names.discard("PackageHandleStandardArgs")
    unknown = names - CMAKE_TO_SPACK.keys()
    if unknown:
        sys.exit(f"check_spack_recipe: CMake finds {sorted(unknown)}, which this check cannot map to "
                 f"Spack packages: add them to CMAKE_TO_SPACK and to the recipe")
    deps = {CMAKE_TO_SPACK[n] for n in names} - {None}
    version = re.search(r"cmake_minimum_required\(\s*VERSION\s+([\d.]+)", text).group(1)
    return deps, version


def recipe_directives(path):
    """Executes the recipe with a stand-in `spack.package` that records the directives."""
    calls = {"depends_on": [], "variant": [], "conflicts": [], "version": []}

    def recorder(kind):
        def directive(*args, **kwargs):
            calls[kind].append((args, kwargs))
        return directive

    stub = types.ModuleType("spack.package")
    stub.CMakePackage = type("CMakePackage", (), {"define": staticmethod(lambda k, v: f"-D{k}={v}")})
    for kind in calls:
        setattr(stub, kind, recorder(kind))
    stub.__all__ = ["CMakePackage", *calls]
    sys.modules["spack"] = types.ModuleType("spack")
    sys.modules["spack.package"] = stub
    namespace = {}
    exec(compile(path.read_text(), str(path), "exec"), namespace)
    cls = namespace.get("Neurochem")
    if cls is None or not issubclass(cls, stub.CMakePackage):
        sys.exit(f"check_spack_recipe: {path} defines no class Neurochem(CMakePackage)")
    for attr in ("homepage", "git"):
        if not getattr(cls, attr, ""):
            sys.exit(f"check_spack_recipe: {path}: the class has no '{attr}'")
    if not cls.__doc__:
        sys.exit(f"check_spack_recipe: {path}: the class needs a docstring (spack info shows it)")
    return calls


def main():
    src = Path(sys.argv[1])
    recipe = src / "packaging/spack/packages/neurochem/package.py"
    deps, cmake_version = cmake_dependencies(src)
    calls = recipe_directives(recipe)
    spack_deps, cmake_bound = set(), None
    for args, _ in calls["depends_on"]:
        spec = args[0]
        name = re.match(r"[\w-]+", spec).group(0)
        if name == "cmake":
            cmake_bound = re.search(r"@([\d.]+):", spec)
            cmake_bound = cmake_bound.group(1) if cmake_bound else None
        else:
            spack_deps.add(name)
    ok = True
    if spack_deps != deps:
        print(f"FAIL: recipe depends on {sorted(spack_deps)}, CMake finds {sorted(deps)}: "
              f"missing {sorted(deps - spack_deps)}, extra {sorted(spack_deps - deps)}")
        ok = False
    if cmake_bound != cmake_version:
        print(f"FAIL: recipe needs cmake@{cmake_bound}:, CMakeLists.txt cmake_minimum_required {cmake_version}")
        ok = False
    hdf5 = [a[0] for a, _ in calls["depends_on"] if a[0].startswith("hdf5")]
    if not any("+mpi" in h for h in hdf5):
        print("FAIL: the recipe must ask for the parallel HDF5 (hdf5+mpi), as CMake does (HDF5_PREFER_PARALLEL)")
        ok = False
    # Version bounds CMake states (find_package(NAME VERSION ...)) appear in the recipe.
    cmake_text = (src / "CMakeLists.txt").read_text()
    for name, version in re.findall(r"find_package\(\s*(\w+)\s+([\d.]+)", cmake_text):
        spack_name = CMAKE_TO_SPACK.get(name)
        specs = [a[0] for a, _ in calls["depends_on"] if spack_name and a[0].startswith(spack_name)]
        if spack_name and not any(f"@{version}:" in sp for sp in specs):
            print(f"FAIL: CMake needs {name} >= {version}; the recipe says {specs}")
            ok = False
    variants = {a[0] for a, _ in calls["variant"]}
    if "mpi" not in variants:
        print("FAIL: the recipe has no 'mpi' variant")
        ok = False
    if ok:
        print(f"spack recipe: dependencies {sorted(spack_deps)} + cmake@{cmake_bound}: match CMakeLists.txt; "
              f"variants {sorted(variants)}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
