// The two exception roots of neurochem (plus std::runtime_error for the environment, e.g. a
// full disk). Every message is a full sentence naming what was wrong, where, and what is allowed.
#pragma once

#include <stdexcept>
#include <string>

namespace neurochem {

/// Bad user input: a config file, a command-line value, a checkpoint or HDF5 file that is not
/// what it must be. The command-line tool exits with code 2 and writes nothing.
class input_error : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

/// A broken invariant inside the simulator: a bug. Exit code 1, with a request to report it.
class internal_error : public std::logic_error {
public:
    using std::logic_error::logic_error;
};

}  // namespace neurochem
