// `neurochem rerun`: a run re-executed from its own provenance is bitwise the same; a file
// written by another binary is refused unless --allow-version-change; a file whose config was
// changed is refused; the original is never overwritten.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "io/h5.hpp"
#include "neurochem/version.hpp"
#include "test_util.hpp"

using namespace neurochem;
namespace fs = std::filesystem;

namespace {
std::string read(const std::string& path) {
    std::ifstream f(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(f), {}};
}

/// Replaces a string attribute of /provenance (as the output writer writes it: fixed length).
void set_provenance(const std::string& file, const std::string& name, const std::string& value) {
    h5::Handle f(H5Fopen(file.c_str(), H5F_ACC_RDWR, H5P_DEFAULT), H5Fclose);
    ASSERT_TRUE(f.valid());
    h5::Handle p = h5::open_group(f, "provenance");
    H5Adelete(p, name.c_str());
    h5::attr_string(p, name, value);
}
#define EXPECT_HAS(text, part) EXPECT_NE((text).find(part), std::string::npos) << (text)
}  // namespace

TEST(Rerun, ReproducesARunBitwise) {
    const auto dir = test::scratch_dir("rerun_same");
    const std::string out = dir + "/b.h5";
    ASSERT_EQ(
        test::run_neurochem(
            "run -q " + test::source_path("tests/data/brunel_small.ini") +
            " --set simulation.duration=80ms --set output.spikes=true --seed 11 --threads 2 -o " +
            out)
            .exit_code,
        0);
    const std::string original = read(out);
    const auto r = test::run_neurochem("rerun " + out + " --threads 1");
    EXPECT_EQ(r.exit_code, 0) << r.output;
    EXPECT_HAS(r.output, "rerun of " + out);
    EXPECT_HAS(r.output, "REPRODUCED bitwise: spike trains of 2 populations");
    EXPECT_TRUE(fs::exists(dir + "/b.rerun.h5"));
    EXPECT_EQ(read(out), original);  // untouched
    // With chemistry, into a chosen file.
    const std::string chem = dir + "/rp.h5";
    ASSERT_EQ(test::run_neurochem("run -q " + test::source_path("configs/raphe_pfc.ini") +
                                  " --set simulation.duration=100ms -o " + chem)
                  .exit_code,
              0);
    const auto c = test::run_neurochem("rerun -q " + chem + " -o " + dir + "/rp_again.h5");
    EXPECT_EQ(c.exit_code, 0) << c.output;
    EXPECT_HAS(c.output, "chemistry traces");
}

TEST(Rerun, RefusesAnotherBinaryUnlessAllowed) {
    const auto dir = test::scratch_dir("rerun_version");
    const std::string out = dir + "/b.h5";
    ASSERT_EQ(test::run_neurochem("run -q " + test::source_path("tests/data/brunel_small.ini") +
                                  " --set simulation.duration=50ms -o " + out)
                  .exit_code,
              0);
    set_provenance(out, "neurochem_version", "0.0.1");
    set_provenance(out, "compile_flags", "-O0");
    auto r = test::run_neurochem("rerun " + out);
    EXPECT_EQ(r.exit_code, 2) << r.output;
    EXPECT_HAS(r.output, out + " was written by another neurochem binary:");
    EXPECT_HAS(r.output,
               std::string("neurochem_version: '0.0.1' in the file, '") + neurochem::version());
    EXPECT_HAS(r.output, "compile_flags: '-O0' in the file");
    EXPECT_HAS(r.output, "--allow-version-change");
    EXPECT_FALSE(fs::exists(dir + "/b.rerun.h5"));
    EXPECT_FALSE(fs::exists(dir + "/b.rerun.h5.partial"));
    r = test::run_neurochem("rerun " + out + " --allow-version-change");
    EXPECT_EQ(r.exit_code, 0) << r.output;  // the same binary in fact: the result is the same
    EXPECT_HAS(r.output, "written by another binary (--allow-version-change):");
    EXPECT_HAS(r.output, "neurochem_version: '0.0.1' in the file");
    EXPECT_HAS(r.output, "REPRODUCED bitwise");
}

TEST(Rerun, RefusesChangedFilesAndNeverOverwrites) {
    const auto dir = test::scratch_dir("rerun_bad");
    const std::string out = dir + "/b.h5";
    ASSERT_EQ(test::run_neurochem("run -q " + test::source_path("tests/data/brunel_small.ini") +
                                  " --set simulation.duration=50ms -o " + out)
                  .exit_code,
              0);
    auto r = test::run_neurochem("rerun " + out + " -o " + out);
    EXPECT_EQ(r.exit_code, 2) << r.output;
    EXPECT_HAS(r.output, "rerun never overwrites the original");
    r = test::run_neurochem("rerun " + out + " -o " + dir + "/../" +
                            fs::path(dir).filename().string() + "/b.h5");
    EXPECT_EQ(r.exit_code, 2) << r.output;
    fs::copy_file(out, dir + "/c.h5");
    set_provenance(dir + "/c.h5", "config_hash", std::string(64, '0'));
    r = test::run_neurochem("rerun " + dir + "/c.h5");
    EXPECT_EQ(r.exit_code, 2) << r.output;
    EXPECT_HAS(r.output, "/provenance/config does not match its config_hash");
    // A rewritten seed attribute (issue 15: it still said REPRODUCED).
    fs::copy_file(out, dir + "/s.h5");
    {
        h5::Handle f(H5Fopen((dir + "/s.h5").c_str(), H5F_ACC_RDWR, H5P_DEFAULT), H5Fclose);
        h5::Handle p = h5::open_group(f, "provenance");
        const std::uint64_t seed = h5::read_attr_u64(p, "seed");
        H5Adelete(p, "seed");
        h5::attr_u64(p, "seed", seed + 1);
    }
    r = test::run_neurochem("rerun " + dir + "/s.h5");
    EXPECT_EQ(r.exit_code, 2) << r.output;
    EXPECT_HAS(r.output, "disagrees with its config's simulation.seed");
    EXPECT_FALSE(fs::exists(dir + "/s.rerun.h5"));
    std::ofstream(dir + "/x.h5") << "not hdf5";
    r = test::run_neurochem("rerun " + dir + "/x.h5");
    EXPECT_EQ(r.exit_code, 2) << r.output;
    EXPECT_HAS(r.output, "not an HDF5 file");
    EXPECT_EQ(test::run_neurochem("rerun " + dir + "/missing.h5").exit_code, 2);
}
