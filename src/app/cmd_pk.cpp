// neurochem pk CONFIG: the pharmacokinetics of a config's regimens alone (no network): plasma
// and target concentrations and the occupancy of every drug target over days, and the time to
// steady state. For checking drug files and dosing before a long run.
#include <boost/program_options.hpp>

#include <cmath>
#include <cstdio>
#include <iostream>

#include "app/cli.hpp"
#include "app/commands.hpp"
#include "chem/pharmacokinetics.hpp"
#include "neurochem/errors.hpp"

namespace po = boost::program_options;

namespace neurochem::app {

int cmd_pk(const Args& args) {
    po::options_description opts("neurochem pk CONFIG [options]");
    std::string path;
    std::vector<std::string> sets;
    double days = 42, every_h = 24;
    bool help = false;
    opts.add_options()("help,h", po::bool_switch(&help), "show this help")(
        "days", po::value(&days), "days to follow (default 42)")(
        "every", po::value(&every_h),
        "hours between printed rows (default 24: just before the daily dose)")(
        "set", po::value(&sets)->composing(), "override a key: section.key=value (repeatable)");
    po::options_description hidden;
    hidden.add_options()("config", po::value(&path));
    parse_command_line(args, opts, hidden, "config");
    if (help) {
        std::cout
            << "Prints the drug concentrations and target occupancies of CONFIG's regimens over "
               "time\n(pharmacokinetics only, no network), and the time each drug takes to "
               "reach steady state.\n\n"
            << opts;
        return 0;
    }
    if (path.empty())
        throw po::error("pk needs a CONFIG with [drug.NAME] and [regimen.NAME] sections");
    if (!(days > 0) || !(every_h > 0)) throw input_error("--days and --every must be > 0.");
    const auto cfg = load_config(path, sets, "");
    const ModelSpec model = config::to_model(cfg);
    if (model.chemistry.regimens.empty())
        throw input_error(path + ": has no [regimen.NAME] section.");
    Pharmacokinetics pk(model.chemistry);

    std::vector<DrugTarget> targets;
    for (int t = 0; t < drug_target_count; ++t) {
        for (const auto& d : model.chemistry.drugs) {
            if (d.Ki_uM[t] > 0) {
                targets.push_back(static_cast<DrugTarget>(t));
                break;
            }
        }
    }
    std::printf("%8s", "day");
    for (std::size_t d = 0; d < pk.drugs(); ++d)
        std::printf(" %14s %10s", (pk.name(d) + " ng/mL").c_str(), "target nM");
    for (auto t : targets)
        std::printf(" %8s", (std::string(to_string(t)) + " %").c_str());
    std::printf("\n");
    const auto rows = static_cast<long>(std::floor(days * 24 / every_h + 1e-9));
    // Rows just before each multiple of --every (with the default, just before the morning dose).
    for (long i = 1; i <= rows; ++i) {
        const double t = static_cast<double>(i) * every_h - 1e-6;
        pk.advance_to(t);
        std::printf("%8.2f", t / 24);
        for (std::size_t d = 0; d < pk.drugs(); ++d) {
            const auto& spec = model.chemistry.drugs[d];
            const double assay = spec.assay_molar_mass_g_per_mol > 0
                                     ? spec.assay_molar_mass_g_per_mol
                                     : spec.molar_mass_g_per_mol;
            std::printf(" %14.3f %10.3f", pk.plasma_uM(d) * assay, pk.target_uM(d) * 1000);
        }
        for (auto tg : targets)
            std::printf(" %8.1f", 100 * pk.occupancy(tg));
        std::printf("\n");
    }
    std::printf(
        "\ntime to steady state (each regimen alone from its first dose: the first trough within "
        "3.1 %% = 2^-5 of the steady-state trough; 5 half-lives for one compartment):\n");
    for (std::size_t d = 0; d < pk.drugs(); ++d) {
        const auto tss = time_to_steady_state(model.chemistry, d);
        if (tss.reached) {
            std::printf("  %-16s %8.2f days (regimen %s)\n", pk.name(d).c_str(), tss.days,
                        tss.regimen.c_str());
        } else {
            std::printf("  %-16s %s\n", pk.name(d).c_str(), tss.why.c_str());
        }
    }
    return 0;
}

}  // namespace neurochem::app
