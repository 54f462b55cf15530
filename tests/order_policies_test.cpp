// The order policies (greedy, sjf, srtf, las, themis) on schedules computed by
// hand, on a 16-GPU cluster (2 nodes of 8), and greedy's pass cost.
#include <gtest/gtest.h>

#include <simgrid/s4u/Comm.hpp>

#include "common/error.hpp"
#include "sim/policies/policy_registry.hpp"
#include "test_support.hpp"

using gwsim::results::JobRecord;

namespace {

constexpr double H = 3600, MIN = 60;

std::string scenario(const std::string& scheduler, const std::string& jobs, const std::string& extra = "") {
  return "horizon: 3d\n"
         "cluster: {gpu: H100-SXM, gpus_per_node: 8, nodes_per_rack: 2, racks_per_pod: 1}\n"
         "scheduler: " + scheduler + "\n" + extra +
         "workload:\n  - type: list\n    jobs:\n" + jobs;
}

std::vector<JobRecord> run(const std::string& yaml) {
  auto r = gwsim::test::run_text(yaml, gwsim::test::temp_dir());
  gwsim::test::expect_invariants(r, 16);
  auto jobs = gwsim::results::read_jobs(r.h5);
  std::sort(jobs.begin(), jobs.end(), [](auto& a, auto& b) { return a.id < b.id; });
  return jobs;
}

void expect_times(const std::vector<JobRecord>& j, const std::vector<std::pair<double, double>>& start_end) {
  ASSERT_EQ(j.size(), start_end.size());
  for (size_t i = 0; i < j.size(); ++i) {
    EXPECT_NEAR(j[i].start_s, start_end[i].first, 1e-6) << "start of job " << i;
    EXPECT_NEAR(j[i].end_s, start_end[i].second, 1e-6) << "end of job " << i;
  }
}

// Checkpoints every 40 min (a fixed-duration job's writes cost nothing extra),
// restart 6 min: a preempted job loses the work since its last 40-min mark.
const std::string CHECKPOINTS = "execution: {checkpoint: {research: {interval: 40min, restart: 6min}}}\n";

}  // namespace

// A (8 GPUs) holds node 0 until 10h; B (16) cannot start before. greedy starts
// C at 2h on node 1 and E at 4h beside it although B and D wait ahead of them;
// D (8) gets node 1 when E ends at 6h; B gets the cluster at 10h.
const std::string GREEDY_JOBS =
    "      - {submit: 0h, gpus: 8, duration: 10h}\n"  // A
    "      - {submit: 1h, gpus: 16, duration: 2h}\n"  // B
    "      - {submit: 2h, gpus: 4, duration: 3h}\n"   // C
    "      - {submit: 3h, gpus: 8, duration: 1h}\n"   // D
    "      - {submit: 4h, gpus: 4, duration: 2h}\n";  // E

TEST(OrderPolicies, GreedyStartsEveryJobThatFitsInArrivalOrder) {
  expect_times(run(scenario("{policy: greedy}", GREEDY_JOBS)),
               {{0, 10 * H}, {10 * H, 12 * H}, {2 * H, 5 * H}, {6 * H, 7 * H}, {4 * H, 6 * H}});
}

// fifo on the same jobs: C, D and E wait behind B until 12h (E beside C on node 0).
TEST(OrderPolicies, FifoOnTheGreedyJobsBlocksBehindB) {
  expect_times(run(scenario("{policy: fifo}", GREEDY_JOBS)),
               {{0, 10 * H}, {10 * H, 12 * H}, {12 * H, 15 * H}, {12 * H, 13 * H}, {12 * H, 14 * H}});
}

namespace {

// Counts the placements a pass asks for.
class CountingPlacement final : public gwsim::sim::Placement {
 public:
  explicit CountingPlacement(int* calls) : calls_(calls) {}
  std::optional<gwsim::sim::Allocation> place(const gwsim::sim::ClusterState& c, const gwsim::sim::Demand& d) const override {
    ++*calls_;
    return inner_.place(c, d);
  }

 private:
  int* calls_;
  gwsim::sim::FirstFitPlacement inner_;
};

}  // namespace

// 1,000 queued jobs of 16 GPUs and 1,000 of 12 behind one of 4, with 8 GPUs
// free: the pass looks at one blocked job per size and starts the small one.
TEST(OrderPolicies, GreedyPassTouchesTheJobsItStartsAndOneBlockedJobPerSize) {
  using namespace gwsim::sim;
  gwsim::topology::ClusterSpec spec;
  spec.gpus_per_node = 8;
  spec.nodes_per_rack = 2;
  spec.racks_per_pod = 1;
  ClusterState cluster(spec);
  int calls = 0;
  Scheduler s(cluster, make_policy_rules({"greedy"}), std::make_unique<CountingPlacement>(&calls),
              [](const Job& j) { return j.req.duration_s; });
  std::vector<std::unique_ptr<Job>> jobs;
  auto add = [&](int64_t gpus) {
    jobs.push_back(std::make_unique<Job>());
    jobs.back()->req.id = jobs.size();
    jobs.back()->req.gpus = gpus;
    jobs.back()->req.duration_s = 3600;
    s.enqueue(jobs.back().get(), 0);
  };
  add(8);
  EXPECT_EQ(s.schedule(0).started.size(), 1u);
  calls = 0;
  for (int i = 0; i < 1000; ++i) add(16);
  for (int i = 0; i < 1000; ++i) add(12);
  add(4);
  const Decision d = s.schedule(0);
  ASSERT_EQ(d.started.size(), 1u);
  EXPECT_EQ(d.started[0]->req.gpus, 4);
  EXPECT_EQ(calls, 3) << "one blocked 16, one blocked 12, the 4 that starts";
  EXPECT_EQ(s.queue_length(), 2000u);
}

// A holds the cluster until 2h; B (5h), C (1h) and D (30 min) wait. sjf on
// the true durations runs D, then C and B side by side.
const std::string SJF_JOBS =
    "      - {submit: 0h, gpus: 16, duration: 2h}\n"                  // A
    "      - {submit: 1h, gpus: 8, duration: 5h, estimate: 1h}\n"     // B
    "      - {submit: 1h, gpus: 8, duration: 1h, estimate: 5h}\n"     // C
    "      - {submit: 1h, gpus: 16, duration: 30min, estimate: 10h}\n";  // D

TEST(OrderPolicies, SjfOnTrueDurationsRunsTheShortestFirst) {
  expect_times(run(scenario("{policy: sjf}", SJF_JOBS)),
               {{0, 2 * H}, {2.5 * H, 7.5 * H}, {2.5 * H, 3.5 * H}, {2 * H, 2.5 * H}});
}

// The same jobs ranked by the trace's (users') estimates: B (1h) and C (5h)
// start at 2h; D (10h) needs both nodes and waits for B until 7h.
TEST(OrderPolicies, SjfOnTraceEstimatesFollowsTheEstimates) {
  expect_times(run(scenario("{policy: sjf, estimate: trace}", SJF_JOBS)),
               {{0, 2 * H}, {2 * H, 7 * H}, {2 * H, 3 * H}, {7 * H, 7.5 * H}});
}

// user_history: J1 (u2, 5h) runs 1h-6h behind J0 (u1, 1h). At 6h u1's mean is
// 1h, u2's 5h, u3 has none (estimate_default 4h): J3, then J4 (4h beats u2's
// 5h), then J2. On true durations the order would be J2, J4, J3.
const std::string HISTORY_JOBS =
    "      - {submit: 0h, gpus: 16, duration: 1h, user: u1}\n"     // J0
    "      - {submit: 30min, gpus: 16, duration: 5h, user: u2}\n"  // J1
    "      - {submit: 2h, gpus: 16, duration: 1h, user: u2}\n"     // J2
    "      - {submit: 2h, gpus: 16, duration: 3h, user: u1}\n"     // J3
    "      - {submit: 2h, gpus: 16, duration: 2h, user: u3}\n";    // J4

TEST(OrderPolicies, SjfOnUserHistoryUsesTheMeanOfTheUsersCompletedJobs) {
  expect_times(run(scenario("{policy: sjf, estimate: user_history, estimate_default: 4h}", HISTORY_JOBS)),
               {{0, 1 * H}, {1 * H, 6 * H}, {11 * H, 12 * H}, {6 * H, 9 * H}, {9 * H, 11 * H}});
}

TEST(OrderPolicies, SjfOnTrueDurationsOfTheHistoryJobs) {
  expect_times(run(scenario("{policy: sjf}", HISTORY_JOBS)),
               {{0, 1 * H}, {1 * H, 6 * H}, {6 * H, 7 * H}, {9 * H, 12 * H}, {7 * H, 9 * H}});
}

// srtf: B (1h left) arrives at 2.5h while A has 7.5h left: A is preempted,
// loses the 30 min since its 2h checkpoint (hourly, restart 5 min: research's
// defaults) and restarts when B ends at 3.5h: 5 min + 8h, ending at 11h35m.
// C (9h) arriving at 5h has more left than A (6h35m): no preemption.
TEST(OrderPolicies, SrtfPreemptsForAShorterRemainingTimeAndPaysTheRestart) {
  const auto j = run(scenario("{policy: srtf}",
                              "      - {submit: 0h, gpus: 16, duration: 10h}\n"
                              "      - {submit: 2.5h, gpus: 8, duration: 1h}\n"
                              "      - {submit: 5h, gpus: 16, duration: 9h}\n"));
  const double a_end = 3.5 * H + 5 * MIN + 8 * H;
  expect_times(j, {{0, a_end}, {2.5 * H, 3.5 * H}, {a_end, a_end + 9 * H}});
  EXPECT_EQ(j[0].preemptions, 1);
  EXPECT_EQ(j[1].preemptions, 0);
  EXPECT_EQ(j[2].preemptions, 0);
}

// las (threshold 16 GPU-hours, STARVELIMIT = 1 x the last run): A (16 GPUs)
// reaches 16 GPU-h at 1h and drops to the second queue; B, waiting in the
// first, preempts it (A keeps its 40-min checkpoint). At 2h B reaches the
// threshold too, and A, requeued at 1h after a 1h run, is promoted (1h x 1):
// A preempts B, restarts (6 min) and finishes its 50 min at 2h56m; B keeps
// its 1h40m checkpoint and finishes 6 min + 4h20m later, at 7h22m.
TEST(OrderPolicies, LasDemotesAtTheThresholdAndPromotesTheStarved) {
  const auto j = run(scenario("{policy: las, las_thresholds: [16h], las_starve_knob: 1}",
                              "      - {submit: 0h, gpus: 16, duration: 1.5h}\n"
                              "      - {submit: 30min, gpus: 16, duration: 5h}\n",
                              CHECKPOINTS));
  expect_times(j, {{0, 2 * H + 56 * MIN}, {1 * H, 7 * H + 22 * MIN}});
  EXPECT_EQ(j[0].preemptions, 1);
  EXPECT_EQ(j[1].preemptions, 1);
}

// Three queues (16 and 160 GPU-h) and the default knob (A's promotion would
// come at 9h): at 2h B reaches 16 GPU-h and joins A in the second queue,
// where A arrived first and so preempts B: the same schedule, by FIFO.
TEST(OrderPolicies, LasWithinTheSameQueueIsFifo) {
  const auto j = run(scenario("{policy: las, las_thresholds: [16h, 160h]}",
                              "      - {submit: 0h, gpus: 16, duration: 1.5h}\n"
                              "      - {submit: 30min, gpus: 16, duration: 5h}\n",
                              CHECKPOINTS));
  expect_times(j, {{0, 2 * H + 56 * MIN}, {1 * H, 7 * H + 22 * MIN}});
}

// themis (lease 1h): at 1h A (10h alone on half the cluster: T_id 20h) and B
// (1h, T_id 2h) both have rho 0.5: no preemption. At the round of 2h, B's rho
// is (1h + 1h) / 2h = 1 against A's (2h + 8h) / 20h = 0.5, and A's lease has
// expired: A is preempted (checkpoints every 50 min: it keeps 1h40m), B runs
// 2h-3h, A restarts (6 min) with 8h20m left and ends at 11h26m.
TEST(OrderPolicies, ThemisGivesTheGpusToTheLargestFinishTimeRatioAtLeaseEnds) {
  const auto j = run(scenario("{policy: themis, themis_lease: 1h, themis_filter: 1}",
                              "      - {submit: 0h, gpus: 16, duration: 10h}\n"
                              "      - {submit: 1h, gpus: 16, duration: 1h}\n",
                              "execution: {checkpoint: {research: {interval: 50min, restart: 6min}}}\n"));
  expect_times(j, {{0, 11 * H + 26 * MIN}, {2 * H, 3 * H}});
  EXPECT_EQ(j[0].preemptions, 1);
}

// A job of a non-preemptible kind is never stopped by a preemptive order.
TEST(OrderPolicies, SrtfNeverStopsANonPreemptibleKind) {
  const auto j = run(scenario("{policy: srtf, preemptible: [spot]}",
                              "      - {submit: 0h, gpus: 16, duration: 10h}\n"
                              "      - {submit: 2.5h, gpus: 8, duration: 1h}\n"));
  expect_times(j, {{0, 10 * H}, {10 * H, 11 * H}});
}

// Priority composes: under [priority, sjf] the higher-priority long job goes
// before the shorter one (A is not preemptible here, so B waits for it).
TEST(OrderPolicies, PriorityComposesWithSjf) {
  const auto j = run(scenario("{policy: [priority, sjf], preemptible: [spot]}",
                              "      - {submit: 0h, gpus: 16, duration: 2h}\n"
                              "      - {submit: 1h, gpus: 16, duration: 5h, priority: 10}\n"
                              "      - {submit: 1h, gpus: 16, duration: 1h}\n"));
  expect_times(j, {{0, 2 * H}, {2 * H, 7 * H}, {7 * H, 8 * H}});
}

TEST(OrderPolicies, UnknownOrConflictingNamesListTheKnownOnes) {
  const std::string cluster = "cluster: {gpu: H100-SXM, nodes_per_rack: 2, racks_per_pod: 1}\n";
  auto error_of = [&](const std::string& sched) {
    try {
      gwsim::sim::parse_scenario(cluster + "scheduler: " + sched + "\n", "s.yaml");
    } catch (const gwsim::Error& e) {
      return std::string(e.what());
    }
    return std::string();
  };
  const auto unknown = error_of("{policy: tiresias}");
  for (const char* name : {"fifo", "greedy", "sjf", "srtf", "las", "themis", "easy_backfill"})
    EXPECT_NE(unknown.find(name), std::string::npos) << unknown;
  EXPECT_NE(error_of("{policy: [sjf, las]}").find("two job orders"), std::string::npos);
  EXPECT_NE(error_of("{policy: [greedy, easy_backfill]}").find("easy_backfill"), std::string::npos);
  EXPECT_NE(error_of("{policy: las, las_thresholds: [2h, 1h]}").find("ascending"), std::string::npos);
  EXPECT_NE(error_of("{policy: sjf, estimate: oracle}").find("user_history"), std::string::npos);
}
