#pragma once
// The monthly books of a fleet bought in cohorts, and what they add up to
// (docs/finance.md#books). Cash flow is what moves money: rental revenue,
// the value of internal work (what renting it would have cost, when the
// scenario asks for it), minus energy, minus purchases, plus resale;
// depreciation is not cash and enters the margin and the coverage share only.
#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "finance/price_series.hpp"

namespace gwsim::finance {

struct MonthBooks {
  double gpus_online = 0;  ///< mean over the month
  double internal_gpu_hours = 0;
  std::array<double, CONTRACT_KIND_COUNT> rented_gpu_hours{};  ///< by ContractKind
  std::array<double, CONTRACT_KIND_COUNT> revenue_usd{};       ///< by ContractKind
  double internal_value_usd = 0;
  double energy_usd = 0;
  double depreciation_usd = 0;
  double capex_usd = 0;    ///< purchases paid this month (> 0)
  double salvage_usd = 0;  ///< resale of retired GPUs this month (> 0)

  double rental_revenue_usd() const;
  double cash_flow_usd() const {
    return rental_revenue_usd() + internal_value_usd - energy_usd - capex_usd + salvage_usd;
  }
  /// Operating margin: what the month earns over its energy (depreciation is sunk; retirement looks at this).
  double operating_margin_usd() const { return rental_revenue_usd() + internal_value_usd - energy_usd; }
  MonthBooks& operator+=(const MonthBooks& o);
};

/// Rental revenue against depreciation over one calendar year.
struct YearCoverage {
  int year = 0;
  double rental_revenue_usd = 0;
  double depreciation_usd = 0;
  double cash_flow_usd = 0;
  /// rental_revenue / depreciation; 0 when nothing depreciated.
  double share() const { return depreciation_usd > 0 ? rental_revenue_usd / depreciation_usd : 0; }
};

struct Measures {
  double npv_usd = 0;                    ///< at the discount rate, terminal value included
  std::optional<double> irr;             ///< annual, terminal value included
  std::optional<double> payback_months;  ///< cash flows only, from the first month
  double cash_flow_usd = 0;              ///< sum of the cash flows
  double terminal_value_usd = 0;         ///< book value left at the end, added to the last month for NPV and IRR
  std::vector<YearCoverage> years;
};

/// The measures of monthly books whose month 0 is `first_month`.
Measures measure(const std::vector<MonthBooks>& months, int64_t first_month, double annual_discount_rate,
                 double terminal_value_usd);

}  // namespace gwsim::finance
