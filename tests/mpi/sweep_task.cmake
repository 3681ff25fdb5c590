# CTest driver: a sweep point run by an array task on 2 MPI ranks (what `srun -n 2` does in
# jobs/sweep_array.sbatch) equals the same point run in one process, bitwise.
#   -DEXE= -DMPIEXEC= -DMPIFLAGS= -DSOURCE= -DDIR=
file(REMOVE_RECURSE ${DIR})
file(MAKE_DIRECTORY ${DIR})
file(WRITE ${DIR}/spec.ini "[sweep]\nconfig = ${SOURCE}/tests/data/brunel_small.ini\nreplicates = 2\n"
     "[set]\nsimulation.duration = 100 ms\noutput.spikes = true\n")
function(run)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
  message("${out}${err}")
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "failed (${rc}): ${ARGN}")
  endif()
endfunction()
run(${EXE} sweep ${DIR}/spec.ini --dir ${DIR}/s --slurm)  # plans the directory, runs nothing
string(REPLACE " " ";" flags "${MPIFLAGS}")
run(${MPIEXEC} -n 2 ${flags} ${EXE} sweep ${DIR}/s --task 1 --threads 1)
file(READ ${DIR}/s/points/0001/log.txt log)
if(NOT log MATCHES "on 2 rank\\(s\\) x 1 thread")
  message(FATAL_ERROR "the point did not run on 2 ranks:\n${log}")
endif()
run(${EXE} run ${DIR}/s/points/0001/config.ini -o ${DIR}/serial.h5 -q --threads 1)
run(${EXE} compare ${DIR}/serial.h5 ${DIR}/s/points/0001/out.h5)
