# Writes INPUT (a config file) into OUTPUT as the C++ string returned by
# neurochem::config::embedded_default_config(). An [include] section (files = a, b; paths
# relative to INPUT) is replaced by the included files' text, so the embedded model is whole.
file(READ ${INPUT} content)
get_filename_component(dir ${INPUT} DIRECTORY)
string(REGEX MATCH "\n\\[include\\][ \t]*\nfiles[ \t]*=[ \t]*([^\n]+)\n" include_section "\n${content}")
if(include_section)
  string(REPLACE "," ";" files "${CMAKE_MATCH_1}")
  set(included "")
  foreach(f IN LISTS files)
    string(STRIP "${f}" f)
    file(READ ${dir}/${f} text)
    if("\n${text}" MATCHES "\n\\[include\\]")
      message(FATAL_ERROR "${dir}/${f}: nested [include] is not supported in the embedded default config")
    endif()
    string(APPEND included "# ---- included from ${f} ----\n${text}\n# ---- end of ${f} ----\n")
  endforeach()
  string(REPLACE "${include_section}" "\n" content "\n${content}")
  set(content "${included}${content}")
endif()
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
