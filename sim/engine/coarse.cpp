#include "sim/engine/coarse.hpp"

#include <algorithm>
#include <cmath>
#include <fmt/format.h>
#include <limits>

#include "finance/calendar.hpp"
#include "finance/depreciation.hpp"
#include "finance/ledger.hpp"
#include "gpu_models/cost_model.hpp"
#include "workloads/source_config.hpp"

namespace gwsim::sim {
namespace {

using finance::ContractKind;
using workloads::JobKind;
constexpr double NaN = std::numeric_limits<double>::quiet_NaN();
constexpr double YEAR_S = 365 * 86400.0;
constexpr int LEASE = static_cast<int>(ContractKind::LEASE_1Y);
constexpr int ON_DEMAND = static_cast<int>(ContractKind::ON_DEMAND);
constexpr int SPOT = static_cast<int>(ContractKind::SPOT);

// How many requests of a generator are drawn to measure its mean demand, and
// the longest stretch of generator time drawn for it.
constexpr size_t SAMPLE_REQUESTS = 20000;
constexpr double SAMPLE_MAX_S = 10 * YEAR_S;

// A generator's demand as a fluid: GPU-hours asked per hour of the run at
// growth 1, and for leases the GPUs signed per hour and the share of a
// signed GPU still held k months after signing.
struct Fluid {
  int kind = -1;                   // ContractKind for rentals, -1 internal
  double gpu_hours_per_hour = 0;   // internal, on-demand, spot
  double lease_gpus_per_hour = 0;  // leases
  std::vector<double> held_after;  // leases: [k] = GPU-weighted share of terms longer than k months
  double growth_per_year = 0;
  double price_usd_per_gpu_hour = 0;  // GPU-hour-weighted price the generator asks (the market when no series is given)
};

double growth_of(const SourceConfig& c) {
  if (auto* p = std::get_if<workloads::InternalJobsParams>(&c)) return p->arrivals.growth_per_year;
  if (auto* p = std::get_if<workloads::OnDemandParams>(&c)) return p->arrivals.growth_per_year;
  if (auto* p = std::get_if<workloads::SpotParams>(&c)) return p->arrivals.growth_per_year;
  return 0;
}

class Coarse {
 public:
  Coarse(const Scenario& sc, results::Recorder& rec) : sc_(sc), rec_(rec) {}
  RunStats run();

 private:
  double duration_of(const workloads::JobRequest& r);
  void measure_sources();
  void build_cohorts();
  double market(const CohortConfig& c, int kind) const;
  double operator_price(const CohortConfig& c, int kind, int64_t month) const;
  double demand_factor(double price, double market_price) const;
  void write_outputs(const std::vector<finance::MonthBooks>& total, const finance::Measures& m);

  const Scenario& sc_;
  results::Recorder& rec_;
  gpu_models::PlanCache plans_;
  std::vector<Fluid> fluids_;
  // List jobs: internal GPU-hours over [from_s, to_s) at `gpus`.
  struct Block {
    double from_s, to_s, gpus;
    int kind;  // -1 internal, else ContractKind
    double price;
  };
  std::vector<Block> blocks_;
  std::vector<CohortConfig> cohorts_;  // by date
  std::vector<std::vector<finance::MonthBooks>> books_;  // [cohort][month]
  std::vector<int64_t> retired_month_;                    // -1: not retired
  int64_t first_month_ = 0, months_ = 0, start_day_ = 0, end_day_ = 0;
  double market_fallback_[finance::CONTRACT_KIND_COUNT] = {0, 0, 0};
  double internal_backlog_h_ = 0, internal_asked_h_ = 0, internal_served_h_ = 0;
  RunStats stats_;
};

double Coarse::duration_of(const workloads::JobRequest& r) {
  if (r.duration_s >= 0) return r.duration_s;
  const gpu_models::ModelSpec* model = sc_.catalog.find_model(r.model);
  const gpu_models::GpuSpec* gpu = sc_.catalog.find_gpu(sc_.cluster.gpu_type);
  if (!model || !gpu) return 0;
  const auto& best = plans_.get(*model, *gpu, static_cast<int>(r.gpus), cluster_links(sc_.cluster));
  return best.estimate.tokens_per_s > 0 ? r.work_tokens / best.estimate.tokens_per_s : 0;
}

int kind_of(JobKind k) {
  switch (k) {
    case JobKind::LEASE: return LEASE;
    case JobKind::ON_DEMAND: return ON_DEMAND;
    case JobKind::SPOT: return SPOT;
    default: return -1;
  }
}

void Coarse::measure_sources() {
  double price_hours[finance::CONTRACT_KIND_COUNT] = {0, 0, 0}, price_sum[finance::CONTRACT_KIND_COUNT] = {0, 0, 0};
  for (size_t i = 0; i < sc_.workload.size(); ++i) {
    const SourceConfig& c = sc_.workload[i];
    if (std::holds_alternative<workloads::InferenceParams>(c) || std::holds_alternative<workloads::TraceConfig>(c))
      throw Error(ExitCode::SCENARIO,
                  fmt::format("{}: workload[{}]: expected a generator or a list under 'engine: coarse' (it does not "
                              "model {} entries), found type {}",
                              sc_.path, i, workloads::source_type_name(c), workloads::source_type_name(c)));
    const bool list = std::holds_alternative<workloads::ListConfig>(c);
    // A list is deterministic: each job is a block of GPUs over its run time.
    // A generator is drawn (its own random streams, as the event engine draws
    // it) until SAMPLE_REQUESTS requests or SAMPLE_MAX_S, without growth; the
    // mean over the drawn stretch is its fluid rate.
    SourceConfig unscaled = c;
    if (auto* p = std::get_if<workloads::InternalJobsParams>(&unscaled)) p->arrivals.growth_per_year = 0;
    if (auto* p = std::get_if<workloads::OnDemandParams>(&unscaled)) p->arrivals.growth_per_year = 0;
    if (auto* p = std::get_if<workloads::SpotParams>(&unscaled)) p->arrivals.growth_per_year = 0;
    auto src = workloads::make_source(unscaled, list ? sc_.horizon_s : SAMPLE_MAX_S, sc_.seed, i);
    Fluid f;
    f.growth_per_year = growth_of(c);
    double gpu_s = 0, lease_gpus = 0, last_s = 0, price_gpu_s = 0;
    std::vector<std::pair<double, double>> terms;  // (months, gpus)
    size_t n = 0;
    while (auto r = src->next()) {
      const int kind = r->tenant == workloads::Tenant::EXTERNAL ? std::max(kind_of(r->kind), ON_DEMAND) : -1;
      const double d = duration_of(*r);
      if (list) {
        blocks_.push_back({r->submit_s, r->submit_s + d, static_cast<double>(r->gpus), kind, r->price_usd_per_gpu_hour});
        continue;
      }
      if (n == SAMPLE_REQUESTS) break;
      ++n;
      last_s = r->submit_s;
      f.kind = kind;
      gpu_s += r->gpus * d;
      price_gpu_s += r->gpus * d * r->price_usd_per_gpu_hour;
      if (kind == LEASE) {
        lease_gpus += r->gpus;
        terms.push_back({d / (YEAR_S / 12), static_cast<double>(r->gpus)});
      }
    }
    if (list || n == 0) continue;
    const double window_h = (n == SAMPLE_REQUESTS ? last_s : SAMPLE_MAX_S) / 3600.0;
    if (!(window_h > 0)) continue;
    f.price_usd_per_gpu_hour = gpu_s > 0 ? price_gpu_s / gpu_s : 0;
    if (f.kind == LEASE) {
      f.lease_gpus_per_hour = lease_gpus / window_h;
      double longest = 0;
      for (const auto& t : terms) longest = std::max(longest, t.first);
      f.held_after.assign(static_cast<size_t>(std::ceil(longest)) + 1, 0.0);
      for (size_t k = 0; k < f.held_after.size(); ++k) {
        double held = 0;
        // A lease signed mid-month and lasting T months holds through month k
        // for the share of that month it still runs.
        for (const auto& [months, gpus] : terms)
          held += gpus * (k == 0 ? std::min(months, 0.5) : std::clamp(months + 0.5 - static_cast<double>(k), 0.0, 1.0));
        f.held_after[k] = held / lease_gpus;
      }
    } else {
      f.gpu_hours_per_hour = gpu_s / 3600.0 / window_h;
    }
    if (f.kind >= 0) {
      price_hours[f.kind] += gpu_s;
      price_sum[f.kind] += price_gpu_s;
    }
    fluids_.push_back(std::move(f));
  }
  for (int k = 0; k < finance::CONTRACT_KIND_COUNT; ++k)
    market_fallback_[k] =
        price_hours[k] > 0 ? price_sum[k] / price_hours[k] : sc_.economics.default_price_usd_per_gpu_hour[k == LEASE ? 3 : k == ON_DEMAND ? 4 : 5];
}

void Coarse::build_cohorts() {
  cohorts_ = sc_.capex.cohorts;
  if (cohorts_.empty()) {
    // No cohorts: the cluster: section's GPUs, bought on the start date.
    CohortConfig k;
    k.name = "cluster";
    k.date_day = start_day_;
    k.gpu = sc_.cluster.gpu_type;
    k.count = sc_.cluster.gpu_count();
    const gpu_models::GpuSpec* gpu = sc_.catalog.find_gpu(k.gpu);
    const double node_share =
        sc_.economics.node_cost_usd < 0 ? 7500.0 : sc_.economics.node_cost_usd / sc_.cluster.gpus_per_node;
    k.unit_price_usd = (gpu ? gpu->price_usd : 0) + node_share;
    k.depreciation.life_years = sc_.economics.depreciation_years;
    k.depreciation.salvage_fraction = 0;
    cohorts_.push_back(k);
  }
  std::stable_sort(cohorts_.begin(), cohorts_.end(),
                   [](const CohortConfig& a, const CohortConfig& b) { return a.date_day < b.date_day; });
}

double Coarse::market(const CohortConfig& c, int kind) const {
  (void)c;
  return market_fallback_[kind];
}

double Coarse::operator_price(const CohortConfig& c, int kind, int64_t month) const {
  const finance::PriceSeries* s = sc_.capex.prices.find(c.gpu, static_cast<ContractKind>(kind));
  const double mkt = s ? s->at_month(month) : market(c, kind);
  const PricingConfig& p = sc_.capex.pricing;
  return p.rule == PricingConfig::Rule::FIXED ? p.fixed_usd_per_gpu_hour[kind] : mkt * (1 - p.discount);
}

double Coarse::demand_factor(double price, double market_price) const {
  if (!(market_price > 0) || !(price > 0)) return 1;
  return std::pow(price / market_price, -sc_.capex.pricing.elasticity);
}

RunStats Coarse::run() {
  start_day_ = *sc_.capex.start_day;
  const double horizon_days = sc_.horizon_s / 86400.0;
  end_day_ = start_day_ + static_cast<int64_t>(std::ceil(horizon_days));
  first_month_ = finance::month_of(start_day_);
  months_ = finance::month_of(end_day_ - 1) - first_month_ + 1;
  measure_sources();
  build_cohorts();
  const size_t nc = cohorts_.size();
  books_.assign(nc, std::vector<finance::MonthBooks>(static_cast<size_t>(months_)));
  retired_month_.assign(nc, -1);
  std::vector<int> negative_run(nc, 0);
  std::vector<std::vector<double>> depreciation(nc);
  for (size_t c = 0; c < nc; ++c)
    depreciation[c] = finance::monthly_depreciation(cohorts_[c].count * cohorts_[c].unit_price_usd,
                                                    cohorts_[c].depreciation, months_ + 1);
  struct Vintage {
    int64_t month;
    double gpus;
    double price;
    size_t fluid;
  };
  std::vector<std::vector<Vintage>> leases(nc);
  double backlog_h = 0;
  const double pue = sc_.cluster.power.pue;
  const double node_w_per_gpu = sc_.cluster.power.node_overhead_w / std::max(1, sc_.cluster.gpus_per_node);
  const double usd_per_kwh = sc_.economics.tariff.base_usd_per_kwh();
  auto util = [&](JobKind k) { return sc_.power.utilization[static_cast<size_t>(k)]; };
  const double util_of[finance::CONTRACT_KIND_COUNT] = {util(JobKind::ON_DEMAND), util(JobKind::LEASE), util(JobKind::SPOT)};
  double internal_asked_h = 0, internal_served_h = 0;

  for (int64_t mi = 0; mi < months_; ++mi) {
    const int64_t month = first_month_ + mi;
    const int64_t a = std::max(finance::first_day_of_month(month), start_day_);
    const int64_t b = std::min(finance::first_day_of_month(month + 1), end_day_);
    const double a_s = static_cast<double>(a - start_day_) * 86400.0;
    const double b_s = std::min(static_cast<double>(b - start_day_) * 86400.0, sc_.horizon_s);
    const double hours = (b_s - a_s) / 3600.0;
    const double mid_s = 0.5 * (a_s + b_s);
    // Online GPU-hours of each cohort.
    std::vector<double> online_h(nc, 0), free_h(nc, 0), lease_h(nc, 0);
    for (size_t c = 0; c < nc; ++c) {
      if (retired_month_[c] >= 0 && retired_month_[c] < month) continue;
      double from = std::max(a_s, static_cast<double>(cohorts_[c].date_day - start_day_) * 86400.0);
      double to = b_s;
      if (cohorts_[c].retire_day)
        to = std::min(to, static_cast<double>(*cohorts_[c].retire_day - start_day_) * 86400.0);
      online_h[c] = std::max(0.0, to - from) / 3600.0;
      books_[c][mi].gpus_online = cohorts_[c].count * online_h[c] / std::max(hours, 1e-9);
    }
    // Leases signed earlier hold their share of the cohort.
    for (size_t c = 0; c < nc; ++c) {
      const double cap = cohorts_[c].count * online_h[c];
      for (const Vintage& v : leases[c]) {
        const auto& held = fluids_[v.fluid].held_after;
        const size_t k = static_cast<size_t>(month - v.month);
        if (k >= held.size() || k == 0) continue;
        const double h = std::min(v.gpus * held[k] * online_h[c], cap - lease_h[c]);
        lease_h[c] += h;
        books_[c][mi].rented_gpu_hours[LEASE] += h;
        books_[c][mi].revenue_usd[LEASE] += h * v.price;
      }
      free_h[c] = cap - lease_h[c];
    }
    // Internal demand: generators at their grown rates, list jobs overlapping the month, the backlog.
    double asked = 0;
    for (const Fluid& f : fluids_)
      if (f.kind < 0) asked += f.gpu_hours_per_hour * hours * std::pow(1 + f.growth_per_year, mid_s / YEAR_S);
    double external_block_h[finance::CONTRACT_KIND_COUNT] = {0, 0, 0};
    for (const Block& bl : blocks_) {
      const double h = bl.gpus * std::max(0.0, std::min(bl.to_s, b_s) - std::max(bl.from_s, a_s)) / 3600.0;
      if (bl.kind < 0) asked += h;
      else external_block_h[bl.kind] += h;
    }
    internal_asked_h += asked;
    double want = asked + backlog_h;
    for (size_t c = nc; c-- > 0;) {  // newest first
      const double x = std::min(want, free_h[c]);
      books_[c][mi].internal_gpu_hours = x;
      free_h[c] -= x;
      want -= x;
    }
    internal_served_h += asked + backlog_h - want;
    backlog_h = want;
    // New leases, oldest cohorts first, priced at signing.
    for (size_t fi = 0; fi < fluids_.size(); ++fi) {
      const Fluid& f = fluids_[fi];
      if (f.kind != LEASE || f.lease_gpus_per_hour <= 0) continue;
      double signing = f.lease_gpus_per_hour * hours;
      for (size_t c = 0; c < nc && signing > 0; ++c) {
        if (online_h[c] <= 0 || !cohorts_[c].rent) continue;
        const finance::PriceSeries* s = sc_.capex.prices.find(cohorts_[c].gpu, ContractKind::LEASE_1Y);
        const double mkt = s ? s->at_month(month) : f.price_usd_per_gpu_hour;
        const double price = s || sc_.capex.pricing.rule == PricingConfig::Rule::FIXED
                                 ? operator_price(cohorts_[c], LEASE, month)
                                 : f.price_usd_per_gpu_hour * (1 - sc_.capex.pricing.discount);
        const double want_gpus = signing * demand_factor(price, mkt);
        const double free_gpus = free_h[c] / online_h[c];
        const double g = std::min(want_gpus, free_gpus);
        if (g <= 0) continue;
        leases[c].push_back({month, g, price, fi});
        // The first month holds the leases from mid-month on.
        const double h = std::min(free_h[c], g * (f.held_after.empty() ? 0.0 : f.held_after[0]) * online_h[c]);
        free_h[c] -= h;
        books_[c][mi].rented_gpu_hours[LEASE] += h;
        books_[c][mi].revenue_usd[LEASE] += h * price;
        signing -= g / demand_factor(price, mkt);
      }
    }
    // On-demand, then spot, from what is left, oldest cohorts first.
    for (int kind : {ON_DEMAND, SPOT}) {
      double base_h = external_block_h[kind];
      double market_base = market_fallback_[kind];
      for (const Fluid& f : fluids_)
        if (f.kind == kind) base_h += f.gpu_hours_per_hour * hours * std::pow(1 + f.growth_per_year, mid_s / YEAR_S);
      for (size_t c = 0; c < nc && base_h > 0; ++c) {
        if (free_h[c] <= 0 || !cohorts_[c].rent) continue;
        const finance::PriceSeries* s = sc_.capex.prices.find(cohorts_[c].gpu, static_cast<ContractKind>(kind));
        const double mkt = s ? s->at_month(month) : market_base;
        const double price = operator_price(cohorts_[c], kind, month);
        const double factor = demand_factor(price, mkt);
        const double x = std::min(base_h * factor, free_h[c]);
        free_h[c] -= x;
        base_h -= x / factor;
        books_[c][mi].rented_gpu_hours[kind] += x;
        books_[c][mi].revenue_usd[kind] += x * price;
      }
    }
    // Money of the month, and the retirement rule.
    for (size_t c = 0; c < nc; ++c) {
      finance::MonthBooks& mb = books_[c][mi];
      const CohortConfig& k = cohorts_[c];
      const int64_t bought = finance::month_of(k.date_day);
      if (month == bought) mb.capex_usd = k.count * k.unit_price_usd;
      if (online_h[c] <= 0 && month != bought) continue;
      const int64_t age = month - bought;
      if (age >= 0 && static_cast<size_t>(age) < depreciation[c].size()) mb.depreciation_usd = depreciation[c][age];
      if (sc_.capex.finance.internal_value) {
        const int kind = static_cast<int>(*sc_.capex.finance.internal_value);
        const finance::PriceSeries* s = sc_.capex.prices.find(k.gpu, *sc_.capex.finance.internal_value);
        mb.internal_value_usd = mb.internal_gpu_hours * (s ? s->at_month(month) : market_fallback_[kind]);
      }
      const gpu_models::GpuSpec* gpu = sc_.catalog.find_gpu(k.gpu);
      const double idle_w = gpu ? gpu->idle_w : 0, dyn_w = gpu ? gpu->tdp_w - gpu->idle_w : 0;
      double busy_wh = mb.internal_gpu_hours * util(JobKind::PRETRAIN) * dyn_w;
      for (int kind = 0; kind < finance::CONTRACT_KIND_COUNT; ++kind)
        busy_wh += mb.rented_gpu_hours[kind] * util_of[kind] * dyn_w;
      const double it_wh = k.count * online_h[c] * (idle_w + node_w_per_gpu) + busy_wh;
      mb.energy_usd = it_wh * pue / 1000.0 * usd_per_kwh;
      bool retire = k.retire_day && finance::month_of(*k.retire_day) == month;
      if (k.retire_after_negative_months > 0 && online_h[c] > 0) {
        negative_run[c] = mb.operating_margin_usd() < 0 ? negative_run[c] + 1 : 0;
        if (negative_run[c] >= k.retire_after_negative_months && mi + 1 < months_) retire = true;
      }
      if (retire && retired_month_[c] < 0) {
        retired_month_[c] = month;
        // Sold at book value after this month's depreciation.
        mb.salvage_usd = finance::book_value(k.count * k.unit_price_usd, k.depreciation, age + 1);
      }
    }
  }

  std::vector<finance::MonthBooks> total(static_cast<size_t>(months_));
  double terminal = 0;
  for (size_t c = 0; c < nc; ++c) {
    for (int64_t mi = 0; mi < months_; ++mi) total[mi] += books_[c][mi];
    if (retired_month_[c] < 0 && sc_.capex.finance.terminal_book_value)
      terminal += finance::book_value(cohorts_[c].count * cohorts_[c].unit_price_usd, cohorts_[c].depreciation,
                                      first_month_ + months_ - finance::month_of(cohorts_[c].date_day));
  }
  const finance::Measures m = finance::measure(total, first_month_, sc_.capex.finance.discount_rate, terminal);
  internal_backlog_h_ = backlog_h;
  internal_asked_h_ = internal_asked_h;
  internal_served_h_ = internal_served_h;
  write_outputs(total, m);
  stats_.end_time_s = sc_.horizon_s;
  return stats_;
}

namespace {

// The columns of monthly books, shared by /finance/months and /finance/cohort_months.
void book_columns(const std::vector<const finance::MonthBooks*>& rows, std::vector<results::Column>& out) {
  using results::Column;
  auto col = [&](const char* name, const char* unit, auto get) {
    std::vector<double> v;
    v.reserve(rows.size());
    for (const auto* r : rows) v.push_back(get(*r));
    (void)unit;  // the units are docs/hdf5-schema.md#finance's
    out.push_back(Column::real(name, std::move(v)));
  };
  col("gpus_online", "GPU", [](const finance::MonthBooks& r) { return r.gpus_online; });
  col("internal_gpu_hours", "GPU-h", [](const finance::MonthBooks& r) { return r.internal_gpu_hours; });
  col("lease_gpu_hours", "GPU-h", [](const finance::MonthBooks& r) { return r.rented_gpu_hours[LEASE]; });
  col("on_demand_gpu_hours", "GPU-h", [](const finance::MonthBooks& r) { return r.rented_gpu_hours[ON_DEMAND]; });
  col("spot_gpu_hours", "GPU-h", [](const finance::MonthBooks& r) { return r.rented_gpu_hours[SPOT]; });
  col("revenue_lease", "USD", [](const finance::MonthBooks& r) { return r.revenue_usd[LEASE]; });
  col("revenue_on_demand", "USD", [](const finance::MonthBooks& r) { return r.revenue_usd[ON_DEMAND]; });
  col("revenue_spot", "USD", [](const finance::MonthBooks& r) { return r.revenue_usd[SPOT]; });
  col("internal_value", "USD", [](const finance::MonthBooks& r) { return r.internal_value_usd; });
  col("energy", "USD", [](const finance::MonthBooks& r) { return r.energy_usd; });
  col("depreciation", "USD", [](const finance::MonthBooks& r) { return r.depreciation_usd; });
  col("capex", "USD", [](const finance::MonthBooks& r) { return r.capex_usd; });
  col("resale", "USD", [](const finance::MonthBooks& r) { return r.salvage_usd; });
  col("operating_margin", "USD", [](const finance::MonthBooks& r) { return r.operating_margin_usd(); });
  col("cash_flow", "USD", [](const finance::MonthBooks& r) { return r.cash_flow_usd(); });
}

}  // namespace

void Coarse::write_outputs(const std::vector<finance::MonthBooks>& total, const finance::Measures& m) {
  using results::Column;
  std::vector<results::SummaryValue> out;
  finance::MonthBooks sum;
  double online_h = 0, peak_gpus = 0;
  for (const auto& t : total) {
    sum += t;
    peak_gpus = std::max(peak_gpus, t.gpus_online);
  }
  for (size_t c = 0; c < cohorts_.size(); ++c)
    for (int64_t mi = 0; mi < months_; ++mi) {
      const int64_t month = first_month_ + mi;
      const double days =
          static_cast<double>(std::min(finance::first_day_of_month(month + 1), end_day_) -
                              std::max(finance::first_day_of_month(month), start_day_));
      online_h += books_[c][mi].gpus_online * days * 24;
    }
  const double rented_h = sum.rented_gpu_hours[LEASE] + sum.rented_gpu_hours[ON_DEMAND] + sum.rented_gpu_hours[SPOT];
  auto frac = [&](double h) { return online_h > 0 ? h / online_h : 0.0; };
  out.push_back({"simulated_time", sc_.horizon_s, "s"});
  out.push_back({"gpus", peak_gpus, "GPU"});
  out.push_back({"utilization_internal", frac(sum.internal_gpu_hours), "fraction"});
  out.push_back({"utilization_external", frac(rented_h), "fraction"});
  out.push_back({"utilization_total", frac(sum.internal_gpu_hours + rented_h), "fraction"});
  out.push_back({"gpu_hours_internal", sum.internal_gpu_hours, "GPU-h"});
  out.push_back({"gpu_hours_external", rented_h, "GPU-h"});
  out.push_back({"internal_demand", internal_asked_h_, "GPU-h"});
  out.push_back({"internal_backlog_at_end", internal_backlog_h_, "GPU-h"});
  out.push_back({"revenue_lease", sum.revenue_usd[LEASE], "USD"});
  out.push_back({"revenue_on_demand", sum.revenue_usd[ON_DEMAND], "USD"});
  out.push_back({"revenue_spot", sum.revenue_usd[SPOT], "USD"});
  out.push_back({"revenue_total", sum.rental_revenue_usd(), "USD"});
  out.push_back({"capex", sum.capex_usd, "USD"});
  out.push_back({"energy_cost_total", sum.energy_usd, "USD"});
  out.push_back({"depreciation_total", sum.depreciation_usd, "USD"});
  out.push_back({"margin_total", sum.operating_margin_usd() - sum.depreciation_usd, "USD"});
  out.push_back({"rental_share_of_depreciation",
                 sum.depreciation_usd > 0 ? sum.rental_revenue_usd() / sum.depreciation_usd : 0, "fraction"});
  out.push_back({"finance_start_day", static_cast<double>(start_day_), "days since 1970-01-01"});
  out.push_back({"finance_internal_value", sum.internal_value_usd, "USD"});
  out.push_back({"finance_resale", sum.salvage_usd, "USD"});
  out.push_back({"finance_cash_flow", m.cash_flow_usd, "USD"});
  out.push_back({"finance_terminal_value", m.terminal_value_usd, "USD"});
  out.push_back({"finance_discount_rate", sc_.capex.finance.discount_rate, "fraction"});
  out.push_back({"finance_npv", m.npv_usd, "USD"});
  out.push_back({"finance_irr", m.irr ? *m.irr : NaN, "fraction"});
  out.push_back({"finance_payback_months", m.payback_months ? *m.payback_months : NaN, "months"});
  // The payback date: its month plus the fraction of that month's days.
  double payback_day = NaN;
  if (m.payback_months) {
    const int64_t month = first_month_ + static_cast<int64_t>(std::floor(*m.payback_months));
    payback_day = std::floor(static_cast<double>(finance::first_day_of_month(month)) +
                             (*m.payback_months - std::floor(*m.payback_months)) * finance::days_in_month(month));
  }
  out.push_back({"finance_payback_day", payback_day, "days since 1970-01-01"});
  int64_t retired = 0;
  for (int64_t r : retired_month_) retired += r >= 0 ? 1 : 0;
  out.push_back({"finance_cohorts", static_cast<double>(cohorts_.size()), "cohorts"});
  out.push_back({"finance_cohorts_retired", static_cast<double>(retired), "cohorts"});
  for (const auto& y : m.years) {
    out.push_back({fmt::format("finance_rental_share_{}", y.year), y.share(), "fraction"});
    out.push_back({fmt::format("finance_cash_flow_{}", y.year), y.cash_flow_usd, "USD"});
  }
  rec_.summary(out);
  stats_.summary = out;

  // /finance/cohorts
  {
    std::vector<std::string> name, gpu, pool, date, method, retired_at;
    std::vector<int64_t> count;
    std::vector<double> price, life, resale;
    for (size_t c = 0; c < cohorts_.size(); ++c) {
      const CohortConfig& k = cohorts_[c];
      name.push_back(k.name);
      gpu.push_back(k.gpu);
      pool.push_back(k.pool);
      date.push_back(finance::format_date(k.date_day));
      method.push_back(k.depreciation.method == finance::DepreciationMethod::STRAIGHT_LINE ? "straight_line"
                                                                                            : "declining_balance");
      retired_at.push_back(retired_month_[c] >= 0 ? finance::format_month(retired_month_[c]) : "");
      count.push_back(k.count);
      price.push_back(k.unit_price_usd);
      life.push_back(k.depreciation.life_years);
      resale.push_back(k.depreciation.salvage_fraction);
    }
    rec_.table("finance/cohorts",
               {Column::strings("name", name, 32), Column::strings("gpu", gpu, 24), Column::strings("pool", pool, 24),
                Column::strings("date", date, 11), Column::integer("count", Column::Type::INT64, count),
                Column::real("unit_price", price), Column::strings("depreciation", method, 18),
                Column::real("life_years", life), Column::real("resale", resale),
                Column::strings("retired", retired_at, 8)});
  }
  // /finance/months and /finance/cohort_months
  {
    std::vector<std::string> month;
    std::vector<const finance::MonthBooks*> rows;
    std::vector<double> cumulative;
    double cum = 0;
    for (int64_t mi = 0; mi < months_; ++mi) {
      month.push_back(finance::format_month(first_month_ + mi));
      rows.push_back(&total[mi]);
      cum += total[mi].cash_flow_usd();
      cumulative.push_back(cum);
    }
    std::vector<Column> cols = {Column::strings("month", month, 8)};
    book_columns(rows, cols);
    cols.push_back(Column::real("cumulative_cash_flow", cumulative));
    rec_.table("finance/months", std::move(cols));
  }
  {
    std::vector<std::string> month;
    std::vector<int64_t> cohort;
    std::vector<const finance::MonthBooks*> rows;
    for (size_t c = 0; c < cohorts_.size(); ++c)
      for (int64_t mi = 0; mi < months_; ++mi) {
        cohort.push_back(static_cast<int64_t>(c));
        month.push_back(finance::format_month(first_month_ + mi));
        rows.push_back(&books_[c][mi]);
      }
    std::vector<Column> cols = {Column::integer("cohort", Column::Type::INT32, cohort),
                                Column::strings("month", month, 8)};
    book_columns(rows, cols);
    rec_.table("finance/cohort_months", std::move(cols));
  }
  {
    std::vector<int64_t> year;
    std::vector<double> rev, dep, share, cash;
    for (const auto& y : m.years) {
      year.push_back(y.year);
      rev.push_back(y.rental_revenue_usd);
      dep.push_back(y.depreciation_usd);
      share.push_back(y.share());
      cash.push_back(y.cash_flow_usd);
    }
    rec_.table("finance/years", {Column::integer("year", Column::Type::INT32, year),
                                 Column::real("rental_revenue", rev), Column::real("depreciation", dep),
                                 Column::real("rental_share_of_depreciation", share),
                                 Column::real("cash_flow", cash)});
  }
}

}  // namespace

RunStats run_coarse(const Scenario& scenario, results::Recorder& recorder) {
  return Coarse(scenario, recorder).run();
}

}  // namespace gwsim::sim
