#include "sim/operations/power.hpp"

#include <algorithm>
#include <cmath>
#include <fmt/format.h>
#include <map>

#include "common/error.hpp"

namespace gwsim::sim {
namespace {
constexpr double SLACK = 1e-9;  // relative: a domain at exactly its budget is within it
}  // namespace

const char* to_string(PowerPolicy p) {
  switch (p) {
    case PowerPolicy::NONE: return "none";
    case PowerPolicy::THROTTLE: return "throttle";
    case PowerPolicy::DEFER: return "defer";
  }
  return "?";
}

PowerModel::PowerModel(const topology::ClusterSpec& spec, double gpu_tdp_w, double gpu_idle_w,
                       double network_power_w, PowerConfig config, int buckets, Tariff tariff)
    : spec_(spec),
      config_(config),
      tdp_w_(gpu_tdp_w),
      idle_w_(gpu_idle_w),
      network_w_(network_power_w),
      pue_(spec.power.pue),
      node_base_w_(spec.power.node_overhead_w + spec.gpus_per_node * gpu_idle_w),
      tariff_(std::move(tariff)),
      rack_loads_(static_cast<size_t>(spec.rack_count())),
      powered_(static_cast<size_t>(spec.node_count()), 1),
      bucket_gpus_(static_cast<size_t>(buckets), 0.0),
      bucket_actual_w_(static_cast<size_t>(buckets), 0.0) {
  if (buckets < 1) throw Error(ExitCode::INTERNAL, "a power model needs at least one bucket");
  domains_[size_t(PowerLevel::RACK)].resize(static_cast<size_t>(spec.rack_count()));
  domains_[size_t(PowerLevel::ROW)].resize(static_cast<size_t>(spec.row_count()));
  domains_[size_t(PowerLevel::HALL)].resize(static_cast<size_t>(spec.halls));
  domains_[size_t(PowerLevel::SITE)].resize(1);
  // Rack and row budgets are IT power; hall and site budgets facility power (IT x PUE).
  for (auto& d : domains_[size_t(PowerLevel::RACK)]) {
    d.budget_it_w = spec.power.rack_budget_w;
    d.base_w = spec.nodes_per_rack * node_base_w_;
  }
  for (auto& d : domains_[size_t(PowerLevel::ROW)]) {
    d.budget_it_w = spec.power.row_budget_w;
    d.base_w = static_cast<double>(spec.racks_per_row_or_pod() * spec.nodes_per_rack) * node_base_w_;
  }
  const double hall_nodes = static_cast<double>(spec.nodes_per_pod() * spec.pods_per_hall);
  for (auto& d : domains_[size_t(PowerLevel::HALL)]) {
    d.budget_it_w = spec.power.hall_budget_w / pue_;
    d.base_w = hall_nodes * node_base_w_ + network_w_ / spec.halls;
  }
  Domain& site = domains_[size_t(PowerLevel::SITE)][0];
  site.budget_it_w = spec.power.site_budget_w / pue_;
  site.base_w = static_cast<double>(spec.node_count()) * node_base_w_ + network_w_;
  base_total_w_ = site.base_w;
  totals_.bucket_energy_j.assign(static_cast<size_t>(buckets), 0.0);
  totals_.bucket_energy_cost_usd.assign(static_cast<size_t>(buckets), 0.0);
  for (int lv = 0; lv < POWER_LEVEL_COUNT; ++lv)
    for (size_t i = 0; i < domains_[size_t(lv)].size(); ++i) mark(PowerLevel(lv), static_cast<int64_t>(i));
}

double PowerModel::dynamic_w(workloads::JobKind kind) const {
  return (tdp_w_ - idle_w_) * config_.utilization[size_t(kind)];
}

void PowerModel::mark(PowerLevel level, int64_t index) {
  Domain& d = domain(level, index);
  if (d.dirty) return;
  d.dirty = true;
  dirty_.emplace_back(level, index);
}

void PowerModel::set_node_powered(int64_t node, bool powered) {
  auto& p = powered_[static_cast<size_t>(node)];
  if (bool(p) == powered) return;
  p = powered;
  const double delta = powered ? node_base_w_ : -node_base_w_;
  const auto loc = topology::locate(spec_, node);
  domain(PowerLevel::RACK, loc.rack).base_w += delta;
  domain(PowerLevel::ROW, loc.row).base_w += delta;
  domain(PowerLevel::HALL, loc.hall).base_w += delta;
  domain(PowerLevel::SITE, 0).base_w += delta;
  base_total_w_ += delta;
  mark(PowerLevel::RACK, loc.rack);
  mark(PowerLevel::ROW, loc.row);
  mark(PowerLevel::HALL, loc.hall);
  mark(PowerLevel::SITE, 0);
}

namespace {
using Spread = std::vector<std::pair<int64_t, int64_t>>;  // (domain, GPUs), domains ascending

void add_to(Spread& s, int64_t domain, int64_t gpus) {
  if (s.empty() || s.back().first != domain) s.emplace_back(domain, 0);
  s.back().second += gpus;
}

// GPUs of an allocation per rack, row and hall (nodes ascending, so domains come in order).
void split(const topology::ClusterSpec& spec, const Allocation& a, Spread& racks, Spread& rows, Spread& halls) {
  for (const auto& [node, gpus] : a.parts) {
    const auto loc = topology::locate(spec, node);
    add_to(racks, loc.rack, gpus);
    add_to(rows, loc.row, gpus);
    add_to(halls, loc.hall, gpus);
  }
}
}  // namespace

bool PowerModel::fits(const Allocation& alloc, double dynamic_w_per_gpu) const {
  Spread racks, rows, halls;
  split(spec_, alloc, racks, rows, halls);
  auto ok = [&](const Domain& d, int64_t gpus) {
    return d.budget_it_w <= 0 ||
           d.base_w + d.demand_w + static_cast<double>(gpus) * dynamic_w_per_gpu <= d.budget_it_w * (1 + SLACK);
  };
  for (auto [r, g] : racks)
    if (!ok(domains_[size_t(PowerLevel::RACK)][size_t(r)], g)) return false;
  for (auto [r, g] : rows)
    if (!ok(domains_[size_t(PowerLevel::ROW)][size_t(r)], g)) return false;
  for (auto [h, g] : halls)
    if (!ok(domains_[size_t(PowerLevel::HALL)][size_t(h)], g)) return false;
  return ok(domains_[size_t(PowerLevel::SITE)][0], alloc.gpus);
}

void PowerModel::touch(const Load& l, double demand_sign, double actual_sign) {
  auto apply = [&](Domain& d, int64_t gpus) {
    d.demand_w += demand_sign * static_cast<double>(gpus) * l.dynamic_w;
    d.actual_w += actual_sign * static_cast<double>(gpus) * l.dynamic_w * l.x;
  };
  for (auto [r, g] : l.racks) {
    apply(domain(PowerLevel::RACK, r), g);
    mark(PowerLevel::RACK, r);
  }
  for (auto [r, g] : l.rows) {
    apply(domain(PowerLevel::ROW, r), g);
    mark(PowerLevel::ROW, r);
  }
  for (auto [h, g] : l.halls) {
    apply(domain(PowerLevel::HALL, h), g);
    mark(PowerLevel::HALL, h);
  }
  apply(domain(PowerLevel::SITE, 0), l.gpus);
  mark(PowerLevel::SITE, 0);
  const double w = actual_sign * static_cast<double>(l.gpus) * l.dynamic_w * l.x;
  actual_total_w_ += w;
  bucket_actual_w_[size_t(l.bucket)] += w;
  bucket_gpus_[size_t(l.bucket)] += actual_sign * static_cast<double>(l.gpus);
}

void PowerModel::add_load(uint64_t key, const Allocation& alloc, double dynamic_w_per_gpu, int bucket) {
  if (loads_.count(key)) throw Error(ExitCode::INTERNAL, fmt::format("power load {} added twice", key));
  if (bucket < 0 || bucket >= static_cast<int>(bucket_gpus_.size()))
    throw Error(ExitCode::INTERNAL, fmt::format("power bucket {} out of range", bucket));
  Load l;
  split(spec_, alloc, l.racks, l.rows, l.halls);
  l.gpus = alloc.gpus;
  l.dynamic_w = dynamic_w_per_gpu;
  l.bucket = bucket;
  // The cap cannot go below the GPU's minimum power limit; a load already under it is never throttled.
  const double floor_w = config_.min_power_fraction * tdp_w_;
  l.floor_x = dynamic_w_per_gpu > 0 ? std::clamp((floor_w - idle_w_) / dynamic_w_per_gpu, 0.01, 1.0) : 1.0;
  l.x = effective_x(l);
  touch(l, +1, +1);
  for (auto [r, g] : l.racks) rack_loads_[size_t(r)].push_back(key);
  loads_.emplace(key, std::move(l));
}

void PowerModel::remove_load(uint64_t key) {
  auto it = loads_.find(key);
  if (it == loads_.end()) return;
  touch(it->second, -1, -1);
  for (auto [r, g] : it->second.racks) {
    auto& v = rack_loads_[size_t(r)];
    v.erase(std::find(v.begin(), v.end(), key));
  }
  loads_.erase(it);
}

double PowerModel::effective_x(const Load& l) const {
  double x = domains_[size_t(PowerLevel::SITE)][0].x;
  for (auto [h, g] : l.halls) x = std::min(x, domains_[size_t(PowerLevel::HALL)][size_t(h)].x);
  for (auto [r, g] : l.rows) x = std::min(x, domains_[size_t(PowerLevel::ROW)][size_t(r)].x);
  for (auto [r, g] : l.racks) x = std::min(x, domains_[size_t(PowerLevel::RACK)][size_t(r)].x);
  return std::max(x, l.floor_x);
}

void PowerModel::set_x(Load& l, double x) {
  touch(l, 0, -1);  // take its actual power out, then put it back at the new throttle
  l.x = x;
  touch(l, 0, +1);
}

std::vector<uint64_t> PowerModel::rebalance() {
  bool broad = false;  // a row, a hall or the site changed: every load may be affected
  std::vector<int64_t> racks_changed;
  auto checked = std::move(dirty_);
  dirty_.clear();
  for (auto [lv, i] : checked) {
    Domain& d = domain(lv, i);
    d.dirty = false;
    double x = 1;
    if (config_.policy == PowerPolicy::THROTTLE && d.budget_it_w > 0 && d.demand_w > 0 &&
        d.base_w + d.demand_w > d.budget_it_w * (1 + SLACK))
      x = std::max(0.0, (d.budget_it_w - d.base_w) / d.demand_w);
    if (x < 1 && config_.throttle_step > 0) x = std::floor(x / config_.throttle_step + 1e-9) * config_.throttle_step;
    if (x == d.x) continue;
    d.x = x;
    if (x < 1) throttled_.insert({lv, i});
    else throttled_.erase({lv, i});
    if (lv == PowerLevel::RACK) racks_changed.push_back(i);
    else broad = true;
  }
  std::vector<uint64_t> changed;
  auto consider = [&](uint64_t key) {
    Load& l = loads_.at(key);
    const double x = effective_x(l);
    if (x == l.x) return;
    set_x(l, x);
    changed.push_back(key);
  };
  if (broad) {
    for (auto& [key, l] : loads_) consider(key);
  } else {
    for (int64_t r : racks_changed)
      for (uint64_t key : std::vector<uint64_t>(rack_loads_[size_t(r)])) consider(key);
  }
  std::sort(changed.begin(), changed.end());
  changed.erase(std::unique(changed.begin(), changed.end()), changed.end());
  // Loads whose throttle moved changed the actual power of their domains: re-check those too.
  for (auto& d : dirty_) checked.push_back(d);
  for (auto& [lv, i] : dirty_) domain(lv, i).dirty = false;
  dirty_.clear();
  for (auto [lv, i] : checked) {
    const Domain& d = domain(lv, i);
    if (d.budget_it_w > 0 && d.base_w + d.actual_w > d.budget_it_w * (1 + SLACK)) over_.insert({lv, i});
    else over_.erase({lv, i});
  }
  return changed;
}

double PowerModel::throttle(uint64_t key) const {
  auto it = loads_.find(key);
  return it == loads_.end() ? 1.0 : it->second.x;
}

double PowerModel::rate_factor(uint64_t key) const { return std::pow(throttle(key), config_.perf_exponent); }

double PowerModel::gpu_power_w(uint64_t key) const {
  auto it = loads_.find(key);
  return it == loads_.end() ? idle_w_ : idle_w_ + it->second.dynamic_w * it->second.x;
}

double PowerModel::it_power_w() const { return base_total_w_ + actual_total_w_; }

double PowerModel::bucket_power_w(int bucket) const {
  const size_t last = bucket_gpus_.size() - 1;
  auto booked = [&](size_t b) {
    const double per_gpu = idle_w_ + spec_.power.node_overhead_w / spec_.gpus_per_node;
    return pue_ * (bucket_gpus_[b] * per_gpu + bucket_actual_w_[b]);
  };
  if (static_cast<size_t>(bucket) != last) return booked(static_cast<size_t>(bucket));
  double rest = facility_power_w();
  for (size_t b = 0; b < last; ++b) rest -= booked(b);
  return rest + booked(last);
}

bool PowerModel::at_cap() const { return !throttled_.empty() || deferring_; }

bool PowerModel::over_budget() const { return !over_.empty(); }

void PowerModel::advance(double t_s) {
  const double dt = t_s - since_s_;
  if (dt <= 0) return;
  const double p = facility_power_w();
  const double price_integral = tariff_.integral(t_s) - tariff_.integral(since_s_);
  totals_.site_energy_j += p * dt;
  totals_.site_energy_cost_usd += p / 1000.0 * price_integral / 3600.0;
  for (size_t b = 0; b < bucket_gpus_.size(); ++b) {
    const double pb = bucket_power_w(static_cast<int>(b));
    totals_.bucket_energy_j[b] += pb * dt;
    totals_.bucket_energy_cost_usd[b] += pb / 1000.0 * price_integral / 3600.0;
  }
  if (at_cap()) totals_.time_at_cap_s += dt;
  if (over_budget()) totals_.time_over_budget_s += dt;
  totals_.peak_facility_w = std::max(totals_.peak_facility_w, p);
  since_s_ = t_s;
}

}  // namespace gwsim::sim
