#include "topology/fabric.hpp"

#include <algorithm>
#include <boost/graph/push_relabel_max_flow.hpp>
#include <cmath>
#include <fmt/format.h>
#include <limits>

namespace gwsim::topology {
namespace {

int64_t ceil_div(int64_t a, int64_t b) { return (a + b - 1) / b; }

// ceil(x), forgiving the rounding error of the divisions that produce x.
int64_t ceil_ratio(double x) { return static_cast<int64_t>(std::ceil(x * (1 - 1e-12))); }

// Down and up ports of a switch whose uplinks must carry its downlinks'
// capacity divided by the oversubscription: the fewest uplinks u with
// (radix - u) * down_Bps <= o * u * up_Bps.
struct PortSplit {
  int64_t down = 0;
  int64_t up = 0;
};
PortSplit split_ports(int radix, double down_Bps, double up_Bps, double oversubscription) {
  const int64_t up = ceil_ratio(radix * down_Bps / (down_Bps + oversubscription * up_Bps));
  return {radix - up, up};
}

// Uplinks that carry `down_ports` downlinks at the given oversubscription.
int64_t uplinks_for(int64_t down_ports, double down_Bps, double up_Bps, double oversubscription) {
  return std::max<int64_t>(1, ceil_ratio(static_cast<double>(down_ports) * down_Bps / (oversubscription * up_Bps)));
}

// Cables from one switch below to the i-th of `n` switches above, when
// `total` cables are dealt `per` at a time: all get `per`, the last the rest.
int64_t cables_to(int64_t i, int64_t n, int64_t per, int64_t total) { return i + 1 < n ? per : total - per * (n - 1); }

// Largest divisor of n that is <= cap (>= 1).
int64_t largest_divisor_at_most(int64_t n, int64_t cap) {
  for (int64_t d = std::min(n, cap); d > 1; --d)
    if (n % d == 0) return d;
  return 1;
}

void positive(std::vector<Problem>& p, const std::string& key, double v, const char* what = "a positive value") {
  if (!(v > 0)) p.push_back({key, what, fmt::format("{:g}", v)});
}

// The shape of one network (docs/topology.md#how-the-fabric-is-built). Appends
// what makes the design unbuildable to `p` and returns a partial layout then.
NetworkLayout plan(const ClusterSpec& s, const NetworkSpec& net, Network which, const std::string& prefix,
                   std::vector<Problem>& p) {
  NetworkLayout L;
  L.network = which;
  L.kind = net.kind;
  L.nics_per_node = net.nics_per_node;
  const size_t problems_before = p.size();
  auto key = [&](size_t tier, const char* field) { return fmt::format("{}.tiers[{}].{}", prefix, tier, field); };
  positive(p, prefix + ".nics_per_node", net.nics_per_node);
  positive(p, prefix + ".nic_bandwidth", net.nic_bandwidth_Bps, "a positive bandwidth");
  if (net.tiers.size() < 2 || net.tiers.size() > 3)
    p.push_back({prefix + ".tiers", "2 or 3 tiers", fmt::format("{}", net.tiers.size())});
  for (size_t i = 0; i < net.tiers.size(); ++i) {
    const TierSpec& t = net.tiers[i];
    if (t.switch_radix < 2) p.push_back({key(i, "switch_radix"), "a radix >= 2", fmt::format("{}", t.switch_radix)});
    positive(p, key(i, "link_bandwidth"), t.link_bandwidth_Bps, "a positive bandwidth");
    positive(p, key(i, "oversubscription"), t.oversubscription, "a positive ratio");
  }
  if (p.size() > problems_before) return L;

  const int tiers = static_cast<int>(net.tiers.size());
  const int64_t n = net.nics_per_node;
  const int64_t nodes = s.node_count();
  const int64_t npr = s.nodes_per_rack;
  L.tiers.resize(static_cast<size_t>(tiers));

  // Tier 0, leaves: ports split by the leaf's oversubscription.
  const TierSpec& t0 = net.tiers[0];
  const PortSplit leaf = split_ports(t0.switch_radix, net.nic_bandwidth_Bps, t0.link_bandwidth_Bps, t0.oversubscription);
  if (leaf.down < 1) {
    p.push_back({key(0, "switch_radix"),
                 fmt::format("a radix that leaves a down port after the uplinks an oversubscription of {:g} needs",
                             t0.oversubscription),
                 fmt::format("{}", t0.switch_radix)});
    return L;
  }
  if (net.kind == FabricKind::RAIL_OPTIMIZED) {
    // A rail group spans as many whole racks as one rail leaf can serve, and
    // divides the pod; each NIC index is a rail with its own leaves.
    L.racks_per_group = largest_divisor_at_most(s.racks_per_pod, std::max<int64_t>(1, leaf.down / npr));
    L.nodes_per_group = L.racks_per_group * npr;
    L.leaves_per_slice = n;
    L.slices_per_group = ceil_div(L.nodes_per_group, leaf.down);
  } else {
    // A top-of-rack group: the fewest leaves per rack whose ports hold the
    // rack's NICs, with each node spread over as many of them as it has NICs.
    L.racks_per_group = 1;
    L.nodes_per_group = npr;
    int64_t best = std::numeric_limits<int64_t>::max();
    for (int64_t m = n; m >= 1; --m) {
      const int64_t nodes_per_leaf = leaf.down / ceil_div(n, m);
      if (nodes_per_leaf < 1) continue;
      const int64_t k = ceil_div(npr, nodes_per_leaf);
      if (k * m < best) {
        best = k * m;
        L.slices_per_group = k;
        L.leaves_per_slice = m;
      }
    }
  }
  L.nodes_per_slice = ceil_div(L.nodes_per_group, L.slices_per_group);
  L.groups_per_pod = s.racks_per_pod / L.racks_per_group;
  L.leaf_groups = s.pod_count() * L.groups_per_pod;
  const int64_t leaves = L.leaf_groups * L.slices_per_group * L.leaves_per_slice;
  const int64_t busiest_leaf_ports = L.nodes_per_slice * ceil_div(n, L.leaves_per_slice);
  TierLayout& T0 = L.tiers[0];
  T0.switches = leaves;
  T0.groups = L.leaf_groups;
  T0.switches_per_group = L.slices_per_group * L.leaves_per_slice;
  T0.down_ports_max = leaf.down;
  T0.up_ports_max = leaf.up;
  T0.down_ports_used = nodes * n;
  T0.uplinks_per_switch = uplinks_for(busiest_leaf_ports, net.nic_bandwidth_Bps, t0.link_bandwidth_Bps, t0.oversubscription);
  T0.down_Bps = static_cast<double>(nodes * n) * net.nic_bandwidth_Bps;
  T0.up_Bps = static_cast<double>(leaves * T0.uplinks_per_switch) * t0.link_bandwidth_Bps;

  // Tier 1, spines: one spine group per pod under a core, or one for the site.
  // Each spine reaches every leaf of its group, with parallel cables when its
  // ports allow, so that the group needs the fewest spines.
  const TierSpec& t1 = net.tiers[1];
  const bool spine_top = tiers == 2;
  const PortSplit spine = spine_top ? PortSplit{t1.switch_radix, 0}
                                    : split_ports(t1.switch_radix, t0.link_bandwidth_Bps, t1.link_bandwidth_Bps,
                                                  t1.oversubscription);
  L.spine_groups = spine_top ? 1 : s.pod_count();
  const int64_t leaves_per_spine_group = leaves / L.spine_groups;
  if (spine.down < leaves_per_spine_group) {
    p.push_back({key(1, "switch_radix"),
                 fmt::format("a radix giving one down port to each of the {} leaves of {}{} (at least {} ports), or "
                             "fewer racks per {}{}",
                             leaves_per_spine_group, spine_top ? "the site" : "a pod",
                             spine_top ? "" : fmt::format(" besides the uplinks an oversubscription of {:g} needs",
                                                          t1.oversubscription),
                             leaves_per_spine_group + spine.up, spine_top ? "site" : "pod",
                             spine_top ? ", or a third tier" : ""),
                 fmt::format("{}", t1.switch_radix)});
    return L;
  }
  TierLayout& T1 = L.tiers[1];
  T1.parallel_links = std::max<int64_t>(1, std::min(T0.uplinks_per_switch, spine.down / leaves_per_spine_group));
  T1.switches_per_group = ceil_div(T0.uplinks_per_switch, T1.parallel_links);
  T1.groups = L.spine_groups;
  T1.switches = T1.switches_per_group * L.spine_groups;
  T1.down_ports_max = spine.down;
  T1.up_ports_max = spine.up;
  T1.down_ports_used = leaves * T0.uplinks_per_switch;
  T1.down_Bps = T0.up_Bps;
  if (spine_top) return L;

  T1.uplinks_per_switch =
      uplinks_for(leaves_per_spine_group * T1.parallel_links, t0.link_bandwidth_Bps, t1.link_bandwidth_Bps, t1.oversubscription);
  T1.up_Bps = static_cast<double>(T1.switches * T1.uplinks_per_switch) * t1.link_bandwidth_Bps;

  // Tier 2, cores: plane i joins spine i of every pod.
  const TierSpec& t2 = net.tiers[2];
  const int64_t pods = s.pod_count();
  if (t2.switch_radix < pods) {
    p.push_back({key(2, "switch_radix"),
                 fmt::format("a radix giving one port to each of the {} pods (at least {})", pods, pods),
                 fmt::format("{}", t2.switch_radix)});
    return L;
  }
  TierLayout& T2 = L.tiers[2];
  T2.parallel_links = std::max<int64_t>(1, std::min(T1.uplinks_per_switch, t2.switch_radix / pods));
  T2.switches_per_group = ceil_div(T1.uplinks_per_switch, T2.parallel_links);
  T2.groups = T1.switches_per_group;
  T2.switches = T2.groups * T2.switches_per_group;
  T2.down_ports_max = t2.switch_radix;
  T2.down_ports_used = T1.switches * T1.uplinks_per_switch;
  T2.down_Bps = T1.up_Bps;
  return L;
}

// Adds a network's switches and links to the graph (nodes are already there).
void build(Graph& g, const ClusterSpec& s, const NetworkSpec& net, NetworkLayout& L, Vertex first) {
  const int tiers = static_cast<int>(L.tiers.size());
  L.first_vertex.clear();
  Vertex v = first;
  for (int t = 0; t < tiers; ++t) {
    L.first_vertex.push_back(v);
    for (int64_t i = 0; i < L.tiers[static_cast<size_t>(t)].switches; ++i, ++v)
      g[v] = VertexProps{VertexKind::SWITCH, L.network, static_cast<int8_t>(t), i};
  }
  const auto& T0 = L.tiers[0];
  const auto& T1 = L.tiers[1];
  const double leaf_latency = net.tiers[0].latency_s, spine_latency = net.tiers[1].latency_s;

  // Node to leaf: NIC r of a node goes to leaf r mod m of its slice.
  const int64_t n = net.nics_per_node, m = L.leaves_per_slice;
  const int64_t npp = s.nodes_per_pod();
  for (int64_t node = 0; node < s.node_count(); ++node) {
    const int64_t i = node % npp, group = node / npp * L.groups_per_pod + i / L.nodes_per_group;
    const int64_t slice = group * L.slices_per_group + i % L.nodes_per_group / L.nodes_per_slice;
    for (int64_t j = 0; j < std::min(n, m); ++j) {
      const int32_t cables = static_cast<int32_t>(n / m + (j < n % m ? 1 : 0));
      boost::add_edge(static_cast<Vertex>(node), L.first_vertex[0] + static_cast<Vertex>(slice * m + j),
                      EdgeProps{cables * net.nic_bandwidth_Bps, net.nic_latency_s + leaf_latency / 2, 0, L.network,
                                net.nic_cable, cables},
                      g);
    }
  }
  // Leaf to spine: every leaf of a spine group reaches every spine of it.
  const int64_t leaves_per_spine_group = T0.switches / L.spine_groups;
  for (int64_t l = 0; l < T0.switches; ++l) {
    const int64_t sg = l / leaves_per_spine_group;
    for (int64_t k = 0; k < T1.switches_per_group; ++k) {
      const int64_t c = cables_to(k, T1.switches_per_group, T1.parallel_links, T0.uplinks_per_switch);
      boost::add_edge(L.first_vertex[0] + static_cast<Vertex>(l),
                      L.first_vertex[1] + static_cast<Vertex>(sg * T1.switches_per_group + k),
                      EdgeProps{static_cast<double>(c) * net.tiers[0].link_bandwidth_Bps,
                                leaf_latency / 2 + spine_latency / 2, 1, L.network, net.tiers[0].uplink_cable,
                                static_cast<int32_t>(c)},
                      g);
    }
  }
  if (tiers < 3) return;
  // Spine to core: spine k of every pod reaches every core of plane k.
  const auto& T2 = L.tiers[2];
  for (int64_t sp = 0; sp < T1.switches; ++sp) {
    const int64_t plane = sp % T1.switches_per_group;
    for (int64_t k = 0; k < T2.switches_per_group; ++k) {
      const int64_t c = cables_to(k, T2.switches_per_group, T2.parallel_links, T1.uplinks_per_switch);
      boost::add_edge(L.first_vertex[1] + static_cast<Vertex>(sp),
                      L.first_vertex[2] + static_cast<Vertex>(plane * T2.switches_per_group + k),
                      EdgeProps{static_cast<double>(c) * net.tiers[1].link_bandwidth_Bps,
                                spine_latency / 2 + net.tiers[2].latency_s / 2, 2, L.network, net.tiers[1].uplink_cable,
                                static_cast<int32_t>(c)},
                      g);
    }
  }
}

int64_t total_switches(const NetworkLayout& L) {
  int64_t n = 0;
  for (const auto& t : L.tiers) n += t.switches;
  return n;
}

}  // namespace

std::vector<Problem> validate(const ClusterSpec& s) {
  std::vector<Problem> p;
  if (s.gpu_type.empty()) p.push_back({"cluster.gpu", "a GPU type from the catalog", "nothing"});
  positive(p, "cluster.gpus_per_node", s.gpus_per_node);
  positive(p, "cluster.nodes_per_rack", s.nodes_per_rack);
  positive(p, "cluster.racks_per_pod", s.racks_per_pod);
  positive(p, "cluster.pods_per_hall", s.pods_per_hall);
  positive(p, "cluster.halls", s.halls);
  if (s.racks_per_row < 0) p.push_back({"cluster.racks_per_row", "0 (one row per pod) or more", fmt::format("{}", s.racks_per_row)});
  positive(p, "cluster.scale_up.nodes_per_domain", s.scale_up.nodes_per_domain);
  positive(p, "cluster.scale_up.bandwidth", s.scale_up.bandwidth_Bps, "a positive bandwidth");
  if (!(s.power.pue >= 1.0)) p.push_back({"cluster.power.pue", "a PUE >= 1", fmt::format("{:g}", s.power.pue)});
  if (!p.empty()) return p;

  const int64_t d = s.scale_up.nodes_per_domain, npr = s.nodes_per_rack;
  const bool inside_rack = npr % d == 0;
  const bool whole_racks = d % npr == 0 && s.nodes_per_pod() % d == 0;
  if (!inside_rack && !whole_racks)
    p.push_back({"cluster.scale_up.nodes_per_domain",
                 fmt::format("a divisor of nodes_per_rack ({}), or a multiple of it that divides a pod's {} nodes", npr,
                             s.nodes_per_pod()),
                 fmt::format("{}", d)});
  if (s.racks_per_hall() % s.racks_per_row_or_pod() != 0)
    p.push_back({"cluster.racks_per_row", fmt::format("a divisor of the {} racks of a hall", s.racks_per_hall()),
                 fmt::format("{}", s.racks_per_row)});
  for (auto [key, v] : {std::pair{"rack_budget", s.power.rack_budget_w}, {"row_budget", s.power.row_budget_w},
                        {"hall_budget", s.power.hall_budget_w}, {"site_budget", s.power.site_budget_w}})
    if (!(v >= 0)) p.push_back({fmt::format("cluster.power.{}", key), "0 (unlimited) or a positive power", fmt::format("{:g}", v)});
  plan(s, s.fabric, Network::BACKEND, "cluster.fabric", p);
  if (s.fabric.frontend) plan(s, *s.fabric.frontend, Network::FRONTEND, "cluster.fabric.frontend", p);
  return p;
}

Fabric::Fabric(ClusterSpec spec) : spec_(std::move(spec)) {
  const auto problems = validate(spec_);
  if (!problems.empty())
    fail(ExitCode::INFEASIBLE, Where{{}, 0, problems[0].key}, problems[0].expected, problems[0].found);
  std::vector<Problem> unused;
  backend_ = plan(spec_, spec_.fabric, Network::BACKEND, "cluster.fabric", unused);
  if (spec_.fabric.frontend) frontend_ = plan(spec_, *spec_.fabric.frontend, Network::FRONTEND, "cluster.fabric.frontend", unused);

  const int64_t vertices = spec_.node_count() + total_switches(backend_) + (frontend_ ? total_switches(*frontend_) : 0);
  graph_ = Graph(static_cast<size_t>(vertices));
  for (int64_t node = 0; node < spec_.node_count(); ++node)
    graph_[static_cast<Vertex>(node)] = VertexProps{VertexKind::NODE, Network::BACKEND, -1, node};
  build(graph_, spec_, spec_.fabric, backend_, static_cast<Vertex>(spec_.node_count()));
  if (frontend_)
    build(graph_, spec_, *spec_.fabric.frontend, *frontend_,
          static_cast<Vertex>(spec_.node_count() + total_switches(backend_)));
}

const NetworkLayout& Fabric::frontend_layout() const {
  if (!frontend_) throw Error(ExitCode::INTERNAL, "this design has no front-end network");
  return *frontend_;
}

int64_t Fabric::switch_count() const { return total_switches(backend_); }

Vertex Fabric::switch_vertex(SwitchId id) const {
  const NetworkLayout& L = id.network == Network::BACKEND ? backend_ : frontend_layout();
  return L.first_vertex.at(static_cast<size_t>(id.tier)) + static_cast<Vertex>(id.index);
}

int64_t Fabric::leaf_group_of(int64_t node) const {
  const int64_t npp = spec_.nodes_per_pod();
  return node / npp * backend_.groups_per_pod + node % npp / backend_.nodes_per_group;
}

int64_t Fabric::slice_of(int64_t node) const {
  const int64_t within = node % spec_.nodes_per_pod() % backend_.nodes_per_group;
  return leaf_group_of(node) * backend_.slices_per_group + within / backend_.nodes_per_slice;
}

int64_t Fabric::spine_group_of(int64_t node) const { return tier_count() == 3 ? node / spec_.nodes_per_pod() : 0; }

SwitchId Fabric::leaf_of_nic(int64_t node, int nic) const {
  return SwitchId{Network::BACKEND, 0, slice_of(node) * backend_.leaves_per_slice + nic % backend_.leaves_per_slice};
}

std::vector<SwitchId> Fabric::leaves_of(int64_t node) const {
  std::vector<SwitchId> out;
  const int64_t m = std::min<int64_t>(backend_.leaves_per_slice, spec_.fabric.nics_per_node);
  for (int64_t j = 0; j < m; ++j) out.push_back(leaf_of_nic(node, static_cast<int>(j)));
  return out;
}

double Fabric::group_uplink_Bps() const { return backend_.tiers[0].up_Bps / static_cast<double>(backend_.leaf_groups); }

double Fabric::pod_uplink_Bps() const {
  return tier_count() == 3 ? backend_.tiers[1].up_Bps / static_cast<double>(spec_.pod_count()) : 0.0;
}

double Fabric::realized_oversubscription(int tier) const {
  return backend_.tiers.at(static_cast<size_t>(tier)).realized_oversubscription();
}

int Fabric::level(int64_t a, int64_t b) const {
  const int64_t d = spec_.scale_up.nodes_per_domain;
  if (a / d == b / d) return 0;
  if (slice_of(a) == slice_of(b)) return 1;
  if (spine_group_of(a) == spine_group_of(b)) return 2;
  return 3;
}

int Fabric::hops(int64_t a, int64_t b) const { return 2 * level(a, b); }

int Fabric::gpu_hops(int64_t a, int gpu_a, int64_t b, int gpu_b) const {
  const int l = level(a, b);
  if (l != 1) return 2 * l;
  const int64_t m = backend_.leaves_per_slice;
  return nic_of_gpu(gpu_a) % m == nic_of_gpu(gpu_b) % m ? 2 : 4;
}

double Fabric::latency_s(int64_t a, int64_t b) const { return a == b ? 0.0 : path_latency_s(hops(a, b)); }

double Fabric::path_latency_s(int hops) const {
  const auto& t = spec_.fabric.tiers;
  const double nics = 2 * spec_.fabric.nic_latency_s;
  switch (hops) {
    case 0: return spec_.scale_up.latency_s;
    case 2: return nics + t[0].latency_s;
    case 4: return nics + 2 * t[0].latency_s + t[1].latency_s;
    default: return nics + 2 * t[0].latency_s + 2 * t[1].latency_s + t[2].latency_s;
  }
}

int Fabric::max_level(const std::vector<int64_t>& a, const std::vector<int64_t>& b) const {
  if (a.empty() || b.empty()) return 0;
  // Some pair (x in a, y in b) differs in a key iff the key is not one value over a and b together.
  auto varies = [&](auto key) {
    const int64_t k = key(a.front());
    for (const auto* set : {&a, &b})
      for (int64_t x : *set)
        if (key(x) != k) return true;
    return false;
  };
  if (tier_count() == 3 && varies([&](int64_t x) { return spine_group_of(x); })) return 3;
  if (varies([&](int64_t x) { return slice_of(x); })) return 2;
  if (varies([&](int64_t x) { return x / spec_.scale_up.nodes_per_domain; })) return 1;
  return 0;
}

int Fabric::max_hops(const std::vector<int64_t>& nodes) const { return 2 * max_level(nodes, nodes); }

int Fabric::hops_between(const std::vector<int64_t>& a, const std::vector<int64_t>& b) const {
  return 2 * max_level(a, b);
}

int Fabric::diameter() const {
  if (tier_count() == 3 && spec_.pod_count() > 1) return 6;
  if (backend_.leaf_groups * backend_.slices_per_group > 1) return 4;
  return spec_.domain_count() > 1 ? 2 : 0;
}

double Fabric::scale_out_Bps_per_gpu(const std::vector<int64_t>& nodes) const {
  const double gpus = static_cast<double>(gpu_count());
  const int l = max_level(nodes, nodes);
  double bw = node_uplink_Bps() / spec_.gpus_per_node;
  if (l >= 2) bw = std::min(bw, backend_.tiers[0].up_Bps / gpus);
  if (l >= 3) bw = std::min(bw, backend_.tiers[1].up_Bps / gpus);
  return bw;
}

double Fabric::bisection_Bps() const {
  double narrowest = backend_.tiers[0].down_Bps;
  if (backend_.leaf_groups * backend_.slices_per_group > 1) narrowest = std::min(narrowest, backend_.tiers[0].up_Bps);
  if (tier_count() == 3 && spec_.pod_count() > 1) narrowest = std::min(narrowest, backend_.tiers[1].up_Bps);
  return narrowest / 2;
}

double Fabric::max_flow_Bps(const std::vector<int64_t>& from, const std::vector<int64_t>& to) const {
  using Traits = boost::adjacency_list_traits<boost::vecS, boost::vecS, boost::directedS>;
  using FlowGraph = boost::adjacency_list<
      boost::vecS, boost::vecS, boost::directedS, boost::no_property,
      boost::property<boost::edge_capacity_t, int64_t,
                      boost::property<boost::edge_residual_capacity_t, int64_t,
                                      boost::property<boost::edge_reverse_t, Traits::edge_descriptor>>>>;
  const size_t n = boost::num_vertices(graph_);
  FlowGraph f(n + 2);
  const auto source = static_cast<Traits::vertex_descriptor>(n), sink = source + 1;
  auto capacity = boost::get(boost::edge_capacity, f);
  auto reverse = boost::get(boost::edge_reverse, f);
  // Each direction of a full-duplex link is an arc with its own capacity, paired with a zero-capacity reverse arc.
  auto arc = [&](size_t u, size_t v, int64_t cap) {
    auto e = boost::add_edge(u, v, f).first;
    auto r = boost::add_edge(v, u, f).first;
    capacity[e] = cap;
    capacity[r] = 0;
    reverse[e] = r;
    reverse[r] = e;
  };
  int64_t total = 0;
  for (auto [it, end] = boost::edges(graph_); it != end; ++it) {
    const EdgeProps& e = graph_[*it];
    if (e.network != Network::BACKEND) continue;
    const auto cap = static_cast<int64_t>(std::llround(e.bandwidth_Bps));
    arc(boost::source(*it, graph_), boost::target(*it, graph_), cap);
    arc(boost::target(*it, graph_), boost::source(*it, graph_), cap);
    if (e.tier == 0) total += cap;
  }
  std::vector<char> in_from(n, 0);
  for (int64_t x : from) in_from.at(static_cast<size_t>(x)) = 1;
  for (int64_t x : from) arc(source, static_cast<size_t>(x), total + 1);
  for (int64_t x : to) {
    if (in_from.at(static_cast<size_t>(x)))
      throw Error(ExitCode::USAGE, fmt::format("the two node sets of a max-flow overlap (node {})", x));
    arc(static_cast<size_t>(x), sink, total + 1);
  }
  return static_cast<double>(boost::push_relabel_max_flow(f, source, sink));
}

FailureDomain Fabric::failure_domain(SwitchId id) const {
  const NetworkLayout& L = backend_;
  FailureDomain fd;
  fd.failed = id;
  if (id.network != Network::BACKEND || id.tier < 0 || id.tier >= tier_count() ||
      id.index < 0 || id.index >= L.tiers[static_cast<size_t>(id.tier)].switches)
    throw Error(ExitCode::INTERNAL, fmt::format("no back-end switch {} in tier {}", id.index, id.tier));
  auto add_range = [&](int64_t first, int64_t count) {
    for (int64_t x = first; x < first + count; ++x) fd.nodes.push_back(x);
  };
  const auto& T0 = L.tiers[0];
  const auto& T1 = L.tiers[1];
  const int64_t n = L.nics_per_node;
  switch (id.tier) {
    case 0: {
      const int64_t m = L.leaves_per_slice, slice = id.index / m, j = id.index % m;
      const int64_t group = slice / L.slices_per_group, in_group = slice % L.slices_per_group * L.nodes_per_slice;
      const int64_t first = group / L.groups_per_pod * spec_.nodes_per_pod() + group % L.groups_per_pod * L.nodes_per_group;
      add_range(first + in_group, std::min(L.nodes_per_slice, L.nodes_per_group - in_group));
      fd.capacity_fraction_lost = static_cast<double>(n / m + (j < n % m ? 1 : 0)) / static_cast<double>(n);
      fd.disconnects = m == 1;
      break;
    }
    case 1: {
      const int64_t per = T1.switches_per_group, k = id.index % per;
      const int64_t nodes_per_group = node_count() / L.spine_groups;
      add_range(id.index / per * nodes_per_group, nodes_per_group);
      fd.capacity_fraction_lost =
          static_cast<double>(cables_to(k, per, T1.parallel_links, T0.uplinks_per_switch)) / T0.uplinks_per_switch;
      fd.disconnects = per == 1;
      break;
    }
    default: {
      const auto& T2 = L.tiers[2];
      const int64_t k = id.index % T2.switches_per_group;
      add_range(0, node_count());
      fd.capacity_fraction_lost =
          static_cast<double>(cables_to(k, T2.switches_per_group, T2.parallel_links, T1.uplinks_per_switch)) /
          static_cast<double>(T1.uplinks_per_switch * T1.switches_per_group);
      fd.disconnects = false;  // pods still reach each other's nodes through their own spines
      break;
    }
  }
  return fd;
}

}  // namespace gwsim::topology
