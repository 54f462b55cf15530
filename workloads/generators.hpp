#pragma once
// Seeded synthetic workload generators. Each streams its requests in arrival
// order from a non-homogeneous Poisson process (thinning, Lewis & Shedler
// 1979), so a month of a gigawatt's demand costs no memory up front. Every
// parameter is a scenario key (docs/workloads.md lists keys, units, defaults
// and where each default comes from); the defaults of the internal jobs are
// calibrated on the Philly and ITP traces (docs/workloads.md#calibration).
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "common/rng.hpp"
#include "workloads/source.hpp"

namespace gwsim::workloads {

/// Arrival-rate shape shared by generators: a base rate modulated by a daily
/// and a weekly cycle; t = 0 is a Monday, 00:00. The daily cycle is either a
/// cosine, rate(t) = per_hour * (1 + a cos(2 pi (hour(t) - peak_hour) / 24)),
/// or, when `hourly` holds 24 values, a measured profile: rate(t) = per_hour
/// * hourly[hour(t)] / mean(hourly). Either way the rate is multiplied by
/// weekend_factor on days 5 and 6 of each week.
struct ArrivalCycle {
  double per_hour = 1;              ///< mean arrivals per hour on weekdays
  double diurnal_amplitude = 0;     ///< 0..1
  double peak_hour = 14;            ///< hour of day with the most arrivals
  double weekend_factor = 1;        ///< rate multiplier on days 5 and 6 of each week (run starts on a Monday)
  std::vector<double> hourly;       ///< relative rates of hours 0..23 (empty: the cosine)
  /// A dated run (scenario start_date): the start's weekday times a day, so
  /// the weekly cycle follows the calendar (t = 0 is then that weekday's midnight).
  double start_offset_s = 0;
  /// Growth of the rate over the run: multiplied by (1 + g)^(t / 365 d).
  double growth_per_year = 0;
  double rate_at(double t_s) const; ///< arrivals per second at t
  double max_rate() const;          ///< without growth
  /// The largest rate in [0, horizon_s], growth included.
  double max_rate_until(double horizon_s) const;
};

/// How many GPUs a job asks for: either explicit weights per GPU count, or,
/// when `weights` is empty, powers of two with P(2^k) proportional to decay^k.
/// Counts outside [min_gpus, max_gpus] are never drawn.
struct SizeModel {
  std::vector<std::pair<int64_t, double>> weights;  ///< (GPUs, relative weight)
  double decay = 0.5;
  int64_t min_gpus = 1;
  int64_t max_gpus = 256;
  int64_t draw(Rng& rng) const;
};

/// How long a job runs: either a quantile function through (probability,
/// seconds) knots, log-linear between knots (so the last segment carries a
/// heavy tail up to the largest knot), or, when `quantiles` is empty, a
/// lognormal of median `median_s` and shape `sigma`. Draws are clamped to
/// [min_s, max_s].
struct DurationModel {
  std::vector<std::pair<double, double>> quantiles;  ///< (p in [0, 1], seconds), p ascending from 0 to 1
  double median_s = 3600;
  double sigma = 1.5;
  double min_s = 1;
  double max_s = 14 * 86400.0;
  double draw(Rng& rng) const;
};

/// Defaults measured on the real traces in ../shared/data/traces (the numbers
/// and how they were measured: docs/workloads.md#calibration).
namespace calibration {
ArrivalCycle philly_arrivals();          ///< weekday rate, hourly profile and weekend dip of Philly
SizeModel philly_sizes();                ///< Philly's jobs per GPU count
DurationModel philly_durations();        ///< run-time percentiles of Philly's one-GPU jobs
DurationModel philly_multi_durations();  ///< run-time percentiles of Philly's jobs of several GPUs
SizeModel itp_sizes();                   ///< ITP's jobs per GPU count (all 10 clusters)
DurationModel itp_durations();           ///< run-time percentiles of ITP's one-GPU jobs
DurationModel itp_multi_durations();     ///< run-time percentiles of ITP's jobs of several GPUs
inline constexpr uint64_t PHILLY_JOBS = 82247;
inline constexpr uint64_t ITP_JOBS = 69351;
}  // namespace calibration

/// Internal research and fine-tuning jobs: many, small, heavy-tailed. A job
/// is a fine-tune with probability finetune_fraction, else research; each
/// class has its own sizes and run times, and its jobs of several GPUs their
/// own run times (in the traces they run far longer than one-GPU jobs: the
/// bulk of the GPU-hours). Defaults: research as Philly (2017), fine-tunes
/// as ITP (2021), arrivals as Philly.
struct JobClass {
  SizeModel sizes;
  DurationModel durations;                     ///< one-GPU jobs (all jobs when multi_durations is empty)
  std::optional<DurationModel> multi_durations;  ///< jobs of more than one GPU
  /// Draws GPUs and a run time into `out`.
  void draw(Rng& rng, JobRequest& out) const;
};

struct InternalJobsParams {
  ArrivalCycle arrivals = calibration::philly_arrivals();
  JobClass research{calibration::philly_sizes(), calibration::philly_durations(),
                    calibration::philly_multi_durations()};
  JobClass finetune{calibration::itp_sizes(), calibration::itp_durations(), calibration::itp_multi_durations()};
  /// ITP's share of the pooled Philly + ITP jobs, so the mixture has the pooled traces' shape
  double finetune_fraction = double(calibration::ITP_JOBS) / double(calibration::ITP_JOBS + calibration::PHILLY_JOBS);
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

/// External reserved blocks: a contracted number of GPUs for a term (a week
/// to a year), at a price that falls with the term.
struct LeaseBookParams {
  double leases_per_week = 2;
  int min_gpus = 64;
  int max_gpus = 1024;
  double size_decay = 0.7;
  double term_min_s = 7 * 86400.0;
  double term_max_s = 365 * 86400.0;
  double price_usd_per_gpu_hour = 2.20;    ///< for the shortest term
  double price_usd_per_gpu_hour_longest = -1;  ///< for the longest term (log-linear between); < 0: same as shortest
  double patience_s = 86400;        ///< a lease not placed within this wait is refused
  int priority = 2;
};

/// External requests: on-demand bare metal (whole nodes, billed per started
/// hour, so run times are rounded up to whole hours, refused when not placed
/// within their patience) and spot capacity (cheap, preemptible, patient).
/// Prices per GPU-hour: on-demand H100 SXM $2.69 (RunPod Secure Cloud,
/// spheron.network/blog/runpod-h100-pricing-2026); spot $1.10, 60 % below
/// on-demand, within the 40-70 % discounts providers list
/// (aiapiplaybook.com/blog/gpu-cloud-pricing-2026-a100-vs-h100-vs-serverless-inference-compared).
struct RentalParams {
  ArrivalCycle arrivals;
  SizeModel sizes;
  DurationModel durations;
  double price_usd_per_gpu_hour = 0;
  double patience_s = -1;
  int priority = 0;
};

struct OnDemandParams : RentalParams {
  OnDemandParams()
      : RentalParams{{2, 0.3, 14, 0.7, {}}, {{}, 0.6, 8, 256}, {{}, 6 * 3600.0, 1.0, 3600, 30 * 86400.0}, 2.69, 3600, 2} {}
};

struct SpotParams : RentalParams {
  SpotParams() : RentalParams{{2, 0.2, 14, 1.0, {}}, {{}, 0.6, 1, 64}, {{}, 4 * 3600.0, 1.2, 60, 7 * 86400.0}, 1.10, 6 * 3600.0, 0} {}
};

/// One model-API service: its demand curve and how it is deployed.
struct InferenceServiceParams {
  std::string model = "llama3-70b";
  InferenceDemand demand;  ///< also its deployment: gpus_per_replica, min_replicas, max_replicas, scale_headroom
  double start_s = 0;               ///< when the service starts
  double lifetime_s = -1;           ///< how long it runs; < 0: to the end of the run
  int priority = 4;
};

/// Model-API inference demand: one INFERENCE request per service, holding
/// min_replicas * gpus_per_replica GPUs, carrying its demand curve.
struct InferenceParams {
  std::vector<InferenceServiceParams> services;
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

// Each generator draws from the streams "<stream>.arrivals" and "<stream>.body";
// the scenario names the stream after the source's place in the workload list
// ("workload[2]"), so two generators of one kind draw independently.

class InternalJobsSource final : public PoissonSource {
 public:
  InternalJobsSource(InternalJobsParams p, double horizon_s, uint64_t seed,
                     const std::string& stream = "workload.internal_jobs");

 private:
  void draw(Rng& rng, JobRequest& out) override;
  InternalJobsParams p_;
};

class PretrainSource final : public PoissonSource {
 public:
  PretrainSource(PretrainParams p, double horizon_s, uint64_t seed, const std::string& stream = "workload.pretrain");

 private:
  void draw(Rng& rng, JobRequest& out) override;
  PretrainParams p_;
};

class LeaseBookSource final : public PoissonSource {
 public:
  LeaseBookSource(LeaseBookParams p, double horizon_s, uint64_t seed,
                  const std::string& stream = "workload.lease_book");

 private:
  void draw(Rng& rng, JobRequest& out) override;
  LeaseBookParams p_;
};

/// On-demand (kind ON_DEMAND) or spot (kind SPOT) requests.
class RentalSource final : public PoissonSource {
 public:
  RentalSource(RentalParams p, JobKind kind, double horizon_s, uint64_t seed, const std::string& stream);

 private:
  void draw(Rng& rng, JobRequest& out) override;
  RentalParams p_;
  JobKind kind_;
};

/// The services of an InferenceParams as requests, by start time. Deterministic (no draws).
std::unique_ptr<Source> make_inference_source(const InferenceParams& p, double horizon_s);

/// A power of two in [lo, hi], P(2^k) proportional to decay^k.
int64_t draw_power_of_two(Rng& rng, int64_t lo, int64_t hi, double decay);

}  // namespace gwsim::workloads
