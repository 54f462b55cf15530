#include "results/summary_table.hpp"

#include <algorithm>
#include <cmath>
#include <fmt/format.h>

namespace gwsim::results {

std::string format_summary_value(double value) {
  if (!std::isfinite(value)) return fmt::format("{}", value);
  const double a = std::fabs(value);
  if (a < 1e15 && value == std::round(value)) return fmt::format("{:.0f}", value);
  // Six significant digits, in fixed notation; at most 12 decimals (smaller reads 0).
  const int magnitude = static_cast<int>(std::floor(std::log10(a)));
  std::string s = fmt::format("{:.{}f}", value, std::clamp(5 - magnitude, 0, 12));
  if (s.find('.') != std::string::npos) {
    s.erase(s.find_last_not_of('0') + 1);
    if (s.back() == '.') s.pop_back();
  }
  return s == "-0" ? "0" : s;
}

std::string format_summary_table(const std::string& title, const std::vector<SummaryValue>& values) {
  size_t width = 0;
  for (const auto& v : values) width = std::max(width, v.name.size());
  std::string out = fmt::format("== {} ==\n", title);
  for (const auto& v : values)
    out += fmt::format("{:<{}}  {:>16} {}\n", v.name, width, format_summary_value(v.value), v.unit);
  return out;
}

}  // namespace gwsim::results
