#include "neurochem/context.hpp"

#include "comm/communicator.hpp"

namespace neurochem {

int Context::rank() const { return comm ? comm->rank() : 0; }
int Context::ranks() const { return comm ? comm->size() : 1; }

Context make_serial_context(int threads) { return Context{threads, make_serial_communicator()}; }

}  // namespace neurochem
