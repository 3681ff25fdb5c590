# neurochem_add_test(NAME SOURCES src... LABELS label... [RANKS n] [TIMEOUT seconds]
#                    [THREADS n] [LIBS lib...])
# One GoogleTest executable registered as one CTest test. With RANKS the test runs under
# ${MPIEXEC_EXECUTABLE} -n RANKS (oversubscription allowed) and gets the label "mpi".
# Labels: unit, integration, mpi, validation (ctest -L unit runs a subset).
function(neurochem_add_test name)
  cmake_parse_arguments(T "" "RANKS;TIMEOUT;THREADS" "SOURCES;LABELS;LIBS" ${ARGN})
  add_executable(${name} ${T_SOURCES})
  target_link_libraries(${name} PRIVATE ${T_LIBS} GTest::gtest GTest::gtest_main)
  target_include_directories(${name} PRIVATE ${PROJECT_SOURCE_DIR}/src ${PROJECT_SOURCE_DIR}/tests)
  target_include_directories(${name} SYSTEM PRIVATE ${RANDOM123_INCLUDE_DIR})
  target_compile_definitions(${name} PRIVATE
    NEUROCHEM_EXE="$<TARGET_FILE:neurochem>"
    NEUROCHEM_SOURCE_DIR="${PROJECT_SOURCE_DIR}")
  set_target_properties(${name} PROPERTIES RUNTIME_OUTPUT_DIRECTORY ${PROJECT_BINARY_DIR}/tests)
  if(NOT T_TIMEOUT)
    set(T_TIMEOUT 300)
  endif()
  if(T_RANKS)
    set(cmd ${MPIEXEC_EXECUTABLE} ${MPIEXEC_NUMPROC_FLAG} ${T_RANKS} --oversubscribe
             ${MPIEXEC_PREFLAGS} $<TARGET_FILE:${name}> ${MPIEXEC_POSTFLAGS})
    list(APPEND T_LABELS mpi)
  else()
    set(cmd $<TARGET_FILE:${name}>)
  endif()
  add_test(NAME ${name} COMMAND ${cmd})
  set(env "OMPI_ALLOW_RUN_AS_ROOT=1;OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1;OMPI_MCA_rmaps_base_oversubscribe=1")
  if(T_THREADS)
    list(APPEND env "OMP_NUM_THREADS=${T_THREADS}")
  endif()
  if(NEUROCHEM_SANITIZE)
    # Open MPI and HDF5 keep global allocations until exit; leaks are checked in serial tests.
    list(APPEND env "ASAN_OPTIONS=detect_leaks=0")
  endif()
  set(procs 1)
  if(T_RANKS)
    set(procs ${T_RANKS})
  endif()
  set_tests_properties(${name} PROPERTIES LABELS "${T_LABELS}" TIMEOUT ${T_TIMEOUT}
                       ENVIRONMENT "${env}" PROCESSORS ${procs})
endfunction()
