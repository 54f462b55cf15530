#include "sim/operations/economics.hpp"

#include <algorithm>
#include <cmath>
#include <fmt/format.h>

#include "common/error.hpp"

namespace gwsim::sim {
namespace {
constexpr double DAY = 86400.0;
constexpr double YEAR = 365.25 * DAY;
}  // namespace

Tariff::Tariff(double base_usd_per_kwh, std::vector<TariffPeriod> periods)
    : base_(base_usd_per_kwh), periods_(std::move(periods)) {
  std::sort(periods_.begin(), periods_.end(), [](auto& a, auto& b) { return a.from_s < b.from_s; });
  for (size_t i = 0; i < periods_.size(); ++i) {
    const auto& p = periods_[i];
    if (!(p.from_s >= 0 && p.to_s <= DAY && p.from_s < p.to_s))
      throw Error(ExitCode::SCENARIO, fmt::format("tariff period [{}s, {}s) is not a non-empty part of one day",
                                                  p.from_s, p.to_s));
    if (i > 0 && p.from_s < periods_[i - 1].to_s)
      throw Error(ExitCode::SCENARIO, fmt::format("tariff periods starting at {}s and {}s overlap",
                                                  periods_[i - 1].from_s, p.from_s));
  }
  per_day_ = within_day(DAY);
}

double Tariff::price_at(double t_s) const {
  const double s = t_s - std::floor(t_s / DAY) * DAY;
  for (const auto& p : periods_)
    if (s >= p.from_s && s < p.to_s) return p.price_usd_per_kwh;
  return base_;
}

double Tariff::within_day(double s) const {
  double v = base_ * s;
  for (const auto& p : periods_) {
    const double covered = std::clamp(s, p.from_s, p.to_s) - p.from_s;
    v += (p.price_usd_per_kwh - base_) * covered;
  }
  return v;
}

double Tariff::integral(double t_s) const {
  const double days = std::floor(t_s / DAY);
  return days * per_day_ + within_day(t_s - days * DAY);
}

double Tariff::cost_usd(double power_w, double t0_s, double t1_s) const {
  return power_w / 1000.0 * (integral(t1_s) - integral(t0_s)) / 3600.0;
}

double sla_credit_fraction(const std::vector<SlaTier>& tiers, double availability) {
  double best_threshold = 2, credit = 0;
  for (const auto& t : tiers)
    if (availability < t.availability && t.availability < best_threshold) {
      best_threshold = t.availability;
      credit = t.credit_fraction;
    }
  return credit;
}

std::vector<SlaTier> aws_instance_sla() { return {{0.995, 0.10}, {0.99, 0.30}, {0.95, 1.00}}; }

EconomicsConfig::EconomicsConfig() {
  using workloads::JobKind;
  // H100 SXM price points per GPU-hour (docs/operations.md#prices): on-demand at Lambda's listed
  // $2.99 (early 2026); reserved 35% below on-demand, the low end of the 35-40% one-year commitment
  // discount reported for Q1 2026; spot at the $1.49 low end of marketplace (Vast.ai) prices.
  default_price_usd_per_gpu_hour[size_t(JobKind::ON_DEMAND)] = 2.99;
  default_price_usd_per_gpu_hour[size_t(JobKind::LEASE)] = 1.94;
  default_price_usd_per_gpu_hour[size_t(JobKind::SPOT)] = 1.49;
}

Capex capex_of(int64_t gpus, double gpu_price_usd, int64_t nodes, double node_cost_usd, double network_cost_usd,
               double it_capacity_w, double facility_cost_usd_per_w) {
  Capex c;
  c.gpus_usd = static_cast<double>(gpus) * gpu_price_usd;
  c.nodes_usd = static_cast<double>(nodes) * node_cost_usd;
  c.network_usd = network_cost_usd;
  c.facility_usd = it_capacity_w * facility_cost_usd_per_w;
  return c;
}

double depreciation_usd(const Capex& capex, double years, double duration_s) {
  return years > 0 ? capex.total_usd() * duration_s / (years * YEAR) : 0.0;
}

const char* to_string(TenantClass c) {
  switch (c) {
    case TenantClass::INTERNAL: return "internal";
    case TenantClass::LEASE: return "lease";
    case TenantClass::ON_DEMAND: return "on_demand";
    case TenantClass::SPOT: return "spot";
    case TenantClass::API: return "api";
    case TenantClass::IDLE: return "idle";
  }
  return "?";
}

TenantClass tenant_class(workloads::Tenant tenant, workloads::JobKind kind) {
  using workloads::JobKind;
  if (kind == JobKind::INFERENCE) return TenantClass::API;
  if (tenant == workloads::Tenant::INTERNAL) return TenantClass::INTERNAL;
  if (kind == JobKind::LEASE) return TenantClass::LEASE;
  if (kind == JobKind::SPOT) return TenantClass::SPOT;
  return TenantClass::ON_DEMAND;
}

ClassBook Books::total() const {
  ClassBook t;
  for (const auto& c : by_class) {
    t.gpu_hours += c.gpu_hours;
    t.revenue_usd += c.revenue_usd;
    t.sla_credit_usd += c.sla_credit_usd;
    t.energy_j += c.energy_j;
    t.energy_cost_usd += c.energy_cost_usd;
    t.depreciation_usd += c.depreciation_usd;
  }
  return t;
}

double Books::depreciation_offset() const {
  const ClassBook t = total();
  const auto& internal = by_class[size_t(TenantClass::INTERNAL)];
  const double rental = t.revenue_usd - internal.revenue_usd - (t.sla_credit_usd - internal.sla_credit_usd);
  return t.depreciation_usd > 0 ? rental / t.depreciation_usd : 0.0;
}

void allocate_depreciation(Books& books, double depreciation, double installed_gpu_hours) {
  double held = 0;
  for (int c = 0; c < TENANT_CLASS_COUNT; ++c) {
    if (c == int(TenantClass::IDLE)) continue;
    auto& b = books.by_class[size_t(c)];
    b.depreciation_usd = installed_gpu_hours > 0 ? depreciation * b.gpu_hours / installed_gpu_hours : 0.0;
    held += b.gpu_hours;
  }
  auto& idle = books.by_class[size_t(TenantClass::IDLE)];
  idle.gpu_hours = std::max(0.0, installed_gpu_hours - held);
  idle.depreciation_usd = installed_gpu_hours > 0 ? depreciation * idle.gpu_hours / installed_gpu_hours : 0.0;
}

}  // namespace gwsim::sim
