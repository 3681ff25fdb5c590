// Process start-up for the command-line tool: MPI is initialised when the process was launched
// by an MPI launcher (mpirun, srun with PMI/PMIx), so the same binary runs with and without
// mpirun.
#pragma once

#include "neurochem/context.hpp"

namespace neurochem {

class MpiSession {
public:
    MpiSession(int* argc, char*** argv);
    ~MpiSession();
    MpiSession(const MpiSession&) = delete;
    MpiSession& operator=(const MpiSession&) = delete;
    bool active() const { return active_; }
    /// All processes of the job (MPI_COMM_WORLD), or this process alone.
    Context context(int threads) const;

private:
    bool active_ = false;
};

}  // namespace neurochem
