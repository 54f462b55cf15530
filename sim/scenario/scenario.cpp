#include "sim/scenario/scenario.hpp"

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fmt/format.h>
#include <fstream>
#include <limits>
#include <sstream>

#include "finance/calendar.hpp"
#include "sim/scenario/scenario_parts.hpp"

namespace gwsim::sim {
namespace {

constexpr double INF = std::numeric_limits<double>::infinity();
}  // namespace

Scenario parse_scenario(const std::string& text, const std::string& path) {
  Scenario s;
  s.path = path;
  s.text = text;
  YAML::Node root = parse_yaml(text, path);
  if (!root || root.IsNull())
    fail(ExitCode::SCENARIO, Where{path, 0, ""}, "a scenario: a mapping of keys (name, cluster, workload, ...)",
         "an empty document");
  YamlMap m(root, "", s.path);
  // A sweep file (base: and axes:) given where a scenario is expected would
  // otherwise be refused for its first key a scenario does not have.
  if (root.IsMap() && root["base"] && !root["cluster"] && !root["workload"])
    throw Error(ExitCode::SCENARIO,
                fmt::format("{}:{}: this is a sweep file (it has 'base:'), not a scenario: use gwsim sweep {}", path,
                            m.line("base"), path));
  s.name = m.str("name", "unnamed");
  s.seed = static_cast<uint64_t>(m.integer("seed", 1, 0, INT64_MAX / 2));
  s.horizon_s = m.quantity("horizon", s.horizon_s, &units::duration_s, 1, 100 * 365 * 86400.0);
  parse_calendar(m, s.capex);
  s.fidelity = m.choice("fidelity", "fleet", {"fleet", "fabric"}) == "fabric" ? Fidelity::FABRIC : Fidelity::FLEET;
  parse_catalog(m.map("catalog"), s.catalog);
  s.cluster = parse_cluster(m.map("cluster"), s.catalog);

  s.scheduler = parse_scheduler(m.map("scheduler"));
  s.execution = parse_execution(m.map("execution"));

  for (auto& src : m.map_list("workload")) s.workload.push_back(parse_source(src, s.catalog, s.path, s.capex.start_day));
  // A dated run: the weekly cycles follow the calendar from the start date's weekday.
  if (s.capex.start_day) {
    const double offset_s = finance::weekday(*s.capex.start_day) * 86400.0;
    for (auto& src : s.workload) {
      if (auto* p = std::get_if<workloads::InternalJobsParams>(&src)) p->arrivals.start_offset_s = offset_s;
      if (auto* p = std::get_if<workloads::OnDemandParams>(&src)) p->arrivals.start_offset_s = offset_s;
      if (auto* p = std::get_if<workloads::SpotParams>(&src)) p->arrivals.start_offset_s = offset_s;
    }
  }
  s.failures = parse_failures(m.map("failures"), s.cluster);
  s.power = parse_power(m.map("power"));
  s.economics = parse_economics(m.map("economics"));
  parse_capex(m, s);

  YamlMap out = m.map("output");
  s.output.sample_interval_s = out.quantity("sample_interval", s.output.sample_interval_s, &units::duration_s, 1, INF);
  s.output.events = out.boolean("events", s.output.events);
  out.finish();
  m.finish();
  return s;
}

Scenario load_scenario(const std::string& path) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec))
    fail(ExitCode::SCENARIO, Where{path, 0, ""}, "a scenario file (YAML or JSON)", "a directory");
  std::ifstream in(path, std::ios::binary);
  if (!in)
    throw Error(ExitCode::SCENARIO, fmt::format("{}: cannot open the scenario file ({})", path, std::strerror(errno)));
  std::ostringstream ss;
  ss << in.rdbuf();
  if (in.bad()) throw Error(ExitCode::SCENARIO, fmt::format("{}: cannot read the scenario file", path));
  return parse_scenario(ss.str(), path);
}

}  // namespace gwsim::sim
