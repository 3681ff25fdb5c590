#include <gtest/gtest.h>

#include <vector>

#include "util/checksum.hpp"

using namespace neurochem;

TEST(Checksum, PartsAddUpToTheWholeForAnySplit) {
    std::vector<double> v(1000);
    for (std::size_t i = 0; i < v.size(); ++i) v[i] = 0.1 * static_cast<double>(i) - 7.0;
    const auto whole = checksum::part_of(std::span<const double>(v), 0);
    for (std::size_t cut : {0u, 1u, 333u, 999u, 1000u}) {
        const auto a = checksum::part_of(std::span<const double>(v.data(), cut), 0);
        const auto b = checksum::part_of(std::span<const double>(v.data() + cut, v.size() - cut), cut);
        EXPECT_EQ(checksum::add(a, b), whole) << cut;
    }
    // Three pieces in another order.
    const auto p1 = checksum::part_of(std::span<const double>(v.data() + 500, 500), 500);
    const auto p2 = checksum::part_of(std::span<const double>(v.data(), 200), 0);
    const auto p3 = checksum::part_of(std::span<const double>(v.data() + 200, 300), 200);
    EXPECT_EQ(checksum::add(checksum::add(p1, p2), p3), whole);
}

TEST(Checksum, DetectsChangesSwapsAndTruncation) {
    std::vector<std::uint64_t> v(5000);
    for (std::size_t i = 0; i < v.size(); ++i) v[i] = i * 2654435761ULL;
    const auto whole = checksum::part_of(std::span<const std::uint64_t>(v), 0);
    auto w = v;
    w[1234] ^= 1ULL << 40;  // one bit
    EXPECT_NE(checksum::part_of(std::span<const std::uint64_t>(w), 0), whole);
    w = v;
    std::swap(w[10], w[11]);
    EXPECT_NE(checksum::part_of(std::span<const std::uint64_t>(w), 0), whole);
    EXPECT_NE(checksum::part_of(std::span<const std::uint64_t>(v.data(), 4999), 0), whole);
    std::vector<std::int32_t> z(10, 0), z2(11, 0);  // zeros: length is not in the hash
    EXPECT_EQ(checksum::part_of(std::span<const std::int32_t>(z), 0), 0u);
    EXPECT_EQ(checksum::mulmod(checksum::P - 1, checksum::P - 1), 1u);  // (-1)^2
}
