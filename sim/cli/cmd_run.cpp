#include <cctype>
#include <chrono>
#include <ctime>
#include <fmt/format.h>
#include <iostream>
#include <sys/resource.h>
#include <unistd.h>
#include <xbt/base.h>
#include <simgrid/version.h>

#include "common/error.hpp"
#include "common/interrupt.hpp"
#include "common/units.hpp"
#include "gpu_models/backend.hpp"
#include "results/headline.hpp"
#include "results/progress.hpp"
#include "results/recorder.hpp"
#include "results/report_html.hpp"
#include "results/summary_table.hpp"
#include "results/timeline.hpp"
#include "sim/cli/commands.hpp"
#include "sim/scenario/scenario.hpp"
#include "sim/engine/coarse.hpp"
#include "sim/engine/simulation.hpp"
#include "sim/sweeps/sweep.hpp"

namespace gwsim::sim {

namespace {
std::string iso_now() {
  const std::time_t t = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", std::gmtime(&t));
  return buf;
}

// Peak resident memory of this process so far, in bytes.
double peak_rss_bytes() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return static_cast<double>(u.ru_maxrss) * 1024.0;  // Linux reports KiB
}

void print_stats(const RunStats& stats, double wall_s) {
  const double sim_s = wall_s - stats.setup_wall_s;
  std::cerr << fmt::format(
      "gwsim stats: wall {:.2f} s (setup {:.2f} s, simulation and output {:.2f} s), {} events, {:.0f} events/s, "
      "peak {} pending events, peak RSS {:.2f} GiB\n",
      wall_s, stats.setup_wall_s, sim_s, stats.events, sim_s > 0 ? static_cast<double>(stats.events) / sim_s : 0.0,
      stats.peak_pending_events, peak_rss_bytes() / (1024.0 * 1024.0 * 1024.0));
}

}  // namespace

int run_and_report(const Scenario& scenario, const RunOptions& options) {
  const auto wall_start = std::chrono::steady_clock::now();
  results::RunInfo info;
  info.scenario_path = scenario.path;
  info.scenario_text = scenario.text;
  info.seed = scenario.seed;
  info.simgrid_version = fmt::format("{}.{}.{}", SIMGRID_VERSION_MAJOR, SIMGRID_VERSION_MINOR, SIMGRID_VERSION_PATCH);
  info.start_wall_time = iso_now();
  // The output file exists (as run.h5.partial) before the first simulated
  // second, so an unwritable location fails now, not after the run.
  results::Recorder recorder(options.dir, info);
  // On a terminal only: pipes and files (and so every test) get the same bytes with or without it.
  results::ProgressLine progress(scenario.horizon_s);
  RunStats stats;
  if (scenario.capex.coarse) {
    stats = run_coarse(scenario, recorder);  // months, not events: no progress line needed
  } else {
    Simulation simulation(scenario, recorder);
    if (!options.quiet && isatty(STDERR_FILENO)) {
      const auto sim_start = std::chrono::steady_clock::now();
      simulation.on_clock([&progress, sim_start](double now_s) {
        const double wall_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - sim_start).count();
        if (const auto line = progress.update(now_s, wall_s)) std::cerr << "\r\033[K" << *line << std::flush;
      });
    }
    stats = simulation.run();
  }
  if (progress.shown()) std::cerr << "\r\033[K" << std::flush;
  recorder.finish(!stats.interrupted);
  if (options.stats)
    print_stats(stats, std::chrono::duration<double>(std::chrono::steady_clock::now() - wall_start).count());
  if (!options.timeline.empty()) results::write_timeline(recorder.h5_path(), options.timeline);
  // report.html beside run.h5, read back from the file alone (docs/results.md#report).
  results::write_run_report(recorder.h5_path(), options.dir + "/report.html",
                            fmt::format("gwsim {}: {} (seed {})", options.command, scenario.name, scenario.seed));
  if (!options.quiet) {
    const std::string title = fmt::format("gwsim {}: {} (seed {})", options.command, scenario.name, scenario.seed);
    std::cout << (options.full_summary
                      ? results::format_summary_table(title, stats.summary)
                      : results::format_headline(results::make_headline(stats.summary, {title, stats.larger_than_cluster})))
              << fmt::format("output: {}\n", recorder.h5_path());
  }
  if (stats.interrupted) {
    std::cerr << fmt::format("gwsim: interrupted at simulated time {} s; {} is marked incomplete\n", stats.end_time_s,
                             recorder.h5_path());
    return static_cast<int>(ExitCode::INTERRUPTED);
  }
  return 0;
}

void add_threads_option(CLI::App& cmd) {
  cmd.add_option_function<int>("--threads", [](const int& n) { gpu_models::set_cpu_threads(n); },
                               "Threads of the cost model's CPU backend (default: the hardware's); the results "
                               "never depend on it (docs/reliability.md#reproducibility)")
      ->check(CLI::Range(1, 1024));
}

void add_stats_flag(CLI::App& cmd, bool& stats) {
  cmd.add_flag("--stats", stats,
               "Print on stderr the wall time, events delivered, events per second and peak memory "
               "(docs/performance.md); the outputs do not change");
}

void add_seed_horizon_options(CLI::App& cmd, SeedHorizon& given, const std::string& horizon_help) {
  cmd.add_option_function<uint64_t>(
      "--seed", [&given](const uint64_t& seed) { given.seed = seed; },
      "Seed of the run's random draws, instead of the scenario's `seed` (docs/reliability.md#reproducibility)");
  cmd.add_option_function<std::string>(
         "--horizon",
         [&given](const std::string& text) {
           const bool has_unit = !text.empty() && std::isalpha(static_cast<unsigned char>(text.back()));
           if (!has_unit || !units::duration_s(text).value)
             throw CLI::ValidationError(
                 "--horizon", fmt::format("expected a duration with its unit, such as 14d or 36h, found '{}'", text));
           given.horizon = text;
         },
         horizon_help)
      ->type_name("DURATION");
}

void add_summary_flags(CLI::App& cmd, bool& quiet, bool& full_summary) {
  cmd.add_flag("-q,--quiet", quiet, "Print nothing at the end of the run (summary.json still has every value)");
  cmd.add_flag("--full-summary", full_summary,
               "Print every summary value, as summary.json has them, instead of the headline (docs/results.md)");
}

void add_run_command(CLI::App& app, CommandFn& out) {
  struct Args {
    std::string scenario;
    std::string dir = "gwsim-out";
    std::string timeline;
    bool quiet = false;
    bool full_summary = false;
    std::vector<std::string> sets;
    SeedHorizon given;
    bool stats = false;
  };
  auto args = std::make_shared<Args>();
  CLI::App* cmd = app.add_subcommand("run", "Simulate a scenario and write run.h5 and summary.json (docs/cli.md#run, docs/results.md). "
                                     "Ctrl-C stops it cleanly: the output is kept, marked incomplete (exit 130)");
  cmd->add_option("scenario", args->scenario, "Scenario file (YAML or JSON)")->required();
  cmd->add_option("-o,--output", args->dir, "Output directory (created if missing)")->capture_default_str();
  cmd->add_option("--timeline", args->timeline,
                  "Also write the job timeline as Chrome/Perfetto trace events JSON to this file "
                  "(open in ui.perfetto.dev; docs/results.md#timeline)");
  cmd->add_option("--set", args->sets,
                  "KEY=VALUE: change a key of the scenario before it is checked (repeatable; VALUE is YAML), e.g. "
                  "--set horizon=1d --set cluster.gpu=B200 (docs/cli.md#run)")
      ->type_name("KEY=VALUE");
  add_seed_horizon_options(*cmd, args->given, "Simulated time, e.g. 36h or 30d, instead of the scenario's `horizon`");
  add_summary_flags(*cmd, args->quiet, args->full_summary);
  add_threads_option(*cmd);
  add_stats_flag(*cmd, args->stats);
  cmd->callback([args, &out] {
    out = [args] {
      // From here on SIGINT/SIGTERM only set a flag: the run stops at its
      // next event and writes a valid file marked incomplete.
      catch_interrupts();
      // --seed and --horizon are --set seed=... and --set horizon=..., after the user's own.
      std::vector<std::string> sets = args->sets;
      if (args->given.seed) sets.push_back(fmt::format("seed={}", *args->given.seed));
      if (!args->given.horizon.empty()) sets.push_back("horizon=" + args->given.horizon);
      return run_and_report(load_scenario_with_sets(args->scenario, sets),
                            RunOptions{args->dir, args->quiet, args->timeline, "run", args->stats, args->full_summary});
    };
  });
}

}  // namespace gwsim::sim
