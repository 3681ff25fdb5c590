#include "test_util.hpp"

#include <filesystem>

namespace neurochem::test {

std::string scratch_dir(const std::string& name) {
    // Under the build tree's tests/, wherever the test binary is started from.
    const auto dir = std::filesystem::path(NEUROCHEM_TEST_SCRATCH_DIR) / ("scratch_" + name);
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
    return dir.string();
}

}  // namespace neurochem::test
