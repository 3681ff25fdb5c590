// The library's config loader (include/neurochem/config.hpp): the command-line tool's path
// from a file to a ModelSpec.
#include "neurochem/config.hpp"

#include "config/config.hpp"

namespace neurochem {

LoadedModel load_model(const std::string& path, const std::vector<std::string>& overrides) {
    config::RawConfig raw = config::read_config_file(path);
    for (const auto& o : overrides)
        config::apply_override(raw, o);
    const config::ResolvedConfig resolved = config::resolve(raw);
    return LoadedModel{config::to_model(resolved), resolved.canonical_text, resolved.hash};
}

}  // namespace neurochem
