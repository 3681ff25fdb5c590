# CTest driver: a short limbic run (with a cue and a course), then every tools/plot_*.py on its
# output; each must exit 0 and write a non-empty PNG.
#   -DEXE= -DSRC= -DDIR= -DPYTHON=
file(REMOVE_RECURSE ${DIR})
file(MAKE_DIRECTORY ${DIR})
execute_process(COMMAND ${EXE} run ${SRC}/configs/limbic.ini -q -o ${DIR}/l.h5 --set "simulation.duration=1200 ms"
                        --set "poisson.cue.start=300 ms" --set "poisson.cue.pulse_every=600 ms" --set "poisson.cue.pulse_length=200 ms"
                        --set "probe.threat.baseline=200 ms" --set "probe.threat.response=200 ms"
                RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "run failed (${rc}):\n${out}\n${err}")
endif()
execute_process(COMMAND ${EXE} run ${SRC}/configs/limbic_day.ini -q -o ${DIR}/d.h5 --set "simulation.duration=4 h"
                        --set "protocol.window=100 ms" --set "protocol.settle=50 ms" --set "session.probe.start=1 h"
                        --set "session.probe.length=2 s"
                RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "course failed (${rc}):\n${out}\n${err}")
endif()
foreach(plot raster rates chemistry probe hypnogram)
  set(in ${DIR}/l.h5)
  if(plot STREQUAL "hypnogram")
    set(in ${DIR}/d.h5)
  endif()
  execute_process(COMMAND ${PYTHON} ${SRC}/tools/plot_${plot}.py ${in} -o ${DIR}/${plot}.png
                  RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(NOT rc EQUAL 0 OR NOT EXISTS ${DIR}/${plot}.png)
    message(FATAL_ERROR "plot_${plot}.py failed (${rc}):\n${out}\n${err}")
  endif()
  file(SIZE ${DIR}/${plot}.png size)
  if(size LESS 10000)
    message(FATAL_ERROR "plot_${plot}.py wrote a suspiciously small PNG (${size} bytes)")
  endif()
  message("plot_${plot}.py: ${size} bytes\n${out}")
endforeach()
# A file without what a plot needs gets a clear message and a non-zero exit.
execute_process(COMMAND ${PYTHON} ${SRC}/tools/plot_hypnogram.py ${DIR}/l.h5 -o ${DIR}/x.png
                RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(rc EQUAL 0 OR NOT err MATCHES "had no \\[protocol\\]")
  message(FATAL_ERROR "plot_hypnogram.py on a run without a course: expected a clear error, got (${rc}) ${out}${err}")
endif()
# The PNG may not replace the input file, nor a device.
file(SIZE ${DIR}/l.h5 before)
execute_process(COMMAND ${PYTHON} ${SRC}/tools/plot_raster.py ${DIR}/l.h5 -o ${DIR}/l.h5
                RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
file(SIZE ${DIR}/l.h5 after)
if(rc EQUAL 0 OR NOT err MATCHES "is the input file" OR NOT before EQUAL after)
  message(FATAL_ERROR "plot_raster.py -o INPUT: expected a refusal and the input untouched, got (${rc}) ${out}${err}")
endif()
execute_process(COMMAND ${PYTHON} ${SRC}/tools/plot_raster.py ${DIR}/l.h5 -o /dev/null
                RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(rc EQUAL 0 OR NOT err MATCHES "not a regular file")
  message(FATAL_ERROR "plot_raster.py -o /dev/null: expected a refusal, got (${rc}) ${out}${err}")
endif()
