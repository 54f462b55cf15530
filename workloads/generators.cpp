#include "workloads/generators.hpp"

#include <algorithm>
#include <cmath>

namespace gwsim::workloads {

namespace {
constexpr double DAY_S = 86400.0;

// mean and max of a 24-hour profile
std::pair<double, double> profile_stats(const std::vector<double>& h) {
  double sum = 0, max = 0;
  for (double v : h) {
    sum += v;
    max = std::max(max, v);
  }
  return {sum / double(h.size()), max};
}
}  // namespace

double ArrivalCycle::rate_at(double t_run) const {
  const double growth = growth_per_year != 0 ? std::pow(1 + growth_per_year, t_run / (365 * DAY_S)) : 1.0;
  const double t = t_run + start_offset_s;
  if (hourly.size() != 24)
    return growth * per_hour / 3600.0 * daily_weekly_factor(t, diurnal_amplitude, peak_hour, weekend_factor);
  const auto [mean, max] = profile_stats(hourly);
  const size_t hour = std::min<size_t>(23, static_cast<size_t>(std::fmod(t, DAY_S) / 3600.0));
  // The weekly part alone: a flat day (amplitude 0) with the weekend factor.
  return growth * per_hour / 3600.0 * hourly[hour] / mean * daily_weekly_factor(t, 0, 0, weekend_factor);
}

double ArrivalCycle::max_rate_until(double horizon_s) const {
  const double g = std::pow(1 + growth_per_year, horizon_s / (365 * DAY_S));
  return max_rate() * std::max(1.0, g);
}

double ArrivalCycle::max_rate() const {
  const double daily = hourly.size() == 24 ? profile_stats(hourly).second / profile_stats(hourly).first
                                           : 1.0 + diurnal_amplitude;
  return per_hour / 3600.0 * daily * std::max(1.0, weekend_factor);
}

// ---------------------------------------------------------------------------
// Calibration on ../shared/data/traces (docs/workloads.md#calibration shows
// the generated statistics beside the traces'). Durations are nearest-rank
// percentiles of the files' run times, in seconds; sizes are the files' job
// counts per GPU count.

namespace calibration {

ArrivalCycle philly_arrivals() {
  // Philly, 2017-09-04 to 2017-12-22 (108.9 days): 35.5 jobs/h on weekdays,
  // weekends at 0.55 of weekdays; jobs per hour of day relative to their
  // mean, in the file's clock (the first harmonic alone: amplitude 0.29,
  // peak at 05:00 -- the diurnal_amplitude and peak_hour used when a
  // scenario asks for a cosine).
  ArrivalCycle c{35.5, 0.29, 5.0, 0.55, {}};
  c.hourly = {1.274, 0.985, 1.119, 1.103, 0.700, 1.153, 1.673, 2.089, 1.109, 1.006, 1.024, 0.869,
              0.749, 0.705, 0.638, 0.649, 0.882, 0.668, 0.801, 0.728, 1.016, 0.917, 1.134, 1.010};
  return c;
}

SizeModel philly_sizes() {
  return SizeModel{{{1, 76627}, {2, 1818}, {4, 1870}, {8, 1643}, {12, 7}, {16, 199}, {24, 7}, {32, 67}, {64, 6},
                    {128, 3}},
                   0.5, 1, 128};
}

static DurationModel quantile_model(std::vector<std::pair<double, double>> knots) {
  DurationModel d;
  d.min_s = knots.front().second;
  d.max_s = knots.back().second;
  d.quantiles = std::move(knots);
  return d;
}

// 76,627 one-GPU jobs.
DurationModel philly_durations() {
  return quantile_model({{0, 1}, {0.01, 30}, {0.05, 52}, {0.1, 62}, {0.25, 122}, {0.5, 1117}, {0.75, 2716},
                         {0.9, 8512}, {0.95, 19137}, {0.98, 68259}, {0.99, 135404}, {0.995, 266986},
                         {0.999, 868927}, {1, 3256045}});
}

// 5,620 jobs of 2 to 128 GPUs.
DurationModel philly_multi_durations() {
  return quantile_model({{0, 1}, {0.01, 7}, {0.05, 13}, {0.1, 17}, {0.25, 41}, {0.5, 4581}, {0.75, 83261},
                         {0.9, 208335}, {0.95, 364217}, {0.98, 610860}, {0.99, 906798}, {0.995, 1213031},
                         {0.999, 2582803}, {1, 4628226}});
}

SizeModel itp_sizes() {
  return SizeModel{{{1, 57682}, {2, 1483}, {4, 2371}, {8, 7009}, {16, 381}, {32, 354}, {64, 71}}, 0.5, 1, 64};
}

// 57,682 one-GPU jobs.
DurationModel itp_durations() {
  return quantile_model({{0, 600}, {0.01, 671}, {0.05, 987}, {0.1, 1288}, {0.25, 3909}, {0.5, 10131},
                         {0.75, 14368}, {0.9, 25322}, {0.95, 28837}, {0.98, 56777}, {0.99, 84701},
                         {0.995, 114941}, {0.999, 409344}, {1, 1573360}});
}

// 11,669 jobs of 2 to 64 GPUs.
DurationModel itp_multi_durations() {
  return quantile_model({{0, 600}, {0.01, 675}, {0.05, 871}, {0.1, 1637}, {0.25, 3773}, {0.5, 13251},
                         {0.75, 43944}, {0.9, 121203}, {0.95, 206279}, {0.98, 357567}, {0.99, 525866},
                         {0.995, 710364}, {0.999, 998624}, {1, 1237189}});
}

}  // namespace calibration

// ---------------------------------------------------------------------------

int64_t SizeModel::draw(Rng& rng) const {
  if (weights.empty()) return draw_power_of_two(rng, min_gpus, max_gpus, decay);
  double total = 0;
  for (const auto& [gpus, w] : weights)
    if (gpus >= min_gpus && gpus <= max_gpus) total += w;
  if (!(total > 0)) return min_gpus;
  double u = rng.uniform() * total;
  int64_t last = min_gpus;
  for (const auto& [gpus, w] : weights) {
    if (gpus < min_gpus || gpus > max_gpus) continue;
    last = gpus;
    u -= w;
    if (u < 0) return gpus;
  }
  return last;
}

double DurationModel::draw(Rng& rng) const {
  double v;
  if (quantiles.size() >= 2) {
    const double u = rng.uniform();
    size_t i = 1;
    while (i + 1 < quantiles.size() && quantiles[i].first <= u) ++i;
    const auto [p0, v0] = quantiles[i - 1];
    const auto [p1, v1] = quantiles[i];
    const double f = p1 > p0 ? (u - p0) / (p1 - p0) : 0.0;
    v = v0 * std::pow(v1 / v0, std::clamp(f, 0.0, 1.0));
  } else {
    v = rng.lognormal(std::log(median_s), sigma);
  }
  return std::clamp(v, min_s, max_s);
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

// ---------------------------------------------------------------------------

PoissonSource::PoissonSource(ArrivalCycle cycle, double horizon_s, uint64_t seed, const std::string& stream)
    : cycle_(cycle), horizon_s_(horizon_s), arrivals_(seed, stream + ".arrivals"), body_(seed, stream + ".body") {}

std::optional<JobRequest> PoissonSource::next() {
  const double lambda_max = cycle_.max_rate_until(horizon_s_);
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

InternalJobsSource::InternalJobsSource(InternalJobsParams p, double horizon_s, uint64_t seed,
                                       const std::string& stream)
    : PoissonSource(p.arrivals, horizon_s, seed, stream), p_(std::move(p)) {}

void JobClass::draw(Rng& rng, JobRequest& out) const {
  out.gpus = sizes.draw(rng);
  out.duration_s = (out.gpus > 1 && multi_durations ? *multi_durations : durations).draw(rng);
}

void InternalJobsSource::draw(Rng& rng, JobRequest& out) {
  out.tenant = Tenant::INTERNAL;
  const bool finetune = rng.uniform() < p_.finetune_fraction;
  out.kind = finetune ? JobKind::FINETUNE : JobKind::RESEARCH;
  (finetune ? p_.finetune : p_.research).draw(rng, out);
  out.priority = p_.priority;
}

PretrainSource::PretrainSource(PretrainParams p, double horizon_s, uint64_t seed, const std::string& stream)
    : PoissonSource(ArrivalCycle{p.campaigns_per_week / (7 * 24.0), 0, 0, 1, {}}, horizon_s, seed, stream), p_(std::move(p)) {}

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

LeaseBookSource::LeaseBookSource(LeaseBookParams p, double horizon_s, uint64_t seed, const std::string& stream)
    : PoissonSource(ArrivalCycle{p.leases_per_week / (7 * 24.0), 0, 0, 1, {}}, horizon_s, seed, stream), p_(std::move(p)) {}

void LeaseBookSource::draw(Rng& rng, JobRequest& out) {
  out.tenant = Tenant::EXTERNAL;
  out.kind = JobKind::LEASE;
  out.gpus = draw_power_of_two(rng, p_.min_gpus, p_.max_gpus, p_.size_decay);
  // Log-uniform term; the price falls log-linearly from the shortest to the longest term.
  const double u = rng.uniform();
  out.duration_s = p_.term_min_s * std::pow(p_.term_max_s / p_.term_min_s, u);
  const double longest = p_.price_usd_per_gpu_hour_longest >= 0 ? p_.price_usd_per_gpu_hour_longest
                                                                 : p_.price_usd_per_gpu_hour;
  out.price_usd_per_gpu_hour = p_.price_usd_per_gpu_hour > 0 && longest > 0
                                   ? p_.price_usd_per_gpu_hour * std::pow(longest / p_.price_usd_per_gpu_hour, u)
                                   : p_.price_usd_per_gpu_hour;
  out.patience_s = p_.patience_s;
  out.priority = p_.priority;
}

RentalSource::RentalSource(RentalParams p, JobKind kind, double horizon_s, uint64_t seed, const std::string& stream)
    : PoissonSource(p.arrivals, horizon_s, seed, stream), p_(std::move(p)), kind_(kind) {}

void RentalSource::draw(Rng& rng, JobRequest& out) {
  out.tenant = Tenant::EXTERNAL;
  out.kind = kind_;
  out.gpus = p_.sizes.draw(rng);
  out.duration_s = p_.durations.draw(rng);
  // On-demand machines are rented by the hour: the run is whole hours.
  if (kind_ == JobKind::ON_DEMAND) out.duration_s = std::max(1.0, std::ceil(out.duration_s / 3600.0)) * 3600.0;
  out.price_usd_per_gpu_hour = p_.price_usd_per_gpu_hour;
  out.patience_s = p_.patience_s;
  out.priority = p_.priority;
}

std::unique_ptr<Source> make_inference_source(const InferenceParams& p, double horizon_s) {
  std::vector<JobRequest> services;
  for (const auto& s : p.services) {
    JobRequest r;
    r.submit_s = s.start_s;
    r.tenant = Tenant::EXTERNAL;
    r.kind = JobKind::INFERENCE;
    r.gpus = int64_t(s.demand.gpus_per_replica) * s.demand.min_replicas;
    r.model = s.model;
    r.duration_s = s.lifetime_s >= 0 ? s.lifetime_s : std::max(0.0, horizon_s - s.start_s);
    r.priority = s.priority;
    r.demand = std::make_shared<const InferenceDemand>(s.demand);
    services.push_back(std::move(r));
  }
  return std::make_unique<ListSource>(std::move(services));
}

}  // namespace gwsim::workloads
