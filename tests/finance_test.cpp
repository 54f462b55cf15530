// The finance module's math against numbers worked out by hand
// (docs/finance.md): dates, depreciation schedules, NPV, IRR, payback, the
// books of two cohorts, and the price series' checks.
#include <cmath>
#include <fstream>
#include <gtest/gtest.h>

#include "common/error.hpp"
#include "finance/calendar.hpp"
#include "finance/depreciation.hpp"
#include "finance/ledger.hpp"
#include "finance/metrics.hpp"
#include "finance/price_series.hpp"

using namespace gwsim;
using namespace gwsim::finance;

TEST(Calendar, IsoDatesRoundTripAndKnowTheirWeekday) {
  const auto d = parse_iso_date("2023-07-01");
  ASSERT_TRUE(d);
  EXPECT_EQ(*d, 19539);  // 53 years of days: 1970-01-01 + 19539 d
  EXPECT_EQ(format_date(*d), "2023-07-01");
  EXPECT_EQ(weekday(*d), 5);  // a Saturday
  EXPECT_EQ(weekday(0), 3);   // 1970-01-01, a Thursday
  EXPECT_EQ(month_of(*d), 2023 * 12 + 6);
  EXPECT_EQ(format_month(month_of(*d)), "2023-07");
  EXPECT_EQ(days_in_month(2024 * 12 + 1), 29);
  EXPECT_EQ(days_in_month(2023 * 12 + 1), 28);
  EXPECT_TRUE(parse_iso_date("2024-02-29"));
  EXPECT_FALSE(parse_iso_date("2023-02-29"));
  EXPECT_FALSE(parse_iso_date("2023-13-01"));
  EXPECT_FALSE(parse_iso_date("July 2023"));
  EXPECT_EQ(*parse_iso_date("2025-03"), *parse_iso_date("2025-03-01"));
}

TEST(Depreciation, StraightLineSpreadsCostLessSalvageOverTheLife) {
  const auto d = monthly_depreciation(1200, {DepreciationMethod::STRAIGHT_LINE, 1, 0.25, 2}, 14);
  ASSERT_EQ(d.size(), 14u);
  for (int m = 0; m < 12; ++m) EXPECT_DOUBLE_EQ(d[m], 75.0);  // (1200 - 300) / 12
  EXPECT_DOUBLE_EQ(d[12], 0.0);
  EXPECT_DOUBLE_EQ(book_value(1200, {DepreciationMethod::STRAIGHT_LINE, 1, 0.25, 2}, 6), 750.0);
}

TEST(Depreciation, DecliningBalanceIsFrontLoadedAndEndsAtSalvage) {
  const DepreciationSchedule s{DepreciationMethod::DECLINING_BALANCE, 1, 0.1, 2};
  const auto d = monthly_depreciation(1200, s, 12);
  EXPECT_DOUBLE_EQ(d[0], 200.0);              // 1200 * 2 / 12
  EXPECT_NEAR(d[1], 1000.0 / 6.0, 1e-9);      // 1000 * 2 / 12
  EXPECT_NEAR(book_value(1200, s, 12), 120.0, 1e-9);  // written down to salvage at the end of the life
  EXPECT_GT(d[0], d[5]);
}

TEST(Measures, NpvDiscountsEachMonthByTheAnnualRate) {
  // 12 % a year: month i is worth 1.12^(-i/12).
  const std::vector<double> f = {-700, 300, 0, 500, 500, 500};
  const double hand = -700 + 300 * std::pow(1.12, -1.0 / 12) + 500 * std::pow(1.12, -3.0 / 12) +
                      500 * std::pow(1.12, -4.0 / 12) + 500 * std::pow(1.12, -5.0 / 12);
  EXPECT_NEAR(npv(0.12, f), hand, 1e-9);
  EXPECT_NEAR(npv(0.0, f), 1100.0, 1e-9);
}

TEST(Measures, IrrOfTenPercentAfterOneYear) {
  std::vector<double> f(13, 0.0);
  f[0] = -100;
  f[12] = 110;
  ASSERT_TRUE(irr(f));
  EXPECT_NEAR(*irr(f), 0.10, 1e-9);
  EXPECT_FALSE(irr({-100, -5, -5}));  // never positive: no rate
}

TEST(Measures, PaybackInterpolatesInsideTheMonthThatCloses) {
  // Cumulative -700, -400, -400, +100: month 3 closes the last 400 of its 500.
  EXPECT_NEAR(*payback_months({-700, 300, 0, 500, 500, 500}), 3.8, 1e-12);
  EXPECT_FALSE(payback_months({-700, 300, 300}));
  // Back below zero later (a second purchase): payback is the last crossing.
  EXPECT_NEAR(*payback_months({-100, 200, -300, 400}), 3.5, 1e-12);
}

// Two cohorts by hand: A bought in month 0 for 1,000 earns 300 a month of
// leases; B bought in month 2 for 500 earns 200 a month of spot from then on;
// energy 0. Flows: -700, 300, 0, 500, 500, 500.
TEST(Books, TwoCohortsGiveTheHandComputedMeasures) {
  const int64_t first = 2024 * 12;  // January 2024
  std::vector<MonthBooks> a(6), b(6), total(6);
  const auto dep_a = monthly_depreciation(1000, {DepreciationMethod::STRAIGHT_LINE, 0.5, 0, 2}, 6);
  const auto dep_b = monthly_depreciation(500, {DepreciationMethod::STRAIGHT_LINE, 0.5, 0, 2}, 4);
  for (int m = 0; m < 6; ++m) {
    a[m].revenue_usd[int(ContractKind::LEASE_1Y)] = 300;
    a[m].depreciation_usd = dep_a[m];
    if (m >= 2) {
      b[m].revenue_usd[int(ContractKind::SPOT)] = 200;
      b[m].depreciation_usd = dep_b[m - 2];
    }
  }
  a[0].capex_usd = 1000;
  b[2].capex_usd = 500;
  for (int m = 0; m < 6; ++m) (total[m] += a[m]) += b[m];
  const Measures r = measure(total, first, 0.12, 0.0);
  EXPECT_NEAR(*r.payback_months, 3.8, 1e-12);
  EXPECT_NEAR(r.cash_flow_usd, 1100, 1e-9);
  const double hand = -700 + 300 * std::pow(1.12, -1.0 / 12) + 500 * std::pow(1.12, -3.0 / 12) +
                      500 * std::pow(1.12, -4.0 / 12) + 500 * std::pow(1.12, -5.0 / 12);
  EXPECT_NEAR(r.npv_usd, hand, 1e-9);
  ASSERT_TRUE(r.irr);
  EXPECT_NEAR(npv(*r.irr, {-700, 300, 0, 500, 500, 500}), 0.0, 1e-6);
  // Depreciation: A 1000/6 a month for 6 months, B 500/6 for 4: 1,333.33; rental revenue 1,800 + 800.
  ASSERT_EQ(r.years.size(), 1u);
  EXPECT_NEAR(r.years[0].depreciation_usd, 1000.0 + 500.0 * 4 / 6, 1e-9);
  EXPECT_NEAR(r.years[0].share(), 2600.0 / (1000.0 + 2000.0 / 6), 1e-12);
  // A terminal value is added to the last month for NPV only.
  const Measures t = measure(total, first, 0.12, 100.0);
  EXPECT_NEAR(t.npv_usd - r.npv_usd, 100 * std::pow(1.12, -5.0 / 12), 1e-9);
  EXPECT_EQ(*t.payback_months, *r.payback_months);
}

namespace {
std::string write_csv(const std::string& name, const std::string& body) {
  const std::string path = std::string(GWSIM_TEST_TMP) + "/" + name;
  std::ofstream(path) << body;
  return path;
}
std::string price_error(const std::string& name, const std::string& body) {
  PriceBook book;
  try {
    read_price_csv(write_csv(name, body), book);
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ExitCode::SCENARIO);
    return e.what();
  }
  return "no error";
}
}  // namespace

TEST(Prices, ReadsAMonthlyCsvAndHoldsTheEnds) {
  PriceBook book;
  read_price_csv(write_csv("prices_ok.csv",
                           "# a comment\nmonth,gpu,kind,usd_per_gpu_hour\n2024-01,H100,spot,2.0\n2024-02,H100,spot,1.5\n"
                           "2024-01-01,H100,lease_1y,2.5\n"),
                 book);
  const PriceSeries* s = book.find("H100", ContractKind::SPOT);
  ASSERT_NE(s, nullptr);
  EXPECT_DOUBLE_EQ(s->at_month(2024 * 12 + 1), 1.5);
  EXPECT_DOUBLE_EQ(s->at_month(2023 * 12), 2.0);  // before the first month: the first value
  EXPECT_DOUBLE_EQ(s->at_month(2030 * 12), 1.5);  // after the last: the last
  EXPECT_EQ(book.find("H100", ContractKind::ON_DEMAND), nullptr);
}

TEST(Prices, RefusesOutOfOrderNegativeAndGappedSeriesNamingTheLine) {
  const std::string head = "month,gpu,kind,usd_per_gpu_hour\n";
  const std::string order = price_error("p_order.csv", head + "2024-02,H100,spot,2\n2024-01,H100,spot,2\n");
  EXPECT_NE(order.find("p_order.csv:3"), std::string::npos) << order;
  EXPECT_NE(order.find("out of order"), std::string::npos) << order;
  const std::string neg = price_error("p_neg.csv", head + "2024-01,H100,spot,-1\n");
  EXPECT_NE(neg.find("p_neg.csv:2"), std::string::npos) << neg;
  EXPECT_NE(neg.find(">= 0"), std::string::npos) << neg;
  const std::string gap = price_error("p_gap.csv", head + "2024-01,H100,spot,2\n2024-04,H100,spot,2\n");
  EXPECT_NE(gap.find("p_gap.csv:3"), std::string::npos) << gap;
  EXPECT_NE(gap.find("gap of 2 months"), std::string::npos) << gap;
  const std::string kind = price_error("p_kind.csv", head + "2024-01,H100,reserved,2\n");
  EXPECT_NE(kind.find("p_kind.csv:2: 'kind': expected on_demand, lease_1y or spot"), std::string::npos) << kind;
}
