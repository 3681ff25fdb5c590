#include "app/memory_check.hpp"

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <map>
#include <string>

#include "comm/communicator.hpp"

namespace neurochem::app {

namespace {
constexpr double bytes_per_neuron = 40;
constexpr double bytes_per_synapse = 8;

/// MemAvailable of this node in bytes (0 if unknown).
double available_bytes() {
    std::ifstream f("/proc/meminfo");
    std::string key;
    double kb = 0;
    std::string unit;
    while (f >> key >> kb >> unit) {
        if (key == "MemAvailable:") return kb * 1024.0;
    }
    return 0;
}

/// Ranks of this job on this node, from the launcher's environment (1 if it does not say).
int ranks_on_this_node() {
    for (const char* v :
         {"OMPI_COMM_WORLD_LOCAL_SIZE", "MPI_LOCALNRANKS", "SLURM_NTASKS_PER_NODE"}) {
        if (const char* s = std::getenv(v)) {
            const int n = std::atoi(s);
            if (n > 0) return n;
        }
    }
    return 1;
}

std::string gigabytes(double bytes) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.3g GB", bytes / 1e9);
    return buf;
}
}  // namespace

double expected_synapses(const ModelSpec& m) {
    std::map<std::string, double> size;
    for (const auto& p : m.populations)
        size[p.name] = static_cast<double>(p.size);
    double n = 0;
    for (const auto& pr : m.projections) {
        const double pre = size[pr.pre], post = size[pr.post];
        switch (pr.rule) {
            case ConnectionRule::fixed_indegree:
                n += static_cast<double>(pr.indegree) * post;
                break;
            case ConnectionRule::fixed_total_number:
                n += static_cast<double>(pr.total_synapses);
                break;
            case ConnectionRule::pairwise_bernoulli:
                n += pr.probability * pre * post;
                break;
            case ConnectionRule::one_to_one:
                n += post;
                break;
            case ConnectionRule::all_to_all:
                n += pre * post;
                break;
        }
    }
    return n;
}

double minimum_bytes_per_rank(const ModelSpec& m, int ranks) {
    double neurons = 0;
    for (const auto& p : m.populations)
        neurons += static_cast<double>(p.size);
    return (neurons * bytes_per_neuron + expected_synapses(m) * bytes_per_synapse) /
           static_cast<double>(ranks > 0 ? ranks : 1);
}

std::string memory_problem(const ModelSpec& m, Communicator& comm) {
    const double need = minimum_bytes_per_rank(m, comm.size());
    const double avail = available_bytes();
    if (avail <= 0) return "";  // unknown here: build and see
    const int local = ranks_on_this_node();
    // The smallest share of a node's memory any rank has (the same on every rank).
    const double share = -comm.max(-avail / local);
    if (need <= share) return "";
    double neurons = 0;
    for (const auto& p : m.populations)
        neurons += static_cast<double>(p.size);
    char counts[160];
    std::snprintf(counts, sizeof counts, "%.3g neurons and %.3g expected synapses", neurons,
                  expected_synapses(m));
    return std::string("the model needs at least ") + gigabytes(need) + " per rank (" + counts +
           " over " + std::to_string(comm.size()) + " rank(s)), more than the " + gigabytes(share) +
           " of memory available to each rank" +
           (comm.size() > 1 ? " on the fullest node" : " on this machine") +
           "; use more nodes, or a smaller model (simulation.scale, population sizes, in-degrees).";
}

}  // namespace neurochem::app
