#pragma once
// Internal to sim/: the parsers of the scenario's sections, one file each
// (scenario_catalog.cpp, scenario_cluster.cpp, scenario_workload.cpp, scenario_operations.cpp), so each
// module's keys are
// read in one place. Each takes the section's YamlMap and calls finish() on it.
#include "sim/scenario/scenario.hpp"
#include "sim/scenario/yaml_reader.hpp"

namespace gwsim::sim {

/// Adds the `catalog:` section's GPU types and models to `catalog` (before
/// `cluster:` is parsed, so that cluster.gpu may name a new type).
void parse_catalog(YamlMap m, gpu_models::Catalog& catalog);
topology::ClusterSpec parse_cluster(YamlMap m, const gpu_models::Catalog& catalog);
/// One entry of `workload:`; trace paths are resolved against the folder of `scenario_path`.
SourceConfig parse_source(YamlMap m, const gpu_models::Catalog& catalog, const std::string& scenario_path,
                          std::optional<int64_t> start_day = std::nullopt);
SchedulerConfig parse_scheduler(YamlMap m);
ExecutionConfig parse_execution(YamlMap m);
/// `start_day`: the scenario's start_date, for a job given a `date`.
workloads::JobRequest parse_job(YamlMap m, const gpu_models::Catalog& catalog,
                                std::optional<int64_t> start_day = std::nullopt);
// scenario_operations.cpp: the `failures:`, `power:` and `economics:` sections.
FailuresConfig parse_failures(YamlMap m, const topology::ClusterSpec& cluster);
PowerConfig parse_power(YamlMap m);
EconomicsConfig parse_economics(YamlMap m);
// scenario_capex.cpp: `start_date` and `engine` (read before the workload), then
// `fleet`, `prices`, `pricing` and `finance` (after economics).
void parse_calendar(YamlMap& root, CapexConfig& c);
void parse_capex(YamlMap& root, Scenario& s);

}  // namespace gwsim::sim
