// neurochem compare A.h5 B.h5 [--rtol X]: are two runs' results the same? Compares every
// population's spike trains (timestamps and node ids), rate series and summary; the
// provenance (times, host, threads, ranks) is ignored. Exit 0 same, 1 different, 2 bad input.
#include <boost/program_options.hpp>

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <set>

#include "app/cli.hpp"
#include "app/commands.hpp"
#include "app/compare.hpp"
#include "io/h5.hpp"
#include "io/output_writer.hpp"
#include "neurochem/errors.hpp"

namespace po = boost::program_options;

namespace neurochem::app {

namespace {
h5::Handle open_output(const std::string& path) {
    if (!std::filesystem::exists(path)) throw input_error(path + ": no such file.");
    h5::quiet_errors();
    const hid_t f = H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
    if (f < 0) throw input_error(path + ": not an HDF5 file (or unreadable).");
    h5::Handle h(f, H5Fclose);
    if (!has_output_mark(h) || !h5::exists(h, "rates")) {
        throw input_error(path + ": not a neurochem output file (no /@magic = 0x0A7A or /rates).");
    }
    return h;
}

std::set<std::string> members(hid_t file, const std::string& group) {
    if (!h5::exists(file, group)) return {};
    h5::Handle g = h5::open_group(file, group);
    const auto names = h5::list_links(g);
    return {names.begin(), names.end()};
}

/// Every dataset below group `top` ("chemistry", "slow", "windows"), by path.
std::vector<std::string> datasets_under(hid_t file, const std::string& top) {
    struct Visit {
        std::string prefix;
        std::vector<std::string> out;
    } v{top + "/", {}};
    if (!h5::exists(file, top)) return v.out;
    H5Ovisit(
        file, H5_INDEX_NAME, H5_ITER_INC,
        [](hid_t, const char* name, const H5O_info_t* info, void* data) -> herr_t {
            auto& vis = *static_cast<Visit*>(data);
            const std::string n = name;
            if (info->type == H5O_TYPE_DATASET && n.rfind(vis.prefix, 0) == 0) vis.out.push_back(n);
            return 0;
        },
        &v);
    return v.out;
}

bool close(double a, double b, double rtol) {
    if (rtol == 0.0) return a == b || (std::isnan(a) && std::isnan(b));
    return std::fabs(a - b) <= rtol * std::max(std::fabs(a), std::fabs(b));
}
}  // namespace

CompareResult compare_outputs(const std::string& file_a, const std::string& file_b, double rtol) {
    const auto a = open_output(file_a);
    const auto b = open_output(file_b);
    CompareResult result;
    auto differ = [&](const std::string& what) {
        result.same = false;
        result.difference = what;
        return result;
    };

    const auto spa = members(a, "spikes"), spb = members(b, "spikes");
    if (spa != spb) return differ("the files record spikes of different populations");
    std::uint64_t total = 0;
    for (const auto& pop : spa) {
        const auto ta = h5::read_doubles(a, "spikes/" + pop + "/timestamps");
        const auto tb = h5::read_doubles(b, "spikes/" + pop + "/timestamps");
        const auto ia = h5::read_u64s(a, "spikes/" + pop + "/node_ids");
        const auto ib = h5::read_u64s(b, "spikes/" + pop + "/node_ids");
        const std::size_t n = std::min(ta.size(), tb.size());
        for (std::size_t k = 0; k < n; ++k) {
            if (ia[k] != ib[k] || !close(ta[k], tb[k], rtol)) {
                char buf[256];
                std::snprintf(
                    buf, sizeof buf,
                    "population %s, spike %zu: neuron %llu at %.17g ms vs neuron %llu at %.17g ms",
                    pop.c_str(), k, static_cast<unsigned long long>(ia[k]), ta[k],
                    static_cast<unsigned long long>(ib[k]), tb[k]);
                return differ(buf);
            }
        }
        if (ta.size() != tb.size()) {
            const auto& longer = ta.size() > tb.size() ? ta : tb;
            const auto& ids = ta.size() > tb.size() ? ia : ib;
            char buf[256];
            std::snprintf(
                buf, sizeof buf,
                "population %s: %zu vs %zu spikes; the first extra one is neuron %llu at %.17g ms",
                pop.c_str(), ta.size(), tb.size(), static_cast<unsigned long long>(ids[n]),
                longer[n]);
            return differ(buf);
        }
        total += ta.size();
    }
    const auto ra = members(a, "rates"), rb = members(b, "rates");
    if (ra != rb) return differ("the files have rates of different populations");
    for (const auto& pop : ra) {
        const auto xa = h5::read_doubles(a, "rates/" + pop),
                   xb = h5::read_doubles(b, "rates/" + pop);
        if (xa.size() != xb.size())
            return differ("population " + pop + ": rate series of different length");
        for (std::size_t k = 0; k < xa.size(); ++k) {
            if (!close(xa[k], xb[k], rtol)) {
                return differ("population " + pop + ": rate bin " + std::to_string(k) + ": " +
                              std::to_string(xa[k]) + " Hz vs " + std::to_string(xb[k]) + " Hz");
            }
        }
    }
    // Chemistry traces, the slow rows, the recorded windows, plastic weights and probe results:
    // every dataset under each group.
    std::size_t n_chem = 0, n_slow = 0;
    for (const char* group : {"chemistry", "slow", "windows", "edges", "probes"}) {
        const auto ca = datasets_under(a, group), cb = datasets_under(b, group);
        if (ca != cb)
            return differ(std::string("the files have different datasets under /") + group);
        for (const auto& name : ca) {
            const auto xa = h5::read_doubles(a, name), xb = h5::read_doubles(b, name);
            if (xa.size() != xb.size()) return differ(name + ": different lengths");
            for (std::size_t k = 0; k < xa.size(); ++k) {
                if (std::isnan(xa[k]) && std::isnan(xb[k]))
                    continue;  // e.g. a probe latency with no response
                if (!close(xa[k], xb[k], rtol)) {
                    char buf[256];
                    std::snprintf(buf, sizeof buf, "%s, sample %zu: %.17g vs %.17g", name.c_str(),
                                  k, xa[k], xb[k]);
                    return differ(buf);
                }
            }
        }
        const std::string g = group;
        if (g == "chemistry") n_chem = ca.size();
        if (g == "slow") n_slow = ca.size();
    }
    if (h5::exists(a, "summary") && h5::exists(b, "summary")) {
        h5::Handle sa = h5::open_group(a, "summary"), sb = h5::open_group(b, "summary");
        if (h5::read_attr_u64(sa, "synaptic_events") != h5::read_attr_u64(sb, "synaptic_events")) {
            return differ("summary: synaptic events differ");
        }
    }
    char buf[512];
    std::snprintf(
        buf, sizeof buf,
        "spike trains of %zu populations (%llu spikes), rates of %zu populations, %zu chemistry "
        "traces, "
        "%ssummary",
        spa.size(), static_cast<unsigned long long>(total), ra.size(), n_chem,
        n_slow ? (std::to_string(n_slow) + " slow series and the recorded windows, ").c_str() : "");
    result.summary = buf;
    return result;
}

int cmd_compare(const Args& args) {
    po::options_description opts("neurochem compare A.h5 B.h5 [options]");
    std::vector<std::string> files;
    double rtol = 0.0;
    bool help = false;
    opts.add_options()("help,h", po::bool_switch(&help), "show this help")(
        "rtol", po::value(&rtol), "relative tolerance for times and rates (default 0: bitwise)");
    po::options_description hidden;
    hidden.add_options()("file", po::value(&files));
    parse_command_line(args, opts, hidden, "file", 2);
    if (help) {
        std::cout
            << "Compares the results of two runs: spike trains, rates and summary, exactly or "
               "within --rtol.\nReports the first difference (population, neuron, time). Exit "
               "0 if the same, 1 if not.\n\n"
            << opts;
        return 0;
    }
    if (files.size() != 2) throw po::error("compare needs two files: neurochem compare A.h5 B.h5");
    if (!(rtol >= 0)) throw input_error("--rtol must be >= 0.");
    const CompareResult r = compare_outputs(files[0], files[1], rtol);
    if (!r.same) {
        std::printf("DIFFERENT: %s\n", r.difference.c_str());
        return 1;
    }
    std::printf("SAME%s: %s\n", rtol > 0 ? " within rtol" : " bitwise", r.summary.c_str());
    return 0;
}

}  // namespace neurochem::app
