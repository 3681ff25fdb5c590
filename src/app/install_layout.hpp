// Where this binary runs from and where its data files are (configs/, jobs/, tools/, python/):
// beside an installed binary (PREFIX/bin/neurochem -> PREFIX/share/neurochem), else the source
// tree of a build-tree binary. Never taken from a file or an environment variable.
#pragma once

#include <string>

namespace neurochem::app {

struct InstallLayout {
    std::string executable;  ///< absolute path of the running binary ("" if unknown)
    bool installed = false;  ///< runs from an install prefix (data files found beside it)
    std::string prefix;      ///< the install prefix, if installed
    std::string data_dir;    ///< configs/, jobs/, tools/, python/ ("" if none was found)
};

InstallLayout install_layout();

}  // namespace neurochem::app
