#include "sweep/slurm_script.hpp"

#include <cmath>
#include <cstdio>
#include <regex>
#include <set>
#include <sstream>

#include "config/units.hpp"
#include "neurochem/errors.hpp"

namespace neurochem::sweep {

namespace {
/// A value inside ${VAR:-"..."}: double-quoted, with the characters special there escaped.
std::string quoted(const std::string& v) {
    std::string out = "\"";
    for (char c : v) {
        if (c == '"' || c == '$' || c == '`' || c == '\\') out += '\\';
        out += c;
    }
    return out + "\"";
}
}  // namespace

std::string sbatch_script(const std::string& tmpl, const SlurmOptions& o, const std::string& header) {
    std::map<std::string, std::string> sbatch = {
        {"job-name", o.job_name},
        {"array", o.array},
        {"ntasks", std::to_string(o.ranks)},
        {"cpus-per-task", std::to_string(o.threads)},
        {"time", o.time},
        {"signal", "B:USR1@" + std::to_string(o.signal_seconds)},
    };
    if (!o.output.empty()) sbatch["output"] = o.output;
    if (!o.mem.empty()) sbatch["mem"] = o.mem;
    if (!o.partition.empty()) sbatch["partition"] = o.partition;
    if (!o.account.empty()) sbatch["account"] = o.account;
    std::set<std::string> used;
    std::istringstream in(tmpl);
    std::string line, out, extra_lines;
    for (const auto& e : o.extra) extra_lines += "#SBATCH " + e + "\n";
    bool in_sbatch = false, first = true;
    static const std::regex setting(R"(^([A-Z_]+)=\$\{\1:-.*\}$)");
    while (std::getline(in, line)) {
        const bool is_sbatch = line.rfind("#SBATCH --", 0) == 0;
        if (in_sbatch && !is_sbatch) {
            // After the template's #SBATCH block: options it does not have, then the extras.
            for (const auto& [k, v] : sbatch) {
                if (!used.count(k)) out += "#SBATCH --" + k + "=" + v + "\n";
            }
            out += extra_lines;
        }
        in_sbatch = is_sbatch;
        std::smatch m;
        if (is_sbatch) {
            const std::string name = line.substr(10, line.find('=') - 10);
            if (sbatch.count(name)) {
                line = "#SBATCH --" + name + "=" + sbatch[name];
                used.insert(name);
            }
        } else if (std::regex_match(line, m, setting) && o.settings.count(m[1].str())) {
            line = m[1].str() + "=${" + m[1].str() + ":-" + quoted(o.settings.at(m[1].str())) + "}";
        }
        out += line + "\n";
        if (line == "# --- modules ---") {
            for (const auto& mod : o.modules) out += "module load " + mod + "\n";
        }
        if (first) {
            out += header;
            first = false;
        }
    }
    return out;
}

std::string array_ranges(const std::vector<std::size_t>& tasks, std::size_t max_parallel) {
    std::string out;
    for (std::size_t i = 0; i < tasks.size();) {
        std::size_t j = i;
        while (j + 1 < tasks.size() && tasks[j + 1] == tasks[j] + 1) ++j;
        if (!out.empty()) out += ",";
        out += std::to_string(tasks[i]) + (j > i ? "-" + std::to_string(tasks[j]) : "");
        i = j + 1;
    }
    if (max_parallel > 0) out += "%" + std::to_string(max_parallel);
    return out;
}

std::string slurm_time_from_seconds(double seconds) {
    const long minutes = std::max(1L, static_cast<long>(std::ceil(seconds / 60.0 - 1e-9)));
    char buf[48];
    if (minutes >= 1440) {
        std::snprintf(buf, sizeof buf, "%ld-%02ld:%02ld:00", minutes / 1440, minutes / 60 % 24, minutes % 60);
    } else {
        std::snprintf(buf, sizeof buf, "%02ld:%02ld:00", minutes / 60, minutes % 60);
    }
    return buf;
}

std::string slurm_time(const std::string& text, const std::string& option) {
    static const std::regex slurm_form(R"(^(\d+|\d+:\d{1,2}(:\d{1,2})?|\d+-\d+(:\d{1,2}(:\d{1,2})?)?)$)");
    if (std::regex_match(text, slurm_form)) return text;
    try {
        const double ms = config::parse_quantity(text, config::Dimension::time);
        if (ms > 0) return slurm_time_from_seconds(ms / 1000.0);
    } catch (const config::ValueError&) {
    }
    throw input_error(option + " " + text + ": expected a time limit: SLURM's form (MINUTES, HH:MM:SS, D-HH:MM) or a "
                      "time with a unit ('90 min', '2 h', '1 day').");
}

std::string slurm_mem(const std::string& text, const std::string& option) {
    static const std::regex mem(R"(^\d+[KMGT]?$)");
    if (!std::regex_match(text, mem)) {
        throw input_error(option + " " + text + ": expected a memory size per node, a number with an optional K, M, G "
                          "or T (e.g. 4G, 500M).");
    }
    return text;
}

}  // namespace neurochem::sweep
