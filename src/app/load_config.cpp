#include "app/commands.hpp"

namespace neurochem::app {

config::ResolvedConfig load_config(const std::string& path, const std::vector<std::string>& sets,
                                   const std::string& seed) {
    config::RawConfig raw = path.empty()
                                ? config::parse_config_text(config::embedded_default_config(),
                                                            "<embedded default config>")
                                : config::read_config_file(path);
    for (const auto& s : sets) config::apply_override(raw, s);
    if (!seed.empty()) {
        config::apply_override(raw, "simulation.seed=" + seed);
        raw.sections["simulation"]["seed"].origin = "--seed " + seed;
    }
    return config::resolve(raw);
}

}  // namespace neurochem::app
