# Generates build_info.cpp at build time so the git revision in --version and in /provenance is
# the one the binary was built from (not the one CMake was configured at).
set(NEUROCHEM_BUILD_INFO_CPP ${CMAKE_CURRENT_BINARY_DIR}/generated/build_info.cpp)
add_custom_target(neurochem_build_info
  COMMAND ${CMAKE_COMMAND}
          -DSOURCE_DIR=${CMAKE_CURRENT_SOURCE_DIR}
          -DOUTPUT=${NEUROCHEM_BUILD_INFO_CPP}
          -DVERSION=${PROJECT_VERSION}
          -DBUILD_TYPE=${CMAKE_BUILD_TYPE}
          -DCOMPILER=${CMAKE_CXX_COMPILER_ID}-${CMAKE_CXX_COMPILER_VERSION}
          "-DFLAGS=${CMAKE_CXX_FLAGS} ${CMAKE_CXX_FLAGS_${CMAKE_BUILD_TYPE}} -ffp-contract=off -fno-trapping-math$<$<BOOL:${NEUROCHEM_NATIVE}>: -march=native>$<$<BOOL:${NEUROCHEM_SANITIZE}>: -fsanitize=address,undefined>"
          -P ${CMAKE_CURRENT_SOURCE_DIR}/cmake/write_build_info.cmake
  BYPRODUCTS ${NEUROCHEM_BUILD_INFO_CPP}
  COMMENT "Recording version and git revision")
