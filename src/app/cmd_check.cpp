#include <boost/program_options.hpp>

#include <iostream>

#include "app/cli.hpp"
#include "app/commands.hpp"
#include "slow/timeline.hpp"

namespace po = boost::program_options;

namespace neurochem::app {

int cmd_check(const Args& args) {
    po::options_description opts("neurochem check CONFIG [options]");
    std::string path, seed;
    std::vector<std::string> sets;
    bool help = false;
    opts.add_options()("help,h", po::bool_switch(&help), "show this help")(
        "set", po::value(&sets)->composing(), "override a key: section.key=value (repeatable)")(
        "seed", po::value(&seed), "override simulation.seed");
    po::options_description hidden;
    hidden.add_options()("config", po::value(&path));
    parse_command_line(args, opts, hidden, "config");
    if (help) {
        std::cout << "Validates CONFIG and prints the fully resolved config (every key, sorted, "
                     "units normalised)\nand its hash; with a [protocol], first the expanded timeline "
                     "(its sessions and regimens,\nand the slow steps of the first two days where "
                     "something changes). Exit code 0 if valid, 2 if not.\n\n"
                  << opts;
        return 0;
    }
    if (path.empty()) {
        throw po::error("check needs a CONFIG file (neurochem check configs/coba.ini)");
    }
    const auto cfg = load_config(path, sets, seed);
    const ModelSpec model = config::to_model(cfg);
    std::cout << "# neurochem resolved config of " << cfg.source << "\n# config_hash = " << cfg.hash
              << "\n# " << model.populations.size() << " populations, " << model.projections.size()
              << " projections, " << model.poisson.size() << " Poisson drives\n";
    if (model.protocol.enabled) std::cout << Timeline(model).describe();
    std::cout << "\n" << cfg.canonical_text;
    return 0;
}

int cmd_config_reference(const Args& args) {
    if (!args.empty() && args[0] != "--help" && args[0] != "-h") {
        throw po::error("config-reference takes no arguments");
    }
    std::cout << config::config_reference();
    return 0;
}

}  // namespace neurochem::app
