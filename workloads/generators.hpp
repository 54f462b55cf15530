#pragma once
// Seeded synthetic workload generators. Each streams its requests in arrival
// order from a non-homogeneous Poisson process (thinning, Lewis & Shedler
// 1979), so a month of a gigawatt's demand costs no memory up front.
#include <cstdint>
#include <string>
#include <vector>

#include "common/rng.hpp"
#include "workloads/source.hpp"

namespace gwsim::workloads {

/// Arrival-rate shape shared by generators: a base rate modulated by a daily
/// and a weekly cycle. rate(t) = base * (1 + a_d cos(2 pi (t - peak_d)/1d)) * weekday factor.
struct ArrivalCycle {
  double per_hour = 1;              ///< mean arrivals per hour
  double diurnal_amplitude = 0;     ///< 0..1
  double peak_hour = 14;            ///< hour of day with the most arrivals
  double weekend_factor = 1;        ///< rate multiplier on days 5 and 6 of each week (run starts on a Monday)
  double rate_at(double t_s) const; ///< arrivals per second at t
  double max_rate() const;
};

/// Internal research and fine-tuning jobs: many, small, heavy-tailed.
struct InternalJobsParams {
  ArrivalCycle arrivals{20, 0.3, 14, 0.6};
  int min_gpus = 1;
  int max_gpus = 256;
  double size_decay = 0.5;          ///< P(2^k GPUs) proportional to size_decay^k
  double duration_median_s = 3600;  ///< lognormal run time
  double duration_sigma = 1.5;
  double max_duration_s = 14 * 86400.0;
  double finetune_fraction = 0.3;   ///< the rest are research jobs
  int priority = 1;
};

/// Pretraining campaigns: few, huge, weeks long, measured in tokens of a model.
struct PretrainParams {
  double campaigns_per_week = 0.5;
  int min_gpus = 1024;
  int max_gpus = 16384;
  std::string model = "llama3-70b";
  double tokens_min = 1e12;
  double tokens_max = 15e12;
  int priority = 3;
};

/// External reserved blocks: a contracted number of GPUs for a term.
struct LeaseBookParams {
  double leases_per_week = 2;
  int min_gpus = 64;
  int max_gpus = 1024;
  double term_min_s = 7 * 86400.0;
  double term_max_s = 90 * 86400.0;
  double price_usd_per_gpu_hour = 2.0;
  double patience_s = 86400;        ///< a lease not placed within this wait is refused
  int priority = 2;
};

/// A generator of i.i.d. requests at the times of an ArrivalCycle, ending at horizon_s.
class PoissonSource : public Source {
 public:
  PoissonSource(ArrivalCycle cycle, double horizon_s, uint64_t seed, const std::string& stream);
  std::optional<JobRequest> next() final;

 protected:
  /// Fills everything but the id and submit time.
  virtual void draw(Rng& rng, JobRequest& out) = 0;

 private:
  ArrivalCycle cycle_;
  double horizon_s_;
  double t_ = 0;
  Rng arrivals_;
  Rng body_;
};

class InternalJobsSource final : public PoissonSource {
 public:
  InternalJobsSource(InternalJobsParams p, double horizon_s, uint64_t seed);

 private:
  void draw(Rng& rng, JobRequest& out) override;
  InternalJobsParams p_;
};

class PretrainSource final : public PoissonSource {
 public:
  PretrainSource(PretrainParams p, double horizon_s, uint64_t seed);

 private:
  void draw(Rng& rng, JobRequest& out) override;
  PretrainParams p_;
};

class LeaseBookSource final : public PoissonSource {
 public:
  LeaseBookSource(LeaseBookParams p, double horizon_s, uint64_t seed);

 private:
  void draw(Rng& rng, JobRequest& out) override;
  LeaseBookParams p_;
};

/// A power of two in [lo, hi], P(2^k) proportional to decay^k.
int64_t draw_power_of_two(Rng& rng, int64_t lo, int64_t hi, double decay);

}  // namespace gwsim::workloads
