// The Fabric and its analyses against closed forms: a k-ary fat tree's hosts,
// switches and full bisection; an oversubscribed leaf's uplink ratio; hop
// counts in a rail-optimized design (checked against breadth-first search on
// the graph itself); failure domains; power domains; invalid designs.
#include <gtest/gtest.h>

#include <boost/graph/breadth_first_search.hpp>
#include <boost/graph/dijkstra_shortest_paths.hpp>
#include <boost/graph/filtered_graph.hpp>
#include <cmath>

#include "topology/analysis.hpp"
#include "topology/fabric.hpp"

using namespace gwsim::topology;
using gwsim::Error;
using gwsim::ExitCode;

namespace {

constexpr double G400 = 50e9;  // 400 Gb/s in bytes/s

TierSpec tier(int radix, double oversubscription = 1, double link_Bps = G400) {
  TierSpec t;
  t.switch_radix = radix;
  t.oversubscription = oversubscription;
  t.link_bandwidth_Bps = link_Bps;
  return t;
}

// A k-ary fat tree (Al-Fares et al., SIGCOMM 2008): k pods of k/2 leaves
// and k/2 spines, k/2 hosts per leaf, (k/2)^2 cores, all switches of radix k.
ClusterSpec fat_tree(int k) {
  ClusterSpec s;
  s.gpus_per_node = 1;
  s.nodes_per_rack = k / 2;
  s.racks_per_pod = k / 2;
  s.pods_per_hall = k;
  s.halls = 1;
  s.scale_up.nodes_per_domain = 1;
  s.fabric.kind = FabricKind::CLOS;
  s.fabric.nics_per_node = 1;
  s.fabric.nic_bandwidth_Bps = G400;
  s.fabric.tiers = {tier(k), tier(k), tier(k)};
  return s;
}

// A small 3-tier rail-optimized design: 4 GPUs and 4 rails per node, leaves
// of 4 down ports (radix 8), so a rail group is 2 racks of 2 nodes.
ClusterSpec small_rail(int pods = 3) {
  ClusterSpec s;
  s.gpus_per_node = 4;
  s.nodes_per_rack = 2;
  s.racks_per_pod = 4;
  s.pods_per_hall = pods;
  s.scale_up.nodes_per_domain = 1;
  s.fabric.kind = FabricKind::RAIL_OPTIMIZED;
  s.fabric.nics_per_node = 4;
  s.fabric.tiers = {tier(8), tier(16), tier(8)};
  return s;
}

std::vector<int64_t> range(int64_t first, int64_t end) {
  std::vector<int64_t> v;
  for (int64_t i = first; i < end; ++i) v.push_back(i);
  return v;
}

// Breadth-first distances over the back-end links only.
struct BackendOnly {
  const Graph* g = nullptr;
  bool operator()(boost::graph_traits<Graph>::edge_descriptor e) const { return (*g)[e].network == Network::BACKEND; }
};
std::vector<int> bfs(const Fabric& f, Vertex from) {
  boost::filtered_graph<Graph, BackendOnly> g(f.graph(), BackendOnly{&f.graph()});
  std::vector<int> dist(boost::num_vertices(f.graph()), 0);
  boost::breadth_first_search(
      g, from, boost::visitor(boost::make_bfs_visitor(boost::record_distances(dist.data(), boost::on_tree_edge()))));
  return dist;
}

std::string infeasible_key(const ClusterSpec& s) {
  try {
    Fabric f(s);
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ExitCode::INFEASIBLE);
    return e.what();
  }
  return "";
}

}  // namespace

TEST(FatTree, CountsFollowTheClosedForms) {
  for (int k : {4, 8, 16, 24}) {
    const Fabric f(fat_tree(k));
    EXPECT_EQ(f.node_count(), k * k * k / 4) << "k=" << k;
    EXPECT_EQ(f.switch_count(0), k * k / 2) << "k=" << k;
    EXPECT_EQ(f.switch_count(1), k * k / 2) << "k=" << k;
    EXPECT_EQ(f.switch_count(2), (k / 2) * (k / 2)) << "k=" << k;
    EXPECT_EQ(boost::num_edges(f.graph()), 3u * k * k * k / 4) << "one cable per host per tier, k=" << k;
    // Every switch uses all k ports.
    for (auto [it, end] = boost::vertices(f.graph()); it != end; ++it) {
      if (f.graph()[*it].kind != VertexKind::SWITCH) continue;
      int ports = 0;
      for (auto [e, eend] = boost::out_edges(*it, f.graph()); e != eend; ++e) ports += f.graph()[*e].cables;
      ASSERT_EQ(ports, k) << "k=" << k;
    }
    EXPECT_EQ(f.diameter(), 6);
  }
}

TEST(FatTree, HasFullBisection) {
  for (int k : {4, 8}) {
    const Fabric f(fat_tree(k));
    const double hosts = k * k * k / 4.0;
    EXPECT_DOUBLE_EQ(f.bisection_Bps(), hosts / 2 * G400);
    EXPECT_DOUBLE_EQ(f.realized_oversubscription(0), 1.0);
    EXPECT_DOUBLE_EQ(f.realized_oversubscription(1), 1.0);
    // The exact max-flow between the two halves of the hosts agrees.
    const auto n = f.node_count();
    EXPECT_DOUBLE_EQ(f.max_flow_Bps(range(0, n / 2), range(n / 2, n)), hosts / 2 * G400) << "k=" << k;
    // So does any pod-crossing placement: it keeps the full NIC rate.
    EXPECT_DOUBLE_EQ(f.scale_out_Bps_per_gpu({0, n - 1}), G400);
  }
}

TEST(FatTree, TwoTiersHoldKSquaredOverTwoHostsAndNoMore) {
  // A 2-tier fat tree of radix k holds k^2/2 hosts: k leaves of k/2.
  const int k = 8;
  ClusterSpec s = fat_tree(k);
  s.fabric.tiers = {tier(k), tier(k)};
  s.pods_per_hall = 2;  // 2 pods x 4 racks x 4 hosts = 32 = k^2/2
  s.racks_per_pod = k / 2;
  const Fabric f(s);
  EXPECT_EQ(f.node_count(), k * k / 2);
  EXPECT_EQ(f.switch_count(0), k);
  EXPECT_EQ(f.switch_count(1), k / 2);
  EXPECT_DOUBLE_EQ(f.bisection_Bps(), k * k / 4 * G400);
  s.pods_per_hall = 3;  // 48 hosts on 12 leaves: a radix-8 spine cannot reach them all
  const std::string msg = infeasible_key(s);
  EXPECT_NE(msg.find("cluster.fabric.tiers[1].switch_radix"), std::string::npos) << msg;
  EXPECT_NE(msg.find("12 leaves"), std::string::npos) << msg;
}

TEST(Oversubscription, LeafUplinksFollowTheRatio) {
  // 6 nodes of 8 NICs per rack: 48 ports down; radix 64 at 3:1 leaves 48
  // down and 16 up, and 48 / 16 = 3 is realised exactly.
  ClusterSpec s;
  s.gpus_per_node = 8;
  s.nodes_per_rack = 6;
  s.racks_per_pod = 4;
  s.scale_up.nodes_per_domain = 1;
  s.fabric.kind = FabricKind::CLOS;
  s.fabric.nics_per_node = 8;
  s.fabric.tiers = {tier(64, 3), tier(64)};
  const Fabric f(s);
  const auto& leaf = f.layout().tiers[0];
  EXPECT_EQ(leaf.down_ports_max, 48);
  EXPECT_EQ(leaf.up_ports_max, 16);
  EXPECT_EQ(leaf.uplinks_per_switch, 16);
  EXPECT_EQ(f.switch_count(0), 4) << "one top-of-rack switch per rack";
  EXPECT_DOUBLE_EQ(f.realized_oversubscription(0), 3.0);
  // Cross-rack traffic gets a third of the NIC rate; the cut between racks
  // 0-1 and 2-3 is the leaves' uplinks, and the max-flow agrees.
  EXPECT_DOUBLE_EQ(f.scale_out_Bps_per_gpu({0, 6}), G400 / 3);
  EXPECT_DOUBLE_EQ(f.scale_out_Bps_per_gpu({0, 5}), G400) << "within a rack the leaf is non-blocking";
  EXPECT_DOUBLE_EQ(f.bisection_Bps(), 4 * 16 * G400 / 2);
  EXPECT_DOUBLE_EQ(f.max_flow_Bps(range(0, 12), range(12, 24)), 2 * 16 * G400);
}

TEST(Oversubscription, UnevenRatiosRoundUplinksUp) {
  // Radix 64 at 2.5:1: u = ceil(64 / 3.5) = 19 up, 45 down. A rack of 44
  // ports needs ceil(44 / 2.5) = 18 uplinks: 44/18 = 2.444 realised.
  ClusterSpec s;
  s.gpus_per_node = 4;
  s.nodes_per_rack = 11;
  s.racks_per_pod = 2;
  s.scale_up.nodes_per_domain = 1;
  s.fabric.kind = FabricKind::CLOS;
  s.fabric.nics_per_node = 4;
  s.fabric.tiers = {tier(64, 2.5), tier(64)};
  const Fabric f(s);
  EXPECT_EQ(f.layout().tiers[0].down_ports_max, 45);
  EXPECT_EQ(f.layout().tiers[0].uplinks_per_switch, 18);
  EXPECT_NEAR(f.realized_oversubscription(0), 44.0 / 18.0, 1e-12);
}

TEST(Oversubscription, UndersubscribedLeavesAndATaperedCoreLikeLlama3) {
  // Meta's Llama 3 RoCE pods: a ToR with 16 x 400G down and twice that up;
  // 192 racks per pod; 1:7 from the pod's cluster switches to the aggregation layer.
  ClusterSpec s;
  s.gpus_per_node = 8;
  s.nodes_per_rack = 2;
  s.racks_per_pod = 192;
  s.pods_per_hall = 8;
  s.scale_up.nodes_per_domain = 1;
  s.fabric.kind = FabricKind::CLOS;
  s.fabric.nics_per_node = 8;
  s.fabric.tiers = {tier(64, 0.5), tier(576, 7), tier(576)};
  const Fabric f(s);
  EXPECT_EQ(f.gpu_count(), 24576);
  EXPECT_EQ(f.layout().tiers[0].uplinks_per_switch, 32);
  EXPECT_DOUBLE_EQ(f.realized_oversubscription(0), 0.5);
  // 504 down ports hold 2 cables to each of 192 ToRs: 16 spines per pod, 384 down and ceil(384/7) = 55 up.
  EXPECT_EQ(f.layout().tiers[1].parallel_links, 2);
  EXPECT_EQ(f.switch_count(1), 8 * 16);
  EXPECT_NEAR(f.realized_oversubscription(1), 384.0 / 55.0, 1e-12);
  // Inside a pod a job keeps its NIC rate; across pods it gets the pod's uplink share.
  EXPECT_DOUBLE_EQ(f.scale_out_Bps_per_gpu(range(0, 384)), G400);
  const double pod_share = 16 * 55 * G400 / 3072;
  EXPECT_DOUBLE_EQ(f.scale_out_Bps_per_gpu({0, 384}), pod_share);
  EXPECT_DOUBLE_EQ(f.bisection_Bps(), 24576 * pod_share / 2);
}

TEST(RailOptimized, HopCountsFollowTheRails) {
  const Fabric f(small_rail());
  const auto& L = f.layout();
  EXPECT_EQ(L.racks_per_group, 2);
  EXPECT_EQ(L.nodes_per_group, 4);
  EXPECT_EQ(L.leaves_per_slice, 4) << "one leaf per rail";
  // GPU g of a node uses rail g: same rail in a group is one leaf away, another rail goes through a spine.
  EXPECT_EQ(f.gpu_hops(0, 2, 3, 2), 2);
  EXPECT_EQ(f.gpu_hops(0, 2, 3, 1), 4);
  EXPECT_EQ(f.gpu_hops(0, 0, 4, 0), 4) << "next rail group, same pod";
  EXPECT_EQ(f.gpu_hops(0, 0, 8, 0), 6) << "next pod, through the core";
  EXPECT_EQ(f.gpu_hops(0, 0, 0, 3), 0) << "same node: NVLink";
  EXPECT_EQ(f.hops(0, 3), 2);
  EXPECT_EQ(f.hops(0, 4), 4);
  EXPECT_EQ(f.hops(0, 23), 6);
  EXPECT_EQ(f.diameter(), 6);
}

TEST(RailOptimized, HopCountsEqualBreadthFirstSearchOnTheGraph) {
  const Fabric f(small_rail());
  const int64_t n = f.node_count();
  for (int64_t a = 0; a < n; ++a) {
    const auto dist = bfs(f, f.node_vertex(a));
    for (int64_t b = 0; b < n; ++b) {
      if (a == b) continue;
      ASSERT_EQ(f.hops(a, b), dist[f.node_vertex(b)]) << a << " to " << b;
    }
  }
  // GPU to GPU: the path from the first GPU's leaf to the second's, plus the two NIC links.
  for (int64_t a : {0, 5}) {
    for (int ga = 0; ga < 4; ++ga) {
      const auto dist = bfs(f, f.switch_vertex(f.leaf_of_nic(a, f.nic_of_gpu(ga))));
      for (int64_t b = 0; b < n; ++b)
        for (int gb = 0; gb < 4; ++gb) {
          if (a == b) continue;
          ASSERT_EQ(f.gpu_hops(a, ga, b, gb), 2 + dist[f.switch_vertex(f.leaf_of_nic(b, f.nic_of_gpu(gb)))])
              << a << ":" << ga << " to " << b << ":" << gb;
        }
    }
  }
}

TEST(RailOptimized, LatencyIsTheShortestPathOverLinkLatencies) {
  ClusterSpec s = small_rail();
  s.fabric.nic_latency_s = 0.5e-6;
  s.fabric.tiers[0].latency_s = 1e-6;
  s.fabric.tiers[1].latency_s = 2e-6;
  s.fabric.tiers[2].latency_s = 3e-6;
  const Fabric f(s);
  EXPECT_DOUBLE_EQ(f.latency_s(0, 1), 1e-6 + 1e-6);
  EXPECT_DOUBLE_EQ(f.latency_s(0, 4), 1e-6 + 2e-6 + 2e-6);
  EXPECT_DOUBLE_EQ(f.latency_s(0, 8), 1e-6 + 2e-6 + 4e-6 + 3e-6);
  std::vector<double> dist(boost::num_vertices(f.graph()));
  boost::dijkstra_shortest_paths(f.graph(), f.node_vertex(0),
                                 boost::weight_map(boost::get(&EdgeProps::latency_s, f.graph())).distance_map(dist.data()));
  for (int64_t b : {1, 4, 8, 23}) EXPECT_NEAR(f.latency_s(0, b), dist[f.node_vertex(b)], 1e-15) << b;
}

TEST(Placement, MaxHopsAndBandwidthFollowTheWidestLevelCrossed) {
  ClusterSpec s = small_rail();
  s.scale_up.nodes_per_domain = 2;
  s.fabric.tiers[1].oversubscription = 2;  // spines: 10 down 6 up, 8 leaves need 4 up each
  const Fabric f(s);
  EXPECT_EQ(f.max_hops({0, 1}), 0) << "one scale-up domain";
  EXPECT_EQ(f.max_hops({0, 1, 2}), 2);
  EXPECT_EQ(f.max_hops({0, 4}), 4);
  EXPECT_EQ(f.max_hops({0, 2, 9}), 6);
  EXPECT_EQ(f.hops_between({0, 1}, {0, 1}), 0);
  EXPECT_EQ(f.hops_between({0}, {2, 3}), 2);
  EXPECT_EQ(f.hops_between({0, 8}, {2}), 6);
  EXPECT_EQ(f.hops_between({}, {2}), 0);
  const double nic = G400;  // 4 NICs for 4 GPUs
  EXPECT_DOUBLE_EQ(f.scale_out_Bps_per_gpu({0, 4}), nic) << "leaves are non-blocking";
  EXPECT_DOUBLE_EQ(f.realized_oversubscription(1), 2.0);
  EXPECT_DOUBLE_EQ(f.scale_out_Bps_per_gpu({0, 8}), nic / 2) << "the pod's uplinks are 2:1";
  EXPECT_DOUBLE_EQ(f.pod_uplink_Bps(), 8 * 4 * nic / 2);
  EXPECT_DOUBLE_EQ(f.group_uplink_Bps(), 4 * 4 * nic);
}

TEST(FailureDomains, WhatOneSwitchTakesDown) {
  const Fabric rail(small_rail());
  const FailureDomain leaf = rail.failure_domain({Network::BACKEND, 0, 5});  // group 1, rail 1
  EXPECT_EQ(leaf.nodes, range(4, 8));
  EXPECT_DOUBLE_EQ(leaf.capacity_fraction_lost, 0.25);
  EXPECT_FALSE(leaf.disconnects) << "the other three rails remain";
  const FailureDomain spine = rail.failure_domain({Network::BACKEND, 1, 4});  // pod 1
  EXPECT_EQ(spine.nodes, range(8, 16));
  EXPECT_DOUBLE_EQ(spine.capacity_fraction_lost, 0.25) << "one of 4 spines";
  const FailureDomain core = rail.failure_domain({Network::BACKEND, 2, 0});
  EXPECT_EQ(core.nodes.size(), 24u);
  EXPECT_DOUBLE_EQ(core.capacity_fraction_lost, 2.0 / 32) << "2 of the 8 x 4 pod uplinks";
  for (int64_t node = 0; node < rail.node_count(); ++node)
    for (const SwitchId& l : rail.leaves_of(node)) {
      const auto fd = rail.failure_domain(l);
      ASSERT_TRUE(std::find(fd.nodes.begin(), fd.nodes.end(), node) != fd.nodes.end());
    }

  const Fabric tor(fat_tree(4));
  const FailureDomain rack = tor.failure_domain({Network::BACKEND, 0, 3});
  EXPECT_EQ(rack.nodes, range(6, 8));
  EXPECT_TRUE(rack.disconnects) << "a single top-of-rack switch";
}

TEST(Counts, LinksOpticsPowerAndCostAddUp) {
  ClusterSpec s = fat_tree(4);
  s.fabric.nic_cable = Cable::COPPER;
  s.fabric.optic_power_w = 10;
  s.fabric.optic_cost_usd = 500;
  for (auto& t : s.fabric.tiers) {
    t.switch_power_w = 1000;
    t.switch_cost_usd = 20000;
  }
  const DesignReport r = analyze(Fabric(s), 700);
  EXPECT_EQ(r.switches, 20);
  EXPECT_EQ(r.links, 48);
  EXPECT_EQ(r.optics, 2 * 32) << "16 NIC links are copper";
  EXPECT_DOUBLE_EQ(r.network_power_w, 20 * 1000 + 64 * 10);
  EXPECT_DOUBLE_EQ(r.network_cost_usd, 20 * 20000 + 64 * 500);
  EXPECT_EQ(r.diameter_hops, 6);
  EXPECT_DOUBLE_EQ(r.bisection_Bps_per_gpu, G400);
}

TEST(Power, EachDomainFeedsWholeNodesWithinItsBudget) {
  ClusterSpec s;
  s.gpus_per_node = 8;
  s.nodes_per_rack = 4;
  s.racks_per_row = 2;
  s.racks_per_pod = 4;
  s.pods_per_hall = 1;
  s.halls = 2;
  s.fabric.tiers[0].switch_power_w = s.fabric.tiers[1].switch_power_w = 0;
  s.fabric.optic_power_w = 0;
  s.power.node_overhead_w = 1000;  // node: 8 x 500 + 1000 = 5 kW
  s.power.pue = 1.25;
  s.power.rack_budget_w = 16000;  // 3 nodes of 4
  s.power.row_budget_w = 30000;   // 6 nodes of 8
  s.power.hall_budget_w = 1.25 * 5000 * 13;  // 13 nodes of 16 (facility power)
  s.power.site_budget_w = 1.25 * 5000 * 20;  // 20 of 32
  const DesignReport r = analyze(Fabric(s), 500);
  ASSERT_EQ(r.power_domains.size(), 4u);
  EXPECT_EQ(r.power_domains[0].gpus_fed, 3 * 8);
  EXPECT_EQ(r.power_domains[1].domains, 4);
  EXPECT_EQ(r.power_domains[1].gpus_fed, 6 * 8);
  EXPECT_EQ(r.power_domains[2].gpus_fed, 13 * 8);
  EXPECT_DOUBLE_EQ(r.power_domains[2].demand_w, 16 * 5000 * 1.25);
  EXPECT_EQ(r.power_domains[3].gpus_fed, 20 * 8);
  EXPECT_EQ(r.gpus_powered, 20 * 8);
  EXPECT_EQ(r.binding_level, "site");
  EXPECT_DOUBLE_EQ(r.facility_power_w, 32 * 5000 * 1.25);
}

TEST(Frontend, IsCountedButCarriesNoJobTraffic) {
  ClusterSpec s = small_rail();
  NetworkSpec fe;
  fe.kind = FabricKind::CLOS;
  fe.nics_per_node = 1;
  fe.tiers = {tier(8, 3), tier(16, 2), tier(8)};
  s.fabric.frontend = fe;
  const Fabric f(s);
  ASSERT_TRUE(f.has_frontend());
  // A rack's 2 NICs fit one front-end ToR, which needs ceil(2/3) = 1 uplink.
  EXPECT_EQ(f.frontend_layout().tiers[0].switches, 12);
  EXPECT_EQ(boost::num_vertices(f.graph()),
            static_cast<size_t>(f.node_count() + f.switch_count() + f.frontend_layout().tiers[0].switches +
                                f.frontend_layout().tiers[1].switches + f.frontend_layout().tiers[2].switches));
  const auto dist = bfs(f, f.node_vertex(0));
  EXPECT_EQ(dist[f.node_vertex(8)], 6);
  EXPECT_EQ(f.hops(0, 8), 6);
  EXPECT_DOUBLE_EQ(f.max_flow_Bps(range(0, 12), range(12, 24)), Fabric(small_rail()).max_flow_Bps(range(0, 12), range(12, 24)))
      << "max-flow runs on the back end only";
}

TEST(InvalidDesigns, NameTheKey) {
  ClusterSpec s = small_rail();
  s.fabric.nic_bandwidth_Bps = 0;
  EXPECT_NE(infeasible_key(s).find("cluster.fabric.nic_bandwidth"), std::string::npos);
  s = small_rail();
  s.gpu_type.clear();
  EXPECT_NE(infeasible_key(s).find("cluster.gpu"), std::string::npos);
  s = small_rail(10);  // 10 pods on radix-8 cores
  EXPECT_NE(infeasible_key(s).find("cluster.fabric.tiers[2].switch_radix"), std::string::npos);
  s = small_rail();
  s.fabric.tiers[1].switch_radix = 10;  // 8 leaves per pod need 8 down ports besides 5 up
  EXPECT_NE(infeasible_key(s).find("cluster.fabric.tiers[1].switch_radix"), std::string::npos);
  s = small_rail();
  s.fabric.tiers = {tier(8)};
  EXPECT_NE(infeasible_key(s).find("cluster.fabric.tiers"), std::string::npos);
  s = small_rail();
  s.scale_up.nodes_per_domain = 3;
  EXPECT_NE(infeasible_key(s).find("cluster.scale_up.nodes_per_domain"), std::string::npos);
  s = small_rail();
  s.racks_per_row = 5;  // a hall has 3 pods x 4 racks
  EXPECT_NE(infeasible_key(s).find("cluster.racks_per_row"), std::string::npos);
  s = small_rail();
  s.fabric.tiers[0] = tier(2, 0.25);  // 2 ports: both needed as uplinks at 1:4
  EXPECT_NE(infeasible_key(s).find("cluster.fabric.tiers[0].switch_radix"), std::string::npos);
}

TEST(ScaleUp, DomainsOfWholeRacksAreAllowed) {
  ClusterSpec s = small_rail();
  s.scale_up.nodes_per_domain = 4;  // two racks of two nodes
  const Fabric f(s);
  EXPECT_EQ(f.hops(0, 3), 0);
  EXPECT_EQ(f.hops(0, 4), 4);
}
