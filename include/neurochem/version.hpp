#pragma once

namespace neurochem {

const char* version();        ///< semantic version, e.g. "0.1.0"
const char* git_revision();   ///< short git hash of the source, "-dirty" if modified, or "unknown"
const char* build_type();     ///< CMAKE_BUILD_TYPE
const char* compiler();       ///< compiler id and version
const char* compile_flags();  ///< flags that affect numerics

/// Version of the HDF5 output layout written by this build (/@version).
inline constexpr unsigned output_format_version[2] = {0, 1};

}  // namespace neurochem
