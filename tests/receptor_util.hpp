// Helpers shared by the receptor tests: one neuron expressing a single receptor type, and its
// activation at equilibrium (the operational model with drugs, docs/model/chemistry.md).
#pragma once

#include "chem/neuromodulation.hpp"
#include "neurochem/model.hpp"

namespace neurochem::test {

/// One neuron of a population "DRN" expressing only `r`, chemistry on.
inline ModelSpec one_neuron_with_receptor(const ReceptorTypeSpec& r) {
    ModelSpec m;
    PopulationSpec p;
    p.name = "DRN";
    p.size = 1;
    p.receptors = {{"exc", 5, 0, {}}, {"inh", 10, -80, {}}};
    p.expresses = {r.name};
    m.populations.push_back(p);
    m.chemistry.enabled = true;
    m.chemistry.receptor_types.push_back(r);
    return m;
}

/// Activation at equilibrium of the one receptor of `m`: transmitter C (uM), a drug at
/// A/Ki = ratio with intrinsic efficacy e, coupling efficacy `coupling` (what a slow process
/// regulates).
inline double receptor_activation(const ModelSpec& m, double C, double ratio, double e,
                                  double coupling = 1.0) {
    Neuromodulation nm(m, 0, 1, 1.0);
    nm.regulated(0, Neuromodulation::Regulated::efficacy)[0] = coupling;
    nm.initialize(0, 1, ReceptorInputs{{C}, {ratio}, {e * ratio}, 1.0});
    return nm.values(Neuromodulation::Quantity::activation)[0];
}

}  // namespace neurochem::test
