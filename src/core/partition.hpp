// Balanced block partitions: how a population is split over ranks and a rank's share over
// threads. Pure functions of (size, parts, index), so every process agrees without talking.
#pragma once

#include <cstdint>

namespace neurochem {

struct IndexRange {
    std::uint64_t begin = 0;
    std::uint64_t end = 0;
    std::uint64_t size() const { return end - begin; }
    bool contains(std::uint64_t i) const { return i >= begin && i < end; }
    bool operator==(const IndexRange&) const = default;
};

/// Part `part` of [0, n) split into `parts` contiguous blocks whose sizes differ by at most one
/// (the first n % parts blocks are one larger).
inline IndexRange block_partition(std::uint64_t n, std::uint64_t parts, std::uint64_t part) {
    const std::uint64_t q = n / parts;
    const std::uint64_t r = n % parts;
    const std::uint64_t begin = part * q + (part < r ? part : r);
    return {begin, begin + q + (part < r ? 1 : 0)};
}

}  // namespace neurochem
