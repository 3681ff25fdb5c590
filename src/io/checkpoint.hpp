// HDF5 checkpoints (format: docs/checkpoint-format.md). One file per checkpoint, written
// collectively by all ranks in canonical order, so it restores on any number of ranks and
// threads. Crash-safe: written as DIR/.ckpt_STEP.h5.tmp, flushed to storage, then renamed to
// DIR/ckpt_STEP.h5; the newest `keep` are kept. Every dataset carries a layout-independent
// checksum, verified when it is read.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "io/h5.hpp"
#include "neurochem/state_io.hpp"

namespace neurochem {

class Communicator;

inline constexpr std::uint32_t checkpoint_format_version = 3;

struct CheckpointHeader {
    std::uint64_t step = 0;
    double time_ms = 0;
    std::string config_text;  ///< resolved config of the run that wrote it
    std::string config_hash;
    std::string run_id;       ///< hash of the config without simulation.duration
    std::string output_path;  ///< the run's output file
    std::string neurochem_version, git_revision;
    double every_ms = 0;  ///< the run's checkpoint interval (0: none)
    std::uint64_t keep = 2;
    std::uint64_t ranks = 1, threads = 1;
};

class CheckpointWriter final : public StateSink {
  public:
    /// Collective. `stall_at_write` > 0 (testing): every rank sleeps for an hour before that
    /// write, leaving a partial temporary file to be killed in.
    CheckpointWriter(const std::string& dir, const CheckpointHeader& header, Communicator& comm,
                     int stall_at_write = 0);
    ~CheckpointWriter() override;

    void write(const std::string& path, std::span<const double> local, std::uint64_t offset,
               std::uint64_t global_size) override;
    void write(const std::string& path, std::span<const std::uint64_t> local, std::uint64_t offset,
               std::uint64_t global_size) override;
    void write(const std::string& path, std::span<const std::int32_t> local, std::uint64_t offset,
               std::uint64_t global_size) override;
    void write_value(const std::string& path, std::uint64_t value) override;
    void write_scalar(const std::string& path, double value) override;

    /// Collective: marks the file complete, flushes it to storage, renames it into place and
    /// deletes all but the newest `keep` checkpoints. Returns the final path.
    std::string commit(std::uint64_t keep);

  private:
    template <class T>
    void write_array(const std::string& path, std::span<const T> local, std::uint64_t offset,
                     std::uint64_t global_size, hid_t file_type, hid_t mem_type);
    template <class T>
    void write_scalar_value(const std::string& path, T value, hid_t file_type, hid_t mem_type);
    void stall_if_due();
    /// After a failed write: closes the file quietly, removes the temporary file (rank 0) and
    /// returns the message with the directory's free space.
    std::string abandon(const std::string& why);
    std::string dir_, tmp_path_, final_path_;
    Communicator& comm_;
    h5::Handle file_, dxpl_;
    int writes_ = 0, stall_at_ = 0;
    int uncaught_ = 0;  // exceptions in flight at construction
};

class CheckpointReader final : public StateSource {
  public:
    /// Collective. Checks that `path` is a complete checkpoint of a compatible format; an
    /// input_error names the file and the problem otherwise.
    CheckpointReader(const std::string& path, Communicator& comm);
    const CheckpointHeader& header() const { return header_; }
    const std::string& path() const { return path_; }

    void read(const std::string& path, std::span<double> local, std::uint64_t offset,
              std::uint64_t global_size) override;
    void read(const std::string& path, std::span<std::uint64_t> local, std::uint64_t offset,
              std::uint64_t global_size) override;
    void read(const std::string& path, std::span<std::int32_t> local, std::uint64_t offset,
              std::uint64_t global_size) override;
    std::uint64_t read_value(const std::string& path) override;
    double read_scalar(const std::string& path) override;
    std::uint64_t size_of(const std::string& path) override;
    std::string name() const override { return path_; }
    /// Collective: reads every array once (each rank a block) and verifies its checksum.
    void verify_all();

  private:
    template <class T>
    void read_array(const std::string& path, std::span<T> local, std::uint64_t offset,
                    std::uint64_t global_size, H5T_class_t cls, hid_t mem_type);
    template <class T>
    T read_scalar_value(const std::string& path, H5T_class_t cls, hid_t mem_type);
    std::string path_;
    Communicator& comm_;
    h5::Handle file_, dxpl_;
    CheckpointHeader header_;
};

/// Reads and checks a checkpoint's header alone (serial HDF5, any rank). input_error if the
/// file is missing, not HDF5, truncated, not a checkpoint, incomplete or of another format.
CheckpointHeader read_checkpoint_header(const std::string& path);

/// The checkpoint files ckpt_*.h5 in `dir`, newest (largest step) first.
std::vector<std::string> list_checkpoints(const std::string& dir);

}  // namespace neurochem
