// The results table as HDF5 (layout in docs/sweeps.md). Object timestamps are switched off so
// that equal tables give byte-identical files.
#include <cstdint>

#include "io/h5.hpp"
#include "sweep/table.hpp"

namespace neurochem::sweep {

namespace {
h5::Handle vlen_string_type() {
    h5::Handle t(h5::check(H5Tcopy(H5T_C_S1), "string type"), H5Tclose);
    h5::check(H5Tset_size(t, H5T_VARIABLE), "string size");
    h5::check(H5Tset_cset(t, H5T_CSET_UTF8), "string cset");
    return t;
}

h5::Handle untimed(hid_t cls) {
    h5::Handle p(h5::check(H5Pcreate(cls), "property list"), H5Pclose);
    h5::check(H5Pset_obj_track_times(p, false), "track times");
    return p;
}

void write_strings(hid_t parent, const std::string& name, const std::vector<std::string>& values,
                   hid_t dcpl) {
    std::vector<const char*> ptrs;
    for (const auto& s : values)
        ptrs.push_back(s.c_str());
    const hsize_t dims[1] = {values.size()};
    h5::Handle space(h5::check(H5Screate_simple(1, dims, nullptr), "dataspace"), H5Sclose);
    h5::Handle type = vlen_string_type();
    h5::Handle d(
        h5::check(H5Dcreate2(parent, name.c_str(), type, space, H5P_DEFAULT, dcpl, H5P_DEFAULT),
                  "creating " + name),
        H5Dclose);
    if (!values.empty())
        h5::check(H5Dwrite(d, type, H5S_ALL, H5S_ALL, H5P_DEFAULT, ptrs.data()), "writing " + name);
}

/// The dataset of a column: its name without the " [unit]" suffix (a unit may hold '/').
std::string dataset_name(const Column& c) {
    return c.unit.empty() ? c.name : c.name.substr(0, c.name.size() - c.unit.size() - 3);
}

void write_string_array_attr(hid_t obj, const char* name, const std::vector<std::string>& values) {
    std::vector<const char*> ptrs;
    for (const auto& n : values)
        ptrs.push_back(n.c_str());
    const hsize_t dims[1] = {values.size()};
    h5::Handle space(h5::check(H5Screate_simple(1, dims, nullptr), "dataspace"), H5Sclose);
    h5::Handle type = vlen_string_type();
    h5::Handle a(h5::check(H5Acreate2(obj, name, type, space, H5P_DEFAULT, H5P_DEFAULT),
                           std::string("attribute ") + name),
                 H5Aclose);
    h5::check(H5Awrite(a, type, ptrs.data()), std::string("writing attribute ") + name);
}

void write_numbers(hid_t parent, const Column& c, hid_t dcpl) {
    const hsize_t dims[1] = {c.numbers.size()};
    h5::Handle space(h5::check(H5Screate_simple(1, dims, nullptr), "dataspace"), H5Sclose);
    const bool integer =
        c.name == "point" || c.name == "sample" || c.name == "replicate" || c.name == "seed";
    const hid_t type = integer ? H5T_NATIVE_UINT64 : H5T_NATIVE_DOUBLE;
    h5::Handle d(h5::check(H5Dcreate2(parent, dataset_name(c).c_str(),
                                      integer ? H5T_STD_U64LE : H5T_IEEE_F64LE, space, H5P_DEFAULT,
                                      dcpl, H5P_DEFAULT),
                           "creating " + c.name),
                 H5Dclose);
    if (!c.unit.empty()) h5::attr_string(d, "units", c.unit);
    if (c.numbers.empty()) return;
    if (integer) {
        std::vector<std::uint64_t> v(c.numbers.begin(), c.numbers.end());
        h5::check(H5Dwrite(d, type, H5S_ALL, H5S_ALL, H5P_DEFAULT, v.data()), "writing " + c.name);
    } else {
        h5::check(H5Dwrite(d, type, H5S_ALL, H5S_ALL, H5P_DEFAULT, c.numbers.data()),
                  "writing " + c.name);
    }
}
}  // namespace

void write_table_h5(const Table& t, const std::string& path, const std::string& sweep_hash) {
    h5::quiet_errors();
    h5::Handle fcpl = untimed(H5P_FILE_CREATE);
    h5::Handle f(
        h5::check(H5Fcreate(path.c_str(), H5F_ACC_TRUNC, fcpl, H5P_DEFAULT), "creating " + path),
        H5Fclose);
    h5::Handle gcpl = untimed(H5P_GROUP_CREATE);
    h5::Handle dcpl = untimed(H5P_DATASET_CREATE);
    h5::Handle g(
        h5::check(H5Gcreate2(f, "table", H5P_DEFAULT, gcpl, H5P_DEFAULT), "creating /table"),
        H5Gclose);
    h5::attr_string(g, "format", "neurochem sweep table");
    h5::attr_u64(g, "rows", t.rows);
    h5::attr_string(g, "sweep_hash", sweep_hash);
    std::vector<std::string> names, datasets;
    for (const auto& c : t.columns) {
        names.push_back(c.name);
        datasets.push_back(dataset_name(c));
        if (c.numeric) {
            write_numbers(g, c, dcpl);
        } else {
            write_strings(g, c.name, c.strings, dcpl);
        }
    }
    write_string_array_attr(g, "columns", names);
    write_string_array_attr(g, "datasets", datasets);
    // Close explicitly, checked: the file's close writes what is still cached, so a full disk
    // shows here (as an error) instead of as a corrupt table.
    g.close("closing /table of " + path);
    f.close("closing " + path + " (is the disk full?)");
}

}  // namespace neurochem::sweep
