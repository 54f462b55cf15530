#include "finance/depreciation.hpp"

#include <algorithm>
#include <cmath>

namespace gwsim::finance {

std::vector<double> monthly_depreciation(double cost, const DepreciationSchedule& s, int64_t months) {
  std::vector<double> out(static_cast<size_t>(std::max<int64_t>(months, 0)), 0.0);
  const double salvage = cost * s.salvage_fraction;
  const int64_t life = std::max<int64_t>(1, std::llround(12 * s.life_years));
  double book = cost;
  for (int64_t m = 0; m < months && m < life; ++m) {
    double d = 0;
    if (s.method == DepreciationMethod::STRAIGHT_LINE) {
      d = (cost - salvage) / static_cast<double>(life);
    } else {
      d = m + 1 == life ? book - salvage : std::min(book * s.factor / static_cast<double>(life), book - salvage);
    }
    d = std::max(d, 0.0);
    book -= d;
    out[static_cast<size_t>(m)] = d;
  }
  return out;
}

double book_value(double cost, const DepreciationSchedule& s, int64_t age_months) {
  double book = cost;
  for (double d : monthly_depreciation(cost, s, age_months)) book -= d;
  return book;
}

}  // namespace gwsim::finance
