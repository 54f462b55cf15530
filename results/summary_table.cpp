#include "results/summary_table.hpp"

#include <algorithm>
#include <fmt/format.h>

namespace gwsim::results {

std::string format_summary_table(const std::string& title, const std::vector<SummaryValue>& values) {
  size_t width = 0;
  for (const auto& v : values) width = std::max(width, v.name.size());
  std::string out = fmt::format("== {} ==\n", title);
  for (const auto& v : values) out += fmt::format("{:<{}}  {:>14.6g} {}\n", v.name, width, v.value, v.unit);
  return out;
}

}  // namespace gwsim::results
