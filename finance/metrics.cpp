#include "finance/metrics.hpp"

#include <cmath>

namespace gwsim::finance {

double npv(double r, const std::vector<double>& flows) {
  double sum = 0;
  for (size_t i = 0; i < flows.size(); ++i) sum += flows[i] * std::pow(1 + r, -static_cast<double>(i) / 12.0);
  return sum;
}

std::optional<double> irr(const std::vector<double>& flows) {
  double lo = -0.99, hi = 100;
  double f_lo = npv(lo, flows), f_hi = npv(hi, flows);
  if (!(f_lo * f_hi < 0)) return std::nullopt;
  for (int it = 0; it < 200 && hi - lo > 1e-12; ++it) {
    const double mid = 0.5 * (lo + hi);
    const double f = npv(mid, flows);
    if ((f < 0) == (f_lo < 0)) {
      lo = mid;
      f_lo = f;
    } else {
      hi = mid;
    }
  }
  return 0.5 * (lo + hi);
}

std::optional<double> payback_months(const std::vector<double>& flows) {
  // The last month at whose end the cumulative flow is negative; payback is inside the next.
  double cum = 0;
  int64_t last_negative = -1;
  double before = 0;  // cumulative before the month after last_negative
  for (size_t i = 0; i < flows.size(); ++i) {
    cum += flows[i];
    if (cum < 0) {
      last_negative = static_cast<int64_t>(i);
      before = cum;
    }
  }
  if (last_negative < 0) return std::nullopt;  // never negative: nothing to pay back
  const size_t j = static_cast<size_t>(last_negative + 1);
  if (j >= flows.size()) return std::nullopt;
  return static_cast<double>(j) + (-before) / flows[j];
}

}  // namespace gwsim::finance
