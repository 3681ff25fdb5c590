// The library's checkpoint functions (include/neurochem/checkpoint.hpp) over the HDF5
// checkpoint writer and reader of the command-line tool.
#include "neurochem/checkpoint.hpp"

#include "comm/communicator.hpp"
#include "io/checkpoint.hpp"

namespace neurochem {

std::string save_checkpoint(const Simulation& sim, const std::string& dir, std::uint64_t keep) {
    Communicator& comm = *sim.context().comm;
    CheckpointHeader h;
    h.step = sim.current_step();
    h.time_ms = static_cast<double>(sim.current_step()) * sim.dt_ms();
    h.keep = keep;
    h.ranks = static_cast<std::uint64_t>(comm.size());
    h.threads = static_cast<std::uint64_t>(sim.context().threads);
    CheckpointWriter w(dir, h, comm);
    sim.save_state(w);
    return w.commit(keep);
}

void load_checkpoint(Simulation& sim, const std::string& path) {
    CheckpointReader r(path, *sim.context().comm);
    sim.load_state(r);
}

}  // namespace neurochem
