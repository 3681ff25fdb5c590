#include "util/checksum.hpp"

#include <algorithm>
#include <cstring>
#include <vector>

namespace neurochem::checksum {

std::uint64_t mulmod(std::uint64_t a, std::uint64_t b) {
    __extension__ using u128 = unsigned __int128;
    const u128 x = static_cast<u128>(a) * b;
    std::uint64_t r = static_cast<std::uint64_t>(x & P) + static_cast<std::uint64_t>(x >> 61);
    if (r >= P) r -= P;
    return r;
}

std::uint64_t powmod(std::uint64_t base, std::uint64_t e) {
    std::uint64_t r = 1;
    base %= P;
    while (e) {
        if (e & 1) r = mulmod(r, base);
        base = mulmod(base, base);
        e >>= 1;
    }
    return r;
}

std::uint64_t part(std::span<const std::uint32_t> words, std::uint64_t first_word) {
    std::uint64_t s = 0;  // Horner from the last word: sum_k w_k B^k
    for (std::size_t k = words.size(); k-- > 0;) s = add(mulmod(s, B), words[k]);
    return mulmod(s, powmod(B, first_word));
}

namespace {
// In chunks of 64 Ki words, so no copy of a large array is made.
template <class T>
std::uint64_t part_of_bytes(std::span<const T> v, std::uint64_t first_element) {
    constexpr std::size_t words_per = sizeof(T) / 4;
    constexpr std::size_t chunk = 1 << 16;  // elements
    std::vector<std::uint32_t> w;
    std::uint64_t sum = 0;
    for (std::size_t i = 0; i < v.size(); i += chunk) {
        const std::size_t n = std::min(chunk, v.size() - i);
        w.resize(n * words_per);
        std::memcpy(w.data(), v.data() + i, w.size() * 4);  // little-endian hosts
        sum = add(sum, part(w, (first_element + i) * words_per));
    }
    return sum;
}
}  // namespace

std::uint64_t part_of(std::span<const double> v, std::uint64_t f) { return part_of_bytes(v, f); }
std::uint64_t part_of(std::span<const std::uint64_t> v, std::uint64_t f) { return part_of_bytes(v, f); }
std::uint64_t part_of(std::span<const std::int32_t> v, std::uint64_t f) { return part_of_bytes(v, f); }

}  // namespace neurochem::checksum
