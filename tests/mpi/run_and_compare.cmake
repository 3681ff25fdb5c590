# CTest driver: runs neurochem under mpiexec (or directly when NP is 0) and, if REF is given,
# compares the output with the reference run using `neurochem compare` (bitwise).
#   -DEXE= -DMPIEXEC= -DNP= -DMPIFLAGS= -DCONFIG= -DOUT= -DTHREADS= -DREF= -DSETS=a;b;c
set(cmd)
if(NP GREATER 0)
  string(REPLACE " " ";" flags "${MPIFLAGS}")
  set(cmd ${MPIEXEC} -n ${NP} ${flags})
endif()
set(set_args)
foreach(s IN LISTS SETS)
  list(APPEND set_args --set "${s}")
endforeach()
execute_process(COMMAND ${cmd} ${EXE} run ${CONFIG} -o ${OUT} --threads ${THREADS} -q ${set_args}
                RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "run failed (${rc}):\n${out}\n${err}")
endif()
if(REF)
  execute_process(COMMAND ${EXE} compare ${REF} ${OUT} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
  message("${out}${err}")
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "output differs from the 1-rank, 1-thread reference")
  endif()
endif()
