#pragma once
// What a researcher replaying a trace compares policies by: job completion
// time (mean, median, p95), bounded slowdown, wait (mean, p95), makespan, and
// the jobs that never started, over the jobs of the scenario's trace entries
// (docs/workloads.md#replay-metrics gives the definitions).
#include <cstdint>
#include <string>
#include <vector>

#include "results/records.hpp"

namespace gwsim::sim {

/// Percentile p in [0, 1] of `v`, interpolated linearly between the closest
/// ranks (p = 0.5 of {1, 2, 3, 4} is 2.5); 0 for an empty set.
double percentile(std::vector<double> v, double p);

/// How one job ended, in the terms the metrics need (seconds, simulated time).
struct JobOutcome {
  double submit_s = 0;
  double first_start_s = -1;  ///< < 0: never started
  double end_s = 0;
  double run_s = 0;           ///< time it held GPUs, all segments
  bool completed = false;
};

class TraceJobMetrics {
 public:
  /// Runs shorter than this count as this long in the bounded slowdown
  /// (Feitelson et al., "Theory and practice in parallel job scheduling", 1997: tau = 10 s).
  static constexpr double SLOWDOWN_THRESHOLD_S = 10;

  void add(const JobOutcome& job);
  /// Appends the `trace_*` summary values (docs/workloads.md#replay-metrics).
  void append_summary(std::vector<results::SummaryValue>& out) const;

  int64_t jobs() const { return jobs_; }

 private:
  int64_t jobs_ = 0, completed_ = 0, never_started_ = 0;
  std::vector<double> jct_s_, slowdown_, wait_s_;
  double first_submit_s_ = -1, last_end_s_ = -1;
};

}  // namespace gwsim::sim
