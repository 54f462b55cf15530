// A FIFO schedule computed by hand on a 16-GPU cluster (2 nodes of 8).
//
//   job  submit  GPUs  duration   start  why
//   A    0h      8     10h        0h     cluster empty
//   B    1h      16    2h         10h    needs both nodes: waits for A
//   C    2h      4     1h         12h    fits at 2h, but FIFO: blocked behind B
//   D    3h      8     5h         12h    after B ends: node 1 (C took 4 of node 0)
//   E    3h      4     1h         12h    the other 4 GPUs of node 0
//   L    4h      16    1d         -      external lease, patience 2h: refused at 6h
#include <gtest/gtest.h>

#include "test_support.hpp"

namespace {

const char* SCENARIO = R"(
name: fifo-by-hand
horizon: 2d
cluster: {gpu: H100-SXM, gpus_per_node: 8, nodes_per_rack: 2, racks_per_pod: 1}
scheduler: {policy: fifo, placement: first_fit}
workload:
  - type: list
    jobs:
      - {submit: 0h, gpus: 8, duration: 10h}
      - {submit: 1h, gpus: 16, duration: 2h}
      - {submit: 2h, gpus: 4, duration: 1h}
      - {submit: 3h, gpus: 8, duration: 5h}
      - {submit: 3h, gpus: 4, duration: 1h}
      - {submit: 4h, gpus: 16, duration: 1d, kind: lease, patience: 2h, price_per_gpu_hour: 2}
)";

}  // namespace

TEST(FifoSchedule, StartTimesMatchTheHandComputedSchedule) {
  const auto r = gwsim::test::run_text(SCENARIO, gwsim::test::temp_dir());
  auto jobs = gwsim::results::read_jobs(r.h5);
  ASSERT_EQ(jobs.size(), 6u);
  std::sort(jobs.begin(), jobs.end(), [](auto& a, auto& b) { return a.id < b.id; });
  const double h = 3600;
  const double expected_start[] = {0, 10 * h, 12 * h, 12 * h, 12 * h, -1};
  const double expected_end[] = {10 * h, 12 * h, 13 * h, 17 * h, 13 * h, 6 * h};
  for (size_t i = 0; i < 6; ++i) {
    EXPECT_DOUBLE_EQ(jobs[i].start_s, expected_start[i]) << "job " << i;
    EXPECT_DOUBLE_EQ(jobs[i].end_s, expected_end[i]) << "job " << i;
  }
  using gwsim::results::JobState;
  for (size_t i = 0; i < 5; ++i) EXPECT_EQ(jobs[i].state, uint8_t(JobState::COMPLETED));
  EXPECT_EQ(jobs[5].state, uint8_t(JobState::REFUSED));
  EXPECT_DOUBLE_EQ(jobs[5].wait_s, 2 * h);
  EXPECT_DOUBLE_EQ(jobs[5].revenue_usd, 0);
  // C waited 10h although 8 GPUs sat free from 2h: the price of strict FIFO.
  EXPECT_DOUBLE_EQ(jobs[2].wait_s, 10 * h);
  EXPECT_DOUBLE_EQ(jobs[1].gpu_hours, 32);
  gwsim::test::expect_invariants(r, 16);
}

TEST(FifoSchedule, LeaseRevenueIsGpusTimesHoursTimesPrice) {
  const auto r = gwsim::test::run_text(R"(
horizon: 1d
cluster: {gpu: H100-SXM, gpus_per_node: 8, nodes_per_rack: 2, racks_per_pod: 1}
workload:
  - type: list
    jobs:
      - {submit: 1h, gpus: 8, duration: 5h, kind: lease, price_per_gpu_hour: 2.5}
)",
                                       gwsim::test::temp_dir());
  const auto jobs = gwsim::results::read_jobs(r.h5);
  ASSERT_EQ(jobs.size(), 1u);
  EXPECT_DOUBLE_EQ(jobs[0].revenue_usd, 8 * 5 * 2.5);
  EXPECT_EQ(jobs[0].tenant, 1);  // external
  gwsim::test::expect_invariants(r, 16);
}

TEST(FifoSchedule, JobsBiggerThanTheClusterAreKilledNotQueuedForever) {
  const auto r = gwsim::test::run_text(R"(
horizon: 1d
cluster: {gpu: H100-SXM, gpus_per_node: 8, nodes_per_rack: 2, racks_per_pod: 1}
workload:
  - type: list
    jobs:
      - {submit: 0h, gpus: 32, duration: 1h}
      - {submit: 1h, gpus: 8, duration: 1h, gpu_type: B200}
      - {submit: 2h, gpus: 8, duration: 1h}
)",
                                       gwsim::test::temp_dir());
  const auto jobs = gwsim::results::read_jobs(r.h5);
  ASSERT_EQ(jobs.size(), 3u);
  EXPECT_EQ(jobs[0].state, uint8_t(gwsim::results::JobState::KILLED));
  EXPECT_EQ(jobs[1].state, uint8_t(gwsim::results::JobState::KILLED));
  EXPECT_EQ(jobs[2].state, uint8_t(gwsim::results::JobState::COMPLETED));
  EXPECT_DOUBLE_EQ(jobs[2].start_s, 7200);
}

TEST(FifoSchedule, RunningAndQueuedJobsAtTheHorizonEndThere) {
  const auto r = gwsim::test::run_text(R"(
horizon: 10h
cluster: {gpu: H100-SXM, gpus_per_node: 8, nodes_per_rack: 2, racks_per_pod: 1}
workload:
  - type: list
    jobs:
      - {submit: 0h, gpus: 16, duration: 20h}
      - {submit: 1h, gpus: 8, duration: 1h}
)",
                                       gwsim::test::temp_dir());
  auto jobs = gwsim::results::read_jobs(r.h5);
  ASSERT_EQ(jobs.size(), 2u);
  std::sort(jobs.begin(), jobs.end(), [](auto& a, auto& b) { return a.id < b.id; });
  EXPECT_EQ(jobs[0].state, uint8_t(gwsim::results::JobState::RUNNING_AT_END));
  EXPECT_DOUBLE_EQ(jobs[0].gpu_hours, 160);
  EXPECT_EQ(jobs[1].state, uint8_t(gwsim::results::JobState::QUEUED_AT_END));
  EXPECT_DOUBLE_EQ(jobs[1].wait_s, 9 * 3600);
  gwsim::test::expect_invariants(r, 16);
}
