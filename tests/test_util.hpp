// Helpers shared by the tests: load a config with overrides, run a simulation and keep every
// spike, run the command-line tool.
#pragma once

#include <cstdio>
#include <string>
#include <vector>

#include "config/config.hpp"
#include "neurochem/errors.hpp"
#include "neurochem/simulation.hpp"

namespace neurochem::test {

inline std::string source_path(const std::string& rel) {
    return std::string(NEUROCHEM_SOURCE_DIR) + "/" + rel;
}

inline ModelSpec load_model(const std::string& config_rel,
                            const std::vector<std::string>& sets = {}) {
    auto raw = config::read_config_file(source_path(config_rel));
    for (const auto& s : sets)
        config::apply_override(raw, s);
    return config::to_model(config::resolve(raw));
}

inline ModelSpec model_from_text(const std::string& text,
                                 const std::vector<std::string>& sets = {}) {
    auto raw = config::parse_config_text(text, "test.ini");
    for (const auto& s : sets)
        config::apply_override(raw, s);
    return config::to_model(config::resolve(raw));
}

/// The input_error message of model_from_text(text), or "" when the text is accepted.
inline std::string input_error_of(const std::string& text) {
    try {
        model_from_text(text);
    } catch (const input_error& e) {
        return e.what();
    }
    return "";
}

class SpikeCollector final : public SimulationObserver {
  public:
    void epoch(const EpochView& v) override {
        spikes.insert(spikes.end(), v.all_spikes.begin(), v.all_spikes.end());
    }
    std::vector<Spike> spikes;
};

inline std::vector<Spike> run_spikes(const ModelSpec& m, int threads) {
    Simulation sim(m, make_serial_context(threads));
    SpikeCollector c;
    sim.run(&c);
    return c.spikes;
}

struct CommandResult {
    int exit_code = -1;
    std::string output;  // stdout and stderr
};

/// Runs a shell command; returns its exit code and combined stdout and stderr.
inline CommandResult run_shell(const std::string& command) {
    CommandResult r;
    FILE* p = popen((command + " 2>&1").c_str(), "r");
    if (!p) return r;
    char buf[4096];
    std::size_t n;
    while ((n = fread(buf, 1, sizeof buf, p)) > 0)
        r.output.append(buf, n);
    const int status = pclose(p);
    r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    return r;
}

/// Runs `neurochem ARGS` through the shell (with `env` assignments such as "OMP_DYNAMIC=true"
/// before it, if given); returns its exit code and combined output.
inline CommandResult run_neurochem(const std::string& args, const std::string& env = "") {
    return run_shell((env.empty() ? "" : env + " ") + std::string(NEUROCHEM_EXE) + " " + args);
}

/// A fresh empty directory under the build tree's tests/ for files a test writes.
std::string scratch_dir(const std::string& name);

}  // namespace neurochem::test
