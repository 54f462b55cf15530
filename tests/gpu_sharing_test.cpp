// GPU sharing, the CPU and memory dimensions, and the placements of the
// GPU-sharing literature, on clusters small enough to score by hand. Every
// take and release below also runs ClusterState's per-node invariant check
// (0 <= used share <= 1000 per GPU, CPU and memory within capacity), and each
// test ends with the whole-state check().
#include <gtest/gtest.h>

#include <map>
#include <random>

#include "common/error.hpp"
#include "sim/policies/placement.hpp"

using namespace gwsim::sim;

namespace {

// One rack of 2 nodes of 4 GPUs, 32 cores and 64 GiB each.
gwsim::topology::ClusterSpec two_nodes() {
  gwsim::topology::ClusterSpec s;
  s.gpus_per_node = 4;
  s.nodes_per_rack = 2;
  s.racks_per_pod = 1;
  s.cpu_milli_per_node = 32000;
  s.memory_mib_per_node = 65536;
  return s;
}

Allocation whole(int32_t node, int16_t gpus, int64_t cpu = 0) {
  Allocation a{{{node, gpus}}, gpus};
  a.cpu_milli = cpu;
  return a;
}

Allocation share(int32_t node, int16_t gpu, int16_t milli, int64_t cpu = 0) {
  Allocation a{{{node, 1}}, 1};
  a.gpu = gpu;
  a.gpu_milli = milli;
  a.cpu_milli = cpu;
  return a;
}

Demand share_demand(int32_t milli, int64_t cpu = 0) { return Demand{1, milli, cpu, 0}; }

// (node, gpu) of a placement's answer; gpu -1 for whole GPUs.
std::pair<int32_t, int16_t> where(const std::optional<Allocation>& a) {
  EXPECT_TRUE(a.has_value());
  if (!a) return {-1, -1};
  EXPECT_EQ(a->parts.size(), 1u);
  return {a->parts[0].first, a->gpu};
}

}  // namespace

TEST(GpuSharing, SharesFillAGpuUpToOneAndFreeItWhenTheLastLeaves) {
  ClusterState c(two_nodes());
  c.take(share(0, 0, 600));
  EXPECT_EQ(c.gpu_used_milli(0, 0), 600);
  EXPECT_EQ(c.free_on_node(0), 3) << "a shared GPU is not free for whole-GPU jobs";
  EXPECT_EQ(c.free_gpus(), 7);
  EXPECT_EQ(c.free_nodes(), 1);
  EXPECT_EQ(c.nodes_with_shares(), (std::set<int32_t>{0}));
  c.take(share(0, 0, 400));
  EXPECT_EQ(c.gpu_used_milli(0, 0), 1000);
  EXPECT_EQ(c.free_milli_of_node(0), (std::vector<int>{0, 1000, 1000, 1000}));
  EXPECT_THROW(c.take(share(0, 0, 1)), gwsim::Error) << "1001 milli on one GPU";
  EXPECT_FALSE(c.can_take(share(0, 0, 1)));
  c.release(share(0, 0, 600));
  EXPECT_EQ(c.gpu_used_milli(0, 0), 400);
  EXPECT_EQ(c.free_on_node(0), 3);
  c.release(share(0, 0, 400));
  EXPECT_EQ(c.free_on_node(0), 4);
  EXPECT_EQ(c.free_gpus(), 8);
  EXPECT_TRUE(c.nodes_with_shares().empty());
  EXPECT_THROW(c.release(share(0, 0, 100)), gwsim::Error) << "-100 milli: nothing to release";
  c.check();
}

TEST(GpuSharing, WholeGpusSharesCpuAndMemoryShareANodesCapacity) {
  ClusterState c(two_nodes());
  c.take(share(1, 2, 500, 8000));
  c.take(whole(1, 3, 20000));
  EXPECT_EQ(c.free_on_node(1), 0);
  EXPECT_EQ(c.free_milli_of_node(1), (std::vector<int>{0, 0, 500, 0})) << "GPU 2 carries the share";
  EXPECT_EQ(c.free_cpu_milli(1), 4000);
  EXPECT_THROW(c.take(whole(1, 1)), gwsim::Error) << "no free GPU left on n1";
  EXPECT_THROW(c.take(share(1, 2, 100, 5000)), gwsim::Error) << "5 cores asked, 4 free";
  EXPECT_TRUE(c.can_take(share(1, 2, 500, 4000)));
  EXPECT_FALSE(c.can_take(share(1, 1, 500))) << "GPU 1 is held whole (indices name shared GPUs first)";
  Allocation two_nodes_cpu{{{0, 4}, {1, 4}}, 8};
  two_nodes_cpu.cpu_milli = 1;
  EXPECT_THROW(c.take(two_nodes_cpu), gwsim::Error) << "CPU is asked of single-node allocations only";
  c.release(whole(1, 3, 20000));
  c.release(share(1, 2, 500, 8000));
  EXPECT_EQ(c.free_cpu_milli(1), 32000);
  EXPECT_EQ(c.free_on_node(1), 4);
  c.check();
}

TEST(GpuSharing, ANodeWithSharesCannotGoDown) {
  ClusterState c(two_nodes());
  c.take(share(0, 1, 250));
  ClusterState copy = c;  // an INTERNAL error is fatal: the copy is not used after it
  EXPECT_THROW(copy.mark_down(0), gwsim::Error);
  c.release(share(0, 1, 250));
  c.mark_down(0);
  EXPECT_FALSE(c.can_take(share(0, 0, 100)));
  EXPECT_TRUE(place_lowest(c, share_demand(100), [](const Candidate&) { return Score{0, 0}; })->parts[0].first == 1);
  c.check();
}

TEST(GpuSharing, FirstFitTakesTheLowestNodeThenItsLowestGpuThatFits) {
  ClusterState c(two_nodes());
  c.take(share(0, 0, 600));  // n0 GPU 0: 400 free
  auto p = make_placement("first_fit");
  EXPECT_EQ(where(p->place(c, share_demand(300))), (std::pair<int32_t, int16_t>{0, 0}));
  EXPECT_EQ(where(p->place(c, share_demand(500))), (std::pair<int32_t, int16_t>{0, 1})) << "GPU 0 has 400";
  // CPU decides: n0 has 32 cores, a job asking 40 fits nowhere; asking 30 with 8 used on n0 goes to n1.
  EXPECT_FALSE(p->place(c, Demand{1, 1000, 40000, 0}));
  c.take(whole(0, 1, 8000));
  EXPECT_EQ(where(p->place(c, Demand{2, 1000, 30000, 0})), (std::pair<int32_t, int16_t>{1, -1}));
  EXPECT_EQ(where(p->place(c, Demand{2, 1000, 0, 0})), (std::pair<int32_t, int16_t>{0, -1}))
      << "without CPU asked, the original first_fit";
  c.check();
}

namespace {
// n0: GPU 0 has 400 milli used (600 free), its other 3 GPUs held whole; 8 cores used.
// n1: GPU 0 free, its other 3 GPUs held whole; nothing else used.
ClusterState fragmented() {
  ClusterState c(two_nodes());
  c.take(share(0, 0, 400, 8000));
  c.take(whole(0, 3));
  c.take(whole(1, 3));
  return c;
}
}  // namespace

TEST(GpuSharing, BestFitLeavesTheLeastNormalizedCapacity) {
  ClusterState c = fragmented();
  // A 500-milli share: n0 GPU 0 leaves (600-500)/4000 GPU + 24000/32000 CPU + 1 memory = 1.775;
  // n1 GPU 0 leaves 500/4000 + 1 + 1 = 2.125. Best fit: n0, GPU 0.
  auto p = make_placement("best_fit");
  EXPECT_EQ(where(p->place(c, share_demand(500))), (std::pair<int32_t, int16_t>{0, 0}));
  // A 700-milli share fits only n1's free GPU (n0 GPU 0 has 600).
  EXPECT_EQ(where(p->place(c, share_demand(700))), (std::pair<int32_t, int16_t>{1, 0}));
  // Pack and topology_aware place shares the same way.
  EXPECT_EQ(where(make_placement("pack")->place(c, share_demand(500))), (std::pair<int32_t, int16_t>{0, 0}));
  EXPECT_EQ(where(make_placement("topology_aware")->place(c, share_demand(500))), (std::pair<int32_t, int16_t>{0, 0}));
  c.check();
}

TEST(GpuSharing, FgdAvoidsTheShareThatStrandsAGpuRemainder) {
  ClusterState c = fragmented();
  // Target workload: only 500-milli shares. On n0 the job would leave 100
  // milli that no 500 fits: F_n0 grows from 0 to 100. On n1 it leaves 500,
  // which a 500 fits: F_n1 stays 0. FGD: n1 (best_fit chose n0).
  auto p = make_placement("fgd");
  p->observe(share_demand(500));
  EXPECT_EQ(where(p->place(c, share_demand(500))), (std::pair<int32_t, int16_t>{1, 0}));
  c.check();
}

TEST(GpuSharing, FgdWeighsTheWorkloadsShapesByPopularity) {
  ClusterState c(two_nodes());
  c.take(share(0, 0, 600, 8000));  // n0: GPU 0 has 400 free, GPUs 1-3 free, 24 cores free
  c.take(whole(0, 2));             // n0: GPU 0 shared, one GPU free
  // Workload: half 300-milli shares with 4 cores, half one whole GPU.
  // n0 before: free [400, 1000, 0, 0]; F(share) = 0, F(whole) = 400 (GPU 0's 400 < 1000): F = 200.
  //   on GPU 0 -> [100, 1000, 0, 0]: F(share) = 100, F(whole) = 100: F = 100, growth -100.
  //   on GPU 1 -> [400, 700, 0, 0]: F(share) = 0, F(whole) = 1100 (no whole GPU left): F = 550, growth +350.
  // n1 before: 4 free GPUs, F = 0; after [700, 1000, 1000, 1000]: F(whole) = 700, F = 350, growth +350.
  auto p = make_placement("fgd");
  p->observe(share_demand(300, 4000));
  p->observe(Demand{1, 1000, 0, 0});
  EXPECT_EQ(where(p->place(c, share_demand(300, 4000))), (std::pair<int32_t, int16_t>{0, 0}));
  c.check();
}

TEST(GpuSharing, DotProductAlignsDemandWithFreeResources) {
  ClusterState c(two_nodes());
  c.take(share(0, 0, 600, 8000));
  c.take(whole(0, 2));
  // Demand (300/4000, 4000/32000, 0) = (0.075, 0.125, 0).
  // n0 free (1400/4000, 24000/32000, 1) = (0.35, 0.75, 1): dot 0.02625 + 0.09375 = 0.12.
  // n1 free (1, 1, 1): dot 0.2. Tetris takes the larger: n1 (its first free GPU, 0);
  // best_fit takes n0.
  EXPECT_EQ(where(make_placement("dot_product")->place(c, share_demand(300, 4000))),
            (std::pair<int32_t, int16_t>{1, 0}));
  EXPECT_EQ(where(make_placement("best_fit")->place(c, share_demand(300, 4000))), (std::pair<int32_t, int16_t>{0, 0}));
  c.check();
}

TEST(GpuSharing, RandomFitDrawsUniformlyAmongTheFitsFromItsSeed) {
  ClusterState c = fragmented();
  // A 500-milli share fits n0 GPU 0 and n1 GPU 0 (candidates in that order).
  // The draw: floor((mt19937_64(seed)() >> 11) * 2^-53 * 2).
  for (uint64_t seed : {1u, 2u, 3u, 4u}) {
    std::mt19937_64 rng(seed);
    const int expected = static_cast<int>(double(rng() >> 11) * 0x1.0p-53 * 2);
    auto p = make_placement("random_fit", PlacementContext{seed});
    EXPECT_EQ(where(p->place(c, share_demand(500))).first, expected) << "seed " << seed;
  }
  std::map<int32_t, int> seen;
  auto p = make_placement("random_fit", PlacementContext{7});
  auto q = make_placement("random_fit", PlacementContext{7});
  for (int i = 0; i < 200; ++i) {
    const auto a = p->place(c, share_demand(500));
    EXPECT_EQ(a->parts, q->place(c, share_demand(500))->parts) << "same seed, same draws";
    ++seen[a->parts[0].first];
  }
  EXPECT_EQ(seen.size(), 2u);
  EXPECT_GT(seen[0], 60);
  EXPECT_GT(seen[1], 60);
  EXPECT_EQ(where(p->place(c, share_demand(800))).first, 1) << "800 fits only n1 GPU 0";
  c.check();
}

TEST(GpuSharing, EveryPlacementIsRegisteredByNameAndAUserOneCanJoin) {
  for (const char* name : {"first_fit", "pack", "topology_aware", "best_fit", "fgd", "dot_product", "random_fit"})
    EXPECT_NO_THROW(make_placement(name)) << name;
  EXPECT_THROW(make_placement("worst_fit"), gwsim::Error);
  register_placement("last_node", [](const PlacementContext&) {
    struct LastNode final : Placement {
      using Placement::place;
      std::optional<Allocation> place(const ClusterState& c, const Demand& d) const override {
        std::optional<Allocation> out;
        for_each_candidate(c, d, [&](const Candidate& k) { out = allocation_of(c, d, k); });
        return out;
      }
    };
    return std::make_unique<LastNode>();
  });
  ClusterState c(two_nodes());
  EXPECT_EQ(where(make_placement("last_node")->place(c, share_demand(100))).first, 1);
  EXPECT_THROW(register_placement("fgd", [](const PlacementContext&) { return make_fgd_placement({}); }), gwsim::Error);
  c.check();
}

TEST(GpuSharing, LargerJobsThanANodeStillGetWholeNodes) {
  ClusterState c(two_nodes());
  c.take(share(0, 0, 100));
  for (const char* name : {"best_fit", "fgd", "dot_product", "random_fit"}) {
    EXPECT_FALSE(make_placement(name)->place(c, 8)) << name << ": n0 is not whole";
    c.release(share(0, 0, 100));
    const auto a = make_placement(name)->place(c, 8);
    ASSERT_TRUE(a) << name;
    EXPECT_EQ(a->parts, (std::vector<std::pair<int32_t, int16_t>>{{0, 4}, {1, 4}})) << name;
    c.take(*a);
    c.release(*a);
    c.take(share(0, 0, 100));
  }
  c.check();
}
