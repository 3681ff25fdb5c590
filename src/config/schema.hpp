// Every config key neurochem knows: section kind, type, dimension, default, allowed range,
// the models or connection rules it applies to, and a one-line meaning. The resolver
// (config/resolve.cpp) and `neurochem config-reference` both read this one table.
#pragma once

#include <limits>
#include <map>
#include <string>
#include <vector>

#include "config/units.hpp"

namespace neurochem::config {

enum class ValueType {
    quantity,
    distribution,
    integer,
    real,
    boolean,
    choice,
    name,
    name_list,
    projection_list,     ///< "PRE->POST, PRE->POST:LABEL" (or "none")
    name_quantity_list,  ///< "NAME: QUANTITY, NAME: QUANTITY" (or "none")
};

struct KeySpec {
    std::string key;
    ValueType type = ValueType::quantity;
    Dimension dim = Dimension::none;
    bool synaptic = false;  ///< dimension is the target population's synaptic unit
    bool required = false;
    std::string default_value;                          ///< "@KEY" copies another key's value
    std::map<std::string, std::string> model_defaults;  ///< default per model
    double min = -std::numeric_limits<double>::infinity();
    double max = std::numeric_limits<double>::infinity();
    bool min_exclusive = false;
    bool allow_infinite = false;
    std::vector<std::string> choices;   ///< for ValueType::choice
    std::vector<std::string> only_for;  ///< models (or rules) it applies to; empty: all
    std::string doc;

    bool applies_to(const std::string& selector) const;
    std::string default_for(const std::string& selector) const;
    std::string type_text() const;   ///< e.g. "time", "distribution of voltage", "integer"
    std::string range_text() const;  ///< e.g. "> 0", "[0, 1]", "" when unrestricted
};

struct SectionSpec {
    std::string kind;     ///< "simulation", "population", ...
    std::string pattern;  ///< how the section header is written
    std::string doc;
    std::vector<KeySpec> keys;
    const KeySpec* find(const std::string& key) const;
    std::vector<std::string> key_names() const;
};

const std::vector<SectionSpec>& schema();
const SectionSpec* find_section_kind(const std::string& kind);

/// The dimension of synaptic weights and state for a neuron model name.
Dimension synaptic_dimension(const std::string& model);

}  // namespace neurochem::config
