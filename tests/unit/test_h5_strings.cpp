// Strings in every form HDF5 allows are read as the same text (issue 15: outputs whose
// provenance was rewritten by h5py as fixed-length ASCII NUL-padded strings broke `rerun`).
#include <gtest/gtest.h>

#include <hdf5.h>

#include <string>

#include "io/h5.hpp"
#include "test_util.hpp"

using namespace neurochem;

namespace {

struct Form {
    const char* name;
    bool variable;
    H5T_cset_t cset;
    H5T_str_t pad;
    std::size_t size;  // fixed length: the stored size (>= the text)
};

hid_t make_type(const Form& f) {
    const hid_t t = H5Tcopy(H5T_C_S1);
    H5Tset_size(t, f.variable ? H5T_VARIABLE : f.size);
    H5Tset_cset(t, f.cset);
    if (!f.variable) H5Tset_strpad(t, f.pad);
    return t;
}

void write(hid_t file, const Form& f, const std::string& text) {
    const hid_t t = make_type(f), space = H5Screate(H5S_SCALAR);
    std::string fixed = text;
    fixed.resize(f.size, f.pad == H5T_STR_SPACEPAD ? ' ' : '\0');
    const char* p = text.c_str();
    const void* buf =
        f.variable ? static_cast<const void*>(&p) : static_cast<const void*>(fixed.data());
    const hid_t a = H5Acreate2(file, f.name, t, space, H5P_DEFAULT, H5P_DEFAULT);
    ASSERT_GE(H5Awrite(a, t, buf), 0);
    H5Aclose(a);
    const hid_t d = H5Dcreate2(file, f.name, t, space, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
    ASSERT_GE(H5Dwrite(d, t, H5S_ALL, H5S_ALL, H5P_DEFAULT, buf), 0);
    H5Dclose(d);
    H5Sclose(space);
    H5Tclose(t);
}

}  // namespace

TEST(H5Strings, EveryStringTypeReadsAsTheSameText) {
    const std::string path = test::scratch_dir("h5_strings") + "/strings.h5";
    const std::string text = "0123abcdef: config hash ü";  // UTF-8 bytes pass through unchanged
    const Form forms[] = {
        {"fixed_utf8_nullterm", false, H5T_CSET_UTF8, H5T_STR_NULLTERM, text.size() + 1},
        {"fixed_ascii_nullpad", false, H5T_CSET_ASCII, H5T_STR_NULLPAD,
         text.size()},  // h5py np.bytes_
        {"fixed_ascii_nullpad_longer", false, H5T_CSET_ASCII, H5T_STR_NULLPAD, text.size() + 7},
        {"fixed_utf8_spacepad", false, H5T_CSET_UTF8, H5T_STR_SPACEPAD, text.size() + 3},
        {"variable_utf8", true, H5T_CSET_UTF8, H5T_STR_NULLTERM, 0},  // h5py str
        {"variable_ascii", true, H5T_CSET_ASCII, H5T_STR_NULLTERM, 0},
    };
    const hid_t file = H5Fcreate(path.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT);
    ASSERT_GE(file, 0);
    for (const auto& f : forms)
        write(file, f, text);
    for (const auto& f : forms) {
        EXPECT_EQ(h5::read_attr_string(file, f.name), text) << f.name;
        EXPECT_EQ(h5::read_string_dataset(file, f.name), text) << f.name;
    }
    // Not a string: a clear error, not garbage.
    const hid_t space = H5Screate(H5S_SCALAR);
    const hid_t a = H5Acreate2(file, "number", H5T_NATIVE_DOUBLE, space, H5P_DEFAULT, H5P_DEFAULT);
    const double x = 1.5;
    H5Awrite(a, H5T_NATIVE_DOUBLE, &x);
    H5Aclose(a);
    H5Sclose(space);
    try {
        (void)h5::read_attr_string(file, "number");
        ADD_FAILURE() << "a number was read as a string";
    } catch (const std::exception& e) {
        EXPECT_NE(std::string(e.what()).find("attribute number is not a string"), std::string::npos)
            << e.what();
    }
    H5Fclose(file);
}
