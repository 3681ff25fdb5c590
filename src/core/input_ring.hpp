// Ring buffers of synaptic input per (arrival step, port, local neuron) for one population.
// The length is a power of two > max(max delay, epoch length): everything delivered after an
// epoch arrives at steps in [epoch end, epoch end + max delay], background input is written for
// a whole epoch at its start, and every slot before the epoch end has been consumed (zeroed)
// by the neuron update.
#pragma once

#include <bit>
#include <algorithm>
#include <cstdint>
#include <vector>

namespace neurochem {

class InputRing {
public:
    InputRing() = default;
    InputRing(std::size_t neurons, std::size_t ports, std::uint32_t span_steps)
        : n_(neurons),
          ports_(ports),
          mask_(std::bit_ceil(static_cast<std::uint64_t>(span_steps) + 1) - 1),
          data_((mask_ + 1) * ports * neurons, 0.0) {}

    double* row(std::uint64_t step, std::size_t port) {
        return data_.data() + ((step & mask_) * ports_ + port) * n_;
    }
    std::size_t slots() const { return mask_ + 1; }
    void clear() { std::fill(data_.begin(), data_.end(), 0.0); }
    std::size_t ports() const { return ports_; }
    std::size_t neurons() const { return n_; }
    std::size_t memory_bytes() const { return data_.size() * sizeof(double); }

private:
    std::size_t n_ = 0;
    std::size_t ports_ = 0;
    std::uint64_t mask_ = 0;
    std::vector<double> data_;
};

}  // namespace neurochem
