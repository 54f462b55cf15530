#include <thread>

#include "sim/cli/commands.hpp"
#include "sim/sweeps/sweep_runner.hpp"

namespace gwsim::sim {

void add_sweep_command(CLI::App& app, CommandFn& out) {
  struct Args {
    std::string sweep;
    SweepOptions options;
  };
  auto args = std::make_shared<Args>();
  CLI::App* cmd = app.add_subcommand(
      "sweep",
      "Run many scenarios: a base scenario, axes over its keys (cartesian product) and seeds, each run its own "
      "`gwsim run` process; results in <output>/sweep.h5 (table /runs) and <output>/runs/<id>/. Runs on this "
      "machine's cores, or across machines under `mpirun`/`srun` (MPI builds). Running it again resumes: complete "
      "runs are kept. Ctrl-C stops it, keeping finished runs (exit 130). Docs: docs/sweeps.md");
  cmd->add_option("sweep", args->sweep, "Sweep file (YAML): base, axes, seeds")->required();
  cmd->add_option("-o,--output", args->options.out_dir, "Output directory (created if missing)")->capture_default_str();
  cmd->add_option("-j,--jobs", args->options.jobs,
                  "Runs at once per process (default: the number of cores; 1 per rank under MPI)")
      ->check(CLI::Range(1, 100000));
  cmd->add_flag("-q,--quiet", args->options.quiet, "Print only errors");
  cmd->add_option("--set", args->options.sets,
                  "KEY=VALUE: change a key of the base scenario before the axes apply (repeatable; VALUE is YAML), "
                  "e.g. --set horizon=2d")
      ->type_name("KEY=VALUE");
  cmd->add_flag("--dry-run", args->options.dry_run, "Check every run and list them; run nothing");
  cmd->callback([args, &out] { out = [args] { return run_sweep_command(args->sweep, args->options); }; });
}

}  // namespace gwsim::sim
