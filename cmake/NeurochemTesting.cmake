set(NEUROCHEM_MPIEXEC_FLAGS --oversubscribe ${MPIEXEC_PREFLAGS} CACHE STRING
    "Flags for mpiexec in tests (Open MPI: --oversubscribe allows more ranks than cores)")

# neurochem_add_test(NAME SOURCES src... LABELS label... [RANKS n...] [TIMEOUT seconds]
#                    [THREADS n] [LIBS lib...] [SPLIT filter...] [COST seconds])
# One GoogleTest executable registered as CTest test(s). With RANKS the executable uses the
# MPI test main (rank 0 prints, the worst exit code of all ranks is returned) and is
# registered once per rank count as NAME_Nranks, run under ${MPIEXEC_EXECUTABLE} -n N
# (oversubscription allowed), with the label "mpi". With SPLIT (serial tests) it is registered
# once per GoogleTest filter as NAME_1, NAME_2, ... so that the parts of a long executable run
# in parallel; COST (about its seconds) lets CTest start long tests first on a fresh build tree,
# which has no timing history yet.
# Labels: unit, integration, mpi, validation (ctest -L unit runs a subset).
function(neurochem_add_test name)
  cmake_parse_arguments(T "" "TIMEOUT;THREADS;COST" "SOURCES;LABELS;LIBS;RANKS;SPLIT" ${ARGN})
  if(NOT T_COST)
    set(T_COST 0)
  endif()
  if(T_RANKS)
    add_executable(${name} ${T_SOURCES} ${PROJECT_SOURCE_DIR}/tests/mpi/mpi_test_main.cpp)
    target_link_libraries(${name} PRIVATE ${T_LIBS} GTest::gtest MPI::MPI_C)
  else()
    add_executable(${name} ${T_SOURCES})
    target_link_libraries(${name} PRIVATE ${T_LIBS} GTest::gtest GTest::gtest_main)
  endif()
  target_include_directories(${name} PRIVATE ${PROJECT_SOURCE_DIR}/src ${PROJECT_SOURCE_DIR}/tests)
  target_include_directories(${name} SYSTEM PRIVATE ${RANDOM123_INCLUDE_DIR})
  target_compile_definitions(${name} PRIVATE
    NEUROCHEM_EXE="$<TARGET_FILE:neurochem>"
    NEUROCHEM_SOURCE_DIR="${PROJECT_SOURCE_DIR}")
  set_target_properties(${name} PROPERTIES RUNTIME_OUTPUT_DIRECTORY ${PROJECT_BINARY_DIR}/tests)
  if(NOT T_TIMEOUT)
    set(T_TIMEOUT 300)
  endif()
  neurochem_test_environment(env)
  if(T_THREADS)
    list(APPEND env "OMP_NUM_THREADS=${T_THREADS}")
  endif()
  if(T_RANKS)
    foreach(n IN LISTS T_RANKS)
      add_test(NAME ${name}_${n}ranks
               COMMAND ${MPIEXEC_EXECUTABLE} ${MPIEXEC_NUMPROC_FLAG} ${n} ${NEUROCHEM_MPIEXEC_FLAGS}
                       $<TARGET_FILE:${name}>)
      set_tests_properties(${name}_${n}ranks PROPERTIES LABELS "${T_LABELS};mpi" TIMEOUT ${T_TIMEOUT}
                           ENVIRONMENT "${env}" PROCESSORS ${n})
    endforeach()
  elseif(T_SPLIT)
    set(k 0)
    foreach(filter IN LISTS T_SPLIT)
      math(EXPR k "${k} + 1")
      add_test(NAME ${name}_${k} COMMAND $<TARGET_FILE:${name}> --gtest_filter=${filter})
      set_tests_properties(${name}_${k} PROPERTIES LABELS "${T_LABELS}" TIMEOUT ${T_TIMEOUT}
                           ENVIRONMENT "${env}" COST ${T_COST})
    endforeach()
  else()
    add_test(NAME ${name} COMMAND $<TARGET_FILE:${name}>)
    set_tests_properties(${name} PROPERTIES LABELS "${T_LABELS}" TIMEOUT ${T_TIMEOUT}
                         ENVIRONMENT "${env}" COST ${T_COST})
  endif()
endfunction()

# Environment of every test: Open MPI may run as root (CI containers) and oversubscribe. Tests
# run more ranks x threads than cores, so waiting threads and ranks must yield the CPU instead
# of spinning (OpenMP's and Open MPI's defaults spin, which is right on a dedicated node).
function(neurochem_test_environment out)
  set(env "OMPI_ALLOW_RUN_AS_ROOT=1;OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1;OMPI_MCA_rmaps_base_oversubscribe=1"
          "OMPI_MCA_mpi_yield_when_idle=1;OMP_WAIT_POLICY=PASSIVE")
  if(NEUROCHEM_SANITIZE)
    # Open MPI and HDF5 keep global allocations until exit; leaks are checked in serial tests.
    list(APPEND env "ASAN_OPTIONS=detect_leaks=0")
  endif()
  set(${out} "${env}" PARENT_SCOPE)
endfunction()

# neurochem_add_invariance_matrix(NAME CONFIG config RANKS r... THREADS t... [SETS k=v...]
#                                 [TIMEOUT s])
# One reference run (1 process, 1 thread) and one CTest test per (ranks, threads) that runs
# `mpiexec -n R neurochem run CONFIG --threads T` and compares its output file with the
# reference bitwise (`neurochem compare`). Labels: mpi, integration.
function(neurochem_add_invariance_matrix name)
  cmake_parse_arguments(T "" "CONFIG;TIMEOUT" "RANKS;THREADS;SETS" ${ARGN})
  string(REPLACE ";" "\\;" T_SETS "${T_SETS}")  # one -DSETS=a;b argument, not several
  if(NOT T_TIMEOUT)
    set(T_TIMEOUT 300)
  endif()
  neurochem_test_environment(env)
  set(dir ${PROJECT_BINARY_DIR}/tests/matrix_${name})
  file(MAKE_DIRECTORY ${dir})
  set(common -DEXE=$<TARGET_FILE:neurochem> -DMPIEXEC=${MPIEXEC_EXECUTABLE}
             "-DMPIFLAGS=${NEUROCHEM_MPIEXEC_FLAGS}" -DCONFIG=${T_CONFIG} "-DSETS=${T_SETS}")
  add_test(NAME ${name}_reference
           COMMAND ${CMAKE_COMMAND} ${common} -DNP=0 -DTHREADS=1 -DOUT=${dir}/ref.h5
                   -P ${PROJECT_SOURCE_DIR}/tests/mpi/run_and_compare.cmake)
  set_tests_properties(${name}_reference PROPERTIES FIXTURES_SETUP ${name} LABELS "mpi;integration"
                       TIMEOUT ${T_TIMEOUT} ENVIRONMENT "${env}")
  foreach(r IN LISTS T_RANKS)
    foreach(t IN LISTS T_THREADS)
      set(test ${name}_${r}ranks_${t}threads)
      add_test(NAME ${test}
               COMMAND ${CMAKE_COMMAND} ${common} -DNP=${r} -DTHREADS=${t} -DOUT=${dir}/r${r}t${t}.h5
                       -DREF=${dir}/ref.h5 -P ${PROJECT_SOURCE_DIR}/tests/mpi/run_and_compare.cmake)
      math(EXPR procs "${r} * ${t}")
      set_tests_properties(${test} PROPERTIES FIXTURES_REQUIRED ${name} LABELS "mpi;integration"
                           TIMEOUT ${T_TIMEOUT} ENVIRONMENT "${env}" PROCESSORS ${procs})
    endforeach()
  endforeach()
endfunction()

# neurochem_add_restart_tests(NAME CONFIG config HALF t FULL 2t REFERENCE fixture-name
#                             LAYOUTS "r1:t1:r2:t2" ... [SETS k=v...] [EARLIER])
# For each layout change: run to HALF on r1 ranks x t1 threads with a checkpoint, resume to FULL
# on r2 x t2, and compare bitwise with the reference run (the fixture's ref.h5, which must be
# a FULL-long run of the same config). EARLIER: the first part runs to FULL with a checkpoint
# every HALF and the resume starts from the earliest one, cutting the output back.
function(neurochem_add_restart_tests name)
  cmake_parse_arguments(T "EARLIER" "CONFIG;HALF;FULL;REFERENCE" "LAYOUTS;SETS" ${ARGN})
  neurochem_test_environment(env)
  set(earlier 0)
  if(T_EARLIER)
    set(earlier 1)
  endif()
  foreach(layout IN LISTS T_LAYOUTS)
    string(REPLACE ":" ";" l "${layout}")
    list(GET l 0 r1)
    list(GET l 1 t1)
    list(GET l 2 r2)
    list(GET l 3 t2)
    set(test ${name}_${r1}x${t1}_to_${r2}x${t2})
    add_test(NAME ${test}
             COMMAND ${CMAKE_COMMAND} -DEXE=$<TARGET_FILE:neurochem> -DMPIEXEC=${MPIEXEC_EXECUTABLE}
                     "-DMPIFLAGS=${NEUROCHEM_MPIEXEC_FLAGS}" -DCONFIG=${T_CONFIG}
                     -DDIR=${PROJECT_BINARY_DIR}/tests/${test} "-DHALF=${T_HALF}" "-DFULL=${T_FULL}"
                     -DREF=${PROJECT_BINARY_DIR}/tests/matrix_${T_REFERENCE}/ref.h5
                     -DR1=${r1} -DT1=${t1} -DR2=${r2} -DT2=${t2} "-DSETS=${T_SETS}"
                     -DEARLIER=${earlier} -P ${PROJECT_SOURCE_DIR}/tests/mpi/restart.cmake)
    # The busier of the two parts: CTest must not start another test beside a part whose ranks
    # and threads already fill the cores (MPI ranks poll while they wait, so oversubscribed
    # ranks slow down many-fold).
    math(EXPR p1 "${r1} * ${t1}")
    math(EXPR p2 "${r2} * ${t2}")
    if(p2 GREATER p1)
      set(p1 ${p2})
    endif()
    set_tests_properties(${test} PROPERTIES FIXTURES_REQUIRED ${T_REFERENCE} LABELS "mpi;integration"
                         TIMEOUT 300 ENVIRONMENT "${env}" PROCESSORS ${p1})
  endforeach()
endfunction()
