// A policy registered from outside the simulator drives the decisions.
#include <gtest/gtest.h>

#include <algorithm>

#include "sim/policies/policy_plugin.hpp"
#include "test_support.hpp"

namespace {

// Starts the queued jobs with the fewest GPUs first while they fit.
class SmallestFirst final : public gwsim::sim::Policy {
 public:
  void schedule(gwsim::sim::SchedulingContext& ctx) override {
    auto order = ctx.queue();
    std::stable_sort(order.begin(), order.end(), [](auto* a, auto* b) { return a->req.gpus < b->req.gpus; });
    for (auto* job : order) ctx.start(job);
  }
};

}  // namespace

TEST(CustomPolicy, ARegisteredPolicyDecidesWhatStarts) {
  // A holds all 16 GPUs until 2h. B (16 GPUs) and C (4 GPUs) wait from 1h.
  // smallest_first starts C at 2h; B no longer fits and starts when C ends at 3h.
  // (FIFO would start B at 2h and C at 3h.)
  gwsim::sim::register_policy("smallest_first", [] { return std::make_unique<SmallestFirst>(); });
  const auto r = gwsim::test::run_text(R"(
horizon: 1d
cluster: {gpu: H100-SXM, gpus_per_node: 8, nodes_per_rack: 2, racks_per_pod: 1}
scheduler: {policy: smallest_first}
workload:
  - type: list
    jobs:
      - {submit: 0h, gpus: 16, duration: 2h}
      - {submit: 1h, gpus: 16, duration: 1h}
      - {submit: 1h, gpus: 4, duration: 1h}
)",
                                       gwsim::test::temp_dir());
  gwsim::test::expect_invariants(r, 16);
  auto jobs = gwsim::results::read_jobs(r.h5);
  std::sort(jobs.begin(), jobs.end(), [](auto& a, auto& b) { return a.id < b.id; });
  EXPECT_DOUBLE_EQ(jobs[2].start_s, 2 * 3600.0);
  EXPECT_DOUBLE_EQ(jobs[1].start_s, 3 * 3600.0);
}

TEST(CustomPolicy, UnknownOrCompositeNamesAreScenarioErrors) {
  gwsim::sim::register_policy("mine", [] { return std::make_unique<SmallestFirst>(); });
  const std::string cluster = "cluster: {gpu: H100-SXM, nodes_per_rack: 2, racks_per_pod: 1}\n";
  EXPECT_NO_THROW(gwsim::sim::parse_scenario(cluster + "scheduler: {policy: mine}\n", "s.yaml"));
  try {
    gwsim::sim::parse_scenario(cluster + "scheduler: {policy: [mine, easy_backfill]}\n", "s.yaml");
    FAIL();
  } catch (const gwsim::Error& e) {
    EXPECT_NE(std::string(e.what()).find("stands alone"), std::string::npos) << e.what();
  }
  EXPECT_THROW(gwsim::sim::register_policy("fifo", [] { return std::make_unique<SmallestFirst>(); }), gwsim::Error);
}
