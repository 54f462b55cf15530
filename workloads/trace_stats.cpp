#include "workloads/trace_stats.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>

namespace gwsim::workloads {
namespace {

constexpr int MANTISSA_BITS = 10;          // 1024 bins per power of two: 2^-10 relative width
constexpr int MIN_EXPONENT = -20;          // values below 2^-20 (about 1 us) share the lowest bin
constexpr int MAX_EXPONENT = 50;           // and above 2^50 the highest
constexpr size_t BINS = size_t(MAX_EXPONENT - MIN_EXPONENT + 1) << MANTISSA_BITS;
constexpr double DAY_S = 86400.0;

}  // namespace

LogHistogram::LogHistogram() = default;

size_t LogHistogram::bin(double v) {
  if (!(v > 0)) return 0;
  // The bin is the IEEE exponent and the top mantissa bits: every value in a
  // bin is within 2^-10 of the bin's lower edge.
  uint64_t bits;
  std::memcpy(&bits, &v, sizeof bits);
  const int exponent = static_cast<int>((bits >> 52) & 0x7ff) - 1023;
  if (exponent < MIN_EXPONENT) return 1;
  if (exponent > MAX_EXPONENT) return BINS;
  const uint64_t mantissa = (bits >> (52 - MANTISSA_BITS)) & ((1u << MANTISSA_BITS) - 1);
  return 1 + (size_t(exponent - MIN_EXPONENT) << MANTISSA_BITS) + mantissa;
}

void LogHistogram::add(double v) {
  const auto it = bins_.try_emplace(static_cast<uint32_t>(std::min(bin(v), BINS)), Bin{0, v}).first;
  it->second.count++;
  it->second.min = std::min(it->second.min, v);
  max_ = count_ == 0 ? v : std::max(max_, v);
  ++count_;
}

double LogHistogram::percentile(double p) const {
  if (count_ == 0) return 0;
  const uint64_t rank = std::max<uint64_t>(1, static_cast<uint64_t>(std::ceil(p / 100.0 * double(count_) - 1e-9)));
  uint64_t seen = 0;
  for (const auto& [b, bin] : bins_) {
    seen += bin.count;
    if (seen >= rank) return bin.min;
  }
  return max_;
}

TraceStats::TraceStats(std::optional<double> local_origin_s)
    : origin_s_(local_origin_s.value_or(0)),
      monday_shift_(local_origin_s ? 3 : 0) {}  // Unix day 0, 1970-01-01, was a Thursday (Monday = 0)

void TraceStats::add(const JobRequest& r) {
  if (jobs_ == 0) first_ = r.submit_s;
  last_ = std::max(last_, r.submit_s);
  first_ = std::min(first_, r.submit_s);
  ++jobs_;
  by_gpus_[r.gpus]++;
  gpus_sum_ += static_cast<double>(r.gpus);
  if (r.duration_s >= 0) {
    durations_.add(r.duration_s);
    duration_sum_s_ += r.duration_s;
    gpu_hours_ += static_cast<double>(r.gpus) * r.duration_s / 3600.0;
  } else {
    ++token_jobs_;
  }
  const double local = r.submit_s + origin_s_;
  const double day = std::floor(local / DAY_S);
  const int hour = std::clamp(static_cast<int>((local - day * DAY_S) / 3600.0), 0, 23);
  by_hour_[size_t(hour)]++;
  const int64_t weekday = (static_cast<int64_t>(day) + monday_shift_) % 7;
  by_weekday_[size_t((weekday + 7) % 7)]++;
  by_kind_[size_t(r.kind)]++;
  by_tenant_[size_t(r.tenant)]++;
}

int64_t TraceStats::gpus_percentile(double p) const {
  if (jobs_ == 0) return 0;
  const uint64_t rank = std::max<uint64_t>(1, static_cast<uint64_t>(std::ceil(p / 100.0 * double(jobs_) - 1e-9)));
  uint64_t seen = 0;
  for (const auto& [gpus, n] : by_gpus_) {
    seen += n;
    if (seen >= rank) return gpus;
  }
  return by_gpus_.rbegin()->first;
}

double TraceStats::gpus_mean() const { return jobs_ ? gpus_sum_ / double(jobs_) : 0; }

double TraceStats::duration_mean_s() const {
  const uint64_t n = durations_.count();
  return n ? duration_sum_s_ / double(n) : 0;
}

std::array<double, 24> TraceStats::arrivals_per_hour() const {
  std::array<double, 24> out{};
  const double days = span_s() / DAY_S;
  if (!(days > 0)) return out;
  for (size_t h = 0; h < 24; ++h) out[h] = double(by_hour_[h]) / days;
  return out;
}

}  // namespace gwsim::workloads
