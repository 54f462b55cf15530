#include "workloads/generators.hpp"

#include <algorithm>
#include <cmath>

namespace gwsim::workloads {
namespace {
constexpr double DAY_S = 86400.0;
constexpr double PI = 3.14159265358979323846;
}  // namespace

double ArrivalCycle::rate_at(double t) const {
  const double hour = std::fmod(t, DAY_S) / 3600.0;
  const double daily = 1.0 + diurnal_amplitude * std::cos(2 * PI * (hour - peak_hour) / 24.0);
  const int weekday = static_cast<int>(std::fmod(std::floor(t / DAY_S), 7.0));
  const double weekly = weekday >= 5 ? weekend_factor : 1.0;
  return per_hour / 3600.0 * daily * weekly;
}

double ArrivalCycle::max_rate() const {
  return per_hour / 3600.0 * (1.0 + diurnal_amplitude) * std::max(1.0, weekend_factor);
}

PoissonSource::PoissonSource(ArrivalCycle cycle, double horizon_s, uint64_t seed, const std::string& stream)
    : cycle_(cycle), horizon_s_(horizon_s), arrivals_(seed, stream + ".arrivals"), body_(seed, stream + ".body") {}

std::optional<JobRequest> PoissonSource::next() {
  const double lambda_max = cycle_.max_rate();
  if (!(lambda_max > 0)) return std::nullopt;
  while (true) {
    t_ += arrivals_.exponential(lambda_max);
    if (t_ >= horizon_s_) return std::nullopt;
    if (arrivals_.uniform() * lambda_max <= cycle_.rate_at(t_)) break;
  }
  JobRequest r;
  r.submit_s = t_;
  draw(body_, r);
  return r;
}

int64_t draw_power_of_two(Rng& rng, int64_t lo, int64_t hi, double decay) {
  const int kmin = static_cast<int>(std::ceil(std::log2(static_cast<double>(std::max<int64_t>(lo, 1)))));
  const int kmax = static_cast<int>(std::floor(std::log2(static_cast<double>(std::max<int64_t>(hi, 1)))));
  if (kmax <= kmin) return int64_t(1) << kmin;
  double total = 0;
  for (int k = kmin; k <= kmax; ++k) total += std::pow(decay, k - kmin);
  double u = rng.uniform() * total;
  for (int k = kmin; k <= kmax; ++k) {
    u -= std::pow(decay, k - kmin);
    if (u < 0) return int64_t(1) << k;
  }
  return int64_t(1) << kmax;
}

InternalJobsSource::InternalJobsSource(InternalJobsParams p, double horizon_s, uint64_t seed)
    : PoissonSource(p.arrivals, horizon_s, seed, "workload.internal_jobs"), p_(std::move(p)) {}

void InternalJobsSource::draw(Rng& rng, JobRequest& out) {
  out.tenant = Tenant::INTERNAL;
  out.kind = rng.uniform() < p_.finetune_fraction ? JobKind::FINETUNE : JobKind::RESEARCH;
  out.gpus = draw_power_of_two(rng, p_.min_gpus, p_.max_gpus, p_.size_decay);
  out.duration_s = std::min(p_.max_duration_s, rng.lognormal(std::log(p_.duration_median_s), p_.duration_sigma));
  out.duration_s = std::max(out.duration_s, 60.0);
  out.priority = p_.priority;
}

PretrainSource::PretrainSource(PretrainParams p, double horizon_s, uint64_t seed)
    : PoissonSource(ArrivalCycle{p.campaigns_per_week / (7 * 24.0)}, horizon_s, seed, "workload.pretrain"),
      p_(std::move(p)) {}

void PretrainSource::draw(Rng& rng, JobRequest& out) {
  out.tenant = Tenant::INTERNAL;
  out.kind = JobKind::PRETRAIN;
  out.gpus = draw_power_of_two(rng, p_.min_gpus, p_.max_gpus, 1.0);
  out.model = p_.model;
  // Log-uniform token budget between the bounds.
  out.work_tokens = p_.tokens_min * std::pow(p_.tokens_max / p_.tokens_min, rng.uniform());
  out.duration_s = -1;
  out.priority = p_.priority;
}

LeaseBookSource::LeaseBookSource(LeaseBookParams p, double horizon_s, uint64_t seed)
    : PoissonSource(ArrivalCycle{p.leases_per_week / (7 * 24.0)}, horizon_s, seed, "workload.lease_book"),
      p_(std::move(p)) {}

void LeaseBookSource::draw(Rng& rng, JobRequest& out) {
  out.tenant = Tenant::EXTERNAL;
  out.kind = JobKind::LEASE;
  out.gpus = draw_power_of_two(rng, p_.min_gpus, p_.max_gpus, 0.7);
  out.duration_s = p_.term_min_s * std::pow(p_.term_max_s / p_.term_min_s, rng.uniform());
  out.price_usd_per_gpu_hour = p_.price_usd_per_gpu_hour;
  out.patience_s = p_.patience_s;
  out.priority = p_.priority;
}

}  // namespace gwsim::workloads
