// scheduler.decide: one decision per simulated instant (`instant`, the
// default) against one decision after each event (`event`), computed by hand
// on a 16-GPU cluster (2 nodes of 8) under a policy that starts every queued
// job that fits, in arrival order:
//
//   job  submit  GPUs  duration   instant: start  end    event: start  end
//   A    0h      8     10h        0h       10h           0h      10h
//   B    0h      8     10h        0h       10h           0h      10h
//   C    1h      16    2h         10h      12h           15h     17h
//   D    2h      8     5h         12h      17h           10h     15h
//
// A and B end together at 10h. Under `instant` both are applied before the
// decision: 16 GPUs are free and go to the older, larger C. Under `event` the
// first completion decides alone: 8 GPUs are free, C does not fit, D does.
#include <gtest/gtest.h>

#include <algorithm>

#include "sim/policies/policy_plugin.hpp"
#include "test_support.hpp"

namespace {

class EveryFit final : public gwsim::sim::Policy {
 public:
  void schedule(gwsim::sim::SchedulingContext& ctx) override {
    for (auto* job : ctx.queue()) ctx.start(job);
  }
};

std::vector<gwsim::results::JobRecord> run_with(const std::string& decide) {
  const auto r = gwsim::test::run_text(R"(
name: decide-by-hand
horizon: 1d
cluster: {gpu: H100-SXM, gpus_per_node: 8, nodes_per_rack: 2, racks_per_pod: 1}
scheduler: {policy: every_fit, placement: first_fit, decide: )" + decide + R"(}
workload:
  - type: list
    jobs:
      - {submit: 0h, gpus: 8, duration: 10h}
      - {submit: 0h, gpus: 8, duration: 10h}
      - {submit: 1h, gpus: 16, duration: 2h}
      - {submit: 2h, gpus: 8, duration: 5h}
)",
                                       gwsim::test::temp_dir());
  gwsim::test::expect_invariants(r, 16);
  auto jobs = gwsim::results::read_jobs(r.h5);
  std::sort(jobs.begin(), jobs.end(), [](auto& a, auto& b) { return a.id < b.id; });
  return jobs;
}

void expect_schedule(const std::vector<gwsim::results::JobRecord>& jobs, const double (&start_h)[4]) {
  ASSERT_EQ(jobs.size(), 4u);
  const double durations_h[] = {10, 10, 2, 5};
  for (size_t i = 0; i < 4; ++i) {
    EXPECT_DOUBLE_EQ(jobs[i].start_s, start_h[i] * 3600) << "job " << i;
    EXPECT_DOUBLE_EQ(jobs[i].end_s, (start_h[i] + durations_h[i]) * 3600) << "job " << i;
  }
}

}  // namespace

TEST(Decide, GpusFreedTogetherGoToTheOlderLargerJobUnderInstant) {
  gwsim::sim::register_policy("every_fit", [] { return std::make_unique<EveryFit>(); });
  expect_schedule(run_with("instant"), {0, 0, 10, 12});
}

TEST(Decide, EachEventDecidesAloneUnderEvent) {
  gwsim::sim::register_policy("every_fit", [] { return std::make_unique<EveryFit>(); });
  expect_schedule(run_with("event"), {0, 0, 15, 10});
}
