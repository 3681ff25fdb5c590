#include "io/checkpoint.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <exception>
#include <filesystem>
#include <thread>

#include "comm/communicator.hpp"
#include "core/partition.hpp"
#include "neurochem/errors.hpp"
#include "neurochem/version.hpp"
#include "util/checksum.hpp"
#include "util/sha256.hpp"

namespace fs = std::filesystem;

namespace neurochem {

namespace {
const char* format_name = "neurochem checkpoint";

std::string file_name(std::uint64_t step) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "ckpt_%014llu.h5", static_cast<unsigned long long>(step));
    return buf;
}

void fsync_path(const std::string& path) {
    const int fd = ::open(path.c_str(), O_RDONLY);
    if (fd >= 0) {
        ::fsync(fd);
        ::close(fd);
    }
}

std::string utc_now() {
    const std::time_t t = std::time(nullptr);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", std::gmtime(&t));
    return buf;
}

/// The checksum of the whole array from each rank's part: summed as two exact integer halves
/// (each part < 2^61) so the reduction cannot overflow.
std::uint64_t combine(Communicator& comm, std::uint64_t part) {
    std::uint64_t halves[2] = {part & ((1ULL << 31) - 1), part >> 31};
    comm.sum(std::span<std::uint64_t>(halves, 2));
    return checksum::add(checksum::mulmod(halves[1] % checksum::P, 1ULL << 31),
                         halves[0] % checksum::P);
}

std::string state_path(const std::string& p) {
    return "state/" + p;
}

void ensure_groups(hid_t file, const std::string& path) {
    for (std::size_t pos = path.find('/'); pos != std::string::npos;
         pos = path.find('/', pos + 1)) {
        const std::string g = path.substr(0, pos);
        if (H5Lexists(file, g.c_str(), H5P_DEFAULT) <= 0) h5::create_group(file, g);
    }
}
}  // namespace

CheckpointWriter::CheckpointWriter(const std::string& dir, const CheckpointHeader& h,
                                   Communicator& comm, int stall_at_write)
    : dir_(dir), comm_(comm), stall_at_(stall_at_write), uncaught_(std::uncaught_exceptions()) {
    std::string problem;
    if (comm_.rank() == 0) {
        std::error_code ec;
        fs::create_directories(dir_, ec);
        if (ec || !fs::is_directory(dir_))
            problem = dir_ + ": cannot create the checkpoint directory (" + ec.message() + ").";
    }
    comm_.broadcast(problem, 0);
    if (!problem.empty()) throw std::runtime_error(problem);
    final_path_ = (fs::path(dir_) / file_name(h.step)).string();
    tmp_path_ = (fs::path(dir_) / ("." + file_name(h.step) + ".tmp")).string();

    h5::quiet_errors();
    h5::Handle fapl(h5::check(H5Pcreate(H5P_FILE_ACCESS), "file access list"), H5Pclose);
    comm_.configure_hdf5_file_access(fapl);
    dxpl_ = h5::Handle(h5::check(H5Pcreate(H5P_DATASET_XFER), "transfer list"), H5Pclose);
    comm_.configure_hdf5_transfer(dxpl_);
    const hid_t f = H5Fcreate(tmp_path_.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, fapl);
    if (f < 0) throw std::runtime_error(tmp_path_ + ": cannot create the checkpoint file");
    file_ = h5::Handle(f, H5Fclose);
    h5::attr_string(file_, "format", format_name);
    h5::attr_u32(file_, "format_version", checkpoint_format_version);
    h5::attr_u64(file_, "step", h.step);
    h5::attr_double(file_, "time_ms", h.time_ms);
    h5::attr_string(file_, "config_hash", h.config_hash);
    h5::attr_string(file_, "run_id", h.run_id);
    h5::attr_string(file_, "output_path", h.output_path);
    h5::attr_string(file_, "neurochem_version", version());
    h5::attr_string(file_, "git_revision", git_revision());
    h5::attr_double(file_, "checkpoint_every_ms", h.every_ms);
    h5::attr_u64(file_, "checkpoint_keep", h.keep);
    h5::attr_u64(file_, "ranks", h.ranks);
    h5::attr_u64(file_, "threads", h.threads);
    std::string created = utc_now();
    comm_.broadcast(created, 0);
    h5::attr_string(file_, "created_utc", created);
    h5::write_string_dataset(file_, "config", h.config_text);
    h5::Handle cfg(h5::check(H5Dopen2(file_, "config", H5P_DEFAULT), "config"), H5Dclose);
    h5::attr_string(cfg, "sha256", sha256_hex(h.config_text));
    h5::create_group(file_, "state");
}

// An uncommitted file stays a .tmp if the process is killed (the next commit removes it); if
// the writer is left by an exception (a write failed: a full disk), the .tmp is removed now.
CheckpointWriter::~CheckpointWriter() {
    if (std::uncaught_exceptions() > uncaught_ && file_.valid()) (void)abandon("");
}

std::string CheckpointWriter::abandon(const std::string& why) {
    file_.reset();
    dxpl_.reset();
    std::error_code ec_space, ec_rm;
    const auto space = fs::space(dir_, ec_space);
    if (comm_.rank() == 0) fs::remove(tmp_path_, ec_rm);
    char buf[160];
    std::snprintf(buf, sizeof buf, "%.1f MB free in %s",
                  ec_space ? 0.0 : static_cast<double>(space.available) / 1048576.0, dir_.c_str());
    return "writing the checkpoint " + final_path_ + ": " + why + " (" + buf +
           ": no space left on the device?); the older checkpoints are kept";
}

void CheckpointWriter::stall_if_due() {
    if (stall_at_ > 0 && ++writes_ == stall_at_) {
        std::fprintf(stderr, "neurochem: --inject-fault checkpoint-stall: stalling in %s\n",
                     tmp_path_.c_str());
        std::fflush(stderr);
        std::this_thread::sleep_for(std::chrono::hours(1));
    }
}

template <class T>
void CheckpointWriter::write_array(const std::string& path, std::span<const T> local,
                                   std::uint64_t offset, std::uint64_t global_size, hid_t file_type,
                                   hid_t mem_type) {
    stall_if_due();
    const std::string p = state_path(path);
    ensure_groups(file_, p);
    const hsize_t dims[1] = {global_size};
    h5::Handle space(h5::check(H5Screate_simple(1, dims, nullptr), "space"), H5Sclose);
    h5::Handle d(h5::check(H5Dcreate2(file_, p.c_str(), file_type, space, H5P_DEFAULT, H5P_DEFAULT,
                                      H5P_DEFAULT),
                           "creating " + p),
                 H5Dclose);
    const h5::Slice slice = h5::select_slice(d, offset, local.size());
    // HDF5 refuses a null buffer even when nothing is selected; an empty array has no data.
    const T dummy{};
    if (global_size > 0) {
        h5::check(H5Dwrite(d, mem_type, slice.memory, slice.file, dxpl_,
                           local.empty() ? &dummy : local.data()),
                  "writing " + p);
    }
    // Writers partition each array, so the parts add up to the whole.
    const std::uint64_t sum = combine(comm_, checksum::part_of(local, offset));
    h5::attr_u64(d, "checksum", sum);
}

void CheckpointWriter::write(const std::string& path, std::span<const double> local,
                             std::uint64_t offset, std::uint64_t n) {
    write_array(path, local, offset, n, H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE);
}
void CheckpointWriter::write(const std::string& path, std::span<const std::uint64_t> local,
                             std::uint64_t offset, std::uint64_t n) {
    write_array(path, local, offset, n, H5T_STD_U64LE, H5T_NATIVE_UINT64);
}
void CheckpointWriter::write(const std::string& path, std::span<const std::int32_t> local,
                             std::uint64_t offset, std::uint64_t n) {
    write_array(path, local, offset, n, H5T_STD_I32LE, H5T_NATIVE_INT32);
}
template <class T>
void CheckpointWriter::write_scalar_value(const std::string& path, T value, hid_t file_type,
                                          hid_t mem_type) {
    stall_if_due();
    const std::string p = state_path(path);
    ensure_groups(file_, p);
    h5::Handle space(h5::check(H5Screate(H5S_SCALAR), "space"), H5Sclose);
    h5::Handle d(h5::check(H5Dcreate2(file_, p.c_str(), file_type, space, H5P_DEFAULT, H5P_DEFAULT,
                                      H5P_DEFAULT),
                           "creating " + p),
                 H5Dclose);
    // Every process holds the value; rank 0 writes it (a collective call with an empty
    // selection elsewhere).
    h5::Handle fsel(h5::check(H5Scopy(space), "space"), H5Sclose);
    h5::Handle msel(h5::check(H5Screate(H5S_SCALAR), "space"), H5Sclose);
    if (comm_.rank() != 0) {
        H5Sselect_none(fsel);
        H5Sselect_none(msel);
    }
    h5::check(H5Dwrite(d, mem_type, msel, fsel, dxpl_, &value), "writing " + p);
    h5::attr_u64(d, "checksum", checksum::part_of(std::span<const T>(&value, 1), 0));
}

void CheckpointWriter::write_value(const std::string& path, std::uint64_t value) {
    write_scalar_value(path, value, H5T_STD_U64LE, H5T_NATIVE_UINT64);
}
void CheckpointWriter::write_scalar(const std::string& path, double value) {
    write_scalar_value(path, value, H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE);
}

std::string CheckpointWriter::commit(std::uint64_t keep) {
    try {
        h5::attr_u32(file_, "complete", 1);
        h5::check(H5Fflush(file_, H5F_SCOPE_GLOBAL), "flushing " + tmp_path_);  // MPI_File_sync
        file_.close("closing " + tmp_path_);
    } catch (const std::exception& e) {
        throw std::runtime_error(abandon(e.what()));
    }
    dxpl_.reset();
    comm_.barrier();
    std::string problem;
    if (comm_.rank() == 0) {
        fsync_path(tmp_path_);
        std::error_code ec;
        fs::rename(tmp_path_, final_path_, ec);
        if (ec) {
            problem = "cannot rename " + tmp_path_ + " to " + final_path_ + ": " + ec.message();
        } else {
            fsync_path(dir_);
            const auto all = list_checkpoints(dir_);
            for (std::size_t i = std::max<std::uint64_t>(keep, 1); i < all.size(); ++i)
                fs::remove(all[i], ec);
            for (const auto& e :
                 fs::directory_iterator(dir_, ec)) {  // temporaries of killed writers
                const auto name = e.path().filename().string();
                if (name.rfind(".ckpt_", 0) == 0 && name.size() > 4 &&
                    name.substr(name.size() - 4) == ".tmp") {
                    fs::remove(e.path(), ec);
                }
            }
        }
    }
    comm_.broadcast(problem, 0);
    if (!problem.empty()) throw std::runtime_error(problem);
    return final_path_;
}

// ---------------------------------------------------------------------------------------------

namespace {
void require(bool ok, const std::string& path, const std::string& what) {
    if (!ok) throw input_error(path + ": " + what);
}

CheckpointHeader read_header(hid_t f, const std::string& path) {
    auto has = [&](const char* a) { return H5Aexists(f, a) > 0; };
    require(has("format") && h5::read_attr_string(f, "format") == format_name, path,
            "not a neurochem checkpoint (no format = \"neurochem checkpoint\" attribute).");
    require(has("format_version"), path, "has no format_version attribute.");
    const auto v = h5::read_attr_u64(f, "format_version");
    require(v == checkpoint_format_version, path,
            "has checkpoint format version " + std::to_string(v) +
                "; this build of neurochem reads version " +
                std::to_string(checkpoint_format_version) + ".");
    require(has("complete") && h5::read_attr_u64(f, "complete") == 1, path,
            "is incomplete (its writer stopped before finishing it).");
    CheckpointHeader h;
    try {
        h.step = h5::read_attr_u64(f, "step");
        h.time_ms = h5::read_attr_double(f, "time_ms");
        h.config_hash = h5::read_attr_string(f, "config_hash");
        h.run_id = h5::read_attr_string(f, "run_id");
        h.output_path = h5::read_attr_string(f, "output_path");
        h.neurochem_version = h5::read_attr_string(f, "neurochem_version");
        h.git_revision = h5::read_attr_string(f, "git_revision");
        h.every_ms = h5::read_attr_double(f, "checkpoint_every_ms");
        h.keep = h5::read_attr_u64(f, "checkpoint_keep");
        h.ranks = h5::read_attr_u64(f, "ranks");
        h.threads = h5::read_attr_u64(f, "threads");
        h.config_text = h5::read_string_dataset(f, "config");
        h5::Handle cfg(h5::check(H5Dopen2(f, "config", H5P_DEFAULT), "config"), H5Dclose);
        require(h5::read_attr_string(cfg, "sha256") == sha256_hex(h.config_text), path,
                "its config is corrupted (SHA-256 mismatch).");
    } catch (const std::runtime_error& e) {
        if (dynamic_cast<const input_error*>(&e)) throw;
        throw input_error(path + ": cannot be read as a checkpoint (" + e.what() + ").");
    }
    return h;
}

h5::Handle open_file(const std::string& path, hid_t fapl) {
    require(fs::exists(path), path, "no such checkpoint file.");
    h5::quiet_errors();
    const hid_t f = H5Fopen(path.c_str(), H5F_ACC_RDONLY, fapl);
    require(f >= 0, path, "cannot be opened as HDF5 (truncated, corrupted or not an HDF5 file).");
    return {f, H5Fclose};
}
}  // namespace

CheckpointHeader read_checkpoint_header(const std::string& path) {
    const auto f = open_file(path, H5P_DEFAULT);
    return read_header(f, path);
}

std::vector<std::string> list_checkpoints(const std::string& dir) {
    std::vector<std::pair<std::string, std::string>> found;  // (name, path)
    std::error_code ec;
    for (const auto& e : fs::directory_iterator(dir, ec)) {
        const auto name = e.path().filename().string();
        if (name.rfind("ckpt_", 0) == 0 && name.size() > 8 &&
            name.substr(name.size() - 3) == ".h5") {
            found.emplace_back(name, e.path().string());
        }
    }
    std::sort(found.begin(), found.end(), std::greater<>());  // zero-padded steps: name order
    std::vector<std::string> out;
    for (auto& f : found)
        out.push_back(f.second);
    return out;
}

CheckpointReader::CheckpointReader(const std::string& path, Communicator& comm)
    : path_(path), comm_(comm) {
    h5::Handle fapl(h5::check(H5Pcreate(H5P_FILE_ACCESS), "file access list"), H5Pclose);
    comm_.configure_hdf5_file_access(fapl);
    file_ = open_file(path, fapl);
    dxpl_ = h5::Handle(h5::check(H5Pcreate(H5P_DATASET_XFER), "transfer list"), H5Pclose);
    comm_.configure_hdf5_transfer(dxpl_);
    header_ = read_header(file_, path);
}

std::uint64_t CheckpointReader::size_of(const std::string& path) {
    const std::string p = state_path(path);
    require(h5::exists(file_, p), path_, "has no dataset /" + p + ".");
    h5::Handle d(h5::check(H5Dopen2(file_, p.c_str(), H5P_DEFAULT), "opening " + p), H5Dclose);
    h5::Handle space(h5::check(H5Dget_space(d), "space"), H5Sclose);
    require(H5Sget_simple_extent_ndims(space) == 1, path_, "/" + p + " is not one-dimensional.");
    hsize_t n = 0;
    H5Sget_simple_extent_dims(space, &n, nullptr);
    return n;
}

template <class T>
void CheckpointReader::read_array(const std::string& path, std::span<T> local, std::uint64_t offset,
                                  std::uint64_t global_size, H5T_class_t cls, hid_t mem_type) {
    const std::string p = state_path(path);
    const std::uint64_t n = size_of(path);
    require(n == global_size, path_,
            "/" + p + " has " + std::to_string(n) + " elements where this model has " +
                std::to_string(global_size) + " (a checkpoint of a different network).");
    h5::Handle d(h5::check(H5Dopen2(file_, p.c_str(), H5P_DEFAULT), "opening " + p), H5Dclose);
    h5::Handle t(h5::check(H5Dget_type(d), "type"), H5Tclose);
    require(H5Tget_class(t) == cls, path_, "/" + p + " has the wrong element type.");
    const h5::Slice slice = h5::select_slice(d, offset, local.size());
    T dummy{};
    std::uint64_t failed = global_size > 0 && H5Dread(d, mem_type, slice.memory, slice.file, dxpl_,
                                                      local.empty() ? &dummy : local.data()) < 0
                               ? 1
                               : 0;
    comm_.sum(std::span<std::uint64_t>(&failed, 1));  // every rank learns of a failure
    require(failed == 0, path_, "cannot read /" + p + " (the file is damaged).");
    // Verify. When the ranks read disjoint slices that add up to the array (per-neuron state,
    // synapses), each checks what it read; otherwise (an array every rank reads whole, or
    // slices that overlap) each checks the part of its canonical block it read, which covers
    // the array when every rank reads at least its block.
    std::uint64_t read_total = local.size();
    comm_.sum(std::span<std::uint64_t>(&read_total, 1));
    std::uint64_t lo = offset, hi = offset + local.size();
    if (read_total != global_size) {
        const IndexRange mine =
            block_partition(global_size, static_cast<std::uint64_t>(comm_.size()),
                            static_cast<std::uint64_t>(comm_.rank()));
        lo = std::max<std::uint64_t>(mine.begin, offset);
        hi = std::min<std::uint64_t>(mine.end, offset + local.size());
    }
    const std::uint64_t part =
        hi > lo ? checksum::part_of(std::span<const T>(local.data() + (lo - offset), hi - lo), lo)
                : 0;
    const std::uint64_t sum = combine(comm_, part);
    require(H5Aexists(d, "checksum") > 0 && h5::read_attr_u64(d, "checksum") == sum, path_,
            "/" + p + " is corrupted (checksum mismatch).");
}

void CheckpointReader::read(const std::string& path, std::span<double> local, std::uint64_t offset,
                            std::uint64_t n) {
    read_array(path, local, offset, n, H5T_FLOAT, H5T_NATIVE_DOUBLE);
}
void CheckpointReader::read(const std::string& path, std::span<std::uint64_t> local,
                            std::uint64_t offset, std::uint64_t n) {
    read_array(path, local, offset, n, H5T_INTEGER, H5T_NATIVE_UINT64);
}
void CheckpointReader::read(const std::string& path, std::span<std::int32_t> local,
                            std::uint64_t offset, std::uint64_t n) {
    read_array(path, local, offset, n, H5T_INTEGER, H5T_NATIVE_INT32);
}
void CheckpointReader::verify_all() {
    std::vector<std::string> paths;
    H5Ovisit(
        file_, H5_INDEX_NAME, H5_ITER_INC,
        [](hid_t, const char* name, const H5O_info_t* info, void* data) -> herr_t {
            const std::string n = name;
            if (info->type == H5O_TYPE_DATASET && n.rfind("state/", 0) == 0) {
                static_cast<std::vector<std::string>*>(data)->push_back(n.substr(6));
            }
            return 0;
        },
        &paths);
    const auto R = static_cast<std::uint64_t>(comm_.size()),
               r = static_cast<std::uint64_t>(comm_.rank());
    for (const auto& p : paths) {
        {
            h5::Handle d(
                h5::check(H5Dopen2(file_, ("state/" + p).c_str(), H5P_DEFAULT), "opening " + p),
                H5Dclose);
            h5::Handle space(h5::check(H5Dget_space(d), "space"), H5Sclose);
            if (H5Sget_simple_extent_type(space) == H5S_SCALAR) {
                h5::Handle t(h5::check(H5Dget_type(d), "type"), H5Tclose);
                if (H5Tget_class(t) == H5T_FLOAT) {
                    read_scalar(p);
                } else {
                    read_value(p);
                }
                continue;
            }
        }
        const std::uint64_t n = size_of(p);
        const IndexRange mine = block_partition(n, R, r);
        h5::Handle d(
            h5::check(H5Dopen2(file_, ("state/" + p).c_str(), H5P_DEFAULT), "opening " + p),
            H5Dclose);
        h5::Handle t(h5::check(H5Dget_type(d), "type"), H5Tclose);
        const auto cls = H5Tget_class(t);
        const auto size = H5Tget_size(t);
        const bool is_signed = cls == H5T_INTEGER && H5Tget_sign(t) == H5T_SGN_2;
        if (cls == H5T_FLOAT && size == 8) {
            std::vector<double> v(mine.size());
            read(p, std::span<double>(v), mine.begin, n);
        } else if (cls == H5T_INTEGER && size == 8 && !is_signed) {
            std::vector<std::uint64_t> v(mine.size());
            read(p, std::span<std::uint64_t>(v), mine.begin, n);
        } else if (cls == H5T_INTEGER && size == 4 && is_signed) {
            std::vector<std::int32_t> v(mine.size());
            read(p, std::span<std::int32_t>(v), mine.begin, n);
        } else {
            throw input_error(path_ + ": /state/" + p +
                              " has an element type this format does not use.");
        }
    }
}

template <class T>
T CheckpointReader::read_scalar_value(const std::string& path, H5T_class_t cls, hid_t mem_type) {
    const std::string p = state_path(path);
    require(h5::exists(file_, p), path_, "has no dataset /" + p + ".");
    h5::Handle d(h5::check(H5Dopen2(file_, p.c_str(), H5P_DEFAULT), "opening " + p), H5Dclose);
    h5::Handle space(h5::check(H5Dget_space(d), "space"), H5Sclose);
    require(H5Sget_simple_extent_type(space) == H5S_SCALAR, path_, "/" + p + " is not a scalar.");
    h5::Handle t(h5::check(H5Dget_type(d), "type"), H5Tclose);
    require(H5Tget_class(t) == cls, path_, "/" + p + " has the wrong element type.");
    T value{};
    std::uint64_t failed = H5Dread(d, mem_type, H5S_ALL, H5S_ALL, dxpl_, &value) < 0 ? 1 : 0;
    comm_.sum(std::span<std::uint64_t>(&failed, 1));
    require(failed == 0, path_, "cannot read /" + p + " (the file is damaged).");
    require(H5Aexists(d, "checksum") > 0 && h5::read_attr_u64(d, "checksum") ==
                                                checksum::part_of(std::span<const T>(&value, 1), 0),
            path_, "/" + p + " is corrupted (checksum mismatch).");
    return value;
}

std::uint64_t CheckpointReader::read_value(const std::string& path) {
    return read_scalar_value<std::uint64_t>(path, H5T_INTEGER, H5T_NATIVE_UINT64);
}

double CheckpointReader::read_scalar(const std::string& path) {
    return read_scalar_value<double>(path, H5T_FLOAT, H5T_NATIVE_DOUBLE);
}

}  // namespace neurochem
