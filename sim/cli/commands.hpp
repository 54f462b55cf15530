#pragma once
// The gwsim command line: each subcommand registers itself on the CLI11 app
// and returns the function that runs it. main() stays thin: parse, dispatch,
// turn errors into messages and exit codes.
#include <CLI/CLI.hpp>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>

namespace gwsim::sim {

struct Scenario;

using CommandFn = std::function<int()>;

/// `gwsim run <scenario.yaml> -o <dir>`
void add_run_command(CLI::App& app, CommandFn& out);
/// `gwsim topo <scenario.yaml> [--json] [--dot] [--between A B] [--max-flow]`
void add_topo_command(CLI::App& app, CommandFn& out);
/// `gwsim sweep <sweep.yaml> -o <dir> [--jobs N]`, also under mpirun (docs/sweeps.md)
void add_sweep_command(CLI::App& app, CommandFn& out);

/// `gwsim estimate --model M --gpus N [plan] [--plan-search | --inference | --validate]`
void add_estimate_command(CLI::App& app, CommandFn& out);
/// `gwsim trace convert|stats|generate|step` (docs/workloads.md)
void add_trace_command(CLI::App& app, CommandFn& out);
/// `gwsim replay --trace FILE --format FORMAT [scenario.yaml | --gpus N --gpus-per-node K] -o <dir>`
void add_replay_command(CLI::App& app, CommandFn& out);
/// `--threads N` on a subcommand: the threads of the cost model's CPU backend
/// (gpu_models::set_cpu_threads). Results never depend on it (docs/reliability.md).
void add_threads_option(CLI::App& cmd);
/// --seed and --horizon of `gwsim run` and `gwsim replay`: they replace the
/// scenario's `seed` and `horizon`. The horizon must carry its unit ("14d",
/// "36h"); a bare number is a usage error naming --horizon.
struct SeedHorizon {
  std::optional<uint64_t> seed;
  std::string horizon;  ///< empty: the scenario's (replay: the trace's end)
};
void add_seed_horizon_options(CLI::App& cmd, SeedHorizon& given, const std::string& horizon_help);
/// -q/--quiet and --full-summary of `gwsim run` and `gwsim replay`: what the run prints at its end.
void add_summary_flags(CLI::App& cmd, bool& quiet, bool& full_summary);
/// The --stats flag of `gwsim run` and `gwsim replay`.
void add_stats_flag(CLI::App& cmd, bool& stats);

/// The run path `gwsim run` and `gwsim replay` share: simulates `scenario`,
/// writes run.h5 and summary.json into `dir` (nothing is left behind when the
/// run fails), and prints the headline (results/headline.hpp) titled
/// "<command>: <name>", or the full summary list, unless quiet. Returns the
/// process exit code.
struct RunOptions {
  std::string dir;
  bool quiet = false;
  std::string timeline;  ///< Chrome/Perfetto trace to write beside the run; empty: none
  std::string command;   ///< "run" or "replay", for the table's title
  bool stats = false;    ///< print wall time, events and peak memory on stderr (docs/performance.md)
  bool full_summary = false;  ///< print every summary value (as summary.json has them) instead of the headline
};
int run_and_report(const Scenario& scenario, const RunOptions& options);

}  // namespace gwsim::sim
