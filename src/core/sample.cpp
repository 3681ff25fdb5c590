#include "core/sample.hpp"
#include "util/detmath.hpp"

#include <cmath>
#include <string>

#include "neurochem/errors.hpp"

namespace neurochem {

double sample(const Distribution& d, rng::CounterStream& s, const char* what) {
    using K = Distribution::Kind;
    switch (d.kind) {
        case K::constant: return d.p1;
        case K::uniform: return d.p1 + (d.p2 - d.p1) * s.uniform();
        case K::normal:
        case K::lognormal: {
            double mu = d.p1, sigma = d.p2;
            if (d.kind == K::lognormal) {
                const double v = log1p_det((d.p2 * d.p2) / (d.p1 * d.p1));
                sigma = std::sqrt(v);
                mu = log_det(d.p1) - 0.5 * v;
            }
            for (int tries = 0; tries < 1000000; ++tries) {
                double x = mu + sigma * s.normal();
                if (d.kind == K::lognormal) x = exp_det(x);
                if (x >= d.min && x <= d.max) return x;
            }
            throw input_error(std::string(what) +
                              ": a value inside the bounds [min, max] was not found in 10^6 "
                              "draws; the bounds exclude almost all of the distribution.");
        }
    }
    return d.p1;
}

}  // namespace neurochem
