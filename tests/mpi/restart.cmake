# CTest driver: a run split by a checkpoint, with a different layout on each side, must equal
# the uninterrupted reference bitwise.
#   -DEXE= -DMPIEXEC= -DMPIFLAGS= -DCONFIG= -DDIR= -DHALF= -DFULL= -DREF=
#   -DR1= -DT1= (first part)  -DR2= -DT2= (resumed part)  [-DSETS=a;b;c: overrides of the config]
#   [-DEARLIER=1: the first part runs to FULL with a checkpoint every HALF, and the resumed part
#    starts from its earliest checkpoint, so the output is cut back (what a job that crashed
#    after its last checkpoint meets)]
string(REPLACE " " ";" flags "${MPIFLAGS}")
set(set_args)
foreach(s IN LISTS SETS)
  list(APPEND set_args --set "${s}")
endforeach()
file(REMOVE_RECURSE ${DIR})
file(MAKE_DIRECTORY ${DIR})
if(EARLIER)
  set(first_part --keep 1000)
else()
  set(first_part --set "simulation.duration=${HALF}")
endif()
execute_process(COMMAND ${MPIEXEC} -n ${R1} ${flags} ${EXE} run ${CONFIG} -q -o ${DIR}/a.h5 --threads ${T1}
                        ${set_args} ${first_part} --checkpoint-every ${HALF}
                RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "first part failed (${rc}):\n${out}\n${err}")
endif()
set(from ${DIR}/a.checkpoints)
if(EARLIER)
  file(GLOB checkpoints ${DIR}/a.checkpoints/ckpt_*.h5)
  list(LENGTH checkpoints n)
  if(n LESS 2)
    message(FATAL_ERROR "the first part wrote ${n} checkpoint(s); an earlier one is needed")
  endif()
  list(SORT checkpoints)
  list(GET checkpoints 0 from)
endif()
execute_process(COMMAND ${MPIEXEC} -n ${R2} ${flags} ${EXE} resume ${from} -q --until ${FULL}
                        --threads ${T2} -o ${DIR}/b.h5
                RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "resume failed (${rc}):\n${out}\n${err}")
endif()
execute_process(COMMAND ${EXE} compare ${REF} ${DIR}/b.h5 RESULT_VARIABLE rc OUTPUT_VARIABLE out)
message("${out}")
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "the resumed run differs from the uninterrupted one")
endif()
