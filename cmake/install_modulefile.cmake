# Install-time script (cmake/NeurochemInstall.cmake): writes the Lmod modulefile
# PREFIX/share/modulefiles/neurochem/VERSION.lua for the prefix being installed into.
set(PREFIX "${CMAKE_INSTALL_PREFIX}")
set(module_dir "$ENV{DESTDIR}${CMAKE_INSTALL_PREFIX}/${NEUROCHEM_DATADIR}/modulefiles/neurochem")
configure_file("${NEUROCHEM_MODULE_TEMPLATE}" "${module_dir}/${NEUROCHEM_VERSION}.lua" @ONLY)
message(STATUS "Installing: ${module_dir}/${NEUROCHEM_VERSION}.lua")
