#pragma once
// Book value of an asset bought at one date, month by month. Two schedules
// (docs/finance.md#depreciation):
// - straight-line: (cost - salvage) / (12 * life_years) each month for
//   12 * life_years months, then nothing;
// - declining balance: each month book * factor / (12 * life_years), never
//   below the salvage value; the last month of the life writes the book down
//   to the salvage value (so both schedules end at salvage after the life).
#include <cstdint>
#include <vector>

namespace gwsim::finance {

enum class DepreciationMethod : uint8_t { STRAIGHT_LINE, DECLINING_BALANCE };

struct DepreciationSchedule {
  DepreciationMethod method = DepreciationMethod::STRAIGHT_LINE;
  double life_years = 5;         ///< > 0 (the scenario refuses 0)
  double salvage_fraction = 0;   ///< of the cost, left at the end of the life: resale value
  double factor = 2;             ///< declining balance: 2 is double-declining
};

/// Depreciation of each month of age 0..months-1 of an asset of `cost_usd`.
std::vector<double> monthly_depreciation(double cost_usd, const DepreciationSchedule& s, int64_t months);
/// Book value after `age_months` whole months.
double book_value(double cost_usd, const DepreciationSchedule& s, int64_t age_months);

}  // namespace gwsim::finance
