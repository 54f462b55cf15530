#include "sim/scenario.hpp"

#include <fmt/format.h>
#include <fstream>
#include <limits>
#include <sstream>

#include "sim/yaml_reader.hpp"
#include "topology/fabric.hpp"

namespace gwsim::sim {
namespace {

constexpr double INF = std::numeric_limits<double>::infinity();
constexpr int64_t MAX_GPUS_PER_NODE = 64;
constexpr int64_t MAX_COUNT = 1'000'000;

topology::TierSpec parse_tier(YamlMap m, const topology::TierSpec& d) {
  topology::TierSpec t;
  t.link_bandwidth_Bps = m.quantity("link_bandwidth", d.link_bandwidth_Bps, &units::bandwidth_Bps, 1, 1e15);
  t.latency_s = m.quantity("latency", d.latency_s, &units::latency_s, 0, 1);
  t.oversubscription = m.number("oversubscription", d.oversubscription, 1, 1000);
  t.switch_radix = static_cast<int>(m.integer("switch_radix", d.switch_radix, 2, 4096));
  m.finish();
  return t;
}

topology::ClusterSpec parse_cluster(YamlMap m, const gpu_models::Catalog& catalog) {
  topology::ClusterSpec c;
  c.gpu_type = m.str_required("gpu");
  if (!catalog.find_gpu(c.gpu_type)) {
    std::string names;
    for (const auto& n : catalog.gpu_names()) names += (names.empty() ? "" : ", ") + n;
    m.fail("gpu", fmt::format("a GPU type from the catalog ({})", names), fmt::format("'{}'", c.gpu_type));
  }
  c.gpus_per_node = static_cast<int>(m.integer("gpus_per_node", c.gpus_per_node, 1, MAX_GPUS_PER_NODE));
  c.nodes_per_rack = static_cast<int>(m.integer("nodes_per_rack", c.nodes_per_rack, 1, 1024));
  c.racks_per_pod = static_cast<int>(m.integer("racks_per_pod", c.racks_per_pod, 1, 100000));
  c.pods_per_hall = static_cast<int>(m.integer("pods_per_hall", c.pods_per_hall, 1, 10000));
  c.halls = static_cast<int>(m.integer("halls", c.halls, 1, 1000));

  YamlMap su = m.map("scale_up");
  c.scale_up.nodes_per_domain = static_cast<int>(su.integer("nodes_per_domain", c.scale_up.nodes_per_domain, 1, 1024));
  c.scale_up.bandwidth_Bps = su.quantity("bandwidth", c.scale_up.bandwidth_Bps, &units::bandwidth_Bps, 1, 1e15);
  c.scale_up.latency_s = su.quantity("latency", c.scale_up.latency_s, &units::latency_s, 0, 1);
  su.finish();

  YamlMap f = m.map("fabric");
  const std::string kind = f.choice("kind", "rail_optimized", {"rail_optimized", "clos"});
  c.fabric.kind = kind == "clos" ? topology::FabricKind::CLOS : topology::FabricKind::RAIL_OPTIMIZED;
  c.fabric.nics_per_node = static_cast<int>(f.integer("nics_per_node", c.fabric.nics_per_node, 1, 64));
  c.fabric.nic_bandwidth_Bps = f.quantity("nic_bandwidth", c.fabric.nic_bandwidth_Bps, &units::bandwidth_Bps, 1, 1e15);
  c.fabric.nic_latency_s = f.quantity("nic_latency", c.fabric.nic_latency_s, &units::latency_s, 0, 1);
  auto tiers = f.map_list("tiers");
  if (tiers.empty()) {
    c.fabric.tiers = {topology::TierSpec{}, topology::TierSpec{}};
  } else {
    for (auto& t : tiers) c.fabric.tiers.push_back(parse_tier(t, topology::TierSpec{}));
  }
  c.fabric.switch_power_w = f.quantity("switch_power", c.fabric.switch_power_w, &units::power_w, 0, 1e6);
  c.fabric.switch_cost_usd = f.quantity("switch_cost", c.fabric.switch_cost_usd, &units::usd, 0, 1e9);
  c.fabric.optic_power_w = f.quantity("optic_power", c.fabric.optic_power_w, &units::power_w, 0, 1e4);
  c.fabric.optic_cost_usd = f.quantity("optic_cost", c.fabric.optic_cost_usd, &units::usd, 0, 1e7);
  f.finish();

  YamlMap p = m.map("power");
  c.power.rack_budget_w = p.quantity("rack_budget", 0, &units::power_w, 0, 1e12);
  c.power.hall_budget_w = p.quantity("hall_budget", 0, &units::power_w, 0, 1e12);
  c.power.site_budget_w = p.quantity("site_budget", 0, &units::power_w, 0, 1e12);
  c.power.pue = p.number("pue", c.power.pue, 1, 5);
  c.power.node_overhead_w = p.quantity("node_overhead", c.power.node_overhead_w, &units::power_w, 0, 1e6);
  p.finish();

  if (c.gpu_count() > 100'000'000)
    m.fail("halls", "a design of at most 100M GPUs", fmt::format("{} GPUs", c.gpu_count()));
  for (const auto& problem : topology::validate(c)) {
    // Report at the line of the deepest key we can find.
    const std::string sub = problem.key.substr(std::string("cluster.").size());
    const std::string top = sub.substr(0, sub.find_first_of(".["));
    throw Error(ExitCode::SCENARIO, describe(Where{m.where(top).file, m.line(top), problem.key}, problem.expected,
                                             problem.found));
  }
  m.finish();
  return c;
}

workloads::ArrivalCycle parse_arrivals(YamlMap m, workloads::ArrivalCycle d) {
  d.per_hour = m.number("per_hour", d.per_hour, 0, 1e7);
  d.diurnal_amplitude = m.number("diurnal_amplitude", d.diurnal_amplitude, 0, 1);
  d.peak_hour = m.number("peak_hour", d.peak_hour, 0, 24);
  d.weekend_factor = m.number("weekend_factor", d.weekend_factor, 0, 10);
  m.finish();
  return d;
}

workloads::JobRequest parse_job(YamlMap m, const gpu_models::Catalog& catalog) {
  workloads::JobRequest r;
  r.submit_s = m.quantity("submit", 0, &units::duration_s, 0, 1e10);
  const std::string kind = m.choice("kind", "research",
                                    {"pretrain", "finetune", "research", "lease", "on_demand", "spot", "inference"});
  workloads::parse_job_kind(kind, r.kind);
  workloads::parse_tenant(
      m.choice("tenant", std::string(workloads::to_string(workloads::default_tenant(r.kind))), {"internal", "external"}),
      r.tenant);
  r.gpus = m.integer("gpus", 1, 1, 100'000'000);
  r.gpu_type = m.str("gpu_type", "");
  if (m.has("duration") == m.has("work_tokens"))
    m.fail(m.has("duration") ? "work_tokens" : "duration", "exactly one of 'duration' and 'work_tokens'",
           m.has("duration") ? "both" : "neither");
  r.duration_s = m.quantity("duration", -1, &units::duration_s, 0, 1e10);
  r.work_tokens = m.number("work_tokens", 0, 1, 1e18);
  r.model = m.str("model", "");
  if (r.duration_s < 0 && !catalog.find_model(r.model))
    m.fail("model", "a model from the catalog (work_tokens needs one)", fmt::format("'{}'", r.model));
  r.priority = static_cast<int>(m.integer("priority", 0, -1000, 1000));
  r.deadline_s = m.quantity("deadline", -1, &units::duration_s, 0, 1e10);
  r.patience_s = m.quantity("patience", -1, &units::duration_s, 0, 1e10);
  r.price_usd_per_gpu_hour = m.quantity("price_per_gpu_hour", 0, &units::usd, 0, 1e4);
  m.finish();
  return r;
}

SourceConfig parse_source(YamlMap m, const gpu_models::Catalog& catalog) {
  const std::string type = m.choice("type", "", {"internal_jobs", "pretrain", "lease_book", "list"});
  if (type == "list") {
    ListConfig l;
    for (auto& j : m.map_list("jobs")) l.jobs.push_back(parse_job(j, catalog));
    m.finish();
    return l;
  }
  if (type == "internal_jobs") {
    workloads::InternalJobsParams p;
    p.arrivals = parse_arrivals(m.map("arrivals"), p.arrivals);
    p.min_gpus = static_cast<int>(m.integer("min_gpus", p.min_gpus, 1, MAX_COUNT));
    p.max_gpus = static_cast<int>(m.integer("max_gpus", p.max_gpus, p.min_gpus, MAX_COUNT));
    p.size_decay = m.number("size_decay", p.size_decay, 0.01, 10);
    p.duration_median_s = m.quantity("duration_median", p.duration_median_s, &units::duration_s, 1, 1e9);
    p.duration_sigma = m.number("duration_sigma", p.duration_sigma, 0, 10);
    p.max_duration_s = m.quantity("max_duration", p.max_duration_s, &units::duration_s, 1, 1e9);
    p.finetune_fraction = m.number("finetune_fraction", p.finetune_fraction, 0, 1);
    p.priority = static_cast<int>(m.integer("priority", p.priority, -1000, 1000));
    m.finish();
    return p;
  }
  if (type == "pretrain") {
    workloads::PretrainParams p;
    p.campaigns_per_week = m.number("campaigns_per_week", p.campaigns_per_week, 0, 1e4);
    p.min_gpus = static_cast<int>(m.integer("min_gpus", p.min_gpus, 1, MAX_COUNT));
    p.max_gpus = static_cast<int>(m.integer("max_gpus", p.max_gpus, p.min_gpus, MAX_COUNT));
    p.model = m.str("model", p.model);
    if (!catalog.find_model(p.model)) m.fail("model", "a model from the catalog", fmt::format("'{}'", p.model));
    p.tokens_min = m.number("tokens_min", p.tokens_min, 1, 1e18);
    p.tokens_max = m.number("tokens_max", p.tokens_max, p.tokens_min, 1e18);
    p.priority = static_cast<int>(m.integer("priority", p.priority, -1000, 1000));
    m.finish();
    return p;
  }
  workloads::LeaseBookParams p;
  p.leases_per_week = m.number("leases_per_week", p.leases_per_week, 0, 1e6);
  p.min_gpus = static_cast<int>(m.integer("min_gpus", p.min_gpus, 1, MAX_COUNT));
  p.max_gpus = static_cast<int>(m.integer("max_gpus", p.max_gpus, p.min_gpus, MAX_COUNT));
  p.term_min_s = m.quantity("term_min", p.term_min_s, &units::duration_s, 60, 1e10);
  p.term_max_s = m.quantity("term_max", p.term_max_s, &units::duration_s, p.term_min_s, 1e10);
  p.price_usd_per_gpu_hour = m.quantity("price_per_gpu_hour", p.price_usd_per_gpu_hour, &units::usd, 0, 1e4);
  p.patience_s = m.quantity("patience", p.patience_s, &units::duration_s, 0, 1e10);
  p.priority = static_cast<int>(m.integer("priority", p.priority, -1000, 1000));
  m.finish();
  return p;
}

}  // namespace

Scenario parse_scenario(const std::string& text, const std::string& path) {
  Scenario s;
  s.path = path;
  s.text = text;
  YAML::Node root = parse_yaml(text, path);
  if (!root || root.IsNull()) throw Error(ExitCode::SCENARIO, fmt::format("{}: the scenario is empty", path));
  YamlMap m(root, "", s.path);
  s.name = m.str("name", "unnamed");
  s.seed = static_cast<uint64_t>(m.integer("seed", 1, 0, INT64_MAX / 2));
  s.horizon_s = m.quantity("horizon", s.horizon_s, &units::duration_s, 1, 100 * 365 * 86400.0);
  s.fidelity = m.choice("fidelity", "fleet", {"fleet", "fabric"}) == "fabric" ? Fidelity::FABRIC : Fidelity::FLEET;
  s.cluster = parse_cluster(m.map("cluster"), s.catalog);

  YamlMap sched = m.map("scheduler");
  s.scheduler.policy = sched.choice("policy", s.scheduler.policy, {"fifo"});
  s.scheduler.placement = sched.choice("placement", s.scheduler.placement, {"first_fit"});
  sched.finish();

  for (auto& src : m.map_list("workload")) s.workload.push_back(parse_source(src, s.catalog));

  YamlMap out = m.map("output");
  s.output.sample_interval_s = out.quantity("sample_interval", s.output.sample_interval_s, &units::duration_s, 1, INF);
  s.output.events = out.boolean("events", s.output.events);
  out.finish();
  m.finish();
  return s;
}

Scenario load_scenario(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Error(ExitCode::SCENARIO, fmt::format("{}: cannot open the scenario file", path));
  std::ostringstream ss;
  ss << in.rdbuf();
  return parse_scenario(ss.str(), path);
}

}  // namespace gwsim::sim
