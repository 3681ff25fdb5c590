// Sweep specs: what is read from them, and that every mistake is an input error naming the spec
// file and line, the section, the key and the value (docs/sweeps.md).
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "neurochem/errors.hpp"
#include "sweep/axis_values.hpp"
#include "sweep/expand.hpp"
#include "sweep/spec.hpp"
#include "test_util.hpp"

using namespace neurochem;
using namespace neurochem::sweep;

namespace {
const std::string base = neurochem::test::source_path("tests/data/brunel_small.ini");

Spec spec(const std::string& body) {
    return parse_spec_text("[sweep]\nconfig = " + base + "\n" + body, "/tmp/s.ini");
}

/// The message of the input_error that parsing (and, with expand, expanding) `body` throws.
std::string error_of(const std::string& body, bool expand_too = false) {
    try {
        const Spec s = spec(body);
        if (expand_too) expand(s, read_base_config(s));
    } catch (const input_error& e) {
        return e.what();
    }
    return "no error";
}

#define EXPECT_HAS(text, part) EXPECT_NE((text).find(part), std::string::npos) << (text)
}  // namespace

TEST(SweepSpec, ReadsEverySection) {
    const Spec s = spec(R"(
seed = 99
replicates = 3
seeds = common
name = demo
[set]
simulation.duration = 50 ms
[grid]
poisson.ext_E.rate = 15 Hz, 20 Hz
[zip.inhibition]
projection.I->E.weight = -2 mV, -2.5 mV, -3 mV
projection.I->I.weight = -2 mV, -2.5 mV, -3 mV
[sample]
count = 4
population.E.tau_m = uniform(15 ms, 25 ms)
projection.E->E.indegree = normal(200, 20, 150, 250)
)");
    EXPECT_EQ(s.base_config, base);
    EXPECT_EQ(s.name, "demo");
    EXPECT_EQ(s.seed, 99u);
    EXPECT_EQ(s.replicates, 3u);
    EXPECT_EQ(s.seeds, SeedMode::common);
    ASSERT_EQ(s.fixed.size(), 1u);
    EXPECT_EQ(s.fixed[0].key, "simulation.duration");
    EXPECT_EQ(s.fixed[0].value, "50 ms");
    // Grid dimensions in file order: the [grid] key, then the zip group.
    ASSERT_EQ(s.grid.size(), 2u);
    EXPECT_EQ(s.grid[0].name, "poisson.ext_E.rate");
    EXPECT_EQ(s.grid[1].name, "zip.inhibition");
    ASSERT_EQ(s.grid[1].axes.size(), 2u);
    EXPECT_EQ(s.grid[1].axes[0].key, "projection.I->E.weight");
    EXPECT_EQ(s.grid[1].size(), 3u);
    EXPECT_EQ(s.samples, 4u);
    ASSERT_EQ(s.sampled.size(), 2u);
    EXPECT_EQ(s.sampled[0].dimension, config::Dimension::time);
    EXPECT_EQ(s.sampled[0].unit, "ms");
    EXPECT_FALSE(s.sampled[0].integer);
    EXPECT_TRUE(s.sampled[1].integer);  // indegree is a whole number
    EXPECT_EQ(s.grid_size(), 6u);
    EXPECT_EQ(s.point_count(), 4u * 6u * 3u);
    std::vector<std::string> keys;
    for (const auto* a : s.axes())
        keys.push_back(a->key);
    EXPECT_EQ(keys, (std::vector<std::string>{"poisson.ext_E.rate", "projection.I->E.weight",
                                              "projection.I->I.weight", "population.E.tau_m",
                                              "projection.E->E.indegree"}));
}

TEST(SweepSpec, ValueLists) {
    EXPECT_EQ(split_top_level("0 mg, 10 mg ,20 mg"),
              (std::vector<std::string>{"0 mg", "10 mg", "20 mg"}));
    EXPECT_EQ(split_top_level("normal(1 mV, 2 mV), 3 mV"),
              (std::vector<std::string>{"normal(1 mV, 2 mV)", "3 mV"}));
    EXPECT_EQ(split_top_level("\"5HT1A, D1\", D1"), (std::vector<std::string>{"5HT1A, D1", "D1"}));
    EXPECT_THROW(split_top_level("uniform(1 mV, 2 mV"), config::ValueError);
    EXPECT_THROW(split_top_level("\"a, b"), config::ValueError);
    EXPECT_EQ(expand_value_list("linspace(0 mg, 20 mg, 5)", false),
              (std::vector<std::string>{"0 mg", "5 mg", "10 mg", "15 mg", "20 mg"}));
    EXPECT_EQ(expand_value_list("logspace(1 Hz, 100 Hz, 3)", false),
              (std::vector<std::string>{"1 Hz", "10 Hz", "100 Hz"}));
    EXPECT_EQ(expand_value_list("0 mg, linspace(5 mg, 10 mg, 2)", false),
              (std::vector<std::string>{"0 mg", "5 mg", "10 mg"}));
    EXPECT_EQ(expand_value_list("linspace(10, 20, 4)", true),
              (std::vector<std::string>{"10", "13", "17", "20"}));
    EXPECT_EQ(expand_value_list("linspace(1 s, 2 s, 1)", false), (std::vector<std::string>{"1 s"}));
    // Rounding to repeats on a whole-number key is an error, not duplicate points (issue 15).
    try {
        expand_value_list("linspace(10, 12, 5)", true);
        ADD_FAILURE() << "repeats accepted";
    } catch (const config::ValueError& e) {
        EXPECT_NE(std::string(e.what()).find(
                      "its values round to repeats (11 twice): use at most 3 values"),
                  std::string::npos)
            << e.what();
    }
    EXPECT_EQ(expand_value_list("linspace(10, 12, 3)", true),
              (std::vector<std::string>{"10", "11", "12"}));
    EXPECT_EQ(dimension_of("0.5 uM/s"), config::Dimension::concentration_rate);
    EXPECT_EQ(dimension_of("3"), config::Dimension::none);
    EXPECT_EQ(unit_of("-2.5e-1 mV"), "mV");
    EXPECT_EQ(value_text(86400000.0, config::Dimension::time, "h", false), "24 h");
}

TEST(SweepSpec, ErrorsNameTheFileLineSectionKeyAndValue) {
    EXPECT_HAS(error_of("replicate = 2\n"),
               "/tmp/s.ini:3: unknown key 'replicate' in [sweep]; did you mean 'replicates'?");
    EXPECT_HAS(error_of("replicates = two\n"),
               "/tmp/s.ini:3: [sweep] replicates = 'two': expected a whole number from 1");
    EXPECT_HAS(error_of("replicates = 0\n"), "[sweep] replicates = '0'");
    EXPECT_HAS(error_of("seeds = random\n"),
               "[sweep] seeds = 'random': allowed values: per_point, common, config");
    EXPECT_HAS(error_of("[grid]\nrate = 1 Hz\n"),
               "/tmp/s.ini:4: [grid] 'rate' is not a config key: write section.key");
    EXPECT_HAS(
        error_of("[set]\npoisson.ext_E.rate = 1 Hz\n[grid]\npoisson.ext_E.rate = 1 Hz, 2 Hz\n"),
        "/tmp/s.ini:6: [grid] poisson.ext_E.rate is also given at /tmp/s.ini:4 ([set])");
    EXPECT_HAS(error_of("[zip.arm]\npoisson.ext_E.rate = 1 Hz, 2 Hz\npoisson.ext_I.rate = 1 Hz\n"),
               "/tmp/s.ini:5: [zip.arm] poisson.ext_I.rate has 1 values but poisson.ext_E.rate "
               "(/tmp/s.ini:4) has 2");
    EXPECT_HAS(error_of("[grid]\npoisson.ext_E.rate = 1 Hz, , 2 Hz\n"),
               "/tmp/s.ini:4: [grid] poisson.ext_E.rate = '1 Hz, , 2 Hz': value 2 of 3 is empty");
    EXPECT_HAS(error_of("[grid]\npoisson.ext_E.rate = linspace(1 Hz, 2 Hz, many)\n"),
               "[grid] poisson.ext_E.rate = 'linspace(1 Hz, 2 Hz, many)': 'linspace(1 Hz, 2 Hz, "
               "many)': linspace(): the "
               "number of values 'many' must be a whole number");
    EXPECT_HAS(error_of("[grid]\npoisson.ext_E.rate = linspace(1 Hz, 2 mV, 3)\n"),
               "are of different dimensions");
    EXPECT_HAS(
        error_of("[sample]\ncount = 3\npoisson.ext_E.rate = 20 Hz\n"),
        "/tmp/s.ini:5: [sample] poisson.ext_E.rate = '20 Hz': a sampled key needs a distribution");
    EXPECT_HAS(error_of("[sample]\ncount = 3\npoisson.ext_E.rate = uniform(1 Hz, 2 furlongs)\n"),
               "[sample] poisson.ext_E.rate = 'uniform(1 Hz, 2 furlongs)': argument 2 of "
               "uniform(): unknown unit 'furlongs'");
    EXPECT_HAS(error_of("[sample]\ncount = 3\npoisson.ext_E.rate = gamma(1 Hz, 2 Hz)\n"),
               "unknown distribution 'gamma'");
    EXPECT_HAS(error_of("[sample]\npoisson.ext_E.rate = uniform(1 Hz, 2 Hz)\n"),
               "[sample] needs count = N");
    EXPECT_HAS(error_of("[sample]\ncount = 3\n"), "[sample] lists no key to sample");
    EXPECT_HAS(error_of("[grdi]\npoisson.ext_E.rate = 1 Hz\n"),
               "unknown section [grdi] in a sweep spec; did you mean [grid]?");
    EXPECT_HAS(error_of("[grid]\nsimulation.seed = 1, 2\n"),
               "simulation.seed is set by the sweep (seeds = per_point)");
    EXPECT_HAS(error_of("seeds = config\nreplicates = 2\n"),
               "replicates = 2 with seeds = config would run the same config");
    EXPECT_HAS(error_of("[zip.2x]\npoisson.ext_E.rate = 1 Hz\n"),
               "[zip.2x]: the group name must be a name");
    EXPECT_HAS(error_of("[grid]\npoisson.ext_E.rate = 1\tHz, 2 Hz\n"),
               "a tab is not allowed in a value");
    try {
        parse_spec_text("[sweep]\nconfig = no_such.ini\n", "/tmp/s.ini");
        FAIL();
    } catch (const input_error& e) {
        EXPECT_HAS(std::string(e.what()),
                   "/tmp/s.ini:2: [sweep] config = 'no_such.ini': no such file /tmp/no_such.ini");
    }
    EXPECT_THROW(read_spec("/no/such/spec.ini"), input_error);
}

// Values are checked against the config schema when the points are expanded: the message names
// the spec's line, section, key and which value, then what the config reader says about it.
TEST(SweepSpec, BadAxisValuesAreReportedBeforeAnythingRuns) {
    EXPECT_HAS(error_of("[grid]\npoisson.ext_E.rate = 15 Hz, 20, 25 Hz\n", true),
               "/tmp/s.ini:4: [grid] poisson.ext_E.rate (value 2 of 3): [poisson.ext_E] rate = "
               "'20': a frequency or "
               "rate needs a unit");
    EXPECT_HAS(error_of("[grid]\npoisson.ext_E.rtae = 15 Hz\n", true),
               "/tmp/s.ini:4: [grid] poisson.ext_E.rtae (value 1 of 1): unknown key 'rtae' in "
               "[poisson.ext_E]; did you mean 'rate'?");
    EXPECT_HAS(error_of("[set]\npopulation.E.size = -3\n", true),
               "/tmp/s.ini:4: [set] population.E.size: [population.E] size = '-3'");
    // Each bad value is reported once, however many points use it, with the count of bad points.
    const std::string both =
        error_of("replicates = 2\n[grid]\npoisson.ext_E.rate = 1 kg, 20 Hz, 2 V\n", true);
    EXPECT_HAS(both, "(value 1 of 3)");
    EXPECT_HAS(both, "(value 3 of 3)");
    EXPECT_HAS(both, "(4 of 6 points have an invalid config; nothing was written)");
    EXPECT_EQ(both.find("(value 1 of 3)"), both.rfind("(value 1 of 3)"));
    // A sampled value outside the key's range names the sample and the value drawn.
    EXPECT_HAS(error_of("[sample]\ncount = 50\npoisson.ext_E.rate = normal(1 Hz, 5 Hz)\n", true),
               "[sample] poisson.ext_E.rate = normal(1 Hz, 5 Hz) (sample ");
    // Values that mean the same make two identical points.
    EXPECT_HAS(error_of("seeds = common\n[grid]\npoisson.ext_E.rate = 20 Hz, 0.02 kHz\n", true),
               "points 0 and 1 have the same resolved config");
}

// The wide-spread exploration copies the trial's spec (a spec cannot include another): it must
// keep the trial's base config, seeds, sample count and every distribution, except the spread
// of the two factors it widens, and run the trial's 20 mg arm only (docs/model/outcomes.md).
TEST(SweepSpec, WideSpreadTrialDiffersFromTheTrialOnlyInTheTwoSpreads) {
    const Spec trial = read_spec(test::source_path("configs/sweeps/trial_escitalopram.ini"));
    const Spec wide =
        read_spec(test::source_path("configs/sweeps/trial_escitalopram_wide_spread.ini"));
    EXPECT_EQ(wide.base_config, trial.base_config);
    EXPECT_EQ(wide.seed, trial.seed);
    EXPECT_EQ(wide.seeds, trial.seeds);
    EXPECT_EQ(wide.samples, trial.samples);
    ASSERT_EQ(wide.grid.size(), 1u);
    ASSERT_EQ(trial.grid.size(), 1u);
    EXPECT_EQ(wide.grid[0].name, trial.grid[0].name);
    EXPECT_EQ(wide.grid[0].axes[0].values, std::vector<std::string>{"20 mg"});
    ASSERT_EQ(wide.sampled.size(), trial.sampled.size());
    for (std::size_t i = 0; i < trial.sampled.size(); ++i) {
        const Axis &t = trial.sampled[i], &w = wide.sampled[i];
        ASSERT_EQ(w.key, t.key);
        if (t.key == "patient.bdnf_expression" || t.key == "patient.pfc_amygdala_coupling")
            EXPECT_EQ(w.text, "normal(0.75, 0.2, 0.3, 1)") << t.key;
        else
            EXPECT_EQ(w.text, t.text) << t.key;
    }
}
