#include <sstream>

#include "config/config.hpp"
#include "config/schema.hpp"
#include "util/text.hpp"

namespace neurochem::config {

std::string config_reference() {
    std::ostringstream o;
    o << "neurochem config reference\n"
         "==========================\n"
         "Values with a dimension need a unit: '0.1 ms', '6 nS', '-70 mV', '8 Hz', '0.2 uM'.\n"
         "Internal units: ms, mV, nS, pF, pA, Hz (also rates: /s, /min, /h), uM, uM/s, mg, L,\n"
         "L/kg. Distributions: a constant, uniform(low, high),\n"
         "normal(mean, sd[, min[, max]]), lognormal(mean, sd[, min[, max]]) (bounds redraw).\n"
         "Synaptic quantities take the unit of the target model: nS (lif_coba, adex_coba),\n"
         "pA (lif_cuba_exp) or mV (lif_cuba_delta). 'required' keys have no default.\n";
    for (const auto& s : schema()) {
        o << "\n" << s.pattern << "\n    " << s.doc << "\n";
        for (const auto& k : s.keys) {
            o << "  " << k.key << "\n";
            o << "      type:    " << k.type_text();
            if (!k.range_text().empty()) o << ", " << k.range_text();
            o << "\n";
            if (k.required) {
                o << "      default: required\n";
            } else {
                o << "      default: " << k.default_value;
                for (const auto& [model, def] : k.model_defaults) o << "; " << model << ": " << def;
                o << "\n";
            }
            if (!k.only_for.empty()) o << "      only for: " << text::join(k.only_for, ", ") << "\n";
            o << "      meaning: " << k.doc << "\n";
        }
    }
    return o.str();
}

}  // namespace neurochem::config
