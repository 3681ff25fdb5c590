// The parts of to_model(), one per group of sections (to_model.cpp calls them in order).
#pragma once

#include "config/config.hpp"

namespace neurochem::config {

/// [plasticity.PROJECTION] sections onto their projections.
void fill_plasticity(const ResolvedConfig& config, ModelSpec& model);  // to_model.cpp
/// Regions: pools ([pool.REGION.T]) and member populations (their `region` keys).
void fill_regions(const ResolvedConfig& config, ModelSpec& model);  // to_model.cpp
/// [chemistry], [messengers], uptakes, releases, receptor types, effects, drugs, regimens.
void fill_chemistry(const ResolvedConfig& config, ModelSpec& model);  // to_chemistry.cpp

/// [protocol], sessions and slow processes (after the populations, drives and chemistry).
void fill_protocol(const ResolvedConfig& config, ModelSpec& model);  // to_protocol.cpp

/// Throws input_error "ORIGIN: [SECTION] KEY = 'VALUE': WHY" for a key of a section.
[[noreturn]] void fail_at(const ResolvedSection& section, const std::string& key,
                          const std::string& why);  // to_protocol.cpp

/// [patient]: the vulnerability profile's factors on the filled model (last).
void fill_patient(const ResolvedConfig& config, ModelSpec& model);  // to_patient.cpp

/// "5HT", "DA", "NE", "GABA" (already validated) as a Transmitter.
Transmitter transmitter_named(const std::string& text);  // to_chemistry.cpp

}  // namespace neurochem::config
