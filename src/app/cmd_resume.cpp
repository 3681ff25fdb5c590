// neurochem resume CHECKPOINT|DIR: continues a run from a checkpoint, on any number of ranks
// and threads, with bitwise the same result as an uninterrupted run.
#include <boost/program_options.hpp>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <map>

#include "app/cli.hpp"
#include "app/commands.hpp"
#include "app/execute.hpp"
#include "comm/communicator.hpp"
#include "comm/environment.hpp"
#include "io/checkpoint.hpp"
#include "neurochem/errors.hpp"

namespace po = boost::program_options;
namespace fs = std::filesystem;

namespace neurochem::app {

namespace {
/// The checkpoint to resume from: the file itself, or the newest valid one in a directory
/// (older ones are tried when a newer one fails its checks).
std::string choose_checkpoint(const std::string& where, Communicator& comm) {
    if (!fs::exists(where)) throw input_error(where + ": no such checkpoint file or directory.");
    if (!fs::is_directory(where)) {
        read_checkpoint_header(where);
        CheckpointReader(where, comm).verify_all();
        return where;
    }
    const auto candidates = list_checkpoints(where);
    if (candidates.empty())
        throw input_error(where + ": the directory holds no checkpoint (ckpt_*.h5).");
    // A directory is one run's: a checkpoint of another run (another config, seed or output)
    // copied in is not resumed in its place without a word.
    std::map<std::string, std::string> runs;  // run_id -> "ckpt (config hash, output)"
    for (const auto& c : candidates) {
        try {
            const CheckpointHeader h = read_checkpoint_header(c);
            runs.emplace(h.run_id, fs::path(c).filename().string() + " (run " +
                                       h.run_id.substr(0, 12) + ", output " + h.output_path + ")");
        } catch (const input_error&) {
        }
    }
    if (runs.size() > 1) {
        std::string list;
        for (const auto& [id, text] : runs)
            list += "\n  " + text;
        throw input_error(where + ": holds checkpoints of " + std::to_string(runs.size()) +
                          " different runs:" + list +
                          "\nresume one file explicitly (neurochem resume DIR/ckpt_...h5), or "
                          "move the others away.");
    }
    // A default-named directory (OUT.checkpoints) holds the checkpoints of the run writing OUT:
    // one named for another output was copied in from elsewhere.
    const std::string dir_name =
        fs::path(where).lexically_normal().filename().string().empty()
            ? fs::path(where).lexically_normal().parent_path().filename().string()
            : fs::path(where).lexically_normal().filename().string();
    for (const auto& c : candidates) {
        try {
            const CheckpointHeader h = read_checkpoint_header(c);
            const std::string own =
                fs::path(default_checkpoint_dir(h.output_path)).filename().string();
            if (dir_name.size() > 12 && dir_name.ends_with(".checkpoints") && own != dir_name) {
                throw input_error(where + ": " + fs::path(c).filename().string() +
                                  " is a checkpoint of the run writing " + h.output_path +
                                  " (its checkpoints go to " + own +
                                  "), copied here from another run? Resume it explicitly: "
                                  "neurochem resume " +
                                  c + " [-o OUT].");
            }
            CheckpointReader(c, comm).verify_all();
            return c;
        } catch (const input_error& e) {
            // A warning, printed even with --quiet.
            if (comm.rank() == 0)
                std::fprintf(stderr, "neurochem: warning: skipping %s: %s\n", c.c_str(), e.what());
        }
    }
    throw input_error(where + ": none of its " + std::to_string(candidates.size()) +
                      " checkpoints is usable.");
}
// The output a checkpoint continues. Its header records the path the run wrote, but a path
// read from a file is not trusted: a run tree copied or moved elsewhere (OUT and
// OUT.checkpoints side by side) continues the OUT beside its checkpoint directory, never the
// original's, which another run may still be writing. Only a checkpoint directory of its own
// name (--checkpoint-dir) leaves the recorded path as the default (-o chooses another).
std::string run_output(const std::string& checkpoint, const std::string& recorded) {
    const fs::path dir = fs::absolute(checkpoint).parent_path().lexically_normal();
    const fs::path was = fs::absolute(recorded).lexically_normal();
    if (dir.filename() != fs::path(default_checkpoint_dir(recorded)).filename()) return recorded;
    const fs::path beside = dir.parent_path() / was.filename();
    if (beside == was) return recorded;
    if (!fs::exists(beside) && !fs::exists(beside.string() + ".partial"))
        throw input_error(checkpoint + ": its run wrote " + was.string() + ", but " + dir.string() +
                          " is not beside it, and there is no " + beside.filename().string() +
                          " (or " + beside.filename().string() + ".partial) in " +
                          dir.parent_path().string() +
                          ": a resume continues the output beside its checkpoint directory, "
                          "never one at a path read from the checkpoint. Copy the output there.");
    return beside.string();
}
}  // namespace

int cmd_resume(const Args& args, const std::string& command_line, const MpiSession& mpi) {
    po::options_description opts("neurochem resume CHECKPOINT|DIR [options]");
    std::string where, out, until, fault, every, dir;
    std::uint64_t keep = 0;
    int threads = 0;
    bool quiet = false, help = false;
    opts.add_options()("help,h", po::bool_switch(&help), "show this help")(
        "until", po::value(&until),
        "simulate until this time (with a unit; default: the run's duration)")(
        "output,o", po::value(&out), "output file (default: the checkpointed run's own)")(
        "threads", po::value(&threads), "OpenMP threads per rank")(
        "quiet,q", po::bool_switch(&quiet), "print errors only");
    add_checkpoint_options(opts, every, dir, keep);
    po::options_description hidden;
    hidden.add_options()("checkpoint", po::value(&where))("inject-fault", po::value(&fault),
                                                          "testing");
    const auto vm = parse_command_line(args, opts, hidden, "checkpoint");
    if (help) {
        std::cout
            << "Continues a run from a checkpoint (a DIR means its newest valid checkpoint), on "
               "any number\nof ranks and threads. The output continues in the run's output "
               "file (or in a copy, with -o),\ncut back to the checkpoint: the result is the "
               "same, bit for bit, as an uninterrupted run.\n\n"
            << opts;
        return 0;
    }
    if (where.empty()) throw po::error("resume needs a checkpoint file or directory");
    require_valid_threads(vm, threads, mpi);
    const Context ctx = mpi.context(threads);
    auto& comm = *ctx.comm;
    const auto t_verify = std::chrono::steady_clock::now();
    const std::string chosen = choose_checkpoint(where, comm);
    if (!quiet && comm.rank() == 0) {
        std::error_code ec;
        const double mb = static_cast<double>(fs::file_size(chosen, ec)) / 1048576.0;
        const double s =
            std::chrono::duration<double>(std::chrono::steady_clock::now() - t_verify).count();
        std::printf("verified %s: %.1f MB in %.2f s (%.0f MB/s)\n", chosen.c_str(), mb, s,
                    s > 0 ? mb / s : 0.0);
    }
    const CheckpointHeader h = read_checkpoint_header(chosen);

    config::RawConfig raw = config::parse_config_text(h.config_text, "checkpoint " + chosen);
    if (!until.empty()) {
        config::apply_override(raw, "simulation.duration=" + until);
        raw.sections["simulation"]["duration"].origin = "--until " + until;
    }
    const auto cfg = config::resolve(raw);
    const ModelSpec model = config::to_model(cfg);
    if (cfg.run_id != h.run_id)
        throw input_error(chosen + ": its config does not match its run_id (damaged checkpoint).");
    if (model.simulation.duration_ms < h.time_ms) {
        throw input_error("--until " + until + ": lies before the checkpoint's time " +
                          std::to_string(h.time_ms) + " ms.");
    }

    ExecuteOptions o;
    if (!fault.empty()) parse_fault(fault, o);
    const std::string own = run_output(chosen, h.output_path);
    o.output = out.empty() ? own : out;
    o.command_line = command_line;
    o.quiet = quiet;
    o.resume_checkpoint = chosen;
    const std::string partial = own + ".partial";
    o.resume_output = fs::exists(partial) ? partial : own;
    o.checkpoints.every_ms = vm.count("checkpoint-every")
                                 ? parse_checkpoint_every(every, model.simulation.dt_ms)
                                 : h.every_ms;
    // The chosen checkpoint's own directory ("ckpt_...h5" given bare: the current one).
    o.checkpoints.dir = dir.empty() ? fs::absolute(chosen).parent_path().string() : dir;
    o.checkpoints.keep = vm.count("keep") ? keep : h.keep;
    if (const auto problem = output_problem(o.output, comm); !problem.empty())
        throw input_error(problem);
    return execute(cfg, model, ctx, o);
}

}  // namespace neurochem::app
