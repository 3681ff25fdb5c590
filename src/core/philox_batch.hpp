// Philox4x32-10 for a batch of consecutive counters, in structure-of-arrays form so that the
// compiler vectorises it (32x32->64-bit multiplies). Bitwise the same as Random123's
// r123::Philox4x32 (tested): the word `w` of lane i is Philox((first + i, c1, c2, c3), key)[w].
#pragma once

#include <cstddef>
#include <cstdint>

#include "core/rng.hpp"

namespace neurochem::rng {

inline void philox_batch(const Philox::key_type& key, std::uint32_t first, std::uint32_t c1,
                         std::uint32_t c2, std::uint32_t c3, std::size_t count,
                         std::uint32_t* __restrict x0, std::uint32_t* __restrict x1,
                         std::uint32_t* __restrict x2, std::uint32_t* __restrict x3) {
    constexpr std::uint64_t M0 = 0xD2511F53U, M1 = 0xCD9E8D57U;
    for (std::size_t i = 0; i < count; ++i) {
        x0[i] = first + static_cast<std::uint32_t>(i);
        x1[i] = c1;
        x2[i] = c2;
        x3[i] = c3;
    }
    std::uint32_t k0 = key[0], k1 = key[1];
    for (int round = 0; round < 10; ++round) {
        for (std::size_t i = 0; i < count; ++i) {
            const std::uint64_t p0 = M0 * x0[i];
            const std::uint64_t p1 = M1 * x2[i];
            const auto n0 = static_cast<std::uint32_t>(p1 >> 32) ^ x1[i] ^ k0;
            const auto n2 = static_cast<std::uint32_t>(p0 >> 32) ^ x3[i] ^ k1;
            x1[i] = static_cast<std::uint32_t>(p1);
            x3[i] = static_cast<std::uint32_t>(p0);
            x0[i] = n0;
            x2[i] = n2;
        }
        k0 += 0x9E3779B9U;
        k1 += 0xBB67AE85U;
    }
}

}  // namespace neurochem::rng
