// When the network's own sleep ([sleep]) stops being sleep: after this many hours asleep in a
// row its flip-flop is taken as locked (the circuit's wake side is LC and DRN only; whatever
// silences both in sleep ends waking: docs/model/circuit.md, "A locked flip-flop"). Longer than
// any night of the circuit, recovery sleep included (7-12 h). Used by the run's warning
// (src/app/sleep_watch.hpp) and by collect's sleep.locked column (src/sweep/outcomes.cpp).
#pragma once

namespace neurochem {

inline constexpr double sleep_lock_after_h = 36.0;

/// Whether `asleep_h` hours asleep in a row (a sum of slow-step lengths) reach the lock. Step
/// lengths need not be exact in binary: a sum a rounding short of the limit counts.
inline bool sleep_locked(double asleep_h) {
    return asleep_h >= sleep_lock_after_h - 1e-9;
}

}  // namespace neurochem
