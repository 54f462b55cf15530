#pragma once
// Statistics of a request stream, accumulated in one pass in memory that does
// not grow with the number of jobs: job count, GPU-hours, GPU-count
// distribution (exact), run-time percentiles (binned at 2^-10 relative
// resolution: exact below 2048 s, within 0.1 % above), and arrivals by hour
// of day. `gwsim trace stats` prints them; the calibration of the generators
// compares them between a generator and a real trace.
#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "workloads/job_request.hpp"

namespace gwsim::workloads {

/// Percentiles of positive values from a fixed set of logarithmic bins (each
/// power of two split in 1024); a percentile is the smallest value seen in
/// its bin. Zero and negative values share bin 0.
class LogHistogram {
 public:
  LogHistogram();
  void add(double v);
  uint64_t count() const { return count_; }
  /// Nearest-rank percentile, p in (0, 100]: the ceil(p n / 100)-th smallest value (binned).
  double percentile(double p) const;
  double max() const { return max_; }

 private:
  static size_t bin(double v);
  // Only the occupied bins, in order (a trace of n jobs fills at most n of
  // the 72k bins; reading many small traces stays cheap).
  struct Bin {
    uint64_t count;
    double min;  ///< the smallest value seen in the bin
  };
  std::map<uint32_t, Bin> bins_;
  uint64_t count_ = 0;
  double max_ = 0;
};

class TraceStats {
 public:
  /// `local_origin_s`: the local wall-clock time (Unix seconds plus the zone
  /// offset) of submit_s = 0, when known; hours of day and days of the week
  /// then are the trace's local ones. Unknown: submit_s = 0 is taken as a
  /// Monday at 00:00, the generators' convention.
  explicit TraceStats(std::optional<double> local_origin_s = std::nullopt);
  void add(const JobRequest& r);

  uint64_t jobs() const { return jobs_; }
  /// GPU-hours of the fixed-duration jobs (gpus * duration_s / 3600).
  double gpu_hours() const { return gpu_hours_; }
  /// Jobs measured in tokens (no fixed duration; not in the duration statistics).
  uint64_t token_jobs() const { return token_jobs_; }
  double first_submit_s() const { return first_; }
  double last_submit_s() const { return last_; }
  /// Jobs by GPU count (exact).
  const std::map<int64_t, uint64_t>& by_gpus() const { return by_gpus_; }
  /// Nearest-rank percentile of GPU counts (exact).
  int64_t gpus_percentile(double p) const;
  double gpus_mean() const;
  const LogHistogram& durations() const { return durations_; }
  double duration_mean_s() const;
  /// Mean arrivals per hour in each hour of the local day, over the span
  /// [first, last submit] (24 values; their mean is jobs / span in hours).
  std::array<double, 24> arrivals_per_hour() const;
  /// Jobs arriving on each day of the week (0 = Monday).
  const std::array<uint64_t, 7>& by_weekday() const { return by_weekday_; }
  const std::array<uint64_t, JOB_KIND_COUNT>& by_kind() const { return by_kind_; }
  const std::array<uint64_t, TENANT_COUNT>& by_tenant() const { return by_tenant_; }
  double span_s() const { return jobs_ ? last_ - first_ : 0; }

 private:
  double origin_s_;
  int64_t monday_shift_;
  uint64_t jobs_ = 0;
  uint64_t token_jobs_ = 0;
  double gpu_hours_ = 0;
  double gpus_sum_ = 0;
  double duration_sum_s_ = 0;
  double first_ = 0;
  double last_ = 0;
  std::map<int64_t, uint64_t> by_gpus_;
  LogHistogram durations_;
  std::array<uint64_t, 24> by_hour_{};
  std::array<uint64_t, 7> by_weekday_{};
  std::array<uint64_t, JOB_KIND_COUNT> by_kind_{};
  std::array<uint64_t, TENANT_COUNT> by_tenant_{};
};

}  // namespace gwsim::workloads
