// Schedules computed by hand for each policy rule, on a 16-GPU cluster
// (2 nodes of 8). Times in hours.
#include <gtest/gtest.h>

#include "test_support.hpp"

using gwsim::results::JobRecord;
using gwsim::results::JobState;

namespace {

constexpr double H = 3600;

std::string scenario(const std::string& scheduler, const std::string& jobs, const std::string& extra = "") {
  return "horizon: 3d\n"
         "cluster: {gpu: H100-SXM, gpus_per_node: 8, nodes_per_rack: 2, racks_per_pod: 1}\n"
         "scheduler: " + scheduler + "\n" + extra +
         "workload:\n  - type: list\n    jobs:\n" + jobs;
}

std::vector<JobRecord> run(const std::string& yaml, gwsim::test::RunResult* out = nullptr) {
  auto r = gwsim::test::run_text(yaml, gwsim::test::temp_dir());
  gwsim::test::expect_invariants(r, 16);
  auto jobs = gwsim::results::read_jobs(r.h5);
  std::sort(jobs.begin(), jobs.end(), [](auto& a, auto& b) { return a.id < b.id; });
  if (out) *out = r;
  return jobs;
}

// The classic EASY case. A holds half the cluster until 10h; B needs all of it
// and gets the reservation at 10h. C (ends 7h) and E (ends 9h) finish before
// the reservation: they must backfill. D would end at 13h: it must not.
const std::string EASY_JOBS =
    "      - {submit: 0h, gpus: 8, duration: 10h}\n"   // A
    "      - {submit: 1h, gpus: 16, duration: 2h}\n"   // B
    "      - {submit: 2h, gpus: 8, duration: 5h}\n"    // C
    "      - {submit: 8h, gpus: 8, duration: 5h}\n"    // D
    "      - {submit: 8h, gpus: 4, duration: 1h}\n";   // E

double start_h(const JobRecord& j) { return j.start_s / H; }

}  // namespace

TEST(Scheduling, EasyBackfillJumpsAheadOnlyWithoutDelayingTheHead) {
  const auto j = run(scenario("{policy: easy_backfill}", EASY_JOBS));
  ASSERT_EQ(j.size(), 5u);
  EXPECT_DOUBLE_EQ(start_h(j[0]), 0);
  EXPECT_DOUBLE_EQ(start_h(j[1]), 10) << "the head starts at its reservation, not later";
  EXPECT_DOUBLE_EQ(start_h(j[2]), 2) << "C ends at 7h, before the reservation: backfilled";
  EXPECT_DOUBLE_EQ(start_h(j[3]), 12) << "D would end at 13h, after the reservation: not backfilled";
  EXPECT_DOUBLE_EQ(start_h(j[4]), 8) << "E ends at 9h: backfilled";
}

TEST(Scheduling, FifoOnTheSameJobsBlocksBehindTheHead) {
  const auto j = run(scenario("{policy: fifo}", EASY_JOBS));
  EXPECT_DOUBLE_EQ(start_h(j[1]), 10);
  EXPECT_DOUBLE_EQ(start_h(j[2]), 12);
  EXPECT_DOUBLE_EQ(start_h(j[3]), 12);
  EXPECT_DOUBLE_EQ(start_h(j[4]), 17) << "C and D hold both nodes until 17h";
}

TEST(Scheduling, EasyBackfillMayUseGpusTheHeadDoesNotNeed) {
  // A holds 8 GPUs until 10h; B needs 8 more than are free at 1h... B (12 GPUs)
  // is reserved at 10h with 4 spare GPUs then; F (4 GPUs, 20h) may start at 2h
  // although it ends after the reservation, because it only uses the spare.
  const auto j = run(scenario("{policy: easy_backfill}",
                              "      - {submit: 0h, gpus: 8, duration: 10h}\n"
                              "      - {submit: 0h, gpus: 4, duration: 10h}\n"
                              "      - {submit: 1h, gpus: 12, duration: 2h}\n"
                              "      - {submit: 2h, gpus: 4, duration: 20h}\n"
                              "      - {submit: 2h, gpus: 4, duration: 20h}\n"));
  EXPECT_DOUBLE_EQ(start_h(j[2]), 10);
  EXPECT_DOUBLE_EQ(start_h(j[3]), 2) << "uses the 4 spare GPUs";
  EXPECT_DOUBLE_EQ(start_h(j[4]), 12) << "no spare left, would delay the head";
}

TEST(Scheduling, PriorityPreemptsAndTheVictimLosesWorkSinceItsCheckpoint) {
  // R (research, priority 1, 16 GPUs, 10h; hourly checkpoints, 10 min restart)
  // runs from 0h. H (priority 5, 8 GPUs, 2h) arrives at 3.5h and preempts it:
  // R loses the 0.5h since its 3h checkpoint. H runs 3.5h-5.5h; R restarts at
  // 5.5h, pays 10 min, then does the 7h it has left: ends at 12h40m.
  gwsim::test::RunResult r;
  const auto j = run(scenario("{policy: priority}",
                              "      - {submit: 0h, gpus: 16, duration: 10h, kind: research, priority: 1}\n"
                              "      - {submit: 3.5h, gpus: 8, duration: 2h, kind: finetune, priority: 5}\n",
                              "execution: {checkpoint: {research: {interval: 1h, restart: 10min}}}\n"),
                     &r);
  EXPECT_EQ(j[0].preemptions, 1);
  EXPECT_DOUBLE_EQ(start_h(j[1]), 3.5);
  EXPECT_DOUBLE_EQ(j[1].end_s, 5.5 * H);
  EXPECT_NEAR(j[0].end_s, 12 * H + 40 * 60, 1e-6);
  EXPECT_NEAR(j[0].gpu_hours, 16 * (3.5 + 7 + 10.0 / 60), 1e-9);
  EXPECT_DOUBLE_EQ(j[0].wait_s, 2 * H) << "back in the queue from 3.5h to 5.5h";
  const auto summary = gwsim::results::read_summary(r.h5);
  for (const auto& v : summary)
    if (v.name == "lost_gpu_hours") {
      EXPECT_NEAR(v.value, 0.5 * 16, 1e-9);
    }
}

TEST(Scheduling, PriorityNeverPreemptsEqualOrNonPreemptibleJobs) {
  const auto j = run(scenario("{policy: priority}",
                              "      - {submit: 0h, gpus: 16, duration: 4h, kind: lease, priority: 1}\n"
                              "      - {submit: 1h, gpus: 16, duration: 1h, kind: research, priority: 9}\n"
                              "      - {submit: 6h, gpus: 16, duration: 4h, kind: research, priority: 2}\n"
                              "      - {submit: 7h, gpus: 16, duration: 1h, kind: research, priority: 2}\n"));
  EXPECT_EQ(j[0].preemptions, 0) << "a lease is a contract";
  EXPECT_DOUBLE_EQ(start_h(j[1]), 4);
  EXPECT_EQ(j[2].preemptions, 0) << "equal priority does not preempt";
  EXPECT_DOUBLE_EQ(start_h(j[3]), 10);
}

TEST(Scheduling, SpotIsReclaimedAfterItsNoticeAndStartsOverWithoutCheckpoints) {
  // S (spot, 16 GPUs, 10h, $1/GPU-h) runs from 0h. I (internal, 8 GPUs, 1h)
  // arrives at 2h: S gets a 2-minute notice, is stopped at 2h02m, I runs
  // 2h02m-3h02m, S (no checkpoints) starts over at 3h02m and ends at 13h02m.
  gwsim::test::RunResult r;
  const auto j = run(scenario("{policy: [fifo, spot_reclaim], reclaim_notice: 2min}",
                              "      - {submit: 0h, gpus: 16, duration: 10h, kind: spot, price_per_gpu_hour: 1}\n"
                              "      - {submit: 2h, gpus: 8, duration: 1h}\n"),
                     &r);
  const double notice = 120;
  EXPECT_DOUBLE_EQ(j[1].start_s, 2 * H + notice);
  EXPECT_EQ(j[0].preemptions, 1);
  EXPECT_DOUBLE_EQ(j[0].end_s, 3 * H + notice + 10 * H);
  EXPECT_NEAR(j[0].revenue_usd, 16 * (2 + notice / H + 10), 1e-9) << "pays for every hour it held GPUs";
  const auto events = gwsim::results::read_events(r.h5);
  const auto names = gwsim::results::read_lookup(r.h5, "event");
  double notice_at = -1, preempt_at = -1;
  for (const auto& e : events) {
    if (names[e.type] == "reclaim_notice") notice_at = e.time_s;
    if (names[e.type] == "preempt") preempt_at = e.time_s;
  }
  EXPECT_DOUBLE_EQ(notice_at, 2 * H);
  EXPECT_DOUBLE_EQ(preempt_at - notice_at, notice) << "the notice period is honoured";
}

TEST(Scheduling, SpotNeverHoldsTheQueue) {
  const auto j = run(scenario("{policy: [fifo, spot_reclaim]}",
                              "      - {submit: 0h, gpus: 8, duration: 5h}\n"
                              "      - {submit: 1h, gpus: 16, duration: 1h, kind: spot}\n"
                              "      - {submit: 2h, gpus: 8, duration: 1h}\n"));
  EXPECT_DOUBLE_EQ(start_h(j[2]), 2) << "the spot request waiting ahead of it does not block";
  EXPECT_DOUBLE_EQ(start_h(j[1]), 5);
}

TEST(Scheduling, ReserveInternalCapsExternalUseButNotInternal) {
  // headroom 0.5: external jobs may hold at most 8 of the 16 GPUs.
  const auto j = run(scenario("{policy: [fifo, reserve_internal], headroom: 0.5}",
                              "      - {submit: 0h, gpus: 8, duration: 5h, kind: lease}\n"
                              "      - {submit: 1h, gpus: 8, duration: 5h, kind: lease}\n"
                              "      - {submit: 2h, gpus: 8, duration: 2h}\n"));
  EXPECT_DOUBLE_EQ(start_h(j[0]), 0);
  EXPECT_DOUBLE_EQ(start_h(j[1]), 5) << "8 GPUs were free at 1h, but they are the internal headroom";
  EXPECT_DOUBLE_EQ(start_h(j[2]), 2) << "the held-back lease does not block internal work";
}

TEST(Scheduling, OnDemandNotPlacedWithinPatienceIsRefusedAsLostRevenue) {
  gwsim::test::RunResult r;
  const auto j = run(scenario("{policy: fifo}",
                              "      - {submit: 0h, gpus: 16, duration: 5h}\n"
                              "      - {submit: 1h, gpus: 8, duration: 3h, kind: on_demand, patience: 1h, "
                              "price_per_gpu_hour: 4}\n"),
                     &r);
  EXPECT_EQ(j[1].state, uint8_t(JobState::REFUSED));
  EXPECT_DOUBLE_EQ(j[1].end_s, 2 * H);
  for (const auto& v : gwsim::results::read_summary(r.h5))
    if (v.name == "refused_revenue") {
      EXPECT_DOUBLE_EQ(v.value, 8 * 3 * 4);
    }
}

TEST(Scheduling, PoliciesComposeAndUnknownNamesAreRefused) {
  EXPECT_NO_THROW(gwsim::sim::parse_scenario(
      scenario("{policy: [priority, easy_backfill, reserve_internal, spot_reclaim]}", "      - {gpus: 1, duration: 1h}\n"),
      "s.yaml"));
  EXPECT_THROW(gwsim::sim::parse_scenario(scenario("{policy: [fifo, priority]}", "      - {gpus: 1, duration: 1h}\n"),
                                          "s.yaml"),
               gwsim::Error);
  EXPECT_THROW(gwsim::sim::parse_scenario(scenario("{policy: lottery}", "      - {gpus: 1, duration: 1h}\n"), "s.yaml"),
               gwsim::Error);
}

TEST(Scheduling, UnderPriorityWithSpotReclaimSpotGetsItsNoticeNotAnImmediatePreemption) {
  // Spot S (priority 0) holds the cluster; internal I (priority 5) arrives at
  // 2h. The priority rule alone would stop S at once; with spot_reclaim S gets
  // its 2-minute notice first.
  const auto j = run(scenario("{policy: [priority, spot_reclaim], reclaim_notice: 2min}",
                              "      - {submit: 0h, gpus: 16, duration: 10h, kind: spot, priority: 0}\n"
                              "      - {submit: 2h, gpus: 8, duration: 1h, priority: 5}\n"));
  EXPECT_DOUBLE_EQ(j[1].start_s, 2 * H + 120);
  EXPECT_EQ(j[0].preemptions, 1);
}
