// `gwsim replay`: runs a trace on a cluster -- a scenario's, or a quick one of
// N GPUs -- with a chosen policy, and writes what `gwsim run` writes. The
// replay is itself a scenario: the command writes the scenario it runs (the
// cluster, the policy, and one `type: trace` workload entry) and records it
// in the output's provenance, so a replay can be rerun with `gwsim run`.
#include <algorithm>
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
#include "sim/policies/placement.hpp"
#include "sim/policies/scheduler.hpp"
#include "topology/fabric.hpp"
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
  std::string placement;
  std::string kind;
  std::string tenant;
  std::string patience;
  SeedHorizon given;  ///< --seed, --horizon (default: the trace's end)
  std::string dir = "gwsim-out";
  bool skip_bad_rows = false;
  bool ignore_gpu_type = false;
  uint64_t max_jobs = 0;
  double procs_per_gpu = 1;
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

// The quick cluster: N GPUs in nodes of K, racks of up to 8 nodes, on a
// rail-optimized fabric of 64-port switches, one NIC per GPU. Two tiers when
// they reach every leaf (up to 2,048 GPUs at 8 NICs per node); above that a
// three-tier fat tree whose pods are the fewest that the spines can serve;
// where 64-port switches cannot do it (very large clusters, or nodes with
// more NICs than a leaf has ports), the smallest power-of-two radix that
// fits, two tiers tried before three (docs/workloads.md#replay).
topology::ClusterSpec quick_spec(const ReplayArgs& a) {
  if (a.gpus < 1 || a.gpus_per_node < 1 || a.gpus % a.gpus_per_node != 0)
    throw Error(ExitCode::USAGE, fmt::format("--gpus: expected a multiple of --gpus-per-node ({}), found {}",
                                             a.gpus_per_node, a.gpus));
  topology::ClusterSpec c;
  c.gpu_type = a.gpu;
  c.gpus_per_node = a.gpus_per_node;
  const int64_t nodes = a.gpus / a.gpus_per_node;
  c.nodes_per_rack = 1;
  for (int k : {8, 4, 2})
    if (nodes % k == 0) {
      c.nodes_per_rack = k;
      break;
    }
  const int64_t racks = nodes / c.nodes_per_rack;
  c.fabric.nics_per_node = a.gpus_per_node;
  c.racks_per_pod = static_cast<int>(std::min<int64_t>(racks, INT32_MAX));
  c.pods_per_hall = 1;
  c.halls = 1;
  std::vector<Problem> problems;
  if (racks <= INT32_MAX && (problems = topology::validate(c)).empty()) return c;
  std::vector<int64_t> pods;  // divisors of the rack count, ascending, beyond 1
  for (int64_t d = 2; d * d <= racks; ++d)
    if (racks % d == 0) pods.push_back(d);
  for (size_t i = pods.size(); i-- > 0;)
    if (pods[i] * pods[i] != racks) pods.push_back(racks / pods[i]);
  if (racks > 1) pods.push_back(racks);
  for (int radix = 64; radix <= 65536; radix *= 2) {
    if (radix > 64 && racks <= 100000) {  // two tiers of larger switches (e.g. many rails of few racks)
      c.fabric.tiers.assign(2, topology::TierSpec{});
      for (auto& t : c.fabric.tiers) t.switch_radix = radix;
      c.pods_per_hall = 1;
      c.racks_per_pod = static_cast<int>(racks);
      if ((problems = topology::validate(c)).empty()) return c;
    }
    c.fabric.tiers.assign(3, topology::TierSpec{});
    for (auto& t : c.fabric.tiers) t.switch_radix = radix;
    for (int64_t p : pods) {
      if (p > 10000 || racks / p > 100000) continue;
      c.pods_per_hall = static_cast<int>(p);
      c.racks_per_pod = static_cast<int>(racks / p);
      if ((problems = topology::validate(c)).empty()) return c;
    }
  }
  const std::string why = problems.empty() ? "no design" : problems.front().key + ": " + problems.front().expected;
  throw Error(ExitCode::USAGE,
              fmt::format("--gpus: no quick cluster of {} GPUs in nodes of {} fits a three-tier fat tree ({}); "
                          "describe the cluster in a scenario file",
                          a.gpus, a.gpus_per_node, why));
}

YAML::Node quick_cluster(const ReplayArgs& a) {
  const topology::ClusterSpec spec = quick_spec(a);
  YAML::Node c;
  c["gpu"] = spec.gpu_type;
  c["gpus_per_node"] = spec.gpus_per_node;
  c["nodes_per_rack"] = spec.nodes_per_rack;
  c["racks_per_pod"] = spec.racks_per_pod;
  c["pods_per_hall"] = spec.pods_per_hall;
  c["halls"] = spec.halls;
  c["fabric"]["nics_per_node"] = spec.fabric.nics_per_node;
  if (spec.fabric.tiers.size() == 3 || spec.fabric.tiers.front().switch_radix != topology::TierSpec{}.switch_radix)
    for (const auto& t : spec.fabric.tiers) {
      YAML::Node tier;
      tier["switch_radix"] = t.switch_radix;
      c["fabric"]["tiers"].push_back(tier);
    }
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

  // The per-job flags, checked here so that a bad one is a usage error naming the flag.
  auto names = [](const std::vector<std::string>& v) {
    std::string out;
    for (const auto& n : v) out += (out.empty() ? "" : ", ") + n;
    return out;
  };
  const auto& placements = placement_names();
  if (!a.placement.empty() && std::find(placements.begin(), placements.end(), a.placement) == placements.end())
    throw Error(ExitCode::USAGE, fmt::format("--placement: expected one of {}, found '{}'", names(placements), a.placement));
  workloads::JobKind kind;
  if (!a.kind.empty() && !workloads::parse_job_kind(a.kind, kind))
    throw Error(ExitCode::USAGE, fmt::format("--kind: expected pretrain, finetune, research, lease, on_demand or spot, "
                                             "found '{}'", a.kind));
  workloads::Tenant tenant;
  if (!a.tenant.empty() && !workloads::parse_tenant(a.tenant, tenant))
    throw Error(ExitCode::USAGE, fmt::format("--tenant: expected internal or external, found '{}'", a.tenant));
  if (!a.patience.empty()) {
    const units::Parsed p = units::duration_s(a.patience);
    if (!p.value || *p.value < 0)
      throw Error(ExitCode::USAGE, fmt::format("--patience: expected {}, found '{}'",
                                               p.expected.empty() ? "a duration of at least 0" : p.expected, a.patience));
  }

  YAML::Node root;
  std::string path = "replay.yaml";
  if (!a.scenario.empty()) {
    load_scenario(a.scenario);  // its own errors first, at its own lines
    root = YAML::LoadFile(a.scenario);
    path = a.scenario;
  } else {
    root["name"] = fmt::format("replay-{}", a.format);
    root["seed"] = a.given.seed.value_or(1);
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
  // Passed through as the scenario's keys, so the scenario's checks (and any
  // policy or placement added later) apply, with the line of the written scenario.
  if (!a.kind.empty()) entry["kind"] = a.kind;
  if (!a.tenant.empty()) entry["tenant"] = a.tenant;
  if (!a.patience.empty()) entry["patience"] = a.patience;
  YAML::Node workload;
  workload.push_back(entry);
  root["workload"] = workload;
  for (const auto& rule : policy) root["scheduler"]["policy"].push_back(rule);
  if (!a.placement.empty()) root["scheduler"]["placement"] = a.placement;

  // Parse once to get the trace entry as typed data and scan the trace; the
  // horizon is then the one given, or the trace's own end.
  if (a.given.seed) root["seed"] = *a.given.seed;
  root["horizon"] = a.given.horizon.empty() ? std::string("1d") : a.given.horizon;
  const Scenario draft = parse_scenario(YAML::Dump(root), path);
  const TraceScan scan = scan_trace(std::get<workloads::TraceConfig>(draft.workload.front()));
  if (!a.quiet) {
    std::cout << fmt::format("trace: {} jobs; rows read {}, skipped (malformed) {}, filtered {}\n", scan.jobs,
                             scan.report.rows, scan.report.skipped, scan.report.filtered_total());
    if (scan.report.skipped) std::cout << "  first skipped row: " << scan.report.first_skipped << "\n";
  }
  const std::string horizon = a.given.horizon.empty() ? fmt::format("{}s", scan.horizon_s) : a.given.horizon;
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
  cmd->add_option("--placement", a->placement, "Placement (default: the scenario's, else pack); a scheduler.placement name");
  cmd->add_option("--kind", a->kind, "Job kind given to every trace job (pretrain, finetune, research, lease, on_demand, spot)");
  cmd->add_option("--tenant", a->tenant, "Tenant given to every trace job (internal, external)");
  cmd->add_option("--patience", a->patience,
                  "Refuse a job not started within this wait, e.g. 1h; 0 tries once at submission and drops it");
  add_seed_horizon_options(*cmd, a->given,
                           "Simulated time, e.g. 120d (default: the trace's last submit + duration, to a day)");
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
