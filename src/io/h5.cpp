#include "io/h5.hpp"

#include <algorithm>
#include <stdexcept>

namespace neurochem::h5 {

Handle& Handle::operator=(Handle&& o) noexcept {
    if (this != &o) {
        reset();
        id_ = o.id_;
        close_ = o.close_;
        o.id_ = H5I_INVALID_HID;
    }
    return *this;
}

void Handle::reset() {
    if (id_ >= 0 && close_) close_(id_);
    id_ = H5I_INVALID_HID;
}

void Handle::close(const std::string& what) {
    const herr_t status = id_ >= 0 && close_ ? close_(id_) : 0;
    id_ = H5I_INVALID_HID;
    if (status < 0) throw std::runtime_error("HDF5: " + what + " failed");
}

hid_t check(hid_t id, const std::string& what) {
    if (id < 0) throw std::runtime_error("HDF5: " + what + " failed");
    return id;
}

void quiet_errors() {
    H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);
}

Handle create_group(hid_t parent, const std::string& name) {
    return {check(H5Gcreate2(parent, name.c_str(), H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT),
                  "creating group " + name),
            H5Gclose};
}

Handle open_group(hid_t parent, const std::string& name) {
    return {check(H5Gopen2(parent, name.c_str(), H5P_DEFAULT), "opening group " + name), H5Gclose};
}

bool exists(hid_t parent, const std::string& path) {
    // Check each component so that a missing intermediate group is not an error.
    std::size_t pos = 0;
    while (true) {
        pos = path.find('/', pos + 1);
        const std::string part = path.substr(0, pos);
        if (!part.empty() && H5Lexists(parent, part.c_str(), H5P_DEFAULT) <= 0) return false;
        if (pos == std::string::npos) return true;
    }
}

std::vector<std::string> list_links(hid_t group) {
    std::vector<std::string> out;
    hsize_t idx = 0;
    H5Literate(
        group, H5_INDEX_NAME, H5_ITER_INC, &idx,
        [](hid_t, const char* name, const H5L_info_t*, void* data) -> herr_t {
            static_cast<std::vector<std::string>*>(data)->push_back(name);
            return 0;
        },
        &out);
    return out;
}

Handle create_extendible(hid_t parent, const std::string& name, hid_t type, hsize_t chunk) {
    const hsize_t dims[1] = {0};
    const hsize_t maxdims[1] = {H5S_UNLIMITED};
    Handle space(check(H5Screate_simple(1, dims, maxdims), "dataspace"), H5Sclose);
    Handle dcpl(check(H5Pcreate(H5P_DATASET_CREATE), "dcpl"), H5Pclose);
    const hsize_t c[1] = {chunk};
    check(H5Pset_chunk(dcpl, 1, c), "chunking " + name);
    return {check(H5Dcreate2(parent, name.c_str(), type, space, H5P_DEFAULT, dcpl, H5P_DEFAULT),
                  "creating dataset " + name),
            H5Dclose};
}

void append_part(hid_t dset, hid_t mem_type, const void* data, hsize_t total, hsize_t offset,
                 hsize_t n, hid_t dxpl) {
    Handle space(check(H5Dget_space(dset), "dataset space"), H5Sclose);
    hsize_t cur[1];
    H5Sget_simple_extent_dims(space, cur, nullptr);
    const hsize_t next[1] = {cur[0] + total};
    check(H5Dset_extent(dset, next), "extending dataset");
    const Slice slice = select_slice(dset, cur[0] + offset, n);
    const double dummy = 0;  // HDF5 refuses a null buffer even when nothing is selected
    check(H5Dwrite(dset, mem_type, slice.memory, slice.file, dxpl, data ? data : &dummy),
          "writing");
}

Slice select_slice(hid_t dset, hsize_t offset, hsize_t n) {
    Handle fspace(check(H5Dget_space(dset), "dataset space"), H5Sclose);
    const hsize_t start[1] = {offset};
    const hsize_t count[1] = {n};
    if (n > 0) {
        check(H5Sselect_hyperslab(fspace, H5S_SELECT_SET, start, nullptr, count, nullptr),
              "selecting");
    } else {
        H5Sselect_none(fspace);
    }
    Handle mspace(check(H5Screate_simple(1, count, nullptr), "memory space"), H5Sclose);
    if (n == 0) H5Sselect_none(mspace);
    return {std::move(fspace), std::move(mspace)};
}

void append(hid_t dset, hid_t mem_type, const void* data, hsize_t n) {
    if (n == 0) return;
    append_part(dset, mem_type, data, n, 0, n, H5P_DEFAULT);
}

void write_dataset(hid_t parent, const std::string& name, hid_t type, const void* data, hsize_t n) {
    const hsize_t dims[1] = {n};
    Handle space(check(H5Screate_simple(1, dims, nullptr), "dataspace"), H5Sclose);
    Handle d(
        check(H5Dcreate2(parent, name.c_str(), type, space, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT),
              "creating dataset " + name),
        H5Dclose);
    if (n > 0) check(H5Dwrite(d, type, H5S_ALL, H5S_ALL, H5P_DEFAULT, data), "writing " + name);
}

namespace {
Handle string_type(std::size_t n) {
    Handle t(check(H5Tcopy(H5T_C_S1), "string type"), H5Tclose);
    H5Tset_size(t, n > 0 ? n : 1);
    H5Tset_cset(t, H5T_CSET_UTF8);
    H5Tset_strpad(t, H5T_STR_NULLTERM);
    return t;
}
}  // namespace

void write_string_dataset(hid_t parent, const std::string& name, const std::string& value) {
    Handle t = string_type(value.size() + 1);
    Handle space(check(H5Screate(H5S_SCALAR), "scalar space"), H5Sclose);
    Handle d(
        check(H5Dcreate2(parent, name.c_str(), t, space, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT),
              "creating dataset " + name),
        H5Dclose);
    check(H5Dwrite(d, t, H5S_ALL, H5S_ALL, H5P_DEFAULT, value.c_str()), "writing " + name);
}

void attr_string(hid_t obj, const std::string& name, const std::string& value) {
    Handle t = string_type(value.size() + 1);
    Handle space(check(H5Screate(H5S_SCALAR), "scalar space"), H5Sclose);
    Handle a(check(H5Acreate2(obj, name.c_str(), t, space, H5P_DEFAULT, H5P_DEFAULT),
                   "creating attribute " + name),
             H5Aclose);
    check(H5Awrite(a, t, value.c_str()), "writing attribute " + name);
}

void attr_u64(hid_t obj, const std::string& name, std::uint64_t value) {
    Handle space(check(H5Screate(H5S_SCALAR), "scalar space"), H5Sclose);
    Handle a(check(H5Acreate2(obj, name.c_str(), H5T_STD_U64LE, space, H5P_DEFAULT, H5P_DEFAULT),
                   "creating attribute " + name),
             H5Aclose);
    check(H5Awrite(a, H5T_NATIVE_UINT64, &value), "writing attribute " + name);
}

void attr_u32(hid_t obj, const std::string& name, std::uint32_t value) {
    Handle space(check(H5Screate(H5S_SCALAR), "scalar space"), H5Sclose);
    Handle a(check(H5Acreate2(obj, name.c_str(), H5T_STD_U32LE, space, H5P_DEFAULT, H5P_DEFAULT),
                   "creating attribute " + name),
             H5Aclose);
    check(H5Awrite(a, H5T_NATIVE_UINT32, &value), "writing attribute " + name);
}

void attr_u32_array(hid_t obj, const std::string& name, const std::vector<std::uint32_t>& v) {
    const hsize_t dims[1] = {v.size()};
    Handle space(check(H5Screate_simple(1, dims, nullptr), "space"), H5Sclose);
    Handle a(check(H5Acreate2(obj, name.c_str(), H5T_STD_U32LE, space, H5P_DEFAULT, H5P_DEFAULT),
                   "creating attribute " + name),
             H5Aclose);
    check(H5Awrite(a, H5T_NATIVE_UINT32, v.data()), "writing attribute " + name);
}

void attr_double(hid_t obj, const std::string& name, double value) {
    Handle space(check(H5Screate(H5S_SCALAR), "scalar space"), H5Sclose);
    Handle a(check(H5Acreate2(obj, name.c_str(), H5T_IEEE_F64LE, space, H5P_DEFAULT, H5P_DEFAULT),
                   "creating attribute " + name),
             H5Aclose);
    check(H5Awrite(a, H5T_NATIVE_DOUBLE, &value), "writing attribute " + name);
}

namespace {
/// A scalar string of any type HDF5 allows (fixed or variable length, ASCII or UTF-8, NUL- or
/// space-padded, as h5py and other tools write them), read through `read(memory_type, buffer)`.
/// Fixed-length strings are read in their own type (charsets do not convert); the text ends at
/// the first NUL, and trailing spaces of a space-padded string are removed.
template <class Read>
std::string read_any_string(hid_t file_type, const std::string& what, Read read) {
    if (H5Tget_class(file_type) != H5T_STRING) throw std::runtime_error(what + " is not a string");
    if (H5Tis_variable_str(file_type) > 0) {
        Handle mt(check(H5Tcopy(H5T_C_S1), "string type"), H5Tclose);
        H5Tset_size(mt, H5T_VARIABLE);
        H5Tset_cset(mt, H5Tget_cset(file_type));
        char* p = nullptr;
        check(read(static_cast<hid_t>(mt), static_cast<void*>(&p)), "reading " + what);
        std::string out = p ? p : "";
        H5free_memory(p);
        return out;
    }
    std::string s(H5Tget_size(file_type), '\0');
    Handle mt(check(H5Tcopy(file_type), "string type"), H5Tclose);
    check(read(static_cast<hid_t>(mt), static_cast<void*>(s.data())), "reading " + what);
    s.resize(std::min(s.size(), s.find('\0')));
    if (H5Tget_strpad(file_type) == H5T_STR_SPACEPAD) {
        while (!s.empty() && s.back() == ' ')
            s.pop_back();
    }
    return s;
}
}  // namespace

std::string read_attr_string(hid_t obj, const std::string& name) {
    Handle a(check(H5Aopen(obj, name.c_str(), H5P_DEFAULT), "opening attribute " + name), H5Aclose);
    Handle ft(check(H5Aget_type(a), "attribute type"), H5Tclose);
    return read_any_string(ft, "attribute " + name,
                           [&](hid_t mt, void* buf) { return H5Aread(a, mt, buf); });
}

std::uint64_t read_attr_u64(hid_t obj, const std::string& name) {
    Handle a(check(H5Aopen(obj, name.c_str(), H5P_DEFAULT), "opening attribute " + name), H5Aclose);
    std::uint64_t v = 0;
    check(H5Aread(a, H5T_NATIVE_UINT64, &v), "reading attribute " + name);
    return v;
}

double read_attr_double(hid_t obj, const std::string& name) {
    Handle a(check(H5Aopen(obj, name.c_str(), H5P_DEFAULT), "opening attribute " + name), H5Aclose);
    double v = 0;
    check(H5Aread(a, H5T_NATIVE_DOUBLE, &v), "reading attribute " + name);
    return v;
}

std::string read_string_dataset(hid_t parent, const std::string& name) {
    Handle d(check(H5Dopen2(parent, name.c_str(), H5P_DEFAULT), "opening " + name), H5Dclose);
    Handle ft(check(H5Dget_type(d), "type"), H5Tclose);
    return read_any_string(ft, name, [&](hid_t mt, void* buf) {
        return H5Dread(d, mt, H5S_ALL, H5S_ALL, H5P_DEFAULT, buf);
    });
}

namespace {
template <class T>
std::vector<T> read_vector(hid_t parent, const std::string& name, hid_t mem_type) {
    Handle d(check(H5Dopen2(parent, name.c_str(), H5P_DEFAULT), "opening " + name), H5Dclose);
    Handle space(check(H5Dget_space(d), "space"), H5Sclose);
    if (H5Sget_simple_extent_ndims(space) != 1) throw std::runtime_error(name + " is not 1-D");
    hsize_t n = 0;
    H5Sget_simple_extent_dims(space, &n, nullptr);
    std::vector<T> v(n);
    if (n > 0)
        check(H5Dread(d, mem_type, H5S_ALL, H5S_ALL, H5P_DEFAULT, v.data()), "reading " + name);
    return v;
}
}  // namespace

std::vector<double> read_doubles(hid_t parent, const std::string& name) {
    return read_vector<double>(parent, name, H5T_NATIVE_DOUBLE);
}

std::vector<std::uint64_t> read_u64s(hid_t parent, const std::string& name) {
    return read_vector<std::uint64_t>(parent, name, H5T_NATIVE_UINT64);
}

}  // namespace neurochem::h5
