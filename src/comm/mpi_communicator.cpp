// The MPI implementation of Communicator: the only file of neurochem that includes <mpi.h>.
// Every MPI call is checked; a failure throws std::runtime_error naming the call.
#include <mpi.h>
#include <hdf5.h>

#include <algorithm>
#include <cstdlib>
#include <stdexcept>
#include <string>

#include "comm/communicator.hpp"
#include "comm/environment.hpp"
#include "neurochem/mpi.hpp"

namespace neurochem {

namespace {
void check(int rc, const char* call) {
    if (rc != MPI_SUCCESS) {
        char msg[MPI_MAX_ERROR_STRING];
        int len = 0;
        MPI_Error_string(rc, msg, &len);
        throw std::runtime_error(std::string("MPI: ") + call + " failed: " + std::string(msg, static_cast<std::size_t>(len)));
    }
}

class MpiCommunicator final : public Communicator {
public:
    explicit MpiCommunicator(MPI_Comm comm) : comm_(comm) {
        check(MPI_Comm_rank(comm_, &rank_), "MPI_Comm_rank");
        check(MPI_Comm_size(comm_, &size_), "MPI_Comm_size");
        counts_.resize(static_cast<std::size_t>(size_));
        displs_.resize(static_cast<std::size_t>(size_));
    }
    int rank() const override { return rank_; }
    int size() const override { return size_; }
    std::string name() const override { return "mpi"; }

    // Allgather of the counts, Allgatherv of the spikes (16 bytes each), then a merge of the
    // per-rank sorted runs: O(n log ranks).
    void gather_spikes(std::span<const Spike> local, std::vector<Spike>& global) override {
        static_assert(sizeof(Spike) == 2 * sizeof(std::uint64_t));
        const int mine = static_cast<int>(local.size() * 2);
        check(MPI_Allgather(&mine, 1, MPI_INT, counts_.data(), 1, MPI_INT, comm_), "MPI_Allgather");
        long long total = 0;
        for (int r = 0; r < size_; ++r) {
            displs_[static_cast<std::size_t>(r)] = static_cast<int>(total);
            total += counts_[static_cast<std::size_t>(r)];
        }
        if (total > 0x7fffffffLL) throw std::runtime_error("MPI: more than 2^30 spikes in one epoch");
        global.resize(static_cast<std::size_t>(total / 2));
        check(MPI_Allgatherv(local.data(), mine, MPI_UINT64_T, global.data(), counts_.data(),
                             displs_.data(), MPI_UINT64_T, comm_),
              "MPI_Allgatherv");
        // Merge the sorted runs pairwise until one is left.
        std::vector<std::size_t> b;
        for (int r = 0; r < size_; ++r) b.push_back(static_cast<std::size_t>(displs_[static_cast<std::size_t>(r)] / 2));
        b.push_back(global.size());
        auto at = [&](std::size_t k) { return global.begin() + static_cast<std::ptrdiff_t>(k); };
        while (b.size() > 2) {
            std::vector<std::size_t> next{b[0]};
            std::size_t i = 0;
            for (; i + 2 < b.size(); i += 2) {
                std::inplace_merge(at(b[i]), at(b[i + 1]), at(b[i + 2]));
                next.push_back(b[i + 2]);
            }
            if (i + 1 < b.size()) next.push_back(b.back());  // an odd run left over
            b = std::move(next);
        }
    }
    void sum(std::span<std::uint64_t> v) override {
        check(MPI_Allreduce(MPI_IN_PLACE, v.data(), static_cast<int>(v.size()), MPI_UINT64_T, MPI_SUM, comm_),
              "MPI_Allreduce");
    }
    void sum(std::span<std::int64_t> v) override {
        check(MPI_Allreduce(MPI_IN_PLACE, v.data(), static_cast<int>(v.size()), MPI_INT64_T, MPI_SUM, comm_),
              "MPI_Allreduce");
    }
    double max(double v) override {
        check(MPI_Allreduce(MPI_IN_PLACE, &v, 1, MPI_DOUBLE, MPI_MAX, comm_), "MPI_Allreduce");
        return v;
    }
    std::vector<double> all_values(double v) override {
        std::vector<double> out(static_cast<std::size_t>(size_));
        check(MPI_Allgather(&v, 1, MPI_DOUBLE, out.data(), 1, MPI_DOUBLE, comm_), "MPI_Allgather");
        return out;
    }
    void broadcast(std::string& s, int root) override {
        unsigned long long n = s.size();
        check(MPI_Bcast(&n, 1, MPI_UNSIGNED_LONG_LONG, root, comm_), "MPI_Bcast");
        s.resize(n);
        check(MPI_Bcast(s.data(), static_cast<int>(n), MPI_CHAR, root, comm_), "MPI_Bcast");
    }
    void barrier() override { check(MPI_Barrier(comm_), "MPI_Barrier"); }
    [[noreturn]] void abort(int code) override {
        MPI_Abort(comm_, code);
        std::_Exit(code);
    }
    void configure_hdf5_file_access(std::int64_t fapl) const override {
        if (H5Pset_fapl_mpio(static_cast<hid_t>(fapl), comm_, MPI_INFO_NULL) < 0) {
            throw std::runtime_error("HDF5: H5Pset_fapl_mpio failed");
        }
    }
    void configure_hdf5_transfer(std::int64_t dxpl) const override {
        if (H5Pset_dxpl_mpio(static_cast<hid_t>(dxpl), H5FD_MPIO_COLLECTIVE) < 0) {
            throw std::runtime_error("HDF5: H5Pset_dxpl_mpio failed");
        }
    }

private:
    MPI_Comm comm_;
    int rank_ = 0, size_ = 1;
    std::vector<int> counts_, displs_;
};

bool launched_by_mpi() {
    for (const char* v : {"OMPI_COMM_WORLD_SIZE", "PMI_SIZE", "PMI_RANK", "PMIX_RANK", "MPI_LOCALNRANKS"}) {
        if (std::getenv(v)) return true;
    }
    return false;
}
}  // namespace

Context make_mpi_context(int threads, MPI_Comm comm) {
    return Context{threads, std::make_shared<MpiCommunicator>(comm)};
}

MpiSession::MpiSession(int* argc, char*** argv) {
    if (!launched_by_mpi()) return;
    int provided = 0;
    check(MPI_Init_thread(argc, argv, MPI_THREAD_FUNNELED, &provided), "MPI_Init_thread");
    active_ = true;
    // The spike exchange runs on the main thread inside an OpenMP parallel region.
    if (provided < MPI_THREAD_FUNNELED) {
        throw std::runtime_error("the MPI library provides only MPI_THREAD_SINGLE; neurochem needs "
                             "MPI_THREAD_FUNNELED (calls from the main thread of a threaded process)");
    }
}

MpiSession::~MpiSession() {
    if (active_) MPI_Finalize();
}

Context MpiSession::context(int threads) const {
    return active_ ? make_mpi_context(threads, MPI_COMM_WORLD) : make_serial_context(threads);
}

}  // namespace neurochem
