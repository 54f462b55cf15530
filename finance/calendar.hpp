#pragma once
// Civil dates for runs that last years. A date is a count of days since
// 1970-01-01 (proleptic Gregorian, UTC, no leap seconds); a month is counted
// as year * 12 + (month - 1). The simulation's t = 0 is 00:00 of the
// scenario's start_date, so t_s = (day - start_day) * 86400.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace gwsim::finance {

struct CivilDate {
  int year = 1970;
  int month = 1;  ///< 1..12
  int day = 1;    ///< 1..31
};

/// Days since 1970-01-01 of a civil date (H. Hinnant's days_from_civil, exact for all int years).
int64_t days_from_civil(CivilDate d);
CivilDate civil_from_days(int64_t days);
/// "2023-07-01" (also "2023-07", read as the first of the month). Empty when
/// the text is not such a date or names a day the month does not have.
std::optional<int64_t> parse_iso_date(std::string_view text);
/// "YYYY-MM-DD".
std::string format_date(int64_t days);
/// 0 = Monday ... 6 = Sunday.
int weekday(int64_t days);

/// year * 12 + month - 1 of the month holding `days`.
int64_t month_of(int64_t days);
/// First day of a month index.
int64_t first_day_of_month(int64_t month);
int days_in_month(int64_t month);
/// "YYYY-MM".
std::string format_month(int64_t month);
inline int year_of_month(int64_t month) { return static_cast<int>(month / 12); }

}  // namespace gwsim::finance
