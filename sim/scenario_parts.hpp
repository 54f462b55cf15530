#pragma once
// Internal to sim/: the parsers of the scenario's sections, one file each
// (scenario_cluster.cpp, scenario_workload.cpp), so each module's keys are
// read in one place. Each takes the section's YamlMap and calls finish() on it.
#include "sim/scenario.hpp"
#include "sim/yaml_reader.hpp"

namespace gwsim::sim {

topology::ClusterSpec parse_cluster(YamlMap m, const gpu_models::Catalog& catalog);
/// One entry of `workload:`; trace paths are resolved against the folder of `scenario_path`.
SourceConfig parse_source(YamlMap m, const gpu_models::Catalog& catalog, const std::string& scenario_path);
workloads::JobRequest parse_job(YamlMap m, const gpu_models::Catalog& catalog);

}  // namespace gwsim::sim
