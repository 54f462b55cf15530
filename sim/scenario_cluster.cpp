// The scenario's `cluster:` section: a design in the topology module's terms.
#include <fmt/format.h>

#include "sim/scenario_parts.hpp"
#include "topology/fabric.hpp"

namespace gwsim::sim {
namespace {

constexpr int64_t MAX_GPUS_PER_NODE = 64;

topology::TierSpec parse_tier(YamlMap m, const topology::TierSpec& d) {
  topology::TierSpec t;
  t.link_bandwidth_Bps = m.quantity("link_bandwidth", d.link_bandwidth_Bps, &units::bandwidth_Bps, 1, 1e15);
  t.latency_s = m.quantity("latency", d.latency_s, &units::latency_s, 0, 1);
  t.oversubscription = m.number("oversubscription", d.oversubscription, 1, 1000);
  t.switch_radix = static_cast<int>(m.integer("switch_radix", d.switch_radix, 2, 4096));
  m.finish();
  return t;
}

}  // namespace

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

}  // namespace gwsim::sim
