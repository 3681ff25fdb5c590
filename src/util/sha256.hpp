// SHA-256 (FIPS 180-4): identifies a run by its resolved config, and checksums files.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

namespace neurochem {

class Sha256 {
public:
    Sha256();
    void update(const void* data, std::size_t bytes);
    void update(std::string_view s) { update(s.data(), s.size()); }
    std::array<std::uint8_t, 32> digest();  ///< finishes the hash
    std::string hex_digest();               ///< finishes the hash; 64 lowercase hex digits

private:
    void block(const std::uint8_t* p);
    std::array<std::uint32_t, 8> h_;
    std::array<std::uint8_t, 64> buf_{};
    std::size_t used_ = 0;
    std::uint64_t total_ = 0;
};

std::string sha256_hex(std::string_view s);

}  // namespace neurochem
