// The scenario's `failures:`, `power:` and `economics:` sections: how the fleet
// breaks, what it draws, and what it earns and costs (docs/operations.md).
#include <algorithm>
#include <fmt/format.h>
#include <fmt/ranges.h>

#include "sim/scenario/scenario_parts.hpp"

namespace gwsim::sim {

using workloads::JobKind;

namespace {

constexpr double MAX_DURATION_S = 1e12;

std::vector<std::string> class_names(const std::vector<FailureClass>& classes) {
  std::vector<std::string> out;
  for (const auto& c : classes) out.push_back(c.name);
  return out;
}

FailureScope parse_scope(const std::string& s) {
  if (s == "gpu") return FailureScope::GPU;
  if (s == "node") return FailureScope::NODE;
  if (s == "switch") return FailureScope::SWITCH;
  return FailureScope::JOB;
}

// A class's entry under failures.classes: overrides of a built-in class, or a new class (scope required).
void parse_class(YamlMap e, const std::string& name, std::vector<FailureClass>& classes) {
  auto it = std::find_if(classes.begin(), classes.end(), [&](const FailureClass& c) { return c.name == name; });
  const bool builtin = it != classes.end();
  if (!builtin) {
    if (!e.has("scope") || !e.has("mtbf"))
      e.fail(e.has("scope") ? "mtbf" : "scope",
             fmt::format("for a new class, its scope (gpu, node, switch or job) and mtbf (built-in classes: {})",
                         fmt::join(class_names(classes), ", ")),
             "nothing");
    classes.push_back(FailureClass{name, FailureScope::NODE, 0, 0, "scenario"});
    it = classes.end() - 1;
  }
  FailureClass& c = *it;
  c.scope = parse_scope(e.choice("scope", to_string(c.scope), {"gpu", "node", "switch", "job"}));
  const double mtbf = c.rate_per_unit_s > 0 ? 1.0 / c.rate_per_unit_s : 0;
  const double new_mtbf = e.quantity("mtbf", mtbf, &units::duration_s, 1, MAX_DURATION_S);
  const double new_repair = e.quantity("repair", c.repair_s, &units::duration_s, 0, MAX_DURATION_S);
  if (builtin && (new_mtbf != mtbf || new_repair != c.repair_s)) c.source += "; overridden in the scenario";
  c.rate_per_unit_s = new_mtbf > 0 ? 1.0 / new_mtbf : 0;
  c.repair_s = c.scope == FailureScope::JOB ? 0 : new_repair;
  if (!e.boolean("enabled", true)) c.rate_per_unit_s = 0;
  e.finish();
}

ScriptedFailure parse_event(YamlMap e, const FailuresConfig& c, const topology::ClusterSpec& cluster) {
  ScriptedFailure f;
  f.at_s = e.quantity("at", 0, &units::duration_s, 0, MAX_DURATION_S);
  const auto names = class_names(c.classes);
  const std::string cause = e.choice("cause", names.front(), names);
  f.cls = static_cast<int>(std::find(names.begin(), names.end(), cause) - names.begin());
  const FailureClass& cls = c.classes[size_t(f.cls)];
  const int64_t nodes = cluster.node_count(), gpus = cluster.gpu_count();
  switch (cls.scope) {
    case FailureScope::GPU:
    case FailureScope::JOB:
      if (e.has("gpu")) f.unit = e.integer("gpu", 0, 0, gpus - 1);
      else f.unit = e.integer("node", 0, 0, nodes - 1) * cluster.gpus_per_node;
      break;
    case FailureScope::NODE: f.unit = e.integer("node", 0, 0, nodes - 1); break;
    case FailureScope::SWITCH:  // a leaf switch; its upper bound is checked once the fabric is built
      f.unit = e.integer("switch", 0, 0, INT64_MAX / 2);
      f.where = e.where("switch");
      break;
  }
  f.repair_s = cls.scope == FailureScope::JOB ? 0 : e.quantity("repair", cls.repair_s, &units::duration_s, 0, MAX_DURATION_S);
  e.finish();
  return f;
}

}  // namespace

FailuresConfig parse_failures(YamlMap m, const topology::ClusterSpec& cluster) {
  FailuresConfig c;
  c.random = m.boolean("enabled", false);
  const double scale = m.number("rate_scale", 1, 0, 1e6);
  const YAML::Node raw = m.raw("classes");
  if (raw && !raw.IsNull() && !raw.IsMap())
    m.fail("classes", "a mapping from class names to {mtbf, repair, enabled, scope}", "another structure");
  YamlMap classes = m.map("classes");
  if (raw && raw.IsMap())
    for (auto it = raw.begin(); it != raw.end(); ++it) {
      const std::string name = it->first.Scalar();
      parse_class(classes.map(name), name, c.classes);
    }
  classes.finish();
  for (auto& cls : c.classes) cls.rate_per_unit_s *= scale;

  YamlMap sp = m.map("spares");
  const int64_t per_pod = cluster.nodes_per_pod();
  c.spares.hot_per_pod = static_cast<int>(sp.integer("hot_per_pod", 0, 0, per_pod - 1));
  c.spares.cold_per_pod = static_cast<int>(sp.integer("cold_per_pod", 0, 0, per_pod - 1));
  if (c.spares.hot_per_pod + c.spares.cold_per_pod >= per_pod)
    sp.fail("cold_per_pod", fmt::format("hot and cold spares fewer than the pod's {} nodes", per_pod),
            fmt::format("{} in all", c.spares.hot_per_pod + c.spares.cold_per_pod));
  c.spares.cold_swap_s = sp.quantity("cold_swap", c.spares.cold_swap_s, &units::duration_s, 0, MAX_DURATION_S);
  sp.finish();

  for (auto& e : m.map_list("events")) c.events.push_back(parse_event(e, c, cluster));
  std::stable_sort(c.events.begin(), c.events.end(), [](auto& a, auto& b) { return a.at_s < b.at_s; });
  m.finish();
  return c;
}

PowerConfig parse_power(YamlMap m) {
  PowerConfig c;
  const std::string policy = m.choice("policy", "throttle", {"none", "throttle", "defer"});
  c.policy = policy == "none" ? PowerPolicy::NONE : policy == "defer" ? PowerPolicy::DEFER : PowerPolicy::THROTTLE;
  YamlMap u = m.map("utilization");
  for (int k = 0; k < workloads::JOB_KIND_COUNT; ++k)
    c.utilization[size_t(k)] = u.number(std::string(workloads::to_string(JobKind(k))), c.utilization[size_t(k)], 0, 1);
  u.finish();
  c.perf_exponent = m.number("throttle_exponent", c.perf_exponent, 0, 10);
  c.min_power_fraction = m.number("min_power_fraction", c.min_power_fraction, 0, 1);
  c.throttle_step = m.number("throttle_step", c.throttle_step, 0, 1);
  m.finish();
  return c;
}

EconomicsConfig parse_economics(YamlMap m) {
  EconomicsConfig c;
  c.depreciation_years = m.number("depreciation_years", c.depreciation_years, 0.1, 100);
  c.node_cost_usd = m.quantity("node_cost", c.node_cost_usd, &units::usd, 0, 1e9);
  c.facility_cost_usd_per_w = m.quantity("facility_cost_per_watt", c.facility_cost_usd_per_w, &units::usd, 0, 1e4);
  const double base = m.quantity("energy_price", c.tariff.base_usd_per_kwh(), &units::usd, 0, 100);
  std::vector<TariffPeriod> periods;
  for (auto& p : m.map_list("tariff")) {
    TariffPeriod t;
    t.from_s = p.quantity("from", 0, &units::duration_s, 0, 86400);
    t.to_s = p.quantity("to", 86400, &units::duration_s, 0, 86400);
    t.price_usd_per_kwh = p.quantity("price", base, &units::usd, 0, 100);
    if (!(t.from_s < t.to_s)) p.fail("to", fmt::format("a time of day after 'from' ({}s)", t.from_s), fmt::format("{}s", t.to_s));
    p.finish();
    periods.push_back(t);
  }
  try {
    c.tariff = Tariff(base, periods);
  } catch (const Error& e) {
    m.fail("tariff", "time-of-day periods that do not overlap", e.what());
  }
  YamlMap prices = m.map("prices");
  for (JobKind k : {JobKind::LEASE, JobKind::ON_DEMAND, JobKind::SPOT}) {
    auto& p = c.default_price_usd_per_gpu_hour[size_t(k)];
    p = prices.quantity(std::string(workloads::to_string(k)), p, &units::usd, 0, 1e4);
  }
  prices.finish();
  if (m.has("sla")) {
    c.sla.clear();
    for (auto& t : m.map_list("sla")) {
      SlaTier tier;
      tier.availability = t.number("below", 1, 0, 1);
      tier.credit_fraction = t.number("credit", 0, 0, 10);
      t.finish();
      c.sla.push_back(tier);
    }
  } else {
    m.map_list("sla");
  }
  m.finish();
  return c;
}

}  // namespace gwsim::sim
