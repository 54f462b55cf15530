#include "sim/engine/job_metrics.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace gwsim::sim {

double percentile(std::vector<double> v, double p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  const double pos = p * static_cast<double>(v.size() - 1);
  const auto lo = static_cast<size_t>(std::floor(pos));
  const size_t hi = std::min(lo + 1, v.size() - 1);
  return v[lo] + (v[hi] - v[lo]) * (pos - static_cast<double>(lo));
}

void TraceJobMetrics::add(const JobOutcome& j) {
  ++jobs_;
  if (first_submit_s_ < 0 || j.submit_s < first_submit_s_) first_submit_s_ = j.submit_s;
  if (j.first_start_s < 0) {
    ++never_started_;
    return;
  }
  wait_s_.push_back(j.first_start_s - j.submit_s);
  if (!j.completed) return;
  ++completed_;
  const double jct = j.end_s - j.submit_s;
  jct_s_.push_back(jct);
  slowdown_.push_back(std::max(1.0, jct / std::max(j.run_s, SLOWDOWN_THRESHOLD_S)));
  last_end_s_ = std::max(last_end_s_, j.end_s);
}

void TraceJobMetrics::append_summary(std::vector<results::SummaryValue>& out) const {
  auto mean = [](const std::vector<double>& v) {
    return v.empty() ? 0.0 : std::accumulate(v.begin(), v.end(), 0.0) / static_cast<double>(v.size());
  };
  out.push_back({"trace_jobs", double(jobs_), "jobs"});
  out.push_back({"trace_jobs_completed", double(completed_), "jobs"});
  out.push_back({"trace_jobs_never_started", double(never_started_), "jobs"});
  out.push_back({"trace_mean_jct", mean(jct_s_), "s"});
  out.push_back({"trace_median_jct", percentile(jct_s_, 0.5), "s"});
  out.push_back({"trace_p95_jct", percentile(jct_s_, 0.95), "s"});
  out.push_back({"trace_mean_bounded_slowdown", mean(slowdown_), "ratio"});
  out.push_back({"trace_mean_wait", mean(wait_s_), "s"});
  out.push_back({"trace_p95_wait", percentile(wait_s_, 0.95), "s"});
  out.push_back({"trace_makespan", completed_ > 0 ? last_end_s_ - first_submit_s_ : 0.0, "s"});
}

}  // namespace gwsim::sim
