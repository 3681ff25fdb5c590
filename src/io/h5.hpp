// Minimal RAII and helpers over the HDF5 C API: every call is checked and a failure throws
// with the file and the object it concerned.
#pragma once

#include <hdf5.h>

#include <cstdint>
#include <string>
#include <vector>

namespace neurochem::h5 {

/// Owns an hid_t and closes it with the right H5*close.
class Handle {
  public:
    Handle() = default;
    Handle(hid_t id, herr_t (*closer)(hid_t)) : id_(id), close_(closer) {}
    Handle(Handle&& o) noexcept : id_(o.id_), close_(o.close_) { o.id_ = H5I_INVALID_HID; }
    Handle& operator=(Handle&& o) noexcept;
    Handle(const Handle&) = delete;
    Handle& operator=(const Handle&) = delete;
    ~Handle() { reset(); }
    void reset();
    /// Closes now and throws std::runtime_error("HDF5: <what> failed") if the close fails (a
    /// file's close writes what is still cached: a full disk shows here).
    void close(const std::string& what);
    hid_t get() const { return id_; }
    operator hid_t() const { return id_; }
    bool valid() const { return id_ >= 0; }

  private:
    hid_t id_ = H5I_INVALID_HID;
    herr_t (*close_)(hid_t) = nullptr;
};

/// Throws std::runtime_error("HDF5: <what>") if id < 0 (or status < 0).
hid_t check(hid_t id, const std::string& what);

/// Silences HDF5's automatic error stack printing (errors are reported by exceptions).
void quiet_errors();

Handle create_group(hid_t parent, const std::string& name);
Handle open_group(hid_t parent, const std::string& name);
bool exists(hid_t parent, const std::string& path);
/// Names of the links (groups, datasets) in a group, in name order.
std::vector<std::string> list_links(hid_t group);

/// File and memory dataspaces that select elements [offset, offset + n) of the 1-D dataset
/// `dset`; empty selections when n == 0, so a process without data still takes part in a
/// collective transfer.
struct Slice {
    Handle file, memory;
};
Slice select_slice(hid_t dset, hsize_t offset, hsize_t n);

/// A 1-D chunked dataset that grows by appending.
Handle create_extendible(hid_t parent, const std::string& name, hid_t type, hsize_t chunk);
/// Appends n elements to a 1-D extendible dataset (this process alone).
void append(hid_t dset, hid_t mem_type, const void* data, hsize_t n);
/// Extends a 1-D dataset by `total` and writes this process's `n` elements at `offset` of the
/// new part, with the given transfer property list (collective under MPI).
void append_part(hid_t dset, hid_t mem_type, const void* data, hsize_t total, hsize_t offset,
                 hsize_t n, hid_t dxpl);

void write_dataset(hid_t parent, const std::string& name, hid_t type, const void* data, hsize_t n);
void write_string_dataset(hid_t parent, const std::string& name, const std::string& value);

void attr_string(hid_t obj, const std::string& name, const std::string& value);
void attr_u64(hid_t obj, const std::string& name, std::uint64_t value);
void attr_u32(hid_t obj, const std::string& name, std::uint32_t value);
void attr_u32_array(hid_t obj, const std::string& name, const std::vector<std::uint32_t>& v);
void attr_double(hid_t obj, const std::string& name, double value);

std::string read_attr_string(hid_t obj, const std::string& name);
std::uint64_t read_attr_u64(hid_t obj, const std::string& name);
double read_attr_double(hid_t obj, const std::string& name);
std::string read_string_dataset(hid_t parent, const std::string& name);
std::vector<double> read_doubles(hid_t parent, const std::string& name);
std::vector<std::uint64_t> read_u64s(hid_t parent, const std::string& name);

}  // namespace neurochem::h5
