#include <gtest/gtest.h>

#include <algorithm>
#include <cstring>
#include <string>

#include "config/config.hpp"
#include "config/schema.hpp"
#include "neurochem/errors.hpp"
#include "test_util.hpp"

using namespace neurochem;
using namespace neurochem::config;

namespace {
const char* minimal = R"(
[simulation]
duration = 100 ms

[population.E]   # a comment after a header
model = lif_coba
size = 10

[projection.E->E]
rule = fixed_indegree
indegree = 3
weight = 1 nS
receptor = exc
)";

ResolvedConfig resolve_text(const std::string& text, const std::vector<std::string>& sets = {}) {
    auto raw = parse_config_text(text, "test.ini");
    for (const auto& s : sets)
        apply_override(raw, s);
    return resolve(raw);
}

/// The message of the input_error that resolving (and converting) `text` throws.
std::string error_of(const std::string& text, const std::vector<std::string>& sets = {}) {
    try {
        to_model(resolve_text(text, sets));
    } catch (const input_error& e) {
        return e.what();
    }
    ADD_FAILURE() << "no error for:\n" << text;
    return "";
}

void expect_contains(const std::string& haystack, const std::string& needle) {
    EXPECT_NE(haystack.find(needle), std::string::npos)
        << "'" << needle << "' not in: " << haystack;
}
}  // namespace

TEST(Config, ReferenceConfigsResolveAndCanonicalFormIsAFixedPoint) {
    for (const char* f : {"configs/coba.ini", "configs/cuba.ini", "configs/brunel.ini"}) {
        const auto c = resolve(read_config_file(test::source_path(f)));
        const auto again = resolve(parse_config_text(c.canonical_text, "canonical"));
        EXPECT_EQ(c.canonical_text, again.canonical_text) << f;
        EXPECT_EQ(c.hash, again.hash) << f;
        EXPECT_EQ(c.hash.size(), 64u);
        EXPECT_NO_THROW(to_model(c)) << f;
    }
}

TEST(Config, CanonicalFormListsEveryApplicableKeyWithUnits) {
    const auto c = resolve_text(minimal);
    const auto& t = c.canonical_text;
    for (const char* line :
         {"dt = 0.1 ms", "duration = 100 ms", "seed = 1", "C_m = 250 pF", "tau_m = 15 ms",
          "E_rev_inh = -85 mV", "V_init = -70 mV", "delay = 1 ms", "autapses = true",
          "multapses = true", "syn_init_exc = 0 nS", "rate_bin = 1 ms"}) {
        expect_contains(t, std::string("\n") + line + "\n");
    }
    EXPECT_EQ(t.find("probability"), std::string::npos);  // not used by fixed_indegree
    EXPECT_EQ(t.find("tau_w"), std::string::npos);        // AdEx only
}

TEST(Config, HashIgnoresOrderSpacingCommentsAndUnitSpelling) {
    const std::string reordered = R"(
[projection.E->E]
receptor=exc
weight = 0.001 uS    # same value
indegree = 3
rule = fixed_indegree
[population.E]
size = 10
model = lif_coba
[simulation]
duration = 0.1 s
)";
    EXPECT_EQ(resolve_text(minimal).hash, resolve_text(reordered).hash);
    EXPECT_NE(resolve_text(minimal).hash, resolve_text(minimal, {"simulation.seed=2"}).hash);
}

TEST(Config, OverridesApplyAndCanCreateSections) {
    const auto m = to_model(resolve_text(
        minimal, {"population.E.size=20", "poisson.bg.target=E", "poisson.bg.receptor=exc",
                  "poisson.bg.rate=5 Hz", "poisson.bg.weight=2 nS"}));
    EXPECT_EQ(m.populations[0].size, 20u);
    ASSERT_EQ(m.poisson.size(), 1u);
    EXPECT_EQ(m.poisson[0].rate_Hz, 5.0);
}

TEST(Config, MissingUnitNamesFileLineKeyValueAndAllowedUnits) {
    std::string text = minimal;
    text.replace(text.find("duration = 100 ms"), 17, "duration = 100");
    const auto m = error_of(text);
    expect_contains(m, "test.ini:3");
    expect_contains(m, "[simulation] duration = '100'");
    expect_contains(m, "needs a unit");
    expect_contains(m, "s, ms, us, min, h, day");
}

TEST(Config, UnknownKeySuggestsTheClosest) {
    const auto m = error_of(std::string(minimal) +
                            "\n[population.I]\nmodel = lif_coba\nsize = 2\ntau_mem = 10 ms\n");
    expect_contains(m, "unknown key 'tau_mem' in [population.I]");
    expect_contains(m, "did you mean 'tau_m'?");
    expect_contains(m, "test.ini:18");
}

TEST(Config, WrongTypeAndOutOfRangeAreErrors) {
    expect_contains(error_of(minimal, {"population.E.size=1.5"}), "expected a whole number");
    expect_contains(error_of(minimal, {"population.E.size=0"}),
                    "out of range; allowed: [1, 4294967295]");
    expect_contains(error_of(minimal, {"population.E.tau_m=-5 ms"}),
                    "out of range; allowed: > 0 ms");
    expect_contains(error_of(minimal, {"population.E.record_spikes=maybe"}), "expected a boolean");
    expect_contains(error_of(minimal, {"population.E.model=hh"}),
                    "unknown model; allowed: lif_coba");
    expect_contains(error_of(minimal, {"projection.E->E.weight=1 mV"}),
                    "is a unit of a voltage, but a conductance is needed");
    expect_contains(error_of(minimal, {"population.E.V_init=gauss(1 mV, 2 mV)"}),
                    "unknown distribution 'gauss'");
    const auto m = error_of(minimal, {"population.E.size=abc"});
    expect_contains(m, "--set population.E.size=abc");
}

TEST(Config, KeysOfOtherModelsOrRulesAreErrors) {
    expect_contains(error_of(minimal, {"population.E.tau_w=10 ms"}),
                    "not used by model lif_coba; it applies to: adex_coba");
    expect_contains(error_of(minimal, {"projection.E->E.probability=0.1"}),
                    "not used by rule fixed_indegree; it applies to: pairwise_bernoulli");
}

TEST(Config, MissingRequiredKeyAndUnknownSectionAndDuplicates) {
    expect_contains(error_of("[population.E]\nmodel = lif_coba\n"),
                    "[population.E] is missing the required key 'size' (integer, [1, 4294967295]");
    expect_contains(error_of(std::string(minimal) + "[populaton.X]\nsize = 1\n"),
                    "unknown section [populaton.X]; did you mean [population.X]?");
    expect_contains(error_of(std::string(minimal) + "[population.E]\nsize = 3\n"), "is set twice");
    expect_contains(error_of("seed = 3\n[population.E]\nmodel = lif_coba\nsize = 1\n"),
                    "stands before any [section] header");
}

TEST(Config, CrossReferencesAreChecked) {
    expect_contains(
        error_of(std::string(minimal) +
                 "[projection.E->X]\nrule = one_to_one\nweight = 1 nS\nreceptor = exc\n"),
        "refers to population 'X', which is not defined; defined populations: E");
    expect_contains(error_of(minimal, {"projection.E->E.receptor=nmda"}),
                    "targets receptor 'nmda' of population 'E', which has only: exc, inh");
    expect_contains(
        error_of(minimal, {"projection.E->E.multapses=false", "projection.E->E.autapses=false",
                           "projection.E->E.indegree=10"}),
        "indegree 10 exceeds the 9 distinct sources");
    // A check across two keys names both (issue 15).
    expect_contains(error_of(minimal, {"simulation.duration=1.05 ms", "simulation.dt=0.1 ms"}),
                    "--set simulation.duration=1.05 ms: [simulation] duration = '1.05 ms' (with "
                    "[simulation] dt = "
                    "'0.1 ms' at --set simulation.dt=0.1 ms): not a whole number of steps of dt.");
    // Runs beyond 2^53 steps are refused, not clamped (1e300 day ran 9.2e14 s).
    expect_contains(error_of(minimal, {"simulation.duration=1e300 day"}), "more than the 2^53");
    expect_contains(error_of(minimal, {"simulation.dt=1e-300 ms"}),
                    "1e+302 steps, more than the 2^53 (9.0e15) a run can count exactly");
    expect_contains(error_of(minimal, {"projection.E->E.delay=0.15 ms"}),
                    "whole number of time steps");
    expect_contains(
        error_of(std::string(minimal) + "[receptor.E.exc]\ntau_syn = 1 ms\nE_rev = 0 mV\n"),
        "ports 'exc' and 'inh' exist already");
}

TEST(Config, ReceptorSectionsAddPorts) {
    const auto m = to_model(
        resolve_text(std::string(minimal) + "[receptor.E.nmda]\ntau_syn = 100 ms\nE_rev = 0 mV\n",
                     {"projection.E->E.receptor=nmda"}));
    ASSERT_EQ(m.populations[0].receptors.size(), 3u);
    EXPECT_EQ(m.populations[0].receptors[2].name, "nmda");
    EXPECT_EQ(m.populations[0].receptors[2].tau_syn_ms, 100.0);
}

TEST(Config, DistributionsParseAndPrintCanonically) {
    const auto c = resolve_text(minimal, {"population.E.V_init=uniform(-0.07 V, -50 mV)",
                                          "projection.E->E.weight=normal(1 nS, 100 pS, 0 nS)"});
    expect_contains(c.canonical_text, "V_init = uniform(-70 mV, -50 mV)");
    expect_contains(c.canonical_text, "weight = normal(1 nS, 0.1 nS, 0 nS)");
    const auto m = to_model(c);
    EXPECT_EQ(m.projections[0].weight.kind, Distribution::Kind::normal);
    EXPECT_EQ(m.projections[0].weight.min, 0.0);
}

TEST(Config, ReferenceListsEveryKey) {
    const std::string ref = config_reference();
    for (const auto& s : schema()) {
        expect_contains(ref, s.pattern);
        for (const auto& k : s.keys)
            expect_contains(ref, "\n  " + k.key + "\n");
    }
}

// The slow-biology sections (docs/model/slow.md) and the bath route: bad references and bounds
// name the section, the key and what is allowed.
TEST(Config, SlowBiologySectionsAreChecked) {
    const std::string chem =
        std::string(minimal) +
        "[population.R]\nmodel = lif_coba\nsize = 5\nregion = raphe\nexpresses = A\n"
        "[chemistry]\n[pool.raphe.5HT]\ninitial = 0.05 uM\n"
        "[receptor_type.A]\nligand = 5HT\ncoupling = Gi\nKd = 1 uM\n"
        "[protocol]\nslow_step = 1 h\nwindow = 10 ms\nsettle = 0 ms\n";
    expect_contains(error_of(chem + "[regulation.x]\npopulation = E\nreceptor = A\ndown = 1 /h\n"),
                    "population 'E' does not express it; it expresses: none");
    expect_contains(error_of(chem + "[regulation.x]\npopulation = R\nreceptor = A\nmin = 2\n"),
                    "must contain the initial efficacy of receptor type A");
    expect_contains(error_of(chem + "[regulation.x]\npopulation = R\nreceptor = A\nup = 1 /h\n"),
                    "has no drug target (antagonist = none)");
    expect_contains(
        error_of(chem +
                 "[regulation.x]\npopulation = R\nreceptor = A\n[regulation.y]\npopulation = R\n"
                 "receptor = A\n"),
        "already regulated by [regulation.x]");
    expect_contains(error_of(chem + "[bdnf.E]\n"), "expresses no receptor types");
    expect_contains(error_of(chem + "[inositol.R]\n"),
                    "[inositol.R]: population 'R' expresses no Gq-coupled receptor type");
    expect_contains(error_of(chem + "[inositol.E]\n"), "expresses no receptor types");
    expect_contains(error_of(chem + "[inositol.X]\n"), "there is no population 'X'");
    expect_contains(error_of(chem + "[inositol.R]\ninitial = 1.5\n"), "initial");
    expect_contains(error_of(chem + "[neurogenesis.R]\nbdnf = E\n"),
                    "there is no [bdnf.E] section");
    expect_contains(error_of(chem + "[bdnf.R]\ngates = E->R\n"),
                    "[bdnf.R] gates = 'E->R': names no projection 'E->R'");
    expect_contains(
        error_of(chem + "[projection.E->R]\nreceptor = exc\nrule = all_to_all\nweight = 1 nS\n"
                        "[bdnf.R]\ngates = E->R\n"),
        "'E->R' has no plasticity ([plasticity.E->R] rule = three_factor, stdp_pair or "
        "stdp_triplet)");
    expect_contains(error_of(chem + "[scaling.E]\ntarget = 1 Hz\ntau = 1 day\n"),
                    "expresses no receptor types");
    expect_contains(error_of(chem + "[scaling.R]\nports = ampa\ntarget = 1 Hz\ntau = 1 day\n"),
                    "population 'R' has no input port 'ampa'; its ports: exc, inh");
    expect_contains(error_of(chem + "[scaling.R]\ntarget = 1 Hz\ntau = 1 day\nmin = 2\n"),
                    "must contain the starting factor 1");
    expect_contains(error_of(chem + "[scaling.R]\ntau = 1 day\n"),
                    "[scaling.R] target = '0 Hz': must be a rate > 0 Hz with set_point = given");
    expect_contains(
        error_of(chem + "[scaling.R]\ntarget = 1 Hz\ntau = 1 day\nset_point = baseline\n"
                        "baseline_until = 2 days\n"),
        "target = '1 Hz': is measured with set_point = baseline");
    expect_contains(error_of(chem + "[scaling.R]\ntau = 1 day\nset_point = baseline\n"
                                    "baseline_from = 3 days\nbaseline_until = 2 days\n"),
                    "must be later than baseline_from (72 h)");
    expect_contains(error_of(chem + "[scaling.R]\ntarget = 1 Hz\ntau = 1 day\nsense = awake\n"),
                    "sense = 'awake': needs a [sleep] section");
    expect_contains(error_of(chem + "[scaling.R]\ntarget = 1 Hz\ntau = 1 day\nsense = dozing\n"),
                    "dozing");
    expect_contains(error_of(chem + "[session.s]\nstart = 0 h\nlength = 1 h\nisolate = E\n"),
                    "[session.s]: population 'E' expresses no receptor types, and a slice cuts "
                    "its input");
    expect_contains(error_of(chem + "[session.s]\nstart = 0 h\nlength = 1 h\nisolate = X\n"),
                    "[session.s]: there is no population 'X'");
    expect_contains(
        error_of(
            chem +
            "[sleep]\ndrive = d\nsleep_population = R\nwake_populations = E\n"
            "pressure_inhibits = nothere\n[poisson.d]\ntarget = R\nreceptor = exc\nrate = 1 Hz\n"
            "sources = 1\nweight = 1 nS\n"),
        "there is no Poisson drive 'nothere'");
    // The two sleep-pressure laws take their own keys (docs/model/circuit.md).
    const std::string sleep = chem +
                              "[poisson.d]\ntarget = R\nreceptor = exc\nrate = 1 Hz\n"
                              "sources = 1\nweight = 1 nS\n[sleep]\ndrive = d\n"
                              "sleep_population = R\n";
    expect_contains(error_of(sleep + "wake_populations = E\nawake_level = 18\n"),
                    "[sleep] pressure_law = 'rate': is rate, which takes no chi_asleep, "
                    "awake_level or asleep_level");
    expect_contains(error_of(sleep + "pressure_law = state\nasleep_level = 9\n"),
                    "[sleep] awake_level = '0': is needed with pressure_law = state");
    expect_contains(error_of(sleep + "pressure_law = state\nawake_level = 9\nasleep_level = 9\n"),
                    "[sleep] awake_level = '9': must exceed asleep_level");
    expect_contains(error_of(sleep), "[sleep] wake_populations = 'none': names no population");
    EXPECT_NO_THROW(to_model(resolve_text(sleep + "pressure_law = state\nawake_level = 18\n")));
    expect_contains(
        error_of(chem + "[drug.D]\nmolar_mass = 300\nVd = 1 L/kg\nhalf_life = 1 h\n"
                        "[regimen.r]\ndrug = D\nroute = bath\ndose = 1 mg\nconcentration = 1 nM\n"),
        "dose");
    expect_contains(error_of(chem + "[regimen.r]\ndrug = D\nroute = sniffed\n"),
                    "unknown route; allowed: oral, iv_bolus, iv_infusion, bath");
    // Mixtures (racemates): components must be defined parents whose shares add up to <= 1.
    const std::string drugs = chem +
                              "[drug.S]\nmolar_mass = 300\nVd = 1 L/kg\nhalf_life = 1 h\n"
                              "[drug.R]\nmolar_mass = 300\nVd = 1 L/kg\nhalf_life = 2 h\n"
                              "[drug.M]\nparent = S\nmolar_mass = 300\nVd = 1 L/kg\n"
                              "half_life = 2 h\n[regimen.r]\ndrug = rac\ndose = 1 mg\n";
    expect_contains(error_of(drugs + "[mixture.rac]\ncomponents = S: 0.5, X: 0.5\n"),
                    "mixture 'rac': components: drug 'X' is not defined.");
    expect_contains(error_of(drugs + "[mixture.rac]\ncomponents = S: 0.7, R: 0.5\n"),
                    "mixture 'rac': components add up to 1.2 of the dose");
    expect_contains(error_of(drugs + "[mixture.rac]\ncomponents = S: 0.5, M: 0.5\n"),
                    "'M' is a metabolite; list parents only.");
    expect_contains(error_of(drugs + "[mixture.rac]\ncomponents = S: 1.5\n"), "components");
    expect_contains(error_of(drugs + "[mixture.S]\ncomponents = R: 1\n"),
                    "mixture 'S': a drug of that name is defined too.");
    expect_contains(error_of(drugs), "regimen 'r': drug 'rac' is not defined");
}

// Issue 15, messages: every message names file:line, shows the offending text escaped and
// truncated, and says what is allowed; a UTF-8 byte order mark is not an invalid line.
TEST(Config, MessagesNameTheLineAndShowValuesEscapedAndShort) {
    // A BOM at the start (Windows editors) is ignored: the same hash as without it.
    EXPECT_EQ(resolve_text("\xEF\xBB\xBF" + std::string(minimal)).hash, resolve_text(minimal).hash);
    std::string text = minimal;
    // Binary bytes: the line, the column, the bytes as \xNN.
    text.replace(text.find("duration = 100 ms"), 17, "duration = 1\x01\xff ms");
    auto m = error_of(text);
    expect_contains(m,
                    "test.ini:3: contains a byte that is not text (at column 13: "
                    "'duration = 1\\x01\\xFF ms'); a config file is UTF-8 text.");
    // A line that is neither header, assignment nor comment: named with its number.
    m = error_of(std::string(minimal) + "this is junk\n");
    expect_contains(
        m, "test.ini:" +
               std::to_string(std::count(minimal, minimal + std::strlen(minimal), '\n') + 1) +
               ": 'this is junk' is not a [section] header, 'key = value', or a comment");
    // A 1 MB value is cut to 80 characters with its size.
    text = minimal;
    text.replace(text.find("duration = 100 ms"), 17,
                 "duration = " + std::string(1000000, '9') + " s");
    m = error_of(text);
    expect_contains(m, "[simulation] duration = '" + std::string(80, '9') + "... (1000002 bytes)'");
    EXPECT_LT(m.size(), 400u) << m;
    // 'inf ms' where a finite time is needed says so (it said "expected a time with a unit").
    text = minimal;
    text.replace(text.find("duration = 100 ms"), 17, "duration = inf ms");
    expect_contains(error_of(text),
                    "'inf' is not allowed here: a time must be finite, e.g. '1 ms'");
    // A tab inside a value is shown as \t.
    text = minimal;
    text.replace(text.find("duration = 100 ms"), 17, "duration = 100 ms\tx");
    expect_contains(error_of(text), "duration = '100 ms\\tx'");
    // A check across two keys names both lines.
    text = std::string(minimal) + "[output]\nrate_bin = 0.25 ms\n";
    const auto lines = std::count(text.begin(), text.end(), '\n');
    expect_contains(error_of(text), "test.ini:" + std::to_string(lines) +
                                        ": [output] rate_bin = '0.25 ms' (with [simulation] dt = "
                                        "'0.1 ms' at test.ini (default))");
    // A model check names the line of its section (or of the key it names).
    text = minimal;
    text.replace(text.find("indegree = 3"), 12, "indegree = 3\ndelay = 0.05 ms");
    expect_contains(error_of(text), "test.ini:10: projection 'E->E': the delay must be");
    expect_contains(error_of(minimal, {"projection.E->E.delay=0.05ms"}),
                    "test.ini:10: projection 'E->E'");
    expect_contains(error_of(minimal, {"population.E.C_m=0pF"}), "--set population.E.C_m=0pF");
}
