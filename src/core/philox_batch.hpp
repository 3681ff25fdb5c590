// Philox4x32-10 for a batch of consecutive counters, in structure-of-arrays form so that the
// compiler vectorises it (32x32->64-bit multiplies; cloned per vector unit, core/simd.hpp).
// Bitwise the same as Random123's r123::Philox4x32 (tested): the word w of lane i is
// Philox((first + i, c1, c2, c3), key)[w].
#pragma once

#include <cstddef>
#include <cstdint>

#include "core/rng.hpp"

namespace neurochem::rng {

void philox_batch(const Philox::key_type& key, std::uint32_t first, std::uint32_t c1, std::uint32_t c2,
                  std::uint32_t c3, std::size_t count, std::uint32_t* __restrict x0, std::uint32_t* __restrict x1,
                  std::uint32_t* __restrict x2, std::uint32_t* __restrict x3);

/// The blocks first_block ... first_block + count - 1 of the CounterStream (key, c0, c1, c2):
/// lane i is Philox((c0, c1, c2, first_block + i), key), word w in x_w[i].
void philox_blocks(const Philox::key_type& key, std::uint32_t c0, std::uint32_t c1, std::uint32_t c2,
                   std::uint32_t first_block, std::size_t count, std::uint32_t* __restrict x0,
                   std::uint32_t* __restrict x1, std::uint32_t* __restrict x2, std::uint32_t* __restrict x3);

}  // namespace neurochem::rng
