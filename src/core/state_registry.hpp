// One registry of named state per simulation. Every piece of state that determines the future
// (neuron variables, spike statistics, chemistry, drug amounts, slow variables, the scheduler's
// position) is registered here once: its path, unit, valid range, and where it lies in its
// canonical (population-local index, i.e. gid) order. One loop saves it all to a StateSink and
// one loop restores it from a StateSource, checking every restored value against its range, so
// save and load can never drift apart. Window averages and the slow layer find arrays by path.
//
// A field is one of:
//   a slice   this process's elements [offset, offset + n) of a per-neuron array of global_count
//   shared    an array that is identical on every process (pools, drugs): rank 0 writes it
//   scalar    one value, identical on every process
//   custom    state of a length only known when it is saved (spikes in flight): own save/load
// Arrays registered as spans must not be reallocated while registered; arrays registered as
// std::vector are looked up each time they are saved or restored (their size must not change).
#pragma once

#include <cstdint>
#include <functional>
#include <limits>
#include <span>
#include <string>
#include <vector>

#include "neurochem/state_io.hpp"

namespace neurochem {

/// The valid range of a state value (inclusive); NaN is never valid.
struct Bounds {
    double min = -std::numeric_limits<double>::infinity();
    double max = std::numeric_limits<double>::infinity();
    static Bounds finite() { return {-std::numeric_limits<double>::max(), std::numeric_limits<double>::max()}; }
    static Bounds nonnegative() { return {0.0, std::numeric_limits<double>::infinity()}; }
    static Bounds unit_interval() { return {0.0, 1.0}; }
};

enum class StateType { f64, u64, i32 };
enum class StateLayout { slice, shared, scalar, custom };

struct StateField {
    std::string path;
    std::string unit;  ///< "" for dimensionless or counts
    StateType type = StateType::f64;
    StateLayout layout = StateLayout::slice;
    void* data = nullptr;
    std::size_t count = 0;  ///< local elements
    std::uint64_t offset = 0, global_count = 0;
    Bounds bounds;
    std::function<void(StateSink&)> save;  ///< custom only
    std::function<void(StateSource&)> load;
    std::function<void*()> where;          ///< std::vector fields: the current data pointer

    void* at() const { return where ? where() : data; }
    std::span<double> f64() const { return {static_cast<double*>(at()), type == StateType::f64 ? count : 0}; }
};

class StateRegistry {
public:
    /// `root`: this process writes the shared and scalar fields.
    explicit StateRegistry(bool root = true) : root_(root) {}

    void add_slice(std::string path, std::span<double> local, std::uint64_t offset, std::uint64_t global,
                   std::string unit, Bounds bounds = {});
    void add_slice(std::string path, std::span<std::uint64_t> local, std::uint64_t offset,
                   std::uint64_t global, std::string unit = "", Bounds bounds = Bounds::nonnegative());
    void add_slice(std::string path, std::span<std::int32_t> local, std::uint64_t offset,
                   std::uint64_t global, std::string unit = "", Bounds bounds = {});
    void add_shared(std::string path, std::span<double> values, std::string unit, Bounds bounds = {});
    void add_shared(std::string path, std::span<std::uint64_t> values, std::string unit = "",
                    Bounds bounds = Bounds::nonnegative());
    /// As above, for a vector that may be reassigned (same size) while registered.
    void add_shared(std::string path, std::vector<double>& values, std::string unit, Bounds bounds = {});
    void add_shared(std::string path, std::vector<std::uint64_t>& values, std::string unit = "",
                    Bounds bounds = Bounds::nonnegative());
    void add_slice(std::string path, std::vector<double>& local, std::uint64_t offset, std::uint64_t global,
                   std::string unit, Bounds bounds = {});
    void add_scalar(std::string path, double& value, std::string unit, Bounds bounds = {});
    void add_scalar(std::string path, std::uint64_t& value, std::string unit = "",
                    Bounds bounds = Bounds::nonnegative());
    void add_custom(std::string path, std::function<void(StateSink&)> save,
                    std::function<void(StateSource&)> load);
    /// Runs after every field was restored: recompute what is derived from the state.
    void after_load(std::function<void()> f) { after_load_.push_back(std::move(f)); }

    /// Collective: writes every field in registration order.
    void save(StateSink& sink) const;
    /// Collective: reads every field and checks it against its bounds (input_error naming the
    /// path, the canonical index and the value), then runs the after_load hooks.
    void load(StateSource& source);

    const StateField* find(const std::string& path) const;
    const std::vector<StateField>& fields() const { return fields_; }

private:
    void add(StateField f);
    std::vector<StateField> fields_;
    std::vector<std::function<void()>> after_load_;
    bool root_;
};

}  // namespace neurochem
