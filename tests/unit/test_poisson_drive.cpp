// Background Poisson drive: the counts have the Poisson distribution (mean, variance and the
// probability of zero), the epoch-wise add() equals the per-(neuron, step) count(), and the
// start/stop window is honoured.
#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "core/poisson_drive.hpp"

using neurochem::PoissonDrive;
using neurochem::PoissonSpec;

namespace {
PoissonSpec spec(double rate_Hz, std::uint64_t sources) {
    PoissonSpec s;
    s.name = "test";
    s.rate_Hz = rate_Hz;
    s.sources = sources;
    s.weight = 0.5;
    return s;
}
}  // namespace

class PoissonMoments : public ::testing::TestWithParam<double> {};

// lambda < 10 uses table inversion, lambda >= 10 the PTRS rejection sampler.
TEST_P(PoissonMoments, MeanVarianceAndZeroProbability) {
    const double lambda = GetParam();
    const double dt_ms = 0.1;
    const PoissonDrive d(spec(lambda / (dt_ms * 1e-3), 1), 0, dt_ms, 7);
    const int N = 400000;
    double s = 0, s2 = 0, zeros = 0;
    for (int i = 0; i < N; ++i) {
        const auto k = static_cast<double>(d.count(static_cast<std::uint64_t>(i % 1000), static_cast<std::uint64_t>(i / 1000)));
        s += k;
        s2 += k * k;
        zeros += k == 0;
    }
    const double mean = s / N, var = s2 / N - mean * mean;
    // Five standard errors: Var(mean) = lambda/N, Var(sample variance) ~ (lambda + 2 lambda^2)/N.
    EXPECT_NEAR(mean, lambda, 5 * std::sqrt(lambda / N));
    EXPECT_NEAR(var, lambda, 5 * std::sqrt((lambda + 2 * lambda * lambda) / N));
    const double p0 = std::exp(-lambda);
    EXPECT_NEAR(zeros / N, p0, 5 * std::sqrt(p0 * (1 - p0) / N) + 1e-12);
}

INSTANTIATE_TEST_SUITE_P(Lambdas, PoissonMoments, ::testing::Values(0.01, 0.45, 1.55, 4.45, 9.9, 10.0, 25.0));

TEST(PoissonDrive, EpochAddEqualsPerStepCountsAndHonoursWindow) {
    for (const double lambda : {0.8, 12.0}) {
        PoissonSpec s = spec(lambda / 1e-4, 1);
        s.start_ms = 0.3;  // step 3
        s.stop_ms = 1.7;   // step 17
        const PoissonDrive d(s, 2, 0.1, 99);
        EXPECT_EQ(d.port(), 2u);
        const std::size_t n_neurons = 37, first = 1000;
        // Epochs of 6 steps that do not align with the 4-step Philox blocks.
        for (std::uint64_t begin = 0; begin < 24; begin += 6) {
            std::vector<std::vector<double>> buf(6, std::vector<double>(n_neurons, 0.0));
            std::vector<double*> rows;
            for (auto& b : buf) rows.push_back(b.data());
            d.add(first, 5, 30, begin, begin + 6, rows.data());
            for (std::uint64_t n = begin; n < begin + 6; ++n) {
                for (std::size_t i = 0; i < n_neurons; ++i) {
                    const double want = (i >= 5 && i < 30) ? 0.5 * static_cast<double>(d.count(first + i, n)) : 0.0;
                    ASSERT_EQ(buf[n - begin][i], want) << "lambda " << lambda << " step " << n << " neuron " << i;
                    if (n < 3 || n >= 17) {
                        ASSERT_EQ(d.count(first + i, n), 0u);
                    }
                }
            }
        }
    }
}

TEST(PoissonDrive, StreamsDifferBySeedAndName) {
    const PoissonDrive a(spec(5000, 1), 0, 0.1, 1), b(spec(5000, 1), 0, 0.1, 2);
    PoissonSpec other = spec(5000, 1);
    other.name = "other";
    const PoissonDrive c(other, 0, 0.1, 1);
    int same_ab = 0, same_ac = 0;
    for (std::uint64_t n = 0; n < 2000; ++n) {
        same_ab += a.count(0, n) == b.count(0, n);
        same_ac += a.count(0, n) == c.count(0, n);
    }
    // lambda = 0.5: two independent draws agree with probability sum p_k^2 ~ 0.43.
    EXPECT_LT(same_ab, 1000);
    EXPECT_LT(same_ac, 1000);
}

// The integer thresholds and the guide table invert exactly like the CDF on the uniform
// (x + 1/2) 2^-32 of the same Philox word.
TEST(PoissonDrive, IntegerInversionEqualsCdfInversion) {
    for (const double lambda : {0.003, 0.7, 2.0, 6.3, 9.99}) {
        const PoissonDrive d(spec(lambda / 1e-4, 1), 0, 0.1, 5);
        const auto key = neurochem::rng::derive_key(5, neurochem::rng::stream_id("poisson:test"));
        for (std::uint64_t j = 0; j < 300; ++j) {
            for (std::uint64_t n = 0; n < 40; ++n) {
                const neurochem::rng::Philox::ctr_type c = {{static_cast<std::uint32_t>(j),
                                                            static_cast<std::uint32_t>(n / 4), 0, 0}};
                const double u = neurochem::rng::u01_32(neurochem::rng::Philox{}(c, key)[n % 4]);
                ASSERT_EQ(d.count(j, n), neurochem::rng::poisson_inversion(u, lambda, std::exp(-lambda)))
                    << "lambda " << lambda << " j " << j << " n " << n;
            }
        }
    }
}

// A pulsed drive is on for pulse_length out of every pulse_every from its start, and a probe
// sees one onset per pulse.
TEST(PoissonDrive, PulsesOnlyInsideEachPulse) {
    PoissonSpec s = spec(1000.0, 10);
    s.start_ms = 100.0;
    s.pulse_every_ms = 50.0;
    s.pulse_length_ms = 10.0;
    const double dt_ms = 0.1;
    const PoissonDrive d(s, 0, dt_ms, 3);
    int onsets = 0;
    bool was = false;
    for (std::uint64_t n = 0; n < 5000; ++n) {  // 500 ms
        const double t = static_cast<double>(n) * dt_ms;
        const bool expect = t >= 100.0 - 1e-9 && std::fmod(t - 100.0 + 1e-9, 50.0) < 10.0;
        ASSERT_EQ(d.on(n), expect) << "t = " << t << " ms";
        if (!expect) {
            for (std::uint64_t j = 0; j < 5; ++j) ASSERT_EQ(d.count(j, n), 0u) << "t = " << t;
        }
        onsets += d.on(n) && !was;
        was = d.on(n);
    }
    EXPECT_EQ(onsets, 8);  // pulses at 100, 150, ..., 450 ms
}
