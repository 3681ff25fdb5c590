// Comparing the results of two runs (spike trains, rates, chemistry traces, /slow rows and
// recorded windows, summary), exactly or
// within a relative tolerance; the provenance (times, host, threads, ranks) is ignored. Used by
// `neurochem compare` and `neurochem rerun`.
#pragma once

#include <cstdint>
#include <string>

namespace neurochem::app {

struct CompareResult {
    bool same = true;
    std::string difference;  ///< the first difference ("population E, spike 12: ...")
    std::string summary;     ///< what was compared ("spike trains of 2 populations (812 spikes), ...")
};

/// input_error if either file is not a neurochem output.
CompareResult compare_outputs(const std::string& a, const std::string& b, double rtol = 0.0);

}  // namespace neurochem::app
