// Where a simulation runs: how many threads on this process, and which processes take part.
#pragma once

#include <memory>

namespace neurochem {

class Communicator;  // opaque; see make_serial_context (and make_mpi_context in neurochem/mpi.hpp)

struct Context {
    int threads = 1;                     ///< OpenMP threads (thread domains) on this process
    std::shared_ptr<Communicator> comm;  ///< the processes taking part

    int rank() const;
    int ranks() const;
};

/// One process. threads <= 0: chosen from the work per epoch (a second thread only where it
/// pays), at most the OpenMP default (OMP_NUM_THREADS or the cores).
Context make_serial_context(int threads);

}  // namespace neurochem
