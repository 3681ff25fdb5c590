// The narrow interface through which the simulator talks to other processes. The serial
// implementation is the identity; the MPI implementation (comm/mpi_communicator.cpp) is the
// only code in neurochem that includes <mpi.h>.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "neurochem/spike.hpp"

namespace neurochem {

class Communicator {
public:
    virtual ~Communicator() = default;
    virtual int rank() const = 0;
    virtual int size() const = 0;
    virtual std::string name() const = 0;

    /// Every rank contributes its spikes, sorted by (step, gid); every rank receives the spikes
    /// of all ranks, sorted by (step, gid).
    virtual void gather_spikes(std::span<const Spike> local, std::vector<Spike>& global) = 0;
    /// Element-wise sum over ranks, in place. Integers: exact, so order-independent.
    virtual void sum(std::span<std::uint64_t> values) = 0;
    virtual void sum(std::span<std::int64_t> values) = 0;
    virtual double max(double value) = 0;
    /// The values of all ranks, in rank order, on every rank.
    virtual std::vector<double> all_values(double value) = 0;
    /// Root's string on every rank.
    virtual void broadcast(std::string& s, int root) = 0;
    virtual void barrier() = 0;
    /// Ends every process of the job at once with `code` (MPI_Abort); serial: std::exit.
    [[noreturn]] virtual void abort(int code) = 0;

    /// Sets up an HDF5 file-access property list for a file shared by all ranks
    /// (MPI-IO for MPI; nothing for serial). `fapl` is an hid_t.
    virtual void configure_hdf5_file_access(std::int64_t fapl) const = 0;
    /// Sets up an HDF5 transfer property list for collective writes.
    virtual void configure_hdf5_transfer(std::int64_t dxpl) const = 0;
};

std::shared_ptr<Communicator> make_serial_communicator();

}  // namespace neurochem
