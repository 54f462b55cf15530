// The scenario's calendar, fleet cohorts, prices, pricing and finance keys
// (docs/scenario.md#calendar-and-cohorts).
#include <cmath>
#include <filesystem>
#include <fmt/format.h>

#include "finance/calendar.hpp"
#include "sim/scenario/scenario_parts.hpp"

namespace gwsim::sim {
namespace {

int64_t date_key(YamlMap& m, const std::string& key) {
  const std::string text = m.str_required(key);
  const auto day = finance::parse_iso_date(text);
  if (!day) m.fail(key, "an ISO date such as 2023-07-01", fmt::format("'{}'", text));
  return *day;
}

finance::ContractKind kind_key(YamlMap& m, const std::string& key) {
  finance::ContractKind k{};
  finance::parse_contract_kind(m.choice(key, "on_demand", {"on_demand", "lease_1y", "spot"}), k);
  return k;
}

}  // namespace

void parse_calendar(YamlMap& m, CapexConfig& c) {
  if (m.has("start_date")) c.start_day = date_key(m, "start_date");
  else m.str("start_date", "");  // a known key
  c.coarse = m.choice("engine", "event", {"event", "coarse"}) == "coarse";
}

void parse_capex(YamlMap& root, Scenario& s) {
  CapexConfig& c = s.capex;
  const std::string start_text = c.start_day ? finance::format_date(*c.start_day) : "";
  const int64_t horizon_days = static_cast<int64_t>(std::ceil(s.horizon_s / 86400.0));

  YamlMap fleet = root.map("fleet");
  auto cohorts = fleet.map_list("cohorts");
  if (!cohorts.empty() && !c.start_day)
    fleet.fail("cohorts", "a scenario 'start_date' (cohorts are dated)", "no start_date");
  if (!cohorts.empty() && !c.coarse)
    fleet.fail("cohorts", "'engine: coarse' (the event engine runs the cluster: section's GPUs)", "engine: event");
  for (size_t i = 0; i < cohorts.size(); ++i) {
    YamlMap& m = cohorts[i];
    CohortConfig k;
    k.name = m.str("name", fmt::format("cohort{}", i));
    k.date_day = date_key(m, "date");
    const int64_t end_day = *c.start_day + horizon_days;
    if (k.date_day < *c.start_day || k.date_day >= end_day)
      m.fail("date", fmt::format("a date from the start_date {} to before the end of the horizon {}", start_text,
                                 finance::format_date(end_day)),
             fmt::format("{} ({})", finance::format_date(k.date_day),
                         k.date_day < *c.start_day ? "before the start" : "after the horizon"));
    k.pool = m.str("pool", "");
    k.gpu = m.str("gpu", s.cluster.gpu_type);
    const gpu_models::GpuSpec* gpu = s.catalog.find_gpu(k.gpu);
    if (!gpu) m.fail("gpu", "a GPU type of the catalog", fmt::format("'{}'", k.gpu));
    k.count = m.integer("count", 0, 1, 100'000'000);
    if (!m.has("count")) m.fail("count", "the number of GPUs bought (>= 1)", "nothing");
    const double node_share = s.economics.node_cost_usd < 0 ? 7500.0 : s.economics.node_cost_usd / s.cluster.gpus_per_node;
    k.unit_price_usd = m.quantity("price", gpu->price_usd + node_share, &units::usd, 0, 1e8);
    const std::string method = m.choice("depreciation", "straight_line", {"straight_line", "declining_balance"});
    k.depreciation.method = method == "straight_line" ? finance::DepreciationMethod::STRAIGHT_LINE
                                                      : finance::DepreciationMethod::DECLINING_BALANCE;
    k.depreciation.life_years = m.number("life_years", s.economics.depreciation_years, 0, 100);
    if (!(k.depreciation.life_years > 0))
      m.fail("life_years", "a depreciation life > 0 years", fmt::format("{}", k.depreciation.life_years));
    k.depreciation.salvage_fraction = m.number("resale", 0.1, 0, 1);
    k.depreciation.factor = m.number("declining_factor", 2, 1, 10);
    if (m.has("retire")) {
      k.retire_day = date_key(m, "retire");
      if (*k.retire_day <= k.date_day)
        m.fail("retire", fmt::format("a date after the cohort's date {}", finance::format_date(k.date_day)),
               finance::format_date(*k.retire_day));
    } else {
      m.str("retire", "");
    }
    k.retire_after_negative_months = static_cast<int>(m.integer("retire_after_negative_months", 0, 0, 1200));
    k.rent = m.boolean("rent", true);
    m.finish();
    c.cohorts.push_back(std::move(k));
  }
  fleet.finish();

  YamlMap prices = root.map("prices");
  if (prices.has("file")) {
    const std::string file = prices.str("file", "");
    const std::filesystem::path p(file);
    const std::string resolved =
        p.is_absolute() ? file : (std::filesystem::path(s.path).parent_path() / p).lexically_normal().string();
    std::error_code ec;
    if (!std::filesystem::exists(resolved, ec))
      prices.fail("file", "a price CSV (relative to the scenario file)", fmt::format("'{}' (no such file)", file));
    finance::read_price_csv(resolved, c.prices);
  } else {
    prices.str("file", "");
  }
  for (auto& m : prices.map_list("series")) {
    const std::string gpu = m.str_required("gpu");
    if (!s.catalog.find_gpu(gpu)) m.fail("gpu", "a GPU type of the catalog", fmt::format("'{}'", gpu));
    if (!m.has("kind")) m.fail("kind", "on_demand, lease_1y or spot", "nothing");
    const finance::ContractKind kind = kind_key(m, "kind");
    finance::PriceSeries& series = c.prices.series(gpu, kind);
    if (!series.empty()) m.fail("kind", fmt::format("one series per GPU type and kind ({} {} is given twice)", gpu,
                                                    finance::to_string(kind)), "a second one");
    for (auto& p : m.map_list("points")) {
      const int64_t day = date_key(p, "month");
      if (finance::civil_from_days(day).day != 1)
        p.fail("month", "a month such as 2024-03", finance::format_date(day));
      const double price = p.quantity("price", 0, &units::usd, -1e9, 1e6);
      series.add(finance::month_of(day), price, p.where("month"));
      p.finish();
    }
    if (series.empty()) m.fail("points", "at least one monthly point", "none");
    m.finish();
  }
  prices.finish();
  if (!c.prices.empty() && !c.coarse)
    root.fail("prices", "'engine: coarse' (market price series drive the coarse engine)", "engine: event");

  YamlMap pricing = root.map("pricing");
  PricingConfig& pr = c.pricing;
  pr.rule = pricing.choice("rule", "follow_market", {"follow_market", "fixed"}) == "fixed" ? PricingConfig::Rule::FIXED
                                                                                          : PricingConfig::Rule::FOLLOW_MARKET;
  pr.discount = pricing.number("discount", pr.discount, 0, 0.99);
  pr.elasticity = pricing.number("elasticity", pr.elasticity, 0, 10);
  YamlMap fixed = pricing.map("fixed");
  for (int k = 0; k < finance::CONTRACT_KIND_COUNT; ++k) {
    const char* name = finance::to_string(static_cast<finance::ContractKind>(k));
    pr.fixed_usd_per_gpu_hour[k] = fixed.quantity(name, 0, &units::usd, 0, 1e4);
    if (pr.rule == PricingConfig::Rule::FIXED && !fixed.has(name) && c.coarse)
      fixed.fail(name, "a price per GPU-hour for each kind under 'rule: fixed'", "nothing");
  }
  fixed.finish();
  pricing.finish();

  YamlMap fin = root.map("finance");
  c.finance.discount_rate = fin.number("discount_rate", c.finance.discount_rate, -0.5, 10);
  const std::string iv = fin.choice("internal_value", "none", {"none", "on_demand", "lease_1y", "spot"});
  if (iv != "none") {
    finance::ContractKind k{};
    finance::parse_contract_kind(iv, k);
    c.finance.internal_value = k;
  }
  c.finance.terminal_book_value = fin.choice("terminal_value", "book", {"book", "none"}) == "book";
  fin.finish();
  if (c.coarse && !c.start_day) root.fail("engine", "a 'start_date' for 'engine: coarse' (it runs by calendar months)", "none");
}

}  // namespace gwsim::sim
