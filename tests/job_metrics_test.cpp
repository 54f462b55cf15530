// The replay metrics of trace jobs, from outcomes worked out by hand:
// completion time, bounded slowdown (tau = 10 s), wait, makespan, and the
// jobs that never started.
#include <gtest/gtest.h>

#include <map>

#include "sim/engine/job_metrics.hpp"

using gwsim::sim::JobOutcome;
using gwsim::sim::TraceJobMetrics;

namespace {

std::map<std::string, double> values(const TraceJobMetrics& m) {
  std::vector<gwsim::results::SummaryValue> out;
  m.append_summary(out);
  std::map<std::string, double> v;
  for (const auto& s : out) v[s.name] = s.value;
  return v;
}

}  // namespace

TEST(JobMetrics, PercentileInterpolatesBetweenRanks) {
  EXPECT_DOUBLE_EQ(gwsim::sim::percentile({4, 1, 3, 2}, 0.5), 2.5);
  EXPECT_DOUBLE_EQ(gwsim::sim::percentile({0, 90, 170}, 0.95), 90 + 0.9 * 80);
  EXPECT_DOUBLE_EQ(gwsim::sim::percentile({}, 0.95), 0);
}

TEST(JobMetrics, FourJobsByHand) {
  TraceJobMetrics m;
  m.add({0, 0, 100, 100, true});     // A: no wait, JCT 100, slowdown 1
  m.add({10, 100, 105, 5, true});    // B: waits 90, runs 5 (< 10 s): slowdown 95 / 10 = 9.5
  m.add({20, -1, 500, 0, false});    // C: refused or queued at the end: never started
  m.add({30, 200, 500, 300, false}); // D: running at the end: a wait of 170, no JCT
  const auto v = values(m);
  EXPECT_EQ(v.at("trace_jobs"), 4);
  EXPECT_EQ(v.at("trace_jobs_completed"), 2);
  EXPECT_EQ(v.at("trace_jobs_never_started"), 1);
  EXPECT_DOUBLE_EQ(v.at("trace_mean_jct"), 97.5);
  EXPECT_DOUBLE_EQ(v.at("trace_median_jct"), 97.5);
  EXPECT_DOUBLE_EQ(v.at("trace_p95_jct"), 95 + 0.95 * 5);
  EXPECT_DOUBLE_EQ(v.at("trace_mean_bounded_slowdown"), (1 + 9.5) / 2);
  EXPECT_DOUBLE_EQ(v.at("trace_mean_wait"), (0 + 90 + 170) / 3.0);
  EXPECT_DOUBLE_EQ(v.at("trace_p95_wait"), 90 + 0.9 * 80);
  EXPECT_DOUBLE_EQ(v.at("trace_makespan"), 105) << "first submit (0) to the last completion (105)";
}

TEST(JobMetrics, SlowdownIsBoundedBelowByOne) {
  TraceJobMetrics m;
  m.add({0, 0, 2, 2, true});  // a 2 s job that did not wait: 2 / max(2, 10) = 0.2, bounded to 1
  EXPECT_DOUBLE_EQ(values(m).at("trace_mean_bounded_slowdown"), 1);
}

TEST(JobMetrics, NothingCompletedGivesZerosNotNaN) {
  TraceJobMetrics m;
  m.add({5, -1, 10, 0, false});
  const auto v = values(m);
  EXPECT_EQ(v.at("trace_jobs_never_started"), 1);
  EXPECT_EQ(v.at("trace_mean_jct"), 0);
  EXPECT_EQ(v.at("trace_makespan"), 0);
  EXPECT_EQ(v.at("trace_mean_wait"), 0);
}
