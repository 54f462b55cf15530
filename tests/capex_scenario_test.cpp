// The capex-cycle keys (docs/scenario.md#fleet, docs/finance.md): bad input
// named by file, line and key; the coarse engine's books by hand on a small
// fleet; and the rental price's path moving the answer.
#include <cmath>
#include <fmt/format.h>
#include <gtest/gtest.h>

#include "finance/calendar.hpp"
#include "sim/engine/coarse.hpp"
#include "test_support.hpp"
#include "workloads/generators.hpp"

using namespace gwsim;

namespace {

// 1,024 H100 bought on 2024-01-01 for $30,000 each, no internal work, spot
// demand far above the slack (every GPU-hour is sold), energy at $0.
std::string fleet(const std::string& extra, const std::string& prices) {
  return R"(
name: capex
start_date: 2024-01-01
horizon: 366d
engine: coarse
cluster: {gpu: H100-SXM, racks_per_pod: 16}
economics: {energy_price: $0}
fleet:
  cohorts:
    - {name: a, date: 2024-01-01, gpu: H100-SXM, count: 1024, price: $30000, life_years: 1, resale: 0})" +
         extra + R"(
prices:
  series:
    - gpu: H100-SXM
      kind: spot
      points: )" + prices + R"(
pricing: {rule: follow_market, elasticity: 0}
finance: {discount_rate: 0}
workload:
  - {type: spot, arrivals: {per_hour: 100000}}
)";
}

std::string points(double first, double rest) {
  std::string out = "[";
  for (int m = 1; m <= 12; ++m)
    out += fmt::format("{}{{month: 2024-{:02}, price: ${}}}", m > 1 ? ", " : "", m, m == 1 ? first : rest);
  return out + "]";
}

std::map<std::string, double> run_coarse_text(const std::string& yaml, const std::string& dir) {
  const sim::Scenario sc = sim::parse_scenario(yaml, "inline.yaml");
  results::Recorder rec(dir, results::RunInfo{});
  const sim::RunStats st = sim::run_coarse(sc, rec);
  rec.finish(true);
  std::map<std::string, double> out;
  for (const auto& v : st.summary) out[v.name] = v.value;
  return out;
}

}  // namespace

TEST(CapexScenario, CohortsAfterTheHorizonAreRefusedNamingTheKey) {
  std::string y = fleet("\n    - {name: b, date: 2026-01-01, gpu: B200, count: 8}", points(2, 2));
  const std::string e = test::scenario_error(y, "c.yaml");
  EXPECT_NE(e.find("c.yaml:11: 'fleet.cohorts[1].date'"), std::string::npos) << e;
  EXPECT_NE(e.find("after the horizon"), std::string::npos) << e;
}

TEST(CapexScenario, ADepreciationLifeOfZeroIsRefused) {
  std::string y = fleet("", points(2, 2));
  y.replace(y.find("life_years: 1"), 13, "life_years: 0");
  const std::string e = test::scenario_error(y, "c.yaml");
  EXPECT_NE(e.find("'fleet.cohorts[0].life_years': expected a depreciation life > 0 years, found 0"), std::string::npos)
      << e;
}

TEST(CapexScenario, PriceSeriesOutOfOrderWithGapsOrNegativeAreRefused) {
  const std::string order = test::scenario_error(
      fleet("", "[{month: 2024-02, price: $2}, {month: 2024-01, price: $2}]"), "c.yaml");
  EXPECT_NE(order.find("'prices.series[0].points[1].month'"), std::string::npos) << order;
  EXPECT_NE(order.find("out of order"), std::string::npos) << order;
  const std::string gap = test::scenario_error(
      fleet("", "[{month: 2024-01, price: $2}, {month: 2024-05, price: $2}]"), "c.yaml");
  EXPECT_NE(gap.find("gap of 3 months"), std::string::npos) << gap;
  const std::string neg = test::scenario_error(fleet("", "[{month: 2024-01, price: -2}]"), "c.yaml");
  EXPECT_NE(neg.find("'prices.series[0].points[0].month': expected a price in USD per GPU-hour >= 0, found -2"),
            std::string::npos)
      << neg;
}

TEST(CapexScenario, CohortsNeedTheCoarseEngineAndAStartDate) {
  std::string y = fleet("", points(2, 2));
  y.replace(y.find("engine: coarse"), 14, "engine: event");
  EXPECT_NE(test::scenario_error(y, "c.yaml").find("expected 'engine: coarse'"), std::string::npos);
}

// Every GPU-hour sold at the month's spot price, no energy, no discounting:
// cash flow of month i = 1,024 GPUs x hours of month i x price_i, minus the
// $30.72M purchase in January. Depreciation: $30.72M over 12 months.
TEST(CoarseEngine, BooksAndPaybackByHandOnAFullySoldFleet) {
  const auto s = run_coarse_text(fleet("", points(4, 4)), test::temp_dir());
  const double hours_2024 = 366 * 24.0;
  EXPECT_NEAR(s.at("revenue_spot"), 1024 * hours_2024 * 4, 1e-3);
  EXPECT_NEAR(s.at("depreciation_total"), 30.72e6, 1e-3);
  EXPECT_NEAR(s.at("finance_cash_flow"), 1024 * hours_2024 * 4 - 30.72e6, 1e-3);
  EXPECT_NEAR(s.at("rental_share_of_depreciation"), 1024 * hours_2024 * 4 / 30.72e6, 1e-9);
  // Payback: $30.72M / (1,024 x 24 x $4) = 312.5 days of sales: Jan-Oct hold
  // 305 days, so 7.5 more of November's 30: 10 + 7.5 / 30 months.
  EXPECT_NEAR(s.at("finance_payback_months"), 10 + 7.5 / 30, 1e-9);
  EXPECT_EQ(finance::format_date(static_cast<int64_t>(s.at("finance_payback_day"))), "2024-11-08");
}

TEST(CoarseEngine, TheRentalPricePathMovesTheAnswer) {
  // The same year's spot sales, once at $4 throughout, once at $8 in
  // January and $4 after: January's extra $4 x 1,024 x 744 h moves revenue,
  // NPV and payback (earlier).
  const auto flat = run_coarse_text(fleet("", points(4, 4)), test::temp_dir("-flat"));
  const auto peak = run_coarse_text(fleet("", points(8, 4)), test::temp_dir("-peak"));
  EXPECT_NEAR(peak.at("revenue_spot") - flat.at("revenue_spot"), 4.0 * 1024 * 744, 1e-3);
  EXPECT_NEAR(peak.at("finance_npv") - flat.at("finance_npv"), 4.0 * 1024 * 744, 1e-3);
  EXPECT_LT(peak.at("finance_payback_months"), flat.at("finance_payback_months") - 0.5);
}

TEST(CoarseEngine, ElasticDemandFallsWhenTheOperatorPricesAboveTheMarket) {
  // Fixed at twice the market, elasticity 1: demand x (2)^(-1). Spot demand
  // of 100,000 jobs an hour still fills the fleet, so use a thin demand.
  std::string y = fleet("", points(2, 2));
  y.replace(y.find("per_hour: 100000"), 16, "per_hour: 1");
  const auto base = run_coarse_text(y, test::temp_dir("-base"));
  y.replace(y.find("pricing: {rule: follow_market, elasticity: 0}"), 45,
            "pricing: {rule: fixed, elasticity: 1, fixed: {spot: $4, lease_1y: $4, on_demand: $4}}");
  const auto dear = run_coarse_text(y, test::temp_dir("-dear"));
  EXPECT_NEAR(dear.at("gpu_hours_external"), base.at("gpu_hours_external") / 2, 1e-6 * base.at("gpu_hours_external"));
  EXPECT_NEAR(dear.at("revenue_spot"), base.at("revenue_spot"), 1e-6 * base.at("revenue_spot"));  // half the hours at twice the price
}

TEST(Calendar, WeeklyCyclesFollowTheStartDatesWeekday) {
  workloads::ArrivalCycle c;
  c.per_hour = 10;
  c.weekend_factor = 0.5;
  EXPECT_DOUBLE_EQ(c.rate_at(3600) * 3600, 10);  // undated: t = 0 is a Monday
  c.start_offset_s = finance::weekday(*finance::parse_iso_date("2023-07-01")) * 86400.0;  // a Saturday
  EXPECT_DOUBLE_EQ(c.rate_at(3600) * 3600, 5);
  EXPECT_DOUBLE_EQ(c.rate_at(2 * 86400 + 3600) * 3600, 10);  // the Monday after
  c.growth_per_year = 1.0;                                    // doubles in a year
  EXPECT_NEAR(c.rate_at(365 * 86400.0 + 2 * 86400 + 3600) * 3600, 20 * std::pow(2.0, (2 * 86400 + 3600) / (365 * 86400.0)) / 1.0, 1e-9);
}
