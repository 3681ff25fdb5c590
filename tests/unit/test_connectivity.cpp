#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <set>

#include "core/connectivity.hpp"
#include "core/input_ring.hpp"
#include "core/synapse/synapse_block.hpp"

using namespace neurochem;

namespace {
PopulationSpec pop(const std::string& name, std::uint64_t n) {
    PopulationSpec p;
    p.name = name;
    p.size = n;
    p.receptors = {{"exc", 5, 0, {}}, {"inh", 10, -80, {}}};
    return p;
}
ProjectionSpec proj(const std::string& pre, const std::string& post, ConnectionRule rule) {
    ProjectionSpec p;
    p.name = pre + "->" + post;
    p.pre = pre;
    p.post = post;
    p.receptor = "exc";
    p.rule = rule;
    p.weight = Distribution::constant(1.0);
    p.delay_ms = Distribution::constant(1.0);
    return p;
}
}  // namespace

TEST(Connectivity, FixedIndegreeWithoutMultapsesOrAutapses) {
    const auto A = pop("A", 50);
    auto pr = proj("A", "A", ConnectionRule::fixed_indegree);
    pr.indegree = 49;  // every other neuron: the hardest case for distinct sampling
    pr.autapses = false;
    pr.multapses = false;
    ConnectionSampler s(pr, A, A, 5, 0.1);
    ConnectionSampler::Scratch scratch;
    std::vector<std::uint32_t> src;
    for (std::uint64_t j = 0; j < 50; ++j) {
        s.sources(j, src, scratch);
        ASSERT_EQ(src.size(), 49u);
        ASSERT_TRUE(std::is_sorted(src.begin(), src.end()));
        ASSERT_EQ(std::set<std::uint32_t>(src.begin(), src.end()).size(), 49u);
        ASSERT_EQ(std::count(src.begin(), src.end(), j), 0);
    }
    pr.indegree = 10;
    ConnectionSampler s10(pr, A, A, 5, 0.1);
    std::vector<int> hits(50, 0);
    for (std::uint64_t j = 0; j < 50; ++j) {
        s10.sources(j, src, scratch);
        ASSERT_EQ(std::set<std::uint32_t>(src.begin(), src.end()).size(), 10u);
        ASSERT_EQ(std::count(src.begin(), src.end(), j), 0);
    }
}

// Out-degrees under fixed in-degree with multapses are Binomial(N_post K, 1/N_pre).
TEST(Connectivity, FixedIndegreeSourcesAreUniform) {
    const auto A = pop("A", 200), B = pop("B", 1000);
    auto pr = proj("A", "B", ConnectionRule::fixed_indegree);
    pr.indegree = 100;
    ConnectionSampler s(pr, A, B, 9, 0.1);
    ConnectionSampler::Scratch scratch;
    std::vector<std::uint32_t> src;
    std::vector<double> out(200, 0);
    for (std::uint64_t j = 0; j < 1000; ++j) {
        s.sources(j, src, scratch);
        ASSERT_EQ(src.size(), 100u);
        for (auto x : src) out[x] += 1;
    }
    const double n = 1000 * 100, p = 1.0 / 200;
    double mean = 0, var = 0;
    for (double c : out) mean += c / 200;
    for (double c : out) var += (c - mean) * (c - mean) / 199;
    EXPECT_DOUBLE_EQ(mean, n * p);
    const double var_expected = n * p * (1 - p);
    // The sample variance of 200 values: relative standard error sqrt(2/199).
    EXPECT_NEAR(var / var_expected, 1.0, 5 * std::sqrt(2.0 / 199));
}

// Large source populations take the sort path, small ones the bitmap scan: both give the
// sorted set of distinct sources.
TEST(Connectivity, FixedIndegreeWithoutMultapsesLargeAndSmallPools) {
    const auto A = pop("A", 100000), B = pop("B", 20);
    for (std::uint64_t K : {10u, 1000u, 30000u}) {
        auto pr = proj("A", "B", ConnectionRule::fixed_indegree);
        pr.indegree = K;
        pr.multapses = false;
        ConnectionSampler s(pr, A, B, 4, 0.1);
        ConnectionSampler::Scratch scratch;
        std::vector<std::uint32_t> src;
        for (std::uint64_t j = 0; j < 20; ++j) {
            s.sources(j, src, scratch);
            ASSERT_EQ(src.size(), K);
            ASSERT_TRUE(std::adjacent_find(src.begin(), src.end(), std::greater_equal<>()) == src.end()) << K;
            ASSERT_LT(src.back(), 100000u);
        }
        for (auto w : scratch.seen) ASSERT_EQ(w, 0u) << "the bitmap is left clean";
    }
}

// fixed_total_number: in-degrees are Multinomial(total; 1/N_post), so they sum to the total
// exactly and each is Binomial(total, 1/N_post); sources are uniform with multapses.
TEST(Connectivity, FixedTotalNumberIsMultinomial) {
    const auto A = pop("A", 700), B = pop("B", 1001);
    auto pr = proj("A", "B", ConnectionRule::fixed_total_number);
    pr.total_synapses = 250003;
    ConnectionSampler s(pr, A, B, 17, 0.1);
    ConnectionSampler::Scratch scratch;
    std::vector<std::uint32_t> src;
    std::uint64_t total = 0;
    double sum2 = 0;
    std::vector<double> out(700, 0);
    for (std::uint64_t j = 0; j < 1001; ++j) {
        const std::uint64_t k = s.indegree(j);
        s.sources(j, src, scratch);
        ASSERT_EQ(src.size(), k);
        ASSERT_TRUE(std::is_sorted(src.begin(), src.end()));
        for (auto x : src) out[x] += 1;
        total += k;
        sum2 += static_cast<double>(k * k);
    }
    EXPECT_EQ(total, 250003u);
    const double mean = 250003.0 / 1001, var = sum2 / 1001 - mean * mean;
    const double v0 = 250003.0 * (1.0 / 1001) * (1 - 1.0 / 1001);
    EXPECT_NEAR(var / v0, 1.0, 5 * std::sqrt(2.0 / 1000));
    // Out-degrees: Binomial(total, 1/700).
    double om = 0, ov = 0;
    for (double c : out) om += c / 700;
    for (double c : out) ov += (c - om) * (c - om) / 699;
    EXPECT_NEAR(ov / (250003.0 / 700 * (1 - 1.0 / 700)), 1.0, 5 * std::sqrt(2.0 / 699));
    // A different seed gives different in-degrees; the same seed the same ones.
    ConnectionSampler s2(pr, A, B, 18, 0.1), s3(pr, A, B, 17, 0.1);
    int differ = 0;
    for (std::uint64_t j = 0; j < 50; ++j) {
        differ += s2.indegree(j) != s.indegree(j);
        ASSERT_EQ(s3.indegree(j), s.indegree(j));
    }
    EXPECT_GT(differ, 25);
}

TEST(Connectivity, FixedTotalNumberWithoutAutapses) {
    const auto A = pop("A", 30);
    auto pr = proj("A", "A", ConnectionRule::fixed_total_number);
    pr.total_synapses = 5000;
    pr.autapses = false;
    ConnectionSampler s(pr, A, A, 2, 0.1);
    ConnectionSampler::Scratch scratch;
    std::vector<std::uint32_t> src;
    std::uint64_t total = 0;
    for (std::uint64_t j = 0; j < 30; ++j) {
        s.sources(j, src, scratch);
        total += src.size();
        ASSERT_EQ(std::count(src.begin(), src.end(), j), 0);
    }
    EXPECT_EQ(total, 5000u);
}

// In-degrees under pairwise_bernoulli are Binomial(N_pre, p).
TEST(Connectivity, PairwiseBernoulliCountsAreBinomial) {
    for (double p : {0.02, 0.3}) {
        const auto A = pop("A", 4000), B = pop("B", 2000);
        auto pr = proj("A", "B", ConnectionRule::pairwise_bernoulli);
        pr.probability = p;
        ConnectionSampler s(pr, A, B, 3, 0.1);
        ConnectionSampler::Scratch scratch;
        std::vector<std::uint32_t> src;
        double sum = 0, sum2 = 0;
        std::vector<double> per_source(4000, 0);
        for (std::uint64_t j = 0; j < 2000; ++j) {
            s.sources(j, src, scratch);
            ASSERT_TRUE(std::adjacent_find(src.begin(), src.end(), std::greater_equal<>()) == src.end());
            for (auto x : src) {
                ASSERT_LT(x, 4000u);
                per_source[x] += 1;
            }
            sum += static_cast<double>(src.size());
            sum2 += static_cast<double>(src.size() * src.size());
        }
        const double mean = sum / 2000, var = sum2 / 2000 - mean * mean;
        const double m0 = 4000 * p, v0 = 4000 * p * (1 - p);
        EXPECT_NEAR(mean, m0, 5 * std::sqrt(v0 / 2000)) << p;
        EXPECT_NEAR(var / v0, 1.0, 5 * std::sqrt(2.0 / 2000)) << p;
        // First and last sources are reachable (no off-by-one at the ends).
        EXPECT_GT(per_source.front(), 0);
        EXPECT_GT(per_source.back(), 0);
    }
}

TEST(Connectivity, OneToOneAllToAllAndExtremeProbabilities) {
    const auto A = pop("A", 30);
    ConnectionSampler::Scratch scratch;
    std::vector<std::uint32_t> src;
    ConnectionSampler one(proj("A", "A", ConnectionRule::one_to_one), A, A, 1, 0.1);
    one.sources(7, src, scratch);
    EXPECT_EQ(src, std::vector<std::uint32_t>{7});
    auto all = proj("A", "A", ConnectionRule::all_to_all);
    all.autapses = false;
    ConnectionSampler a(all, A, A, 1, 0.1);
    a.sources(7, src, scratch);
    EXPECT_EQ(src.size(), 29u);
    EXPECT_EQ(std::count(src.begin(), src.end(), 7u), 0);
    auto b = proj("A", "A", ConnectionRule::pairwise_bernoulli);
    b.probability = 1.0;
    ConnectionSampler b1(b, A, A, 1, 0.1);
    b1.sources(3, src, scratch);
    EXPECT_EQ(src.size(), 30u);
    b.probability = 0.0;
    ConnectionSampler b0(b, A, A, 1, 0.1);
    b0.sources(3, src, scratch);
    EXPECT_TRUE(src.empty());
}

TEST(Connectivity, WeightsAndDelaysFollowTheirDistributions) {
    const auto A = pop("A", 100);
    auto pr = proj("A", "A", ConnectionRule::fixed_indegree);
    pr.indegree = 100;
    pr.weight = Distribution::normal(2.0, 0.5);
    pr.weight.min = 1.5;  // truncated
    pr.delay_ms = Distribution::uniform(0.5, 2.0);
    ConnectionSampler s(pr, A, A, 4, 0.1);
    std::vector<double> w;
    std::vector<std::uint32_t> d;
    double sum = 0;
    int n = 0;
    for (std::uint64_t j = 0; j < 100; ++j) {
        s.weights(j, 100, w);
        s.delays(j, 100, d);
        for (double x : w) {
            ASSERT_GE(x, 1.5);
            sum += x;
            ++n;
        }
        for (auto x : d) {
            ASSERT_GE(x, 5u);
            ASSERT_LE(x, 20u);
        }
    }
    // Mean of N(2, 0.5) truncated below at 1.5: 2 + 0.5 phi(-1)/(1 - Phi(-1)) = 2.1438.
    EXPECT_NEAR(sum / n, 2.1438, 0.01);
    EXPECT_EQ(s.min_delay_steps(), 5u);
}

// The synapses of a target do not depend on how the targets are split between threads.
TEST(Connectivity, SynapseBlocksDoNotDependOnTheSplit) {
    const auto A = pop("A", 300), B = pop("B", 200);
    auto pr = proj("A", "B", ConnectionRule::pairwise_bernoulli);
    pr.probability = 0.1;
    pr.weight = Distribution::normal(1.0, 0.2);
    pr.delay_ms = Distribution::uniform(0.1, 3.0);
    ConnectionSampler s(pr, A, B, 8, 0.1);
    ConnectionSampler::Scratch scratch;
    const SynapseBlock whole(s, 300, {0, 200}, WeightPrecision::double_precision, scratch);
    const SynapseBlock lo(s, 300, {0, 73}, WeightPrecision::double_precision, scratch);
    const SynapseBlock hi(s, 300, {73, 200}, WeightPrecision::double_precision, scratch);
    EXPECT_EQ(whole.size(), lo.size() + hi.size());
    for (std::uint32_t src = 0; src < 300; ++src) {
        auto w = whole.row(src);
        auto a = lo.row(src);
        auto b = hi.row(src);
        for (auto& x : b) x.target += 73;
        a.insert(a.end(), b.begin(), b.end());
        ASSERT_EQ(w.size(), a.size()) << src;
        for (std::size_t k = 0; k < w.size(); ++k) {
            ASSERT_EQ(w[k].target, a[k].target);
            ASSERT_EQ(w[k].delay_steps, a[k].delay_steps);
            ASSERT_EQ(w[k].weight, a[k].weight);
        }
    }
    // And they are exactly the sampler's draws for each target.
    std::vector<std::uint32_t> src;
    std::vector<double> wts;
    std::uint64_t total = 0;
    for (std::uint64_t j = 0; j < 200; ++j) {
        s.sources(j, src, scratch);
        s.weights(j, src.size(), wts);
        total += src.size();
        for (std::size_t k = 0; k < src.size(); ++k) {
            const auto row = whole.row(src[k]);
            const bool found = std::any_of(row.begin(), row.end(), [&](const auto& syn) {
                return syn.target == j && syn.weight == wts[k];
            });
            ASSERT_TRUE(found) << "target " << j << " source " << src[k];
        }
    }
    EXPECT_EQ(total, whole.size());
}

TEST(Connectivity, DenseAndSparseRowIndexDeliverTheSameWeights) {
    const auto A = pop("A", 1000), B = pop("B", 50);
    auto pr = proj("A", "B", ConnectionRule::pairwise_bernoulli);
    for (double p : {0.5, 0.002}) {  // dense, then sparse
        pr.probability = p;
        ConnectionSampler s(pr, A, B, 2, 0.1);
        ConnectionSampler::Scratch scratch;
        const SynapseBlock block(s, 1000, {0, 50}, WeightPrecision::double_precision, scratch);
        InputRing ring(50, 2, 10);
        std::uint64_t events = 0;
        for (std::uint32_t src = 0; src < 1000; ++src) events += block.deliver(src, 0, ring, 0, 0);
        EXPECT_EQ(events, block.size());
        double total = 0;
        for (std::size_t i = 0; i < 50; ++i) total += ring.row(10, 0)[i];  // delay 1 ms = 10 steps
        EXPECT_DOUBLE_EQ(total, static_cast<double>(block.size()));
        EXPECT_LE(block.memory_bytes(), block.size() * 4 + 2 * 1001 * 8 + 64);
    }
}
