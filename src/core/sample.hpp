#pragma once

#include "core/rng.hpp"
#include "neurochem/model.hpp"

namespace neurochem {

/// Draws one value of `d` from the stream. Truncated distributions redraw until the value
/// lies in [d.min, d.max]; after 10^6 failed draws an input_error names `what`.
double sample(const Distribution& d, rng::CounterStream& s, const char* what);

}  // namespace neurochem
