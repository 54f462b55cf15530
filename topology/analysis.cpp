#include "topology/analysis.hpp"

#include <algorithm>
#include <cmath>
#include <fmt/format.h>
#include <map>

namespace gwsim::topology {

const char* tier_name(int tier) {
  static const char* names[] = {"leaf", "spine", "core"};
  return tier >= 0 && tier < 3 ? names[tier] : "tier";
}

namespace {

const NetworkSpec& network_spec(const ClusterSpec& s, Network n) {
  return n == Network::BACKEND ? s.fabric : *s.fabric.frontend;
}

// Whole nodes that fit a power budget, within [0, installed].
int64_t nodes_within(double budget_w, double node_w, int64_t installed) {
  if (budget_w <= 0) return 0;
  return std::clamp<int64_t>(static_cast<int64_t>(std::floor(budget_w / node_w)), 0, installed);
}

void add_distance(DesignReport& r, const Fabric& f, const std::string& relation, int64_t a, int64_t b) {
  if (b >= f.node_count()) return;
  r.distances.push_back({relation, a, b, f.hops(a, b), f.latency_s(a, b), f.scale_out_Bps_per_gpu({a, b})});
}

}  // namespace

DesignReport analyze(const Fabric& f, double gpu_power_w) {
  const ClusterSpec& s = f.spec();
  const NetworkLayout& L = f.layout();
  DesignReport r;
  r.gpus = s.gpu_count();
  r.nodes = s.node_count();
  r.racks = s.rack_count();
  r.rows = s.row_count();
  r.pods = s.pod_count();
  r.halls = s.halls;
  r.domains = s.domain_count();

  // Cables and transceivers per (network, tier of the link), from the graph itself.
  std::map<std::pair<int, int>, std::pair<int64_t, int64_t>> cables;
  for (auto [it, end] = boost::edges(f.graph()); it != end; ++it) {
    const EdgeProps& e = f.graph()[*it];
    auto& c = cables[{static_cast<int>(e.network), e.tier}];
    c.first += e.cables;
    if (e.cable == Cable::OPTICAL) c.second += 2 * e.cables;
  }
  auto add_network = [&](Network n, const NetworkLayout& layout) {
    const NetworkSpec& spec = network_spec(s, n);
    for (size_t t = 0; t < layout.tiers.size(); ++t) {
      const TierLayout& tl = layout.tiers[t];
      const TierSpec& ts = spec.tiers[t];
      TierReport tr;
      tr.network = n;
      tr.tier = static_cast<int>(t);
      tr.name = tier_name(tr.tier);
      tr.switches = tl.switches;
      tr.radix = ts.switch_radix;
      tr.down_ports_used = tl.down_ports_used;
      tr.uplinks_per_switch = tl.uplinks_per_switch;
      const bool top = t + 1 == layout.tiers.size();
      tr.requested_oversubscription = top ? 0 : ts.oversubscription;
      tr.realized_oversubscription = tl.realized_oversubscription();
      const auto c = cables[{static_cast<int>(n), tr.tier}];
      tr.links_below = c.first;
      tr.optics_below = c.second;
      tr.switch_power_w = static_cast<double>(tl.switches) * ts.switch_power_w;
      tr.switch_cost_usd = static_cast<double>(tl.switches) * ts.switch_cost_usd;
      r.switches += tl.switches;
      r.links += c.first;
      r.optics += c.second;
      r.switch_power_w += tr.switch_power_w;
      r.switch_cost_usd += tr.switch_cost_usd;
      r.tiers.push_back(tr);
    }
  };
  add_network(Network::BACKEND, L);
  if (f.has_frontend()) add_network(Network::FRONTEND, f.frontend_layout());
  r.optic_power_w = static_cast<double>(r.optics) * s.fabric.optic_power_w;
  r.optic_cost_usd = static_cast<double>(r.optics) * s.fabric.optic_cost_usd;
  r.network_power_w = r.switch_power_w + r.optic_power_w;
  r.network_cost_usd = r.switch_cost_usd + r.optic_cost_usd;

  r.node_uplink_Bps = f.node_uplink_Bps();
  r.scale_out_Bps_per_gpu = f.node_uplink_Bps() / s.gpus_per_node;
  r.bisection_Bps = f.bisection_Bps();
  r.bisection_Bps_per_gpu = r.bisection_Bps / (static_cast<double>(r.gpus) / 2);
  r.diameter_hops = f.diameter();

  // Representative pairs, from node 0 outwards.
  const int64_t d = s.scale_up.nodes_per_domain;
  if (d > 1) add_distance(r, f, "same scale-up domain", 0, 1);
  if (d < f.node_count() && f.slice_of(d) == f.slice_of(0)) {
    add_distance(r, f, "same leaves", 0, d);
    // Rail-optimized: a GPU whose NIC is on another rail is reached through a spine
    // (unless the traffic first crosses NVLink to a GPU on the right rail).
    for (int g = 1; g < s.gpus_per_node; ++g) {
      if (f.gpu_hops(0, 0, d, g) == 2) continue;
      r.distances.push_back({fmt::format("same leaves, GPU 0 to GPU {} ({})", g,
                                         L.kind == FabricKind::RAIL_OPTIMIZED ? "other rail" : "NIC on another leaf"), 0, d, f.gpu_hops(0, 0, d, g),
                             f.path_latency_s(4),
                             std::min(r.scale_out_Bps_per_gpu, L.tiers[0].up_Bps / static_cast<double>(r.gpus))});
      break;
    }
  }
  const int64_t next_slice = L.slices_per_group > 1 ? L.nodes_per_slice : L.nodes_per_group;
  if (next_slice < f.node_count() && f.spine_group_of(next_slice) == f.spine_group_of(0))
    add_distance(r, f, "other leaves, same spines", 0, next_slice);
  if (f.tier_count() == 3 && s.pod_count() > 1) add_distance(r, f, "other pod (through the core)", 0, s.nodes_per_pod());

  for (int t = 0; t < f.tier_count(); ++t) {
    const FailureDomain fd = f.failure_domain({Network::BACKEND, t, 0});
    const auto n = static_cast<int64_t>(fd.nodes.size());
    r.failures.push_back({t, n, n * s.gpus_per_node, fd.capacity_fraction_lost, fd.disconnects});
  }

  // Power at full load, and what each budget can feed (whole nodes).
  r.gpu_power_w = gpu_power_w;
  r.node_power_w = s.gpus_per_node * gpu_power_w + s.power.node_overhead_w;
  r.it_power_w = static_cast<double>(r.nodes) * r.node_power_w + r.network_power_w;
  r.facility_power_w = r.it_power_w * s.power.pue;
  const double pue = s.power.pue;
  const double hall_network_w = r.network_power_w / static_cast<double>(s.halls);
  auto level = [&](const char* name, double budget, bool facility, int64_t domains, int64_t nodes, double network_w) {
    if (budget <= 0) return;
    PowerDomainRow row;
    row.level = name;
    row.domains = domains;
    row.budget_w = budget;
    row.facility = facility;
    row.gpus_installed = nodes * s.gpus_per_node;
    const double factor = facility ? pue : 1.0;
    row.demand_w = (static_cast<double>(nodes) * r.node_power_w + network_w) * factor;
    row.gpus_fed = nodes_within(budget / factor - network_w, r.node_power_w, nodes) * s.gpus_per_node;
    r.power_domains.push_back(row);
  };
  const int64_t nodes_per_row = s.racks_per_row_or_pod() * s.nodes_per_rack;
  level("rack", s.power.rack_budget_w, false, r.racks, s.nodes_per_rack, 0);
  level("row", s.power.row_budget_w, false, r.rows, nodes_per_row, 0);
  level("hall", s.power.hall_budget_w, true, s.halls, s.nodes_per_hall(), hall_network_w);
  level("site", s.power.site_budget_w, true, 1, r.nodes, r.network_power_w);
  r.gpus_powered = r.gpus;
  for (const auto& row : r.power_domains) {
    const int64_t total = row.gpus_fed * row.domains;
    if (total < r.gpus_powered) {
      r.gpus_powered = total;
      r.binding_level = row.level;
    }
  }
  return r;
}

void write_dot(const Fabric& f, std::ostream& out) {
  const Graph& g = f.graph();
  auto name = [&](Vertex v) {
    const VertexProps& p = g[v];
    if (p.kind == VertexKind::NODE) return fmt::format("n{}", p.index);
    return fmt::format("{}{}_{}", p.network == Network::BACKEND ? "b" : "f", int(p.tier), p.index);
  };
  out << "graph fabric {\n  graph [rankdir=BT];\n";
  for (auto [it, end] = boost::vertices(g); it != end; ++it) {
    const VertexProps& p = g[*it];
    if (p.kind == VertexKind::NODE)
      out << fmt::format("  {} [shape=box, label=\"node {}\"];\n", name(*it), p.index);
    else
      out << fmt::format("  {} [shape=ellipse, label=\"{}{} {}\"];\n", name(*it),
                         p.network == Network::FRONTEND ? "front-end " : "", tier_name(p.tier), p.index);
  }
  for (auto [it, end] = boost::edges(g); it != end; ++it) {
    const EdgeProps& e = g[*it];
    out << fmt::format("  {} -- {} [label=\"{}x{:g}G{}\"];\n", name(boost::source(*it, g)), name(boost::target(*it, g)),
                       e.cables, e.bandwidth_Bps / e.cables * 8 / 1e9, e.network == Network::FRONTEND ? " fe" : "");
  }
  out << "}\n";
}

}  // namespace gwsim::topology
