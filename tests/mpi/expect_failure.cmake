# CTest driver: runs a command that must fail with exit code CODE, within SECONDS, printing
# EXPECT (a regular expression) exactly COUNT times (default: at least once). SECONDS detects a
# hang (a rank left waiting), not slowness: keep it generous for busy machines.
#   -DCMD=a;b;c -DCODE= -DEXPECT= -DSECONDS= [-DCOUNT=]
string(TIMESTAMP t0 "%s")
execute_process(COMMAND ${CMD} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
string(TIMESTAMP t1 "%s")
math(EXPR elapsed "${t1} - ${t0}")
set(all "${out}${err}")
message("exit code ${rc} after ${elapsed} s:\n${all}")
if(NOT rc EQUAL CODE)
  message(FATAL_ERROR "expected exit code ${CODE}, got ${rc}")
endif()
if(elapsed GREATER SECONDS)
  message(FATAL_ERROR "took ${elapsed} s, more than ${SECONDS} s")
endif()
string(REGEX MATCHALL "${EXPECT}" hits "${all}")
list(LENGTH hits n)
if(n EQUAL 0)
  message(FATAL_ERROR "the output does not contain '${EXPECT}'")
endif()
if(COUNT AND NOT n EQUAL COUNT)
  message(FATAL_ERROR "'${EXPECT}' printed ${n} times, expected ${COUNT}")
endif()
