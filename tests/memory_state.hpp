// An in-memory StateSink and StateSource for one process: a checkpoint without files, for tests
// that split a run and continue it in the same process.
#pragma once

#include <map>
#include <stdexcept>
#include <string>
#include <vector>

#include "neurochem/state_io.hpp"

namespace neurochem::test {

class MemoryState final : public StateSink, public StateSource {
public:
    void write(const std::string& p, std::span<const double> v, std::uint64_t off, std::uint64_t n) override {
        put(f64_[p], v, off, n);
    }
    void write(const std::string& p, std::span<const std::uint64_t> v, std::uint64_t off, std::uint64_t n) override {
        put(u64_[p], v, off, n);
    }
    void write(const std::string& p, std::span<const std::int32_t> v, std::uint64_t off, std::uint64_t n) override {
        put(i32_[p], v, off, n);
    }
    void write_value(const std::string& p, std::uint64_t v) override { u64_[p] = {v}; }
    void write_scalar(const std::string& p, double v) override { f64_[p] = {v}; }

    void read(const std::string& p, std::span<double> v, std::uint64_t off, std::uint64_t n) override {
        get(f64_, p, v, off, n);
    }
    void read(const std::string& p, std::span<std::uint64_t> v, std::uint64_t off, std::uint64_t n) override {
        get(u64_, p, v, off, n);
    }
    void read(const std::string& p, std::span<std::int32_t> v, std::uint64_t off, std::uint64_t n) override {
        get(i32_, p, v, off, n);
    }
    std::uint64_t read_value(const std::string& p) override { return at(u64_, p).at(0); }
    double read_scalar(const std::string& p) override { return at(f64_, p).at(0); }
    std::uint64_t size_of(const std::string& p) override {
        if (f64_.count(p)) return f64_[p].size();
        if (u64_.count(p)) return u64_[p].size();
        return at(i32_, p).size();
    }
    std::string name() const override { return "memory state"; }
    /// Every f64 array (tests that damage a value).
    std::map<std::string, std::vector<double>>& doubles() { return f64_; }

private:
    template <class T>
    static void put(std::vector<T>& dst, std::span<const T> v, std::uint64_t off, std::uint64_t n) {
        dst.resize(n);
        for (std::size_t i = 0; i < v.size(); ++i) dst[off + i] = v[i];
    }
    template <class T>
    static const std::vector<T>& at(const std::map<std::string, std::vector<T>>& m, const std::string& p) {
        const auto it = m.find(p);
        if (it == m.end()) throw std::runtime_error("memory state: no " + p);
        return it->second;
    }
    template <class T>
    static void get(const std::map<std::string, std::vector<T>>& m, const std::string& p, std::span<T> v,
                    std::uint64_t off, std::uint64_t n) {
        const auto& src = at(m, p);
        if (src.size() != n) throw std::runtime_error("memory state: " + p + " has another size");
        for (std::size_t i = 0; i < v.size(); ++i) v[i] = src[off + i];
    }
    std::map<std::string, std::vector<double>> f64_;
    std::map<std::string, std::vector<std::uint64_t>> u64_;
    std::map<std::string, std::vector<std::int32_t>> i32_;
};

}  // namespace neurochem::test
