// Placement choices on small clusters drawn by hand.
#include <gtest/gtest.h>

#include "common/error.hpp"
#include "sim/placement.hpp"

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
