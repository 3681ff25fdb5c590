// HDF5 checkpoints of a Simulation for programs that use neurochem as a library (the format of
// docs/checkpoint-format.md, the same files `neurochem run --checkpoint-every` writes). A state
// saved on any number of processes and threads restores on any other layout, bit for bit.
#pragma once

#include <cstdint>
#include <string>

#include "neurochem/simulation.hpp"

namespace neurochem {

/// Collective: writes the state of `sim` to DIR/ckpt_STEP.h5 (written to a temporary file,
/// flushed, then renamed into place, so a crash never leaves a partial checkpoint under that
/// name), creating DIR if needed, and deletes all but the newest `keep` checkpoints in DIR.
/// Returns the path written. Throws input_error when DIR cannot be used.
std::string save_checkpoint(const Simulation& sim, const std::string& dir, std::uint64_t keep = 2);

/// Collective: restores a checkpoint into `sim`, a freshly built simulation of the same model
/// (any number of processes and threads). Throws input_error naming the file when it is not a
/// complete checkpoint or does not fit the model.
void load_checkpoint(Simulation& sim, const std::string& path);

}  // namespace neurochem
