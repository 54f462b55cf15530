// The scenario's `cluster:` section: a design in the topology module's terms.
// Every key, unit, default and range is documented in docs/topology.md.
#include <fmt/format.h>

#include "sim/scenario/scenario_parts.hpp"
#include "topology/fabric.hpp"

namespace gwsim::sim {
namespace {

// Up to a scale-up domain built as one node (NVL72, NVL576, a 384-NPU supernode).
constexpr int64_t MAX_GPUS_PER_NODE = 1024;
constexpr int64_t MAX_GPUS = 100'000'000;

topology::Cable parse_cable(YamlMap& m, const std::string& key, topology::Cable fallback) {
  const std::string c = m.choice(key, fallback == topology::Cable::COPPER ? "copper" : "optical", {"copper", "optical"});
  return c == "copper" ? topology::Cable::COPPER : topology::Cable::OPTICAL;
}

// One tier. The top tier has no uplinks: the keys that describe them are errors there.
topology::TierSpec parse_tier(YamlMap m, bool top, const topology::TierSpec& d) {
  topology::TierSpec t = d;
  t.switch_radix = static_cast<int>(m.integer("switch_radix", d.switch_radix, 2, 100000));
  t.latency_s = m.quantity("latency", d.latency_s, &units::latency_s, 0, 1);
  t.switch_power_w = m.quantity("switch_power", d.switch_power_w, &units::power_w, 0, 1e7);
  t.switch_cost_usd = m.quantity("switch_cost", d.switch_cost_usd, &units::usd, 0, 1e9);
  if (top) {
    for (const char* key : {"oversubscription", "link_bandwidth", "cable"})
      if (m.has(key)) m.fail(key, "no uplink settings on the top tier (its switches have no uplinks)", "a value");
  } else {
    t.oversubscription = m.number("oversubscription", d.oversubscription, 0.01, 1000);
    t.link_bandwidth_Bps = m.quantity("link_bandwidth", d.link_bandwidth_Bps, &units::bandwidth_Bps, 1, 1e15);
    t.uplink_cable = parse_cable(m, "cable", d.uplink_cable);
  }
  m.finish();
  return t;
}

// The keys a back-end and a front-end network share. `kind` is fixed by the caller.
void parse_network(YamlMap& m, topology::NetworkSpec& net, topology::Cable default_nic_cable) {
  net.nics_per_node = static_cast<int>(m.integer("nics_per_node", net.nics_per_node, 1, MAX_GPUS_PER_NODE));
  net.nic_bandwidth_Bps = m.quantity("nic_bandwidth", net.nic_bandwidth_Bps, &units::bandwidth_Bps, 1, 1e15);
  net.nic_latency_s = m.quantity("nic_latency", net.nic_latency_s, &units::latency_s, 0, 1);
  net.nic_cable = parse_cable(m, "nic_cable", default_nic_cable);
  // Per-tier switch power and cost default to the network's.
  topology::TierSpec tier_default;
  tier_default.switch_power_w = m.quantity("switch_power", tier_default.switch_power_w, &units::power_w, 0, 1e7);
  tier_default.switch_cost_usd = m.quantity("switch_cost", tier_default.switch_cost_usd, &units::usd, 0, 1e9);
  auto tiers = m.map_list("tiers");
  if (tiers.empty()) {
    net.tiers = {tier_default, tier_default};
  } else {
    if (tiers.size() < 2 || tiers.size() > 3)
      m.fail("tiers", "a list of 2 or 3 tiers, leaf first", fmt::format("{} tiers", tiers.size()));
    net.tiers.clear();
    for (size_t i = 0; i < tiers.size(); ++i) net.tiers.push_back(parse_tier(tiers[i], i + 1 == tiers.size(), tier_default));
  }
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
  c.racks_per_row = static_cast<int>(m.integer("racks_per_row", c.racks_per_row, 0, 100000));
  c.racks_per_pod = static_cast<int>(m.integer("racks_per_pod", c.racks_per_pod, 1, 100000));
  c.pods_per_hall = static_cast<int>(m.integer("pods_per_hall", c.pods_per_hall, 1, 10000));
  c.halls = static_cast<int>(m.integer("halls", c.halls, 1, 1000));
  c.cpu_milli_per_node = 1000 * m.integer("cpu_cores_per_node", c.cpu_milli_per_node / 1000, 1, 100000);
  c.memory_mib_per_node = 1024 * m.integer("memory_gib_per_node", c.memory_mib_per_node / 1024, 1, 1 << 24);

  YamlMap su = m.map("scale_up");
  c.scale_up.nodes_per_domain = static_cast<int>(su.integer("nodes_per_domain", c.scale_up.nodes_per_domain, 1, 4096));
  c.scale_up.bandwidth_Bps = su.quantity("bandwidth", c.scale_up.bandwidth_Bps, &units::bandwidth_Bps, 1, 1e15);
  c.scale_up.latency_s = su.quantity("latency", c.scale_up.latency_s, &units::latency_s, 0, 1);
  su.finish();

  YamlMap f = m.map("fabric");
  const std::string kind = f.choice("kind", "rail_optimized", {"rail_optimized", "clos"});
  c.fabric.kind = kind == "clos" ? topology::FabricKind::CLOS : topology::FabricKind::RAIL_OPTIMIZED;
  // A Clos leaf is the rack's own top-of-rack switch (copper within the rack);
  // rail leaves serve several racks (fibre).
  parse_network(f, c.fabric, c.fabric.kind == topology::FabricKind::CLOS ? topology::Cable::COPPER : topology::Cable::OPTICAL);
  c.fabric.optic_power_w = f.quantity("optic_power", c.fabric.optic_power_w, &units::power_w, 0, 1e4);
  c.fabric.optic_cost_usd = f.quantity("optic_cost", c.fabric.optic_cost_usd, &units::usd, 0, 1e7);
  if (f.has("frontend")) {
    YamlMap fe = f.map("frontend");
    topology::NetworkSpec net;
    net.kind = topology::FabricKind::CLOS;
    net.nics_per_node = 1;
    parse_network(fe, net, topology::Cable::COPPER);
    fe.finish();
    c.fabric.frontend = net;
  }
  f.finish();

  YamlMap p = m.map("power");
  c.power.rack_budget_w = p.quantity("rack_budget", 0, &units::power_w, 0, 1e12);
  c.power.row_budget_w = p.quantity("row_budget", 0, &units::power_w, 0, 1e12);
  c.power.hall_budget_w = p.quantity("hall_budget", 0, &units::power_w, 0, 1e12);
  c.power.site_budget_w = p.quantity("site_budget", 0, &units::power_w, 0, 1e12);
  c.power.pue = p.number("pue", c.power.pue, 1, 5);
  c.power.node_overhead_w = p.quantity("node_overhead", c.power.node_overhead_w, &units::power_w, 0, 1e6);
  p.finish();

  if (c.gpu_count() > MAX_GPUS)
    m.fail("halls", fmt::format("a design of at most {} GPUs", MAX_GPUS),
           fmt::format("{} GPUs ({} GPUs per node x {} nodes per rack x {} racks per pod x {} pods per hall x {} halls)",
                       c.gpu_count(), c.gpus_per_node, c.nodes_per_rack, c.racks_per_pod, c.pods_per_hall, c.halls));
  for (const auto& problem : topology::validate(c)) {
    // Report at the line of the deepest key present in the file.
    const std::string relative = problem.key.substr(std::string("cluster.").size());
    throw Error(ExitCode::SCENARIO, describe(Where{m.where("").file, m.line_of(relative), problem.key},
                                             problem.expected, problem.found));
  }
  m.finish();
  return c;
}

}  // namespace gwsim::sim
