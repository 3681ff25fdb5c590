// A bounded, deterministic fuzzer of the config reader (issue 15): the shipped configs (the
// models with includes as their resolved canonical text) mutated at random -- lines deleted,
// duplicated, swapped or cut, characters replaced, hostile tokens inserted, numbers made extreme
// -- go through parse, resolve, conversion to a ModelSpec and its validation. Every input must
// either load or be refused with an input_error (a message for the user); any other exception
// (or a crash) fails the test and prints the input that caused it. The iteration count, not
// the time, bounds it (NEUROCHEM_FUZZ_ITERATIONS=N runs longer); the seed makes every failure
// reproducible.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "chem/pharmacokinetics.hpp"
#include "config/config.hpp"
#include "neurochem/errors.hpp"
#include "test_util.hpp"

using namespace neurochem;

namespace {

std::string file_text(const std::string& rel) {
    std::ifstream f(test::source_path(rel), std::ios::binary);
    std::stringstream s;
    s << f.rdbuf();
    return s.str();
}

std::vector<std::string> lines_of(const std::string& text) {
    std::vector<std::string> v;
    std::stringstream s(text);
    for (std::string line; std::getline(s, line);)
        v.push_back(line);
    return v;
}

std::string join(const std::vector<std::string>& v) {
    std::string t;
    for (const auto& l : v)
        t += l + "\n";
    return t;
}

const char* tokens[] = {"=",
                        "[",
                        "]",
                        "[]",
                        "[population.]",
                        "inf",
                        "-inf",
                        "nan",
                        "-1e308",
                        "1e309",
                        "0",
                        "-0",
                        "()",
                        "normal(",
                        "uniform(1 mV, 0 mV)",
                        "lognormal(1, -1)",
                        "#",
                        ".",
                        "->",
                        ":",
                        " mV",
                        " Hz",
                        " uM",
                        " /h",
                        "99999999999999999999",
                        "none",
                        ",",
                        ", ,",
                        "\xc3\xa9",
                        "\xff\xfe",
                        "\t",
                        "=\n=",
                        "\r",
                        "[include]\nfiles = /dev/zero",
                        "size = 18446744073709551615",
                        "duration = 1e30 day",
                        "dt = 1e-30 ms",
                        "rule = three_factor",
                        "gates = A->B:c, A->B:c",
                        "expresses = 5HT1A, 5HT1A",
                        "[include]\nfiles = fuzz.ini",
                        "[include]\nfiles = /tmp",
                        "[include]\nfiles = nothere.ini"};

/// One to three random mutations of `base`.
std::string mutate(const std::string& base, std::mt19937_64& rng) {
    auto lines = lines_of(base);
    auto pick = [&](std::size_t n) { return n == 0 ? 0 : static_cast<std::size_t>(rng() % n); };
    const int ops = 1 + static_cast<int>(rng() % 3);
    for (int o = 0; o < ops && !lines.empty(); ++o) {
        const std::size_t i = pick(lines.size());
        switch (rng() % 8) {
            case 0:
                lines.erase(lines.begin() + static_cast<long>(i));
                break;
            case 1:
                lines.insert(lines.begin() + static_cast<long>(i), lines[i]);
                break;
            case 2:
                std::swap(lines[i], lines[pick(lines.size())]);
                break;
            case 3:
                lines[i] = lines[i].substr(0, pick(lines[i].size() + 1));
                break;
            case 4:
                if (!lines[i].empty())
                    lines[i][pick(lines[i].size())] = static_cast<char>(rng() % 256);
                break;
            case 5: {
                const std::string t = tokens[pick(std::size(tokens))];
                lines[i].insert(pick(lines[i].size() + 1), t);
                break;
            }
            case 6: {  // the value of a key made extreme
                const auto eq = lines[i].find('=');
                if (eq != std::string::npos)
                    lines[i] = lines[i].substr(0, eq + 1) + " " + tokens[pick(std::size(tokens))];
                break;
            }
            default:
                lines.insert(lines.begin() + static_cast<long>(i), tokens[pick(std::size(tokens))]);
        }
    }
    return join(lines);
}

/// A model that loads never gives a NaN, infinite or negative level, nor an occupancy outside
/// [0, 1] (issue 14: absurd PK inputs are refused or handled exactly), over its first weeks.
void check_pharmacokinetics(const ModelSpec& m, const std::string& text) {
    if (m.chemistry.drugs.empty()) return;
    Pharmacokinetics pk(m.chemistry);
    for (const double t_h : {0.0, 1.0, 7.5, 24.0, 170.0, 1000.0}) {
        pk.advance_to(t_h);
        for (std::size_t d = 0; d < pk.drugs(); ++d) {
            const double c = pk.plasma_uM(d), b = pk.target_uM(d);
            if (!(std::isfinite(c) && c >= 0 && std::isfinite(b) && b >= 0)) {
                ADD_FAILURE() << "drug " << pk.name(d) << " at " << t_h << " h: plasma " << c
                              << " uM, target " << b << " uM\n--- input ---\n"
                              << text;
                return;
            }
        }
        for (int t = 0; t < drug_target_count; ++t) {
            const double o = pk.occupancy(static_cast<DrugTarget>(t));
            if (!(o >= 0 && o <= 1)) {
                ADD_FAILURE() << "occupancy " << o << " of target " << t << " at " << t_h
                              << " h\n--- input ---\n"
                              << text;
                return;
            }
        }
    }
}

}  // namespace

TEST(ConfigFuzz, MutatedConfigsLoadOrAreRefusedWithAMessage) {
    std::vector<std::string> bases;
    for (const char* f : {"configs/coba.ini", "configs/brunel.ini", "configs/cuba.ini",
                          "configs/zenke2013_background.ini"})
        bases.push_back(file_text(f));
    // The models with includes (chemistry, plasticity, slow processes, patient, outcomes), as
    // the canonical text a checkpoint or an output stores.
    for (const char* f :
         {"configs/limbic.ini", "configs/raphe_pfc.ini", "configs/coba_stdp.ini",
          "configs/course/ssri_escitalopram.ini", "configs/main/escitalopram.ini",
          "configs/course/antipsychotic_haloperidol.ini", "configs/course/lithium.ini"})
        bases.push_back(
            config::resolve(config::read_config_file(test::source_path(f))).canonical_text);
    const char* env = std::getenv("NEUROCHEM_FUZZ_ITERATIONS");
    const long iterations = env ? std::atol(env) : 400;  // per base config
    std::mt19937_64 rng(20261202);
    long loaded = 0, refused = 0;
    // Every 8th input goes through a file, so [include] (of devices, of itself, of missing
    // files) and the file checks are fuzzed too.
    const std::string file = test::scratch_dir("config_fuzz") + "/fuzz.ini";
    for (const auto& base : bases) {
        for (long k = 0; k < iterations; ++k) {
            const std::string text = mutate(base, rng);
            try {
                config::RawConfig raw;
                if (k % 8 == 0) {
                    std::ofstream(file, std::ios::binary | std::ios::trunc) << text;
                    raw = config::read_config_file(file);
                } else {
                    raw = config::parse_config_text(text, "fuzz.ini");
                }
                const ModelSpec m = config::to_model(config::resolve(raw));
                m.validate();
                check_pharmacokinetics(m, text);
                ++loaded;
            } catch (const input_error&) {
                ++refused;
            } catch (const std::exception& e) {
                ADD_FAILURE() << "not an input_error: " << e.what() << "\n--- input ---\n" << text;
                return;
            }
        }
    }
    // Both outcomes occur: the mutations are neither all harmless nor all fatal.
    EXPECT_GT(loaded, 0);
    EXPECT_GT(refused, 0);
    std::printf("%ld mutated configs: %ld loaded, %ld refused with a message\n", loaded + refused,
                loaded, refused);
}
