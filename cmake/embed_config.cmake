# Writes INPUT (a config file) into OUTPUT as the C++ string returned by
# neurochem::config::embedded_default_config().
file(READ ${INPUT} content)
string(FIND "${content}" ")NCCONFIG\"" clash)
if(NOT clash EQUAL -1)
  message(FATAL_ERROR "${INPUT} contains the raw-string delimiter )NCCONFIG\"")
endif()
file(WRITE ${OUTPUT} "// Generated from ${INPUT} by cmake/embed_config.cmake; do not edit.
#include <string>
namespace neurochem::config {
const std::string& embedded_default_config() {
    static const std::string text = R\"NCCONFIG(${content})NCCONFIG\";
    return text;
}
}  // namespace neurochem::config
")
