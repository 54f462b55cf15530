#include <chrono>
#include <ctime>
#include <fmt/format.h>
#include <iostream>
#include <xbt/base.h>
#include <simgrid/version.h>

#include "results/recorder.hpp"
#include "results/summary_table.hpp"
#include "sim/commands.hpp"
#include "sim/scenario.hpp"
#include "sim/simulation.hpp"

namespace gwsim::sim {

namespace {
std::string iso_now() {
  const std::time_t t = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", std::gmtime(&t));
  return buf;
}
}  // namespace

int run_and_report(const Scenario& scenario, const std::string& dir, bool quiet, const std::string& command) {
  results::RunInfo info;
  info.scenario_path = scenario.path;
  info.scenario_text = scenario.text;
  info.seed = scenario.seed;
  info.simgrid_version = fmt::format("{}.{}.{}", SIMGRID_VERSION_MAJOR, SIMGRID_VERSION_MINOR, SIMGRID_VERSION_PATCH);
  info.start_wall_time = iso_now();
  // The output file exists (as run.h5.partial) before the first simulated
  // second, so an unwritable location fails now, not after the run.
  results::Recorder recorder(dir, info);
  Simulation simulation(scenario, recorder);
  const RunStats stats = simulation.run();
  recorder.finish(true);
  if (!quiet)
    std::cout << results::format_summary_table(
                     fmt::format("gwsim {}: {} (seed {})", command, scenario.name, scenario.seed), stats.summary)
              << fmt::format("output: {}\n", recorder.h5_path());
  return 0;
}

void add_run_command(CLI::App& app, CommandFn& out) {
  struct Args {
    std::string scenario;
    std::string dir = "gwsim-out";
    bool quiet = false;
  };
  auto args = std::make_shared<Args>();
  CLI::App* cmd = app.add_subcommand("run", "Simulate a scenario and write run.h5 and summary.json (docs/cli.md#run)");
  cmd->add_option("scenario", args->scenario, "Scenario file (YAML or JSON)")->required();
  cmd->add_option("-o,--output", args->dir, "Output directory (created if missing)")->capture_default_str();
  cmd->add_flag("-q,--quiet", args->quiet, "Do not print the summary table");
  cmd->callback([args, &out] {
    out = [args] { return run_and_report(load_scenario(args->scenario), args->dir, args->quiet, "run"); };
  });
}

}  // namespace gwsim::sim
