// Consistency checks of the model description (include/neurochem/model.hpp), split by part.
#pragma once

#include "neurochem/model.hpp"

namespace neurochem {

/// The chemistry part of ModelSpec::validate(): pools, uptakes, releases, receptors, effects,
/// drugs and regimens; input_error naming the offending item.
void validate_chemistry(const ModelSpec& model);

/// Applies simulation.scale: population sizes times the scale, in-degrees and transmitter
/// levels held (src/model/scale.cpp). Called once, by config::to_model, before validation.
void scale_model(ModelSpec& model);

/// The plasticity of every projection: ranges, and what a rule needs (a DA pool for
/// three_factor).
void validate_plasticity(const ModelSpec& model);

}  // namespace neurochem
