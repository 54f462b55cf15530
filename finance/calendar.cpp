#include "finance/calendar.hpp"

#include <cctype>
#include <fmt/format.h>

namespace gwsim::finance {

// http://howardhinnant.github.io/date_algorithms.html (public domain).
int64_t days_from_civil(CivilDate d) {
  const int64_t y = d.year - (d.month <= 2 ? 1 : 0);
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const int64_t yoe = y - era * 400;
  const int64_t mp = (d.month + 9) % 12;
  const int64_t doy = (153 * mp + 2) / 5 + d.day - 1;
  const int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

CivilDate civil_from_days(int64_t z) {
  z += 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const int64_t doe = z - era * 146097;
  const int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const int64_t mp = (5 * doy + 2) / 153;
  const int d = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
  const int m = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
  return {static_cast<int>(yoe + era * 400 + (m <= 2 ? 1 : 0)), m, d};
}

namespace {
bool digits(std::string_view s, size_t from, size_t n, int& out) {
  if (s.size() < from + n) return false;
  out = 0;
  for (size_t i = from; i < from + n; ++i) {
    if (!std::isdigit(static_cast<unsigned char>(s[i]))) return false;
    out = out * 10 + (s[i] - '0');
  }
  return true;
}
}  // namespace

std::optional<int64_t> parse_iso_date(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  CivilDate d;
  if (!(s.size() == 7 || s.size() == 10)) return std::nullopt;
  if (!digits(s, 0, 4, d.year) || s[4] != '-' || !digits(s, 5, 2, d.month)) return std::nullopt;
  if (s.size() == 10 && (s[7] != '-' || !digits(s, 8, 2, d.day))) return std::nullopt;
  if (d.month < 1 || d.month > 12) return std::nullopt;
  if (d.day < 1 || d.day > days_in_month(int64_t{d.year} * 12 + d.month - 1)) return std::nullopt;
  return days_from_civil(d);
}

std::string format_date(int64_t days) {
  const CivilDate d = civil_from_days(days);
  return fmt::format("{:04}-{:02}-{:02}", d.year, d.month, d.day);
}

int weekday(int64_t days) {
  // 1970-01-01 was a Thursday (3 with Monday = 0).
  const int64_t w = (days + 3) % 7;
  return static_cast<int>(w < 0 ? w + 7 : w);
}

int64_t month_of(int64_t days) {
  const CivilDate d = civil_from_days(days);
  return int64_t{d.year} * 12 + d.month - 1;
}

int64_t first_day_of_month(int64_t month) {
  const int64_t y = month >= 0 ? month / 12 : (month - 11) / 12;
  return days_from_civil({static_cast<int>(y), static_cast<int>(month - y * 12) + 1, 1});
}

int days_in_month(int64_t month) { return static_cast<int>(first_day_of_month(month + 1) - first_day_of_month(month)); }

std::string format_month(int64_t month) {
  const CivilDate d = civil_from_days(first_day_of_month(month));
  return fmt::format("{:04}-{:02}", d.year, d.month);
}

}  // namespace gwsim::finance
