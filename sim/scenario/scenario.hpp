#pragma once
// The typed scenario: everything a run needs, validated, units parsed (SI),
// defaults filled. Loaded from YAML (JSON accepted); strict: unknown keys
// are errors. The reference of every key is docs/scenario.md.
#include <cstdint>
#include <string>
#include <variant>
#include <vector>

#include <array>
#include <optional>

#include "common/error.hpp"
#include "gpu_models/catalog.hpp"
#include "sim/operations/economics.hpp"
#include "sim/engine/execution.hpp"
#include "sim/operations/failures.hpp"
#include "sim/scenario/scenario_capex.hpp"
#include "sim/operations/power.hpp"
#include "sim/policies/scheduler.hpp"
#include "topology/cluster_spec.hpp"
#include "workloads/source_config.hpp"

namespace gwsim::sim {

enum class Fidelity { FLEET, FABRIC };

struct SchedulerConfig {
  std::vector<std::string> policy = {"fifo"};  ///< rule names composed (docs/scheduling.md)
  std::string placement = "first_fit";
  PolicyRules rules;                            ///< the composed rules with their parameters
  std::string custom_policy;                    ///< a registered policy (sim/policy_plugin.hpp) in charge instead; empty: none
  /// Per-kind priority overriding the requests' own (empty: keep the request's).
  std::array<std::optional<int>, workloads::JOB_KIND_COUNT> kind_priority{};
  /// Kinds a higher-priority job may preempt (policy `priority`).
  std::array<bool, workloads::JOB_KIND_COUNT> preemptible{};
  double tick_s = 0;  ///< periodic decision point; 0: only on events
  /// When the scheduler decides: once per simulated instant, after every event
  /// of that instant is applied (true: `decide: instant`, the default), or
  /// after each event (`decide: event`).
  bool decide_per_instant = true;
};

/// How jobs of each kind checkpoint and restart.
struct ExecutionConfig {
  std::array<CheckpointPolicy, workloads::JOB_KIND_COUNT> checkpoint{};
  /// Fabric fidelity: how long one bandwidth probe of a job's cross-group traffic lasts at full speed.
  double fabric_probe_s = 300;
  /// Inference services: how often the autoscaler sets the number of replicas.
  double autoscale_interval_s = 300;
};

/// One entry of the scenario's `workload:` list (generators, inline lists,
/// traces); the workloads module defines the entries and makes their sources.
using SourceConfig = workloads::SourceConfig;
using ListConfig = workloads::ListConfig;

/// One failure written in the scenario (tests, what-if studies), besides the random process.
struct ScriptedFailure {
  double at_s = 0;
  int cls = 0;          ///< index in FailuresConfig::classes
  int64_t unit = 0;     ///< GPU, node or switch, by the class's scope
  double repair_s = 0;  ///< exact (not sampled)
  gwsim::Where where;   ///< the entry in the scenario, for errors found when the fabric is built
};

/// The `failures:` section (docs/operations.md#failures).
struct FailuresConfig {
  bool random = false;  ///< run the random process (failures.enabled)
  std::vector<FailureClass> classes = default_failure_classes();  ///< rates already multiplied by rate_scale
  SpareConfig spares;
  std::vector<ScriptedFailure> events;  ///< ascending by time
};

struct OutputConfig {
  double sample_interval_s = 3600;  ///< time-series resolution (interval averages, exact)
  bool events = true;               ///< write /events
};

struct Scenario {
  std::string path;                 ///< as given on the command line
  std::string text;                 ///< the file's bytes (provenance)
  std::string name;
  uint64_t seed = 1;
  double horizon_s = 7 * 86400.0;   ///< simulated time; the run stops there
  Fidelity fidelity = Fidelity::FLEET;
  topology::ClusterSpec cluster;
  gpu_models::Catalog catalog = gpu_models::Catalog::builtin();
  SchedulerConfig scheduler;
  ExecutionConfig execution;
  std::vector<SourceConfig> workload;
  FailuresConfig failures;
  PowerConfig power;
  EconomicsConfig economics;
  CapexConfig capex;                ///< calendar, cohorts, prices, finance (docs/finance.md)
  OutputConfig output;
};

/// Reads and validates a scenario file. Throws Error(SCENARIO) naming the
/// file, line and key of the first problem.
Scenario load_scenario(const std::string& path);
/// Same, from text already in memory (`path` is used in messages).
Scenario parse_scenario(const std::string& text, const std::string& path);

}  // namespace gwsim::sim
