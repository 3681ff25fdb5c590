#include "test_util.hpp"

#include <filesystem>

namespace neurochem::test {

std::string scratch_dir(const std::string& name) {
    const auto dir = std::filesystem::current_path() / ("scratch_" + name);
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
    return dir.string();
}

}  // namespace neurochem::test
