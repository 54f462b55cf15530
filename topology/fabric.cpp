#include "topology/fabric.hpp"

#include <algorithm>
#include <cmath>
#include <fmt/format.h>

namespace gwsim::topology {
namespace {

int64_t ceil_div(int64_t a, int64_t b) { return (a + b - 1) / b; }

// Ports a switch of this tier gives to the tier below, from its radix and
// oversubscription (down:up). The top tier has no uplinks.
int64_t down_ports(const TierSpec& t, bool top) {
  if (top) return t.switch_radix;
  return static_cast<int64_t>(std::floor(t.switch_radix * t.oversubscription / (1.0 + t.oversubscription)));
}

}  // namespace

std::vector<Problem> validate(const ClusterSpec& s) {
  std::vector<Problem> p;
  auto positive = [&](const char* key, double v) {
    if (!(v > 0)) p.push_back({fmt::format("cluster.{}", key), "a positive value", fmt::format("{}", v)});
  };
  if (s.gpu_type.empty()) p.push_back({"cluster.gpu", "a GPU type from the catalog", "nothing"});
  positive("gpus_per_node", s.gpus_per_node);
  positive("nodes_per_rack", s.nodes_per_rack);
  positive("racks_per_pod", s.racks_per_pod);
  positive("pods_per_hall", s.pods_per_hall);
  positive("halls", s.halls);
  positive("scale_up.nodes_per_domain", s.scale_up.nodes_per_domain);
  positive("scale_up.bandwidth", s.scale_up.bandwidth_Bps);
  positive("fabric.nics_per_node", s.fabric.nics_per_node);
  positive("fabric.nic_bandwidth", s.fabric.nic_bandwidth_Bps);
  if (s.scale_up.nodes_per_domain > 0 && s.nodes_per_rack > 0 && s.nodes_per_rack % s.scale_up.nodes_per_domain != 0)
    p.push_back({"cluster.scale_up.nodes_per_domain", fmt::format("a divisor of nodes_per_rack ({})", s.nodes_per_rack),
                 fmt::format("{}", s.scale_up.nodes_per_domain)});
  if (s.fabric.tiers.size() < 2 || s.fabric.tiers.size() > 3)
    p.push_back({"cluster.fabric.tiers", "2 or 3 tiers", fmt::format("{}", s.fabric.tiers.size())});
  for (size_t i = 0; i < s.fabric.tiers.size(); ++i) {
    const auto& t = s.fabric.tiers[i];
    auto key = [&](const char* f) { return fmt::format("cluster.fabric.tiers[{}].{}", i, f); };
    if (!(t.link_bandwidth_Bps > 0)) p.push_back({key("link_bandwidth"), "a positive bandwidth", fmt::format("{}", t.link_bandwidth_Bps)});
    if (!(t.oversubscription >= 1.0)) p.push_back({key("oversubscription"), "a ratio >= 1", fmt::format("{}", t.oversubscription)});
    if (t.switch_radix < 2) p.push_back({key("switch_radix"), "a radix >= 2", fmt::format("{}", t.switch_radix)});
  }
  if (!(s.power.pue >= 1.0)) p.push_back({"cluster.power.pue", "a PUE >= 1", fmt::format("{}", s.power.pue)});
  return p;
}

Fabric::Fabric(ClusterSpec spec) : spec_(std::move(spec)) {
  auto problems = validate(spec_);
  if (!problems.empty()) fail(ExitCode::INFEASIBLE, Where{{}, 0, problems[0].key}, problems[0].expected, problems[0].found);

  const auto& f = spec_.fabric;
  const int tiers = static_cast<int>(f.tiers.size());
  const int64_t nodes = spec_.node_count();
  const int64_t pods = spec_.pod_count();
  const int64_t per_pod = spec_.nodes_per_pod();

  // Nodes first, so that vertex id == node id.
  for (int64_t n = 0; n < nodes; ++n) {
    VertexProps v;
    v.kind = VertexKind::NODE;
    v.index = n;
    v.group = locate(spec_, n).pod;
    boost::add_vertex(v, graph_);
  }

  // Leaves: each pod's NIC ports spread over leaves of d0 down ports. In a
  // rail-optimized design NIC r of every node plugs into rail r's leaves.
  const int64_t d0 = down_ports(f.tiers[0], false);
  const int64_t u0 = f.tiers[0].switch_radix - d0;
  if (d0 < 1 || u0 < 1)
    fail(ExitCode::INFEASIBLE, Where{{}, 0, "cluster.fabric.tiers[0].switch_radix"},
         "a radix that leaves at least one down and one up port", fmt::format("{}", f.tiers[0].switch_radix));
  const int64_t leaves_per_rail = ceil_div(per_pod, d0);
  const int64_t leaves_per_pod = f.kind == FabricKind::RAIL_OPTIMIZED ? leaves_per_rail * f.nics_per_node
                                                                      : ceil_div(per_pod * f.nics_per_node, d0);
  const Vertex first_leaf = boost::num_vertices(graph_);
  for (int64_t l = 0; l < leaves_per_pod * pods; ++l) boost::add_vertex(VertexProps{VertexKind::SWITCH, 0, l, l / leaves_per_pod}, graph_);
  for (int64_t n = 0; n < nodes; ++n) {
    const int64_t pod = n / per_pod, i = n % per_pod;
    for (int r = 0; r < f.nics_per_node; ++r) {
      const int64_t leaf = f.kind == FabricKind::RAIL_OPTIMIZED ? r * leaves_per_rail + i / d0
                                                                : (i * f.nics_per_node + r) / d0;
      boost::add_edge(node_vertex(n), first_leaf + pod * leaves_per_pod + leaf,
                      EdgeProps{f.nic_bandwidth_Bps, f.nic_latency_s, 0, 1}, graph_);
    }
  }

  // Spines: per pod in a 3-tier design, shared by the whole site in a 2-tier one.
  const bool spine_top = tiers == 2;
  const int64_t d1 = down_ports(f.tiers[1], spine_top);
  const int64_t spine_groups = spine_top ? 1 : pods;
  const int64_t leaves_per_group = spine_top ? leaves_per_pod * pods : leaves_per_pod;
  const int64_t spines_per_group = ceil_div(leaves_per_group * u0, d1);
  const Vertex first_spine = boost::num_vertices(graph_);
  for (int64_t s = 0; s < spines_per_group * spine_groups; ++s)
    boost::add_vertex(VertexProps{VertexKind::SWITCH, 1, s, s / spines_per_group}, graph_);
  for (int64_t l = 0; l < leaves_per_pod * pods; ++l) {
    const int64_t g = l / leaves_per_group;
    for (int64_t k = 0; k < std::min(u0, spines_per_group); ++k) {
      const int64_t cables = u0 / spines_per_group + (k < u0 % spines_per_group ? 1 : 0);
      if (cables == 0) continue;
      const int64_t s = (l + k) % spines_per_group;
      boost::add_edge(first_leaf + l, first_spine + g * spines_per_group + s,
                      EdgeProps{f.tiers[0].link_bandwidth_Bps * cables, f.tiers[1].latency_s, 1, int32_t(cables)}, graph_);
    }
  }
  switches_per_tier_ = {leaves_per_pod * pods, spines_per_group * spine_groups};

  const double node_bw = node_uplink_Bps();
  rack_uplink_Bps_ = spec_.nodes_per_rack * node_bw / f.tiers[0].oversubscription;
  pod_uplink_Bps_ = per_pod * node_bw / f.tiers[0].oversubscription;

  if (tiers == 3) {
    const int64_t u1 = f.tiers[1].switch_radix - d1;
    const int64_t cores = ceil_div(spines_per_group * pods * u1, f.tiers[2].switch_radix);
    const Vertex first_core = boost::num_vertices(graph_);
    for (int64_t c = 0; c < cores; ++c) boost::add_vertex(VertexProps{VertexKind::SWITCH, 2, c, 0}, graph_);
    for (int64_t s = 0; s < spines_per_group * pods; ++s)
      for (int64_t k = 0; k < std::min(u1, cores); ++k) {
        const int64_t cables = u1 / cores + (k < u1 % cores ? 1 : 0);
        if (cables == 0) continue;
        boost::add_edge(first_spine + s, first_core + (s + k) % cores,
                        EdgeProps{f.tiers[1].link_bandwidth_Bps * cables, f.tiers[2].latency_s, 2, int32_t(cables)}, graph_);
      }
    switches_per_tier_.push_back(cores);
    pod_uplink_Bps_ /= f.tiers[1].oversubscription;
  }
}

int64_t Fabric::switch_count() const {
  int64_t n = 0;
  for (auto c : switches_per_tier_) n += c;
  return n;
}

int64_t Fabric::link_count() const {
  int64_t n = 0;
  for (auto [it, end] = boost::edges(graph_); it != end; ++it) n += graph_[*it].cables;
  return n;
}

}  // namespace gwsim::topology
