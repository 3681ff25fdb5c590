// The serializer interface through which every piece of model state is saved and restored
// (neurons, chemistry, slow state; src/core/state_registry.hpp keeps the list). Arrays are written in canonical order
// (population-local index, i.e. gid order), each process contributing its contiguous slice,
// so a state saved on R ranks and T threads restores on any other layout. The HDF5 checkpoint
// (src/io/checkpoint.cpp) is one backend; tests may use others.
#pragma once

#include <cstdint>
#include <span>
#include <string>

namespace neurochem {

class StateSink {
public:
    virtual ~StateSink() = default;
    /// Collective: elements [offset, offset + local.size()) of a `global_size` array at `path`.
    virtual void write(const std::string& path, std::span<const double> local, std::uint64_t offset,
                       std::uint64_t global_size) = 0;
    virtual void write(const std::string& path, std::span<const std::uint64_t> local,
                       std::uint64_t offset, std::uint64_t global_size) = 0;
    virtual void write(const std::string& path, std::span<const std::int32_t> local,
                       std::uint64_t offset, std::uint64_t global_size) = 0;
    /// Collective: a value that is the same on every process (a scalar, not a 1-element array).
    virtual void write_value(const std::string& path, std::uint64_t value) = 0;
    virtual void write_scalar(const std::string& path, double value) = 0;
};

class StateSource {
public:
    virtual ~StateSource() = default;
    /// Collective: reads elements [offset, offset + local.size()) of the array at `path`,
    /// which must have `global_size` elements (else an input_error naming the file and path).
    virtual void read(const std::string& path, std::span<double> local, std::uint64_t offset,
                      std::uint64_t global_size) = 0;
    virtual void read(const std::string& path, std::span<std::uint64_t> local, std::uint64_t offset,
                      std::uint64_t global_size) = 0;
    virtual void read(const std::string& path, std::span<std::int32_t> local, std::uint64_t offset,
                      std::uint64_t global_size) = 0;
    /// Collective: a scalar written by write_value / write_scalar.
    virtual std::uint64_t read_value(const std::string& path) = 0;
    virtual double read_scalar(const std::string& path) = 0;
    /// What the state is read from, for messages (a file name).
    virtual std::string name() const { return "the saved state"; }
    /// Size of the 1-D array at `path` (collective; an input_error if it is missing).
    virtual std::uint64_t size_of(const std::string& path) = 0;
};

}  // namespace neurochem
