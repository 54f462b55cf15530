#pragma once
// The summary table printed on stdout at the end of a run. Only simulated
// quantities go in it, never wall time, so examples can compare it with an
// expected file.
#include <string>
#include <vector>

#include "results/records.hpp"

namespace gwsim::results {

/// Renders "name  value unit" rows, aligned, values with 6 significant digits.
std::string format_summary_table(const std::string& title, const std::vector<SummaryValue>& values);

}  // namespace gwsim::results
