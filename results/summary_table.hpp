#pragma once
// The full summary list `gwsim run --full-summary` prints on stdout at the
// end of a run (the headline, results/headline.hpp, is the default). Only
// simulated quantities go in it, never wall time, so examples can compare it
// with an expected file.
#include <string>
#include <vector>

#include "results/records.hpp"

namespace gwsim::results {

/// Renders "name  value unit" rows, aligned. Whole values print whole; others
/// with 6 significant digits in fixed notation (never an exponent).
std::string format_summary_table(const std::string& title, const std::vector<SummaryValue>& values);

/// One value as the table prints it: 1209600 -> "1209600", 0.6152641 -> "0.615264", 2.5e-7 -> "0.00000025".
std::string format_summary_value(double value);

}  // namespace gwsim::results
