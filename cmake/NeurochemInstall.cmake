# `cmake --install build --prefix P` (GNUInstallDirs layout, docs/install.md):
#   P/bin/neurochem                      the command-line tool
#   P/include/neurochem/*.hpp            the public headers
#   P/lib/libneurochem_*.a               the libraries the tool is built from
#   P/lib/cmake/neurochem/               the CMake package: find_package(neurochem CONFIG)
#   P/share/neurochem/{configs,jobs,tools,python}   data files, plot tools, the Python reader
#   P/share/modulefiles/neurochem/V.lua  an Lmod modulefile for the prefix
#   P/share/doc/neurochem/               README, CHANGELOG and docs/
# `cpack -G DEB` (in the build directory) packs the same tree as a Debian package.
include(CMakePackageConfigHelpers)

set(NEUROCHEM_EXPORTED_LIBRARIES neurochem_core neurochem_chem neurochem_plasticity neurochem_probe
    neurochem_engine neurochem_slow neurochem_config neurochem_io neurochem_library)
set(NEUROCHEM_CMAKE_DIR ${CMAKE_INSTALL_LIBDIR}/cmake/neurochem)
set(NEUROCHEM_DATA_DIR ${CMAKE_INSTALL_DATADIR}/neurochem)

install(TARGETS neurochem RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
install(TARGETS ${NEUROCHEM_EXPORTED_LIBRARIES} EXPORT neurochemTargets
        ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
        INCLUDES DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(DIRECTORY include/neurochem DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(EXPORT neurochemTargets NAMESPACE neurochem:: DESTINATION ${NEUROCHEM_CMAKE_DIR})
configure_package_config_file(cmake/neurochemConfig.cmake.in
  ${PROJECT_BINARY_DIR}/neurochemConfig.cmake INSTALL_DESTINATION ${NEUROCHEM_CMAKE_DIR})
# 0.x: a minor version may change the API (semantic versioning), so only the same minor matches.
write_basic_package_version_file(${PROJECT_BINARY_DIR}/neurochemConfigVersion.cmake
  COMPATIBILITY SameMinorVersion)
install(FILES ${PROJECT_BINARY_DIR}/neurochemConfig.cmake ${PROJECT_BINARY_DIR}/neurochemConfigVersion.cmake
        DESTINATION ${NEUROCHEM_CMAKE_DIR})

install(DIRECTORY configs jobs DESTINATION ${NEUROCHEM_DATA_DIR})
install(DIRECTORY tools/ DESTINATION ${NEUROCHEM_DATA_DIR}/tools USE_SOURCE_PERMISSIONS
        PATTERN __pycache__ EXCLUDE PATTERN "*.pyc" EXCLUDE)
install(DIRECTORY python/ DESTINATION ${NEUROCHEM_DATA_DIR}/python
        PATTERN __pycache__ EXCLUDE PATTERN "*.pyc" EXCLUDE PATTERN tests EXCLUDE)  # tests need the build tree
install(DIRECTORY docs/ DESTINATION ${CMAKE_INSTALL_DOCDIR})
install(FILES README.md CHANGELOG.md DESTINATION ${CMAKE_INSTALL_DOCDIR})

# The modulefile names the prefix the tree is installed into (--prefix, DESTDIR-aware).
install(CODE "set(NEUROCHEM_VERSION \"${PROJECT_VERSION}\")
set(NEUROCHEM_MODULE_TEMPLATE \"${PROJECT_SOURCE_DIR}/cmake/neurochem.lua.in\")
set(NEUROCHEM_DATA_DIR \"${NEUROCHEM_DATA_DIR}\")
set(NEUROCHEM_BINDIR \"${CMAKE_INSTALL_BINDIR}\")
set(NEUROCHEM_DATADIR \"${CMAKE_INSTALL_DATADIR}\")
set(NEUROCHEM_DOCDIR \"${CMAKE_INSTALL_DOCDIR}\")")
install(SCRIPT cmake/install_modulefile.cmake)

# --- Debian package (cpack -G DEB) --------------------------------------------------------
set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME neurochem)
set(CPACK_PACKAGE_VENDOR "neurochem developers")
set(CPACK_PACKAGE_CONTACT "neurochem developers <neurochem@invalid>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "${PROJECT_DESCRIPTION}")
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION science)
# Run-time libraries from the binary's own links (dpkg-shlibdeps), plus what the tools need.
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_DEPENDS "openmpi-bin")
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "python3-h5py, python3-numpy, python3-pandas, python3-matplotlib")
set(CPACK_DEBIAN_PACKAGE_SUGGESTS "lmod, slurm-client, libhdf5-openmpi-dev, libboost-program-options-dev")
include(CPack)
