#pragma once
// The scenario's keys for fleets over years (docs/scenario.md#calendar-and-cohorts,
// docs/finance.md): the calendar (`start_date`), the engine (`engine: coarse`),
// fleet cohorts, market price series, the operator's pricing rule and the
// finance settings. Typed here; the money math is finance/'s.
#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "finance/depreciation.hpp"
#include "finance/price_series.hpp"

namespace gwsim::sim {

/// GPUs bought together: online from `date_day`, depreciated from its month.
struct CohortConfig {
  std::string name;
  int64_t date_day = 0;    ///< days since 1970-01-01
  std::string pool;        ///< the pool it joins (empty: the single cluster)
  std::string gpu;         ///< a catalog GPU type
  int64_t count = 0;
  double unit_price_usd = 0;  ///< per GPU, its share of the server included
  finance::DepreciationSchedule depreciation;
  std::optional<int64_t> retire_day;  ///< sold (at book value) on this day
  /// Sold at the end of the K-th month in a row whose operating margin is < 0; 0: never.
  int retire_after_negative_months = 0;
  bool rent = true;  ///< its slack may be rented; false: internal work only
};

/// What the operator charges for rented capacity.
struct PricingConfig {
  enum class Rule : uint8_t { FOLLOW_MARKET, FIXED };
  Rule rule = Rule::FOLLOW_MARKET;
  double discount = 0;  ///< follow_market: price = market * (1 - discount)
  std::array<double, finance::CONTRACT_KIND_COUNT> fixed_usd_per_gpu_hour{};  ///< fixed: by ContractKind
  /// Demand = base * (price / market)^(-elasticity) (docs/finance.md#demand).
  double elasticity = 1.5;
};

struct FinanceSettings {
  double discount_rate = 0.10;  ///< annual, for NPV
  /// Value internal GPU-hours at the market price of this kind (what renting them would cost); empty: at 0.
  std::optional<finance::ContractKind> internal_value;
  bool terminal_book_value = true;  ///< add the book value left at the end to the last month (NPV, IRR)
};

struct CapexConfig {
  std::optional<int64_t> start_day;  ///< `start_date`; empty: an undated run (t = 0 is a Monday)
  bool coarse = false;               ///< `engine: coarse`
  std::vector<CohortConfig> cohorts;
  finance::PriceBook prices;
  PricingConfig pricing;
  FinanceSettings finance;
  bool given() const { return !cohorts.empty() || !prices.empty() || coarse; }
};

}  // namespace gwsim::sim
