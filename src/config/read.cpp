// Reading INI text with Boost.Program_options (comments start with '#', sections are
// [kind.name], keys are "key = value"). Boost does not report line numbers, so a light scan
// of the same text records where each key was written, for error messages.
#include <boost/program_options/options_description.hpp>
#include <boost/program_options/parsers.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "config/config.hpp"
#include "neurochem/errors.hpp"
#include "util/text.hpp"

namespace po = boost::program_options;

namespace neurochem::config {

namespace {
/// "section.key" -> line numbers where it is assigned.
std::map<std::string, std::vector<int>> key_lines(const std::string& text) {
    std::map<std::string, std::vector<int>> out;
    std::istringstream in(text);
    std::string line, section;
    int n = 0;
    while (std::getline(in, line)) {
        ++n;
        const auto hash = line.find('#');
        const std::string_view s = text::trim(std::string_view(line).substr(0, hash));
        if (s.empty()) continue;
        if (s.front() == '[' && s.back() == ']') {
            section = std::string(text::trim(s.substr(1, s.size() - 2)));
            continue;
        }
        const auto eq = s.find('=');
        if (eq == std::string_view::npos) continue;
        const std::string key(text::trim(s.substr(0, eq)));
        out[section.empty() ? key : section + "." + key].push_back(n);
    }
    return out;
}

std::pair<std::string, std::string> split_key(const std::string& full) {
    const auto dot = full.rfind('.');
    if (dot == std::string::npos) return {"", full};
    return {full.substr(0, dot), full.substr(dot + 1)};
}
}  // namespace

namespace {
/// Every line is text and is a [section] header, 'key = value', a comment or blank; a problem
/// names its line (Boost's own message names none).
void check_lines(std::string_view text, const std::string& source) {
    int n = 0;
    for (std::size_t start = 0; start <= text.size();) {
        const std::size_t end = std::min(text.find('\n', start), text.size());
        const std::string_view line = text.substr(start, end - start);
        ++n;
        const std::string where = source + ":" + std::to_string(n) + ": ";
        if (const std::size_t bad = text::find_non_text(line); bad != std::string_view::npos) {
            throw input_error(where + "contains a byte that is not text (at column " +
                              std::to_string(bad + 1) + ": '" + text::escape_for_message(line) +
                              "'); a config file is UTF-8 text.");
        }
        const std::string_view s = text::trim(line.substr(0, line.find('#')));
        if (!s.empty() && !(s.front() == '[' && s.back() == ']') &&
            s.find('=') == std::string_view::npos) {
            throw input_error(where + "'" + text::escape_for_message(s) +
                              "' is not a [section] header, 'key = value', or a comment "
                              "starting with '#'.");
        }
        start = end + 1;
    }
}
}  // namespace

RawConfig parse_config_text(const std::string& file_text, const std::string& source) {
    RawConfig raw;
    raw.source = source;
    // A UTF-8 byte order mark (written by some Windows editors) is not part of the text.
    const std::string text =
        file_text.rfind("\xEF\xBB\xBF", 0) == 0 ? file_text.substr(3) : file_text;
    check_lines(text, source);
    std::istringstream in(text);
    po::parsed_options parsed(nullptr);
    try {
        parsed = po::parse_config_file(in, po::options_description{}, true);
    } catch (const po::error& e) {
        throw input_error(source + ": cannot be read as a config file: " + e.what() +
                          ". Each line must be a [section] header, 'key = value', or a comment "
                          "starting with '#'.");
    }
    const auto lines = key_lines(text);
    std::map<std::string, int> seen;
    for (const auto& opt : parsed.options) {
        const std::string& full = opt.string_key;
        const auto it = lines.find(full);
        const int occurrence = seen[full]++;
        std::string origin = source;
        if (it != lines.end() && occurrence < static_cast<int>(it->second.size())) {
            origin += ":" + std::to_string(it->second[static_cast<std::size_t>(occurrence)]);
        }
        auto [section, key] = split_key(full);
        if (section.empty()) {
            throw input_error(origin + ": key '" + key +
                              "' stands before any [section] header; every key belongs to a "
                              "section such as [simulation].");
        }
        const std::string value = opt.value.empty() ? "" : opt.value.front();
        auto& slot = raw.sections[section];
        if (slot.count(key)) {
            throw input_error(origin + ": [" + section + "] " + key + " is set twice (first at " +
                              slot[key].origin + "); each key may appear once per section.");
        }
        slot[key] = {std::string(text::trim(value)), origin};
    }
    // Sections that are declared but empty still exist (e.g. a receptor with defaults).
    std::istringstream scan(text);
    std::string line;
    while (std::getline(scan, line)) {
        const std::string_view s = text::trim(std::string_view(line).substr(0, line.find('#')));
        if (s.size() > 2 && s.front() == '[' && s.back() == ']') {
            raw.sections[std::string(text::trim(s.substr(1, s.size() - 2)))];
        }
    }
    return raw;
}

/// An input file larger than this is not one (the largest shipped config is ~40 kB).
constexpr std::size_t max_input_file_bytes = 16u << 20;

std::string read_input_file(const std::string& path, const std::string& kind,
                            const std::string& file_noun, const std::string& who) {
    std::error_code ec;
    const auto st = std::filesystem::status(path, ec);
    if (!ec && std::filesystem::exists(st) && !std::filesystem::is_regular_file(st)) {
        throw input_error(
            who + path + ": is not a regular file (" +
            (std::filesystem::is_directory(st) ? "a directory" : "a device, FIFO or socket") +
            "); a " + kind + " must be a file.");
    }
    std::ifstream f(path, std::ios::binary);
    if (!f)
        throw input_error(who + path + ": cannot open the " + file_noun +
                          " (does it exist and is it readable?).");
    std::string text;
    char buf[65536];
    while (f.read(buf, sizeof buf) || f.gcount() > 0) {
        text.append(buf, static_cast<std::size_t>(f.gcount()));
        if (text.size() > max_input_file_bytes)
            throw input_error(who + path + ": is larger than " +
                              std::to_string(max_input_file_bytes >> 20) + " MB, which no " +
                              file_noun + " is.");
    }
    return text;
}

namespace {
std::string read_text(const std::string& path, const std::string& who) {
    return read_input_file(path, "config", "config file", who);
}

// [include] files = a.ini, b.ini: merges the sections of other config files (paths relative to
// the including file). The including file may set keys of an included section again: its own
// values win, key by key (a base model, then the changes of a variant). Two included files may
// not define the same section, unless it is the same file's (a file reached twice); cycles are
// errors. The resolved (canonical) config holds the
// included sections, so it stands alone.
using TextReader = std::string (*)(const std::string& path, const std::string& who);

void merge_includes(RawConfig& raw, const std::filesystem::path& base,
                    std::vector<std::string>& stack, TextReader read = read_text) {
    const auto it = raw.sections.find("include");
    if (it == raw.sections.end()) return;
    const auto inc = it->second;
    raw.sections.erase(it);
    std::set<std::string> own, included;
    for (const auto& [section, keys] : raw.sections)
        own.insert(section);
    for (const auto& [key, entry] : inc) {
        if (key != "files") {
            throw input_error(entry.origin + ": unknown key '" + key +
                              "' in [include]; allowed keys: files.");
        }
        for (const auto& name : text::split(entry.value, ',')) {
            if (name.empty()) continue;
            const auto path = (base / name).lexically_normal().string();
            if (std::find(stack.begin(), stack.end(), path) != stack.end()) {
                throw input_error(entry.origin + ": [include] " + name +
                                  " includes itself (cycle: " + text::join(stack, " -> ") + ").");
            }
            RawConfig sub = parse_config_text(read(path, entry.origin + ": [include] "), path);
            stack.push_back(path);
            merge_includes(sub, std::filesystem::path(path).parent_path(), stack, read);
            stack.pop_back();
            for (auto& [section, keys] : sub.sections) {
                if (own.count(section)) {
                    auto& mine = raw.sections[section];
                    for (const auto& [k, e] : keys)
                        mine.emplace(k, e);  // mine win
                    continue;
                }
                if (!included.insert(section).second) {
                    // The same file reached twice (a.ini and b.ini both include drugs/x.ini):
                    // the same section, key for key and line for line, is merged once.
                    if (raw.sections[section] == keys) continue;
                    throw input_error(path + ": section [" + section +
                                      "] is also defined by another file included "
                                      "by " +
                                      raw.source +
                                      "; two included files may not define the same section.");
                }
                raw.sections[section] = keys;
            }
        }
    }
}
const std::string embedded_prefix = "<embedded>/";

std::string read_embedded_text(const std::string& path, const std::string& who) {
    const std::string key =
        path.rfind(embedded_prefix, 0) == 0 ? path.substr(embedded_prefix.size()) : path;
    const auto& files = embedded_configs();
    const auto it = files.find(key);
    if (it == files.end())
        throw input_error(
            who + path +
            ": not among the embedded config files (cmake: NEUROCHEM_EMBEDDED_CONFIGS).");
    return it->second;
}
}  // namespace

RawConfig read_embedded_config(const std::string& path) {
    const std::string source = embedded_prefix + path;
    RawConfig raw = parse_config_text(read_embedded_text(source, ""), source);
    std::vector<std::string> stack{source};
    merge_includes(raw, std::filesystem::path(source).parent_path(), stack, read_embedded_text);
    return raw;
}

RawConfig read_config_file(const std::string& path) {
    RawConfig raw = parse_config_text(read_text(path, ""), path);
    std::vector<std::string> stack{std::filesystem::path(path).lexically_normal().string()};
    merge_includes(raw, std::filesystem::path(path).parent_path(), stack);
    return raw;
}

void apply_override(RawConfig& raw, const std::string& assignment) {
    const auto eq = assignment.find('=');
    const std::string origin = "--set " + assignment;
    if (eq == std::string::npos) {
        throw input_error(origin + ": expected section.key=value, e.g. --set simulation.seed=7.");
    }
    const std::string lhs(text::trim(std::string_view(assignment).substr(0, eq)));
    const std::string value(text::trim(std::string_view(assignment).substr(eq + 1)));
    const auto dot = lhs.rfind('.');
    if (dot == std::string::npos || dot == 0 || dot + 1 == lhs.size()) {
        throw input_error(origin +
                          ": expected section.key=value, e.g. --set population.E.size=800.");
    }
    raw.sections[lhs.substr(0, dot)][lhs.substr(dot + 1)] = {value, origin};
}

}  // namespace neurochem::config
