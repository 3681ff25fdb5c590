// Refusing a model that cannot fit before building it (issue 15: size = 4294967295 ended in
// std::bad_alloc). The estimate is a lower bound, so a run that fits is never refused: 40 B per
// neuron and 8 B per expected synapse (a single-precision weight and a source index, the least
// any layout stores), spread evenly over the ranks, against the memory available on the node
// (MemAvailable) shared by the ranks that run there.
#pragma once

#include <cstdint>
#include <string>

#include "neurochem/model.hpp"

namespace neurochem {
class Communicator;
}

namespace neurochem::app {

/// Expected number of synapses of the model's projections (their rules' means).
double expected_synapses(const ModelSpec& m);

/// The lower bound (bytes) one of `ranks` ranks needs.
double minimum_bytes_per_rank(const ModelSpec& m, int ranks);

/// "" or the reason the model cannot fit (the same text on every rank: the smallest node's
/// memory per rank is reduced over the ranks).
std::string memory_problem(const ModelSpec& m, Communicator& comm);

}  // namespace neurochem::app
