# Writes INPUT (jobs/sweep_array.sbatch) into OUTPUT as the C++ string returned by
# neurochem::sweep::sweep_array_template().
file(READ ${INPUT} content)
string(FIND "${content}" ")NCSBATCH\"" clash)
if(NOT clash EQUAL -1)
  message(FATAL_ERROR "${INPUT} contains the raw-string delimiter )NCSBATCH\"")
endif()
file(WRITE ${OUTPUT} "// Generated from ${INPUT} by src/sweep/embed_template.cmake; do not edit.
#include <string>
namespace neurochem::sweep {
const std::string& sweep_array_template() {
    static const std::string text = R\"NCSBATCH(${content})NCSBATCH\";
    return text;
}
}  // namespace neurochem::sweep
")
