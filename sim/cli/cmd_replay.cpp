// `gwsim replay`: runs a trace on a cluster -- a scenario's, or a quick one of
// N GPUs -- with a chosen policy, and writes what `gwsim run` writes. The
// replay is itself a scenario: the command writes the scenario it runs (the
// cluster, the policy, and one `type: trace` workload entry) and records it
// in the output's provenance, so a replay can be rerun with `gwsim run`.
#include <cmath>
#include <filesystem>
#include <fmt/format.h>
#include <iostream>
#include <yaml-cpp/yaml.h>

#include "common/error.hpp"
#include "common/units.hpp"
#include "common/interrupt.hpp"
#include "sim/cli/commands.hpp"
#include "sim/scenario/scenario.hpp"
#include "sim/policies/scheduler.hpp"
#include "workloads/source_config.hpp"

namespace gwsim::sim {
namespace {

namespace fs = std::filesystem;

struct ReplayArgs {
  std::vector<std::string> traces;
  std::string format;
  std::string scenario;
  int64_t gpus = 0;
  int gpus_per_node = 8;
  std::string gpu = "H100-SXM";
  std::string policy;
  std::string horizon;
  std::string dir = "gwsim-out";
  bool skip_bad_rows = false;
  bool ignore_gpu_type = false;
  uint64_t max_jobs = 0;
  double procs_per_gpu = 1;
  uint64_t seed = 1;
  bool quiet = false;
  bool full_summary = false;
  bool stats = false;
};

// One streaming pass over the trace before the run: it finds malformed rows
// before any output exists, and the end of the trace as replayed unhindered
// (the latest submit + duration, rounded up to a whole day).
struct TraceScan {
  double horizon_s = 86400;
  uint64_t jobs = 0;
  workloads::ReadReport report;
};

TraceScan scan_trace(const workloads::TraceConfig& t) {
  TraceScan scan;
  workloads::ConfiguredTrace trace(t, false);
  double end = 0;
  while (auto r = trace.next()) {
    end = std::max(end, r->submit_s + std::max(0.0, r->duration_s));
    ++scan.jobs;
  }
  scan.horizon_s = std::max(86400.0, std::ceil(end / 86400.0) * 86400.0);
  scan.report = trace.reader().report();
  return scan;
}

// The quick cluster: N GPUs in nodes of K, racks of up to 8 nodes, one pod.
YAML::Node quick_cluster(const ReplayArgs& a) {
  if (a.gpus < 1 || a.gpus_per_node < 1 || a.gpus % a.gpus_per_node != 0)
    throw Error(ExitCode::USAGE, fmt::format("--gpus: expected a multiple of --gpus-per-node ({}), found {}",
                                             a.gpus_per_node, a.gpus));
  const int64_t nodes = a.gpus / a.gpus_per_node;
  int per_rack = 1;
  for (int k : {8, 4, 2})
    if (nodes % k == 0) {
      per_rack = k;
      break;
    }
  YAML::Node c;
  c["gpu"] = a.gpu;
  c["gpus_per_node"] = a.gpus_per_node;
  c["nodes_per_rack"] = per_rack;
  c["racks_per_pod"] = nodes / per_rack;
  c["pods_per_hall"] = 1;
  c["halls"] = 1;
  c["fabric"]["nics_per_node"] = a.gpus_per_node;
  return c;
}

Scenario replay_scenario(const ReplayArgs& a) {
  if (a.traces.empty()) throw Error(ExitCode::USAGE, "--trace: expected a trace file or directory");
  if (!workloads::is_trace_format(a.format) || a.format == "chakra")
    throw Error(ExitCode::USAGE, fmt::format("--format: expected a job trace format ({}), found '{}'",
                                             workloads::trace_format_names(), a.format));
  // Checked here: the scenario made below is no file the user wrote, so its
  // loader's message (a line of it, workload[0].path) would point nowhere.
  for (const auto& t : a.traces) {
    std::error_code ec;
    if (!fs::exists(t, ec))
      throw Error(ExitCode::TRACE, fmt::format("--trace {}: expected an existing trace file or directory, found no such "
                                               "file (looked for {})",
                                               t, fs::absolute(t).lexically_normal().string()));
  }
  if (a.scenario.empty() == (a.gpus == 0))
    throw Error(ExitCode::USAGE, "expected either a scenario file or --gpus N (--gpus-per-node K), not both or neither");
  std::vector<std::string> policy;  // "easy_backfill,reserve_internal" composes rules
  for (size_t start = 0; start < a.policy.size();) {
    const size_t comma = std::min(a.policy.find(',', start), a.policy.size());
    policy.push_back(a.policy.substr(start, comma - start));
    start = comma + 1;
  }
  if (!policy.empty()) {
    try {
      make_policy_rules(policy);
    } catch (const Error& e) {
      throw Error(ExitCode::USAGE, fmt::format("--policy: {}", e.what()));
    }
  }

  YAML::Node root;
  std::string path = "replay.yaml";
  if (!a.scenario.empty()) {
    load_scenario(a.scenario);  // its own errors first, at its own lines
    root = YAML::LoadFile(a.scenario);
    path = a.scenario;
  } else {
    root["name"] = fmt::format("replay-{}", a.format);
    root["seed"] = a.seed;
    root["cluster"] = quick_cluster(a);
  }
  YAML::Node entry;
  entry["type"] = "trace";
  entry["format"] = a.format;
  for (const auto& t : a.traces) entry["path"].push_back(fs::absolute(t).lexically_normal().string());
  if (a.skip_bad_rows) entry["skip_bad_rows"] = true;
  if (a.ignore_gpu_type) entry["ignore_gpu_type"] = true;
  if (a.max_jobs) entry["max_jobs"] = a.max_jobs;
  if (a.procs_per_gpu != 1) entry["procs_per_gpu"] = a.procs_per_gpu;
  YAML::Node workload;
  workload.push_back(entry);
  root["workload"] = workload;
  for (const auto& rule : policy) root["scheduler"]["policy"].push_back(rule);

  // Parse once to get the trace entry as typed data and scan the trace; the
  // horizon is then the one given, or the trace's own end.
  root["horizon"] = a.horizon.empty() ? std::string("1d") : a.horizon;
  const Scenario draft = parse_scenario(YAML::Dump(root), path);
  const TraceScan scan = scan_trace(std::get<workloads::TraceConfig>(draft.workload.front()));
  if (!a.quiet) {
    std::cout << fmt::format("trace: {} jobs; rows read {}, skipped (malformed) {}, filtered {}\n", scan.jobs,
                             scan.report.rows, scan.report.skipped, scan.report.filtered_total());
    if (scan.report.skipped) std::cout << "  first skipped row: " << scan.report.first_skipped << "\n";
  }
  const std::string horizon = a.horizon.empty() ? fmt::format("{}s", scan.horizon_s) : a.horizon;
  root["horizon"] = horizon;
  YAML::Emitter out;
  out << YAML::Comment(fmt::format("written by gwsim replay: trace {} ({})", a.traces.front(), a.format)) << root;
  return parse_scenario(std::string(out.c_str()) + "\n", path);
}

}  // namespace

void add_replay_command(CLI::App& app, CommandFn& out) {
  auto a = std::make_shared<ReplayArgs>();
  CLI::App* cmd = app.add_subcommand(
      "replay", "Run a trace on a cluster and write what `gwsim run` writes (docs/workloads.md#replay)");
  cmd->add_option("--trace", a->traces, "Trace file or directory (repeat --trace for several files)")
      ->required()
      ->expected(1)
      ->take_all();
  cmd->add_option("--format", a->format, "Trace format (" + workloads::trace_format_names() + ")")->required();
  cmd->add_option("scenario", a->scenario, "Scenario whose cluster (and scheduler) to use; its workload is replaced");
  cmd->add_option("--gpus", a->gpus, "Quick cluster instead of a scenario: total GPUs");
  cmd->add_option("--gpus-per-node", a->gpus_per_node, "Quick cluster: GPUs per node")->capture_default_str();
  cmd->add_option("--gpu", a->gpu, "Quick cluster: GPU type")->capture_default_str();
  cmd->add_option("--policy", a->policy, "Scheduling policy (default: the scenario's, else fifo)");
  cmd->add_option("--horizon", a->horizon, "Simulated time, e.g. 120d (default: the trace's last submit + duration, to a day)");
  cmd->add_option("--seed", a->seed, "Quick cluster: seed")->capture_default_str();
  cmd->add_option("--max-jobs", a->max_jobs, "Replay only the first N jobs");
  cmd->add_option("--procs-per-gpu", a->procs_per_gpu, "swf: processors that make one GPU")->capture_default_str();
  cmd->add_flag("--skip-bad-rows", a->skip_bad_rows, "Skip malformed rows (and report how many)");
  cmd->add_flag("--ignore-gpu-type", a->ignore_gpu_type, "Drop the trace's GPU-type constraints");
  cmd->add_option("-o,--output", a->dir, "Output directory (created if missing)")->capture_default_str();
  add_summary_flags(*cmd, a->quiet, a->full_summary);
  add_threads_option(*cmd);
  add_stats_flag(*cmd, a->stats);
  cmd->callback([a, &out] {
    out = [a] {
      catch_interrupts();
      return run_and_report(replay_scenario(*a), RunOptions{a->dir, a->quiet, {}, "replay", a->stats, a->full_summary});
    };
  });
}

}  // namespace gwsim::sim
