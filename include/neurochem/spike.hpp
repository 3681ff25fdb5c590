#pragma once

#include <compare>
#include <cstdint>

namespace neurochem {

/// A spike of neuron `gid` at time step * dt: emitted while advancing from step - 1 to step, so
/// the spikes of an epoch [begin_step, end_step) carry steps in (begin_step, end_step]. Spikes
/// are ordered by (step, gid): the canonical delivery and output order, whatever the number of
/// ranks and threads.
struct Spike {
    std::uint64_t step;
    std::uint64_t gid;
    auto operator<=>(const Spike&) const = default;
};

}  // namespace neurochem
