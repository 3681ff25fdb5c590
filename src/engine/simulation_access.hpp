// What the slow layer (src/slow) needs of a Simulation beyond its public interface: the state
// registry (window averages and slow variables find and write arrays by path), the layout, the
// spike statistics, the chemistry, and a way to add a plug-in of its own (the window averager).
// Not part of the installed API.
#pragma once

#include <vector>

#include "neurochem/simulation.hpp"

namespace neurochem {

class Chemistry;
class FastPlugin;
class NetworkStats;
class Plasticity;
class Probe;
class StateRegistry;
class ThreadTeam;
struct NetworkLayout;

struct SimulationAccess {
    static StateRegistry& registry(Simulation& sim);
    static const NetworkLayout& layout(const Simulation& sim);
    static const NetworkStats& stats(const Simulation& sim);
    static const Chemistry* chemistry(const Simulation& sim);  ///< null without chemistry
    static Chemistry* chemistry(Simulation& sim);
    static const Plasticity* plasticity(
        const Simulation& sim);  ///< null without plastic projections
    static Plasticity* plasticity(Simulation& sim);
    static ThreadTeam& team(Simulation& sim);
    static std::vector<const Probe*> probes(const Simulation& sim);
    /// Adds a plug-in (not owned; it must outlive the simulation's runs) and registers its
    /// state. Call it before the first run and in the same order on a restored simulation.
    static void add_plugin(Simulation& sim, FastPlugin& plugin);
};

}  // namespace neurochem
