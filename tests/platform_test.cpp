// The SimGrid platform compiled from a Fabric: hosts per allocation unit,
// routes that carry the shared uplinks, latencies that add up to the
// Fabric's, and flows that share a pod's uplink the way max-min sharing says.
// Each test runs in its own process (one SimGrid engine per process).
#include <gtest/gtest.h>

#include <simgrid/s4u/Actor.hpp>
#include <simgrid/s4u/Comm.hpp>
#include <simgrid/s4u/Engine.hpp>
#include <simgrid/s4u/Host.hpp>
#include <simgrid/s4u/Link.hpp>
#include <simgrid/s4u/Mailbox.hpp>

#include "topology/platform.hpp"

using namespace gwsim::topology;
namespace sg = simgrid::s4u;

namespace {

constexpr double G400 = 50e9;

// 3 pods in 3 halls of a 3-tier rail-optimized design: 4 rails, rail groups
// of 2 racks x 2 nodes, 8 leaves and 4 spines per pod.
ClusterSpec design(double spine_oversubscription = 1) {
  ClusterSpec s;
  s.gpus_per_node = 4;
  s.nodes_per_rack = 2;
  s.racks_per_pod = 4;
  s.pods_per_hall = 1;
  s.halls = 3;
  s.scale_up.nodes_per_domain = 2;
  s.fabric.nics_per_node = 4;
  s.fabric.nic_latency_s = 0.5e-6;
  TierSpec t;
  t.switch_radix = 8;
  t.latency_s = 1e-6;
  s.fabric.tiers = {t, t, t};
  s.fabric.tiers[1].switch_radix = 16;
  s.fabric.tiers[1].latency_s = 2e-6;
  s.fabric.tiers[1].oversubscription = spine_oversubscription;
  s.fabric.tiers[2].latency_s = 3e-6;
  return s;
}

struct Sim {
  int argc = 1;
  char arg0[8] = "test";
  char* argv[2] = {arg0, nullptr};
  sg::Engine engine{&argc, argv};
  Sim() {
    // Max-min sharing without TCP corrections, so that times follow from capacities.
    sg::Engine::set_config("network/model:CM02");
    sg::Engine::set_config("network/crosstraffic:0");
  }
};

std::vector<std::string> route_names(sg::Host* a, sg::Host* b, double* latency) {
  std::vector<sg::Link*> links;
  *latency = 0;
  a->route_to(b, links, latency);
  std::vector<std::string> names;
  for (auto* l : links) names.push_back(l->get_name());
  return names;
}

}  // namespace

TEST(Platform, NodeGranularityHasAHostPerNodeAndTheSharedUplinks) {
  Sim sim;
  const Fabric f(design());
  const Platform p(f, sim.engine, Granularity::NODE);
  ASSERT_EQ(p.host_count(), 24u);
  EXPECT_EQ(p.host_of_node(13)->get_name(), "node-13");
  EXPECT_EQ(p.host_of_node(13)->get_core_count(), 4);
  ASSERT_TRUE(p.has_shared_links());
  EXPECT_DOUBLE_EQ(p.host_link(0)->get_bandwidth(), 4 * G400);
  EXPECT_DOUBLE_EQ(p.group_uplink(0)->get_bandwidth(), f.group_uplink_Bps());
  EXPECT_DOUBLE_EQ(p.pod_uplink(2)->get_bandwidth(), f.pod_uplink_Bps());
  EXPECT_EQ(p.shared_links_between(0, 3).size(), 0u) << "same leaves: no shared link";
  EXPECT_EQ(p.shared_links_between(0, 4), (std::vector<sg::Link*>{p.group_uplink(0), p.group_uplink(1)}));
  EXPECT_EQ(p.shared_links_between(0, 20),
            (std::vector<sg::Link*>{p.group_uplink(0), p.pod_uplink(0), p.pod_uplink(2), p.group_uplink(5)}));
}

TEST(Platform, RoutesCarryTheFabricsLinksAndLatencies) {
  Sim sim;
  const Fabric f(design());
  const Platform p(f, sim.engine, Granularity::NODE);
  double latency = 0;
  EXPECT_EQ(route_names(p.host_of_node(0), p.host_of_node(4), &latency),
            (std::vector<std::string>{"node-0-nic_UP", "group-0-up_UP", "group-1-up_DOWN", "node-4-nic_DOWN"}));
  EXPECT_NEAR(latency, f.latency_s(0, 4), 1e-15);
  EXPECT_EQ(route_names(p.host_of_node(0), p.host_of_node(20), &latency),
            (std::vector<std::string>{"node-0-nic_UP", "group-0-up_UP", "pod-0-up_UP", "pod-2-up_DOWN",
                                      "group-5-up_DOWN", "node-20-nic_DOWN"}));
  EXPECT_NEAR(latency, f.latency_s(0, 20), 1e-15);
}

TEST(Platform, FlowsAcrossPodsShareThePodUplink) {
  Sim sim;
  // Spines at 8:1: each pod's uplink to the core is 4 x 1 x 400G = one node's NICs.
  const Fabric f(design(8));
  const Platform p(f, sim.engine, Granularity::NODE);
  ASSERT_DOUBLE_EQ(f.pod_uplink_Bps(), 4 * G400);
  const double bytes = 1e9;
  std::vector<double> done(2, -1);
  for (int i = 0; i < 2; ++i) {
    // Two flows from pod 0 (nodes 0 and 4, different rail groups) to pod 1.
    sg::Host* src = p.host_of_node(i * 4);
    sg::Host* dst = p.host_of_node(8 + i * 4);
    sg::Actor::create("send", src, [i, bytes, dst] {
      sg::Mailbox::by_name(std::to_string(i))->put(new double(bytes), static_cast<uint64_t>(bytes));
      (void)dst;
    });
    sg::Actor::create("recv", dst, [i, &done] {
      delete sg::Mailbox::by_name(std::to_string(i))->get<double>();
      done[static_cast<size_t>(i)] = sg::Engine::get_clock();
    });
  }
  sim.engine.run();
  const double expected = f.latency_s(0, 8) + bytes / (f.pod_uplink_Bps() / 2);
  EXPECT_NEAR(done[0], expected, 1e-9);
  EXPECT_NEAR(done[1], expected, 1e-9);
}

TEST(Platform, FleetGranularityHasAHostPerDomainAndNoSharedLinks) {
  Sim sim;
  const Fabric f(design());
  const Platform p(f, sim.engine, Granularity::DOMAIN);
  EXPECT_EQ(p.host_count(), 12u);
  EXPECT_EQ(p.host_of_node(3), p.host(1));
  EXPECT_EQ(p.host(1)->get_name(), "domain-1");
  EXPECT_EQ(p.host(1)->get_core_count(), 8);
  EXPECT_FALSE(p.has_shared_links());
  EXPECT_EQ(p.group_uplink(0), nullptr);
  EXPECT_EQ(p.pod_uplink(0), nullptr);
  EXPECT_TRUE(p.shared_links_between(0, 20).empty());
  double latency = 0;
  EXPECT_EQ(route_names(p.host(0), p.host(11), &latency), (std::vector<std::string>{"domain-0-nic", "domain-11-nic"}));
  EXPECT_DOUBLE_EQ(p.host_link(0)->get_bandwidth(), 2 * 4 * G400);
}

TEST(Platform, RackGranularity) {
  Sim sim;
  const Fabric f(design());
  const Platform p(f, sim.engine, Granularity::RACK);
  EXPECT_EQ(p.host_count(), 12u);
  EXPECT_EQ(p.host_of_node(23)->get_name(), "rack-11");
}
