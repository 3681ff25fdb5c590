#include "app/install_layout.hpp"

#include <filesystem>
#include <system_error>

namespace fs = std::filesystem;

namespace neurochem::app {

InstallLayout install_layout() {
    InstallLayout l;
    std::error_code ec;
    const fs::path self = fs::read_symlink("/proc/self/exe", ec);
    if (ec) return l;
    l.executable = self.string();
    // NEUROCHEM_BIN_TO_DATA: the data directory relative to the binary's directory in an
    // install (GNUInstallDirs: ../share/neurochem); configs/coba.ini and tools/ there mark it.
    const fs::path data = (self.parent_path() / NEUROCHEM_BIN_TO_DATA).lexically_normal();
    if (fs::is_regular_file(data / "configs/coba.ini", ec) &&
        fs::is_directory(data / "tools", ec)) {
        l.installed = true;
        fs::path prefix = (self.parent_path() / NEUROCHEM_BIN_TO_PREFIX).lexically_normal();
        if (!prefix.has_filename() && prefix.has_parent_path())
            prefix = prefix.parent_path();  // "P/" -> "P"
        l.prefix = prefix.string();
        l.data_dir = data.string();
        return l;
    }
    if (fs::is_regular_file(fs::path(NEUROCHEM_SOURCE_DIR) / "configs/coba.ini", ec))
        l.data_dir = NEUROCHEM_SOURCE_DIR;
    return l;
}

}  // namespace neurochem::app
