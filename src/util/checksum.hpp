// A checksum of a distributed array that does not depend on how it is split: a polynomial hash
// over the array's 32-bit words, H = sum_k w_k B^k mod (2^61 - 1). A process holding words
// [first, first + n) computes its part alone; the parts add up (mod p) to the whole. Detects
// any change of one word with certainty and random corruption with probability ~ 1 - n/2^61.
// Not cryptographic: it guards against damaged files, not against forgery.
#pragma once

#include <cstdint>
#include <span>

namespace neurochem::checksum {

inline constexpr std::uint64_t P = (1ULL << 61) - 1;
inline constexpr std::uint64_t B = 0x5bd1e9955bd1e995ULL % P;

std::uint64_t mulmod(std::uint64_t a, std::uint64_t b);
std::uint64_t powmod(std::uint64_t base, std::uint64_t e);
/// sum_k words[k] * B^(first + k) mod P.
std::uint64_t part(std::span<const std::uint32_t> words, std::uint64_t first_word);
inline std::uint64_t add(std::uint64_t a, std::uint64_t b) { return (a + b) % P; }

/// The part of a typed array's elements [first, first + n), as 32-bit little-endian words
/// (8-byte elements contribute two words each).
std::uint64_t part_of(std::span<const double> v, std::uint64_t first_element);
std::uint64_t part_of(std::span<const std::uint64_t> v, std::uint64_t first_element);
std::uint64_t part_of(std::span<const std::int32_t> v, std::uint64_t first_element);

}  // namespace neurochem::checksum
