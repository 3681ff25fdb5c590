// For programs that embed neurochem and run it on their own MPI communicator.
#pragma once

#include <mpi.h>

#include "neurochem/context.hpp"

namespace neurochem {

/// The processes of `comm` (MPI must be initialised, with at least MPI_THREAD_FUNNELED).
Context make_mpi_context(int threads, MPI_Comm comm);

}  // namespace neurochem
