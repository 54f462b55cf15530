// Placement choices on small clusters drawn by hand.
#include <gtest/gtest.h>

#include "common/error.hpp"
#include "sim/policies/placement.hpp"

using namespace gwsim::sim;

namespace {

// 2 racks of 2 nodes of 8 GPUs: rack 0 = {n0, n1}, rack 1 = {n2, n3}.
gwsim::topology::ClusterSpec two_racks(int nodes_per_domain = 1) {
  gwsim::topology::ClusterSpec s;
  s.gpus_per_node = 8;
  s.nodes_per_rack = 2;
  s.racks_per_pod = 2;
  s.scale_up.nodes_per_domain = nodes_per_domain;
  return s;
}

Allocation on(int32_t node, int16_t gpus) { return Allocation{{{node, gpus}}, gpus}; }

std::vector<int32_t> nodes_of(const std::optional<Allocation>& a) {
  std::vector<int32_t> out;
  for (auto& [n, g] : a->parts) out.push_back(n);
  return out;
}

}  // namespace

TEST(Placement, SmallJobFirstFitTakesTheLowestNodePackTakesTheFullest) {
  ClusterState c(two_racks());
  c.take(on(1, 5));  // n1 has 3 free
  EXPECT_EQ(nodes_of(FirstFitPlacement().place(c, 2)), std::vector<int32_t>{0});
  EXPECT_EQ(nodes_of(PackPlacement().place(c, 2)), std::vector<int32_t>{1});
  EXPECT_EQ(nodes_of(TopologyAwarePlacement().place(c, 2)), std::vector<int32_t>{1});
  EXPECT_EQ(nodes_of(PackPlacement().place(c, 4)), std::vector<int32_t>{0}) << "n1 is too small";
}

TEST(Placement, MultiNodeJobsFirstFitPackAndTopologyAwareDiffer) {
  ClusterState c(two_racks());
  c.take(on(1, 5));  // rack 0 has one whole free node (n0), rack 1 two (n2, n3)
  EXPECT_EQ(nodes_of(FirstFitPlacement().place(c, 16)), (std::vector<int32_t>{0, 2}));
  EXPECT_EQ(nodes_of(PackPlacement().place(c, 16)), (std::vector<int32_t>{0, 2})) << "fullest rack first";
  EXPECT_EQ(nodes_of(TopologyAwarePlacement().place(c, 16)), (std::vector<int32_t>{2, 3})) << "one rack";
}

TEST(Placement, TopologyAwarePrefersOneScaleUpDomain) {
  // Domains of 2 nodes: with nodes_per_rack 2 a domain is a rack; 12 GPUs = 1 whole node + 4.
  ClusterState c(two_racks(2));
  c.take(on(0, 2));  // n0 has 6 free: rack/domain 0 can still hold 8 + 4 (n1 whole, n0 partial)
  const auto a = TopologyAwarePlacement().place(c, 12);
  ASSERT_TRUE(a);
  EXPECT_EQ(nodes_of(a), (std::vector<int32_t>{0, 1})) << "best fit: the domain with fewer free GPUs";
  EXPECT_EQ(a->gpus, 12);
}

TEST(Placement, RemainderGoesOnAnotherNodeAndNothingIsDoubleBooked) {
  ClusterState c(two_racks());
  const auto a = FirstFitPlacement().place(c, 20);  // 2 whole nodes + 4
  ASSERT_TRUE(a);
  EXPECT_EQ(nodes_of(a), (std::vector<int32_t>{0, 1, 2}));
  c.take(*a);
  EXPECT_EQ(c.free_gpus(), 12);
  EXPECT_FALSE(FirstFitPlacement().place(c, 16)) << "only n3 is whole";
  EXPECT_TRUE(FirstFitPlacement().place(c, 12));
  EXPECT_THROW(c.take(on(0, 1)), gwsim::Error) << "n0 is full";
}

TEST(Placement, UnknownNameListsTheValidOnes) {
  try {
    make_placement("random");
    FAIL();
  } catch (const gwsim::Error& e) {
    EXPECT_NE(std::string(e.what()).find("topology_aware"), std::string::npos);
  }
}

TEST(Placement, DownNodesLeaveEveryAggregateAndNoPlacementUsesThem) {
  // 2 racks of 2 nodes of 8 GPUs; node 0 fails, node 2 is held out as a spare.
  ClusterState c(two_racks());
  c.mark_down(0);
  c.mark_down(2);
  EXPECT_EQ(c.total_gpus(), 32) << "installed GPUs do not change";
  EXPECT_EQ(c.up_gpus(), 16);
  EXPECT_EQ(c.free_gpus(), 16);
  EXPECT_EQ(c.free_nodes(), 2);
  EXPECT_EQ(c.free_in_rack(0), 8);
  EXPECT_EQ(c.free_nodes_in_pod(0), 2);
  EXPECT_EQ(nodes_of(FirstFitPlacement().place(c, 16)), (std::vector<int32_t>{1, 3}));
  EXPECT_FALSE(TopologyAwarePlacement().place(c, 24)) << "only two nodes are up";
  EXPECT_EQ(nodes_of(PackPlacement().place(c, 4)), std::vector<int32_t>{1}) << "lowest free up node in the fullest rack";
  EXPECT_THROW(c.take(on(0, 1)), gwsim::Error) << "a down node cannot be allocated";
  // Downs nest: a node down for two reasons needs two mark_up() calls.
  c.mark_down(0);
  c.mark_up(0);
  EXPECT_TRUE(c.is_down(0));
  c.mark_up(0);
  EXPECT_FALSE(c.is_down(0));
  EXPECT_EQ(c.free_gpus(), 24);
  EXPECT_EQ(c.free_in_rack(0), 16);
  c.take(on(1, 3));
  EXPECT_THROW(c.mark_down(1), gwsim::Error) << "its jobs must be stopped first";
  EXPECT_THROW(c.mark_up(3), gwsim::Error) << "node 3 is not down";
}
