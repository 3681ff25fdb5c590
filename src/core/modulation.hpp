// What the neuron kernels read from the plug-ins that modulate them (the chemistry today): per
// neuron an extra conductance, its reversal-weighted sum, a current, and a gain per synaptic
// port. Shared by core (the kernels) and chem (which fills it) without either including the other.
#pragma once

#include <vector>

namespace neurochem {

/// Per-neuron effects of neuromodulation read by the neuron kernels (docs/model/chemistry.md):
/// an extra conductance g with reversal-weighted sum gE (so V_inf gains gE, g_tot gains g), an
/// extra current, and a gain per synaptic port. Null pointers: no such effect.
struct Modulation {
    const double* g_nS = nullptr;
    const double* gE = nullptr;  ///< sum of g * E_rev, nS mV
    const double* I_pA = nullptr;
    std::vector<const double*> port_gain;  ///< per port, or empty
    bool active() const { return g_nS || I_pA || !port_gain.empty(); }
};

}  // namespace neurochem
