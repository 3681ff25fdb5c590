// The VLPO type-2 hypothesis (configs/main/vlpo_type2/, docs/model/slow.md "VLPO type-2
// neurons"): sleep-promoting VLPO cells that 5-HT excites, beside the type-1 cells it inhibits.
// The main job's escitalopram arm with both types, to the morning after the first dose (day 10
// 08:00): the untreated nights of days 3-9 are whole nights carried by both types, and on the
// drug's first night, when the SSRI's 5-HT silences type 1 (without type 2 the patient does not
// sleep that night, docs/model/outcomes.md), type 2 carries hours of sleep and LC falls from
// its awake rate. What is checked is the split of VLPO into a part that 5-HT inhibits and a part it
// does not; the size of type 2's excitation by 5-HT (~2 h a night in week 1) is measured in the
// runs of docs/model/slow.md, not here (this night is 4 h with or without it).
#include <gtest/gtest.h>

#include "config/config.hpp"
#include "course_util.hpp"
#include "test_util.hpp"

using namespace neurochem;
using config::ResolvedSection;

TEST(VlpoType2, CellsFiveHtDoesNotInhibitCarryTheSsrisFirstNight) {
    const auto r = test::run_course(
        test::load_model("configs/main/vlpo_type2/escitalopram.ini", {"simulation.duration=276 h"}),
        {"time_h", "step_h", "state/sleep/asleep", "rate/VLPO", "rate/VLPO_2", "rate/LC"});
    const std::size_t T = r.col[0], D = r.col[1], S = r.col[2], V1 = r.col[3], V2 = r.col[4],
                      LC = r.col[5];
    // Per night (noon to noon): hours asleep, and the mean rates of the asleep steps.
    struct Night {
        double slept_h = 0, v1 = 0, v2 = 0, lc_asleep = 0, lc_awake = 0, awake_h = 0;
    };
    std::vector<Night> nights(11);
    for (const auto& row : r.rows) {
        // A row is written at its step's end: the step began at time_h - step_h.
        const double begin_h = row[T] - row[D];
        const int n = static_cast<int>((begin_h - 12.0) / 24.0);
        if (begin_h < 12.0 || n >= 11) continue;
        Night& x = nights[static_cast<std::size_t>(n)];
        if (row[S] > 0.5) {
            x.slept_h += row[D];
            x.v1 += row[V1] * row[D];
            x.v2 += row[V2] * row[D];
            x.lc_asleep += row[LC] * row[D];
        } else {
            x.awake_h += row[D];
            x.lc_awake += row[LC] * row[D];
        }
    }
    for (int n = 3; n <= 9; ++n) {
        const Night& x = nights[static_cast<std::size_t>(n)];
        EXPECT_GE(x.slept_h, 7.0) << "untreated night " << n;
        EXPECT_LE(x.slept_h, 12.0) << "untreated night " << n;
        EXPECT_GT(x.v1 / x.slept_h, 8.0) << "both types fire asleep, night " << n;
        EXPECT_GT(x.v2 / x.slept_h, 8.0) << "both types fire asleep, night " << n;
    }
    const Night& first = nights[10];  // day 10 12:00 to day 11 12:00, the drug on since 08:00
    ASSERT_GE(first.slept_h, 3.0) << "the first night on the drug (4 h; the default circuit: 0)";
    EXPECT_LT(first.v1 / first.slept_h, 5.0) << "5-HT silences type 1";
    EXPECT_GT(first.v2 / first.slept_h, 10.0) << "type 2 carries the sleep";
    EXPECT_LT(first.lc_asleep / first.slept_h, 0.8 * first.lc_awake / first.awake_h);
}

// The two arms of the hypothesis write the same overrides (VLPO's output split, [sleep]) each,
// since two included files may not both set them: resolved, they must agree on every key of
// every section, and differ only by the drug's sections.
TEST(VlpoType2, ArmsDifferOnlyByTheDrug) {
    auto resolved = [](const std::string& rel) {
        return config::resolve(config::read_config_file(test::source_path(rel)));
    };
    const auto untreated = resolved("configs/main/vlpo_type2/untreated.ini");
    const auto treated = resolved("configs/main/vlpo_type2/escitalopram.ini");
    for (const auto& s : treated.sections) {
        const ResolvedSection* u = untreated.find(s.name);
        if (s.kind == "drug" || s.kind == "regimen") {
            EXPECT_EQ(u, nullptr) << s.name;
            continue;
        }
        ASSERT_NE(u, nullptr) << s.name << " is missing from the untreated arm";
        for (const auto& [key, value] : s.values)
            EXPECT_EQ(u->at(key).text, value.text) << "[" << s.name << "] " << key;
    }
    for (const auto& s : untreated.sections)
        EXPECT_NE(treated.find(s.name), nullptr) << s.name << " is missing from the treated arm";
    EXPECT_EQ(treated.find("sleep")->at("sleep_population").text, "VLPO, VLPO_2");
}
