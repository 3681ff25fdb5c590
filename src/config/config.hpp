// Config files at the edge of the program: read (Boost.Program_options' INI parser), apply
// command-line overrides, validate against the schema, fill defaults, print canonically and
// hash, and convert to the core's plain ModelSpec. Errors are input_error with the file (and
// line), the [section] and key, the value, and what is allowed.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "neurochem/model.hpp"

namespace neurochem::config {

struct RawEntry {
    std::string value;
    std::string origin;  ///< "file.ini:12" or "--set section.key=value"
};

struct RawConfig {
    std::string source;  ///< file name, or "<embedded default>"
    std::map<std::string, std::map<std::string, RawEntry>> sections;
};

/// Parses INI text. `source` names it in messages.
RawConfig parse_config_text(const std::string& text, const std::string& source);
/// Reads and parses a file; a missing or unreadable file is an input_error.
RawConfig read_config_file(const std::string& path);
/// Applies "section.key=value" (the key is the text after the last '.' before '=').
void apply_override(RawConfig& raw, const std::string& assignment);

/// One resolved value: its canonical text and its typed reading.
struct Value {
    std::string text;
    double number = 0.0;
    std::uint64_t integer = 0;
    bool boolean = false;
    Distribution distribution;
    std::vector<std::pair<std::string, double>> pairs;  ///< name_quantity_list, sorted by name
    std::string origin;  ///< "file.ini:12", "--set ...", or "default" (for messages)
};

struct ResolvedSection {
    std::string name;  ///< full section name, e.g. "population.E"
    std::string kind;  ///< "population"
    std::string id;    ///< the part after the kind, e.g. "E" ("" for simulation/output)
    std::map<std::string, Value> values;
    const Value& at(const std::string& key) const;
    bool has(const std::string& key) const { return values.count(key) > 0; }
};

struct ResolvedConfig {
    std::string source;
    std::vector<ResolvedSection> sections;  ///< sorted by name
    std::string canonical_text;             ///< every key, sorted, units normalised
    std::string hash;                       ///< SHA-256 of canonical_text
    /// SHA-256 of canonical_text without [simulation] duration: identifies a run across
    /// extensions (resume --until).
    std::string run_id;
    const ResolvedSection* find(const std::string& name) const;
};

/// Validates every section and key, fills defaults; throws input_error.
ResolvedConfig resolve(const RawConfig& raw);
/// Converts to the core's model description and checks cross-references.
ModelSpec to_model(const ResolvedConfig& config);
/// The key reference printed by `neurochem config-reference`.
std::string config_reference();
/// The model run when no config file is given.
const std::string& embedded_default_config();

}  // namespace neurochem::config
