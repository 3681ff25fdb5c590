#include <gtest/gtest.h>

#include <cmath>
#include <map>
#include <vector>

#include "core/philox_batch.hpp"
#include "core/rng.hpp"

using namespace neurochem::rng;

// Known-answer vectors of Philox4x32-10 from Random123's kat_vectors file (Salmon et al. 2011).
TEST(Rng, Philox4x32KnownAnswers) {
    struct Kat {
        Philox::ctr_type ctr;
        Philox::key_type key;
        Philox::ctr_type expect;
    };
    const Kat kats[] = {
        {{{0, 0, 0, 0}}, {{0, 0}}, {{0x6627e8d5, 0xe169c58d, 0xbc57ac4c, 0x9b00dbd8}}},
        {{{0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff}}, {{0xffffffff, 0xffffffff}},
         {{0x408f276d, 0x41c83b0e, 0xa20bc7c6, 0x6d5451fd}}},
        {{{0x243f6a88, 0x85a308d3, 0x13198a2e, 0x03707344}}, {{0xa4093822, 0x299f31d0}},
         {{0xd16cfe09, 0x94fdcceb, 0x5001e420, 0x24126ea1}}},
    };
    for (const auto& k : kats) {
        const auto r = Philox{}(k.ctr, k.key);
        for (int i = 0; i < 4; ++i) EXPECT_EQ(r[i], k.expect[i]);
    }
}

TEST(Rng, StreamIdsAreFnv1a) {
    EXPECT_EQ(stream_id(""), 0xcbf29ce484222325ULL);
    EXPECT_EQ(stream_id("a"), 0xaf63dc4c8601ec8cULL);
    EXPECT_NE(stream_id("connect:E->I"), stream_id("connect:I->E"));
}

TEST(Rng, DrawsArePureFunctionsOfTheCounter) {
    const auto key = derive_key(42, stream_id("test"));
    CounterStream a(key, 7, 3, 0), b(key, 7, 3, 0), c(key, 8, 3, 0);
    std::vector<std::uint32_t> va, vb;
    for (int i = 0; i < 100; ++i) {
        va.push_back(a.next_u32());
        vb.push_back(b.next_u32());
    }
    EXPECT_EQ(va, vb);
    int same = 0;
    for (int i = 0; i < 100; ++i) same += (c.next_u32() == va[static_cast<std::size_t>(i)]);
    EXPECT_LT(same, 3);
    // Different seeds give different keys.
    EXPECT_NE(derive_key(1, 5)[0], derive_key(2, 5)[0]);
}

// Uniform and normal moments; bounds are 5 standard errors.
TEST(Rng, UniformAndNormalMoments) {
    const auto key = derive_key(1, stream_id("moments"));
    CounterStream s(key, 0);
    const int n = 1000000;
    double su = 0, su2 = 0, sn = 0, sn2 = 0, sn4 = 0;
    for (int i = 0; i < n; ++i) {
        const double u = s.uniform();
        ASSERT_GE(u, 0.0);
        ASSERT_LT(u, 1.0);
        su += u;
        su2 += u * u;
        const double z = s.normal();
        sn += z;
        sn2 += z * z;
        sn4 += z * z * z * z;
    }
    EXPECT_NEAR(su / n, 0.5, 5 * std::sqrt(1.0 / 12 / n));
    EXPECT_NEAR(su2 / n - (su / n) * (su / n), 1.0 / 12, 5 * 0.0745 / std::sqrt(n));
    EXPECT_NEAR(sn / n, 0.0, 5 / std::sqrt(n));
    EXPECT_NEAR(sn2 / n, 1.0, 5 * std::sqrt(2.0 / n));
    EXPECT_NEAR(sn4 / n, 3.0, 5 * std::sqrt(96.0 / n));
}

TEST(Rng, BelowIsUniformOverSmallRange) {
    const auto key = derive_key(3, stream_id("below"));
    CounterStream s(key, 0);
    const int n = 600000, k = 6;
    std::vector<int> count(k, 0);
    for (int i = 0; i < n; ++i) {
        const auto v = s.below(k);
        ASSERT_LT(v, static_cast<std::uint64_t>(k));
        ++count[v];
    }
    double chi2 = 0;
    for (int c : count) chi2 += (c - n / k) * (c - n / k) / double(n / k);
    EXPECT_LT(chi2, 20.5);  // chi-square, 5 degrees of freedom, p = 0.001
}

TEST(Rng, LogFactorialMatchesLgamma) {
    for (std::uint64_t k : {0ULL, 1ULL, 5ULL, 63ULL, 64ULL, 100ULL, 1000ULL, 123456ULL}) {
        const double ref = std::lgamma(static_cast<double>(k) + 1.0);
        EXPECT_NEAR(log_factorial(k), ref, 1e-12 * std::max(1.0, ref)) << k;
    }
}

namespace {
// Chi-square goodness of fit of a histogram of n draws to pmf over [0, k_max), bins with an
// expected count >= 20 (the rest pooled), against the p = 0.001 quantile (Wilson-Hilferty).
template <class Pmf>
void expect_chi2_fits(std::map<std::uint64_t, int>& hist, int n, std::uint64_t k_max, Pmf pmf) {
    double chi2 = 0;
    int dof = -1;
    double tail_expected = 0, tail_observed = 0;
    for (std::uint64_t k = 0; k < k_max; ++k) {
        const double e = pmf(k) * n;
        const double o = hist.count(k) ? hist[k] : 0;
        if (e < 20) {
            tail_expected += e;
            tail_observed += o;
            continue;
        }
        chi2 += (o - e) * (o - e) / e;
        ++dof;
    }
    chi2 += (tail_observed - tail_expected) * (tail_observed - tail_expected) / std::max(tail_expected, 1.0);
    ++dof;
    const double z = 3.09;
    const double q = dof * std::pow(1 - 2.0 / (9 * dof) + z * std::sqrt(2.0 / (9 * dof)), 3);
    EXPECT_GE(dof, 1);
    EXPECT_LT(chi2, q) << "dof " << dof;
}
}  // namespace

// Poisson: mean and variance, and the pmf by a chi-square test, for the inversion branch
// (lambda < 10) and the PTRS branch.
class PoissonTest : public ::testing::TestWithParam<double> {};

TEST_P(PoissonTest, MatchesThePoissonDistribution) {
    const double lambda = GetParam();
    const auto key = derive_key(11, stream_id("poisson"));
    const int n = 200000;
    std::map<std::uint64_t, int> hist;
    double s = 0, s2 = 0;
    for (int i = 0; i < n; ++i) {
        CounterStream st(key, static_cast<std::uint32_t>(i));
        const auto k = poisson(st, lambda);
        ++hist[k];
        s += static_cast<double>(k);
        s2 += static_cast<double>(k) * static_cast<double>(k);
    }
    const double mean = s / n;
    const double var = s2 / n - mean * mean;
    EXPECT_NEAR(mean, lambda, 5 * std::sqrt(lambda / n));
    EXPECT_NEAR(var, lambda, 5 * lambda * std::sqrt(2.0 / n) + 5 * std::sqrt(lambda / n));
    expect_chi2_fits(hist, n, static_cast<std::uint64_t>(lambda * 4 + 40), [&](std::uint64_t k) {
        return std::exp(-lambda + static_cast<double>(k) * std::log(lambda) - log_factorial(k));
    });
}

INSTANTIATE_TEST_SUITE_P(Rng, PoissonTest, ::testing::Values(0.05, 2.0, 9.5, 10.0, 30.0, 400.0));

TEST(Rng, PoissonInversionAgreesWithDirectCdf) {
    // k is the smallest value with CDF(k) >= u.
    const double lambda = 3.0;
    for (double u : {1e-6, 0.04978706836786394, 0.2, 0.5, 0.9, 0.999999}) {
        const auto k = poisson_inversion(u, lambda, std::exp(-lambda));
        double cdf = 0, p = std::exp(-lambda);
        for (std::uint64_t j = 0; j <= k; ++j) {
            cdf += p;
            p *= lambda / static_cast<double>(j + 1);
        }
        EXPECT_GE(cdf, u * (1 - 1e-12));
        EXPECT_LT(cdf - std::exp(-lambda + k * std::log(lambda) - log_factorial(k)), u);
    }
}

// Binomial variates: inversion ((n + 1) min(p, 1 - p) < 11), BTRD above, p > 1/2 by symmetry.
struct BinomialCase {
    std::uint64_t n;
    double p;
};
class BinomialTest : public ::testing::TestWithParam<BinomialCase> {};

TEST_P(BinomialTest, MatchesTheBinomialDistribution) {
    const auto [N, p] = GetParam();
    const auto key = derive_key(12, stream_id("binomial"));
    const int n = 200000;
    std::map<std::uint64_t, int> hist;
    double s = 0, s2 = 0;
    for (int i = 0; i < n; ++i) {
        CounterStream st(key, static_cast<std::uint32_t>(i));
        const auto k = binomial(st, N, p);
        ASSERT_LE(k, N);
        ++hist[k];
        s += static_cast<double>(k);
        s2 += static_cast<double>(k) * static_cast<double>(k);
    }
    const double Nd = static_cast<double>(N), mu = Nd * p, v = Nd * p * (1 - p);
    const double mean = s / n, var = s2 / n - mean * mean;
    EXPECT_NEAR(mean, mu, 5 * std::sqrt(v / n));
    EXPECT_NEAR(var, v, 5 * v * std::sqrt(2.0 / n) + 5 * std::sqrt(v / n));
    if (v < 1e6) {
        expect_chi2_fits(hist, n, N + 1, [&](std::uint64_t k) {
            const double kd = static_cast<double>(k);
            return std::exp(log_factorial(N) - log_factorial(k) - log_factorial(N - k) + kd * std::log(p) +
                            (Nd - kd) * std::log1p(-p));
        });
    }
}

INSTANTIATE_TEST_SUITE_P(Rng, BinomialTest,
                         ::testing::Values(BinomialCase{1, 0.5}, BinomialCase{20, 0.3}, BinomialCase{1000, 0.0105},
                                           BinomialCase{50, 0.9}, BinomialCase{100, 0.5}, BinomialCase{1000, 0.02},
                                           BinomialCase{100000, 0.3}, BinomialCase{300000000, 0.5}));

TEST(Rng, BinomialEdgeCases) {
    const auto key = derive_key(1, stream_id("binomial"));
    CounterStream s(key, 0);
    EXPECT_EQ(binomial(s, 0, 0.5), 0u);
    EXPECT_EQ(binomial(s, 10, 0.0), 0u);
    EXPECT_EQ(binomial(s, 10, 1.0), 10u);
}

TEST(Rng, PhiloxBatchEqualsRandom123) {
    std::uint32_t x[4][37];
    for (const std::uint64_t seed : {0ULL, 1ULL, 0xdeadbeefcafeULL}) {
        const auto key = derive_key(seed, stream_id("batch"));
        for (const std::uint32_t first : {0U, 12345U, 0xffffffe0U}) {
            neurochem::rng::philox_batch(key, first, 7, 0x80000000U, 3, 37, x[0], x[1], x[2], x[3]);
            for (std::uint32_t i = 0; i < 37; ++i) {
                const Philox::ctr_type c = {{first + i, 7, 0x80000000U, 3}};
                const auto r = Philox{}(c, key);
                for (int w = 0; w < 4; ++w) ASSERT_EQ(x[w][i], r[w]) << "lane " << i << " word " << w;
            }
        }
    }
}
