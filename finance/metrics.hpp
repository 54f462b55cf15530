#pragma once
// Investment measures of a monthly cash-flow series (docs/finance.md#measures).
// Flow i is dated i months after the start: flow 0 (the first purchase) is
// not discounted, flow i is discounted by (1 + r)^(-i / 12) for an annual
// rate r.
#include <cstdint>
#include <optional>
#include <vector>

namespace gwsim::finance {

/// Net present value at an annual discount rate (> -1).
double npv(double annual_rate, const std::vector<double>& monthly_flows);
/// The annual rate at which npv() is 0, by bisection on [-0.99, 100]; empty
/// when npv has the same sign at both ends (no rate, e.g. the flows never turn
/// positive).
std::optional<double> irr(const std::vector<double>& monthly_flows);
/// Months from the start until the cumulative cash flow is back to >= 0 for
/// good, after having been negative: with flow i spread evenly over month i,
/// the crossing inside the month where it happens (i + the fraction of flow i
/// that closes the gap). Empty when it never comes back.
std::optional<double> payback_months(const std::vector<double>& monthly_flows);

}  // namespace gwsim::finance
