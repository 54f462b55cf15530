#include "workloads/text_input.hpp"

#include <charconv>
#include <cmath>
#include <algorithm>
#include <filesystem>
#include <cstring>
#include <fmt/format.h>

#include "common/error.hpp"

namespace gwsim::workloads {
namespace {

constexpr size_t BUFFER_BYTES = 1 << 20;

std::string quoted(std::string_view s) {
  constexpr size_t MAX_SHOWN = 60;
  if (s.size() > MAX_SHOWN) return fmt::format("'{}...'", s.substr(0, MAX_SHOWN));
  return fmt::format("'{}'", s);
}

// Digits at s[pos, pos+n) as a number; false when any is not a digit.
bool digits(std::string_view s, size_t pos, size_t n, int64_t& out) {
  if (pos + n > s.size()) return false;
  out = 0;
  for (size_t i = pos; i < pos + n; ++i) {
    if (s[i] < '0' || s[i] > '9') return false;
    out = out * 10 + (s[i] - '0');
  }
  return true;
}

}  // namespace

LineReader::LineReader(std::string path) : path_(std::move(path)) {
  file_ = std::make_unique<CompressedInput>(path_);
  // A small file gets a buffer its size (opening many small traces stays
  // cheap); refill() grows it when a line needs more.
  std::error_code ec;
  const auto size = file_->compression() == Compression::NONE ? std::filesystem::file_size(path_, ec) : 0;
  if (file_->compression() != Compression::NONE) ec = std::make_error_code(std::errc::not_supported);
  buf_.resize(ec ? BUFFER_BYTES : std::clamp<size_t>(static_cast<size_t>(size) + 1, 4096, BUFFER_BYTES));
}

bool LineReader::refill() {
  if (eof_) return false;
  // Keep the unread tail, then read after it; grow when one line fills the buffer.
  if (begin_ > 0) {
    std::memmove(buf_.data(), buf_.data() + begin_, end_ - begin_);
    end_ -= begin_;
    begin_ = 0;
  }
  if (end_ == buf_.size()) buf_.resize(buf_.size() * 2);
  const size_t n = file_->read(buf_.data() + end_, buf_.size() - end_);
  if (n == 0) {
    eof_ = true;
    return false;
  }
  end_ += n;
  bytes_ += n;
  return true;
}

bool LineReader::next(std::string_view& line) {
  while (true) {
    const char* start = buf_.data() + begin_;
    const void* nl = std::memchr(start, '\n', end_ - begin_);
    if (nl) {
      const size_t len = static_cast<const char*>(nl) - start;
      line = std::string_view(start, len);
      if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
      begin_ += len + 1;
      ++line_;
      return true;
    }
    if (!refill()) {
      if (begin_ == end_) return false;
      // The last line has no newline.
      line = std::string_view(buf_.data() + begin_, end_ - begin_);
      if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
      begin_ = end_;
      ++line_;
      return true;
    }
  }
}

void split_csv(std::string_view line, std::vector<std::string_view>& fields, char sep) {
  fields.clear();
  size_t i = 0;
  while (true) {
    if (i < line.size() && line[i] == '"') {
      const size_t close = line.find('"', i + 1);
      if (close != std::string_view::npos && (close + 1 == line.size() || line[close + 1] == sep)) {
        fields.push_back(line.substr(i + 1, close - i - 1));
        if (close + 1 == line.size()) return;
        i = close + 2;
        continue;
      }
    }
    const size_t next = line.find(sep, i);
    if (next == std::string_view::npos) {
      fields.push_back(line.substr(i));
      return;
    }
    fields.push_back(line.substr(i, next - i));
    i = next + 1;
  }
}

void split_whitespace(std::string_view line, std::vector<std::string_view>& fields) {
  fields.clear();
  size_t i = 0;
  while (i < line.size()) {
    while (i < line.size() && (line[i] == ' ' || line[i] == '\t')) ++i;
    if (i >= line.size()) break;
    size_t j = i;
    while (j < line.size() && line[j] != ' ' && line[j] != '\t') ++j;
    fields.push_back(line.substr(i, j - i));
    i = j;
  }
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

bool is_missing(std::string_view f) {
  f = trim(f);
  return f.empty() || f == "nan" || f == "NaN" || f == "NA" || f == "null" || f == "None";
}

double parse_number(std::string_view field, std::string_view column) {
  std::string_view f = trim(field);
  if (!f.empty() && f.front() == '+') f.remove_prefix(1);
  double v = 0;
  const auto [ptr, ec] = std::from_chars(f.data(), f.data() + f.size(), v);
  if (f.empty() || ec != std::errc() || ptr != f.data() + f.size() || !std::isfinite(v))
    throw RowError{std::string(column), "a number", f.empty() ? "an empty field" : quoted(field)};
  return v;
}

int64_t parse_integer(std::string_view field, std::string_view column) {
  std::string_view f = trim(field);
  if (!f.empty() && f.front() == '+') f.remove_prefix(1);
  int64_t v = 0;
  const auto [ptr, ec] = std::from_chars(f.data(), f.data() + f.size(), v);
  if (!f.empty() && ec == std::errc() && ptr == f.data() + f.size()) return v;
  // "8.0": a float with no fraction is an integer too.
  double d = 0;
  const auto [p2, e2] = std::from_chars(f.data(), f.data() + f.size(), d);
  if (!f.empty() && e2 == std::errc() && p2 == f.data() + f.size() && std::isfinite(d) && d == std::floor(d) &&
      std::fabs(d) < 9e15)
    return static_cast<int64_t>(d);
  throw RowError{std::string(column), "a whole number", f.empty() ? "an empty field" : quoted(field)};
}

int64_t parse_count(std::string_view field, std::string_view column, int64_t min) {
  const int64_t v = parse_integer(field, column);
  if (v < min) throw RowError{std::string(column), fmt::format("a count >= {}", min), fmt::format("{}", v)};
  return v;
}

double parse_duration(std::string_view field, std::string_view column) {
  const double v = parse_number(field, column);
  if (v < 0) throw RowError{std::string(column), "a duration >= 0 seconds", fmt::format("{}", v)};
  return v;
}

int64_t days_from_civil(int64_t y, unsigned m, unsigned d) {
  // Era-based conversion of a Gregorian date to a day count (400-year eras
  // of 146097 days, years starting in March so the leap day comes last).
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const int64_t yoe = y - era * 400;
  const int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

std::string format_timestamp(double unix_s) {
  // The inverse of days_from_civil, same era arithmetic.
  const int64_t secs = static_cast<int64_t>(std::floor(unix_s));
  int64_t z = (secs >= 0 ? secs : secs - 86399) / 86400;
  const int64_t sod = secs - z * 86400;
  z += 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const int64_t doe = z - era * 146097;
  const int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const int64_t mp = (5 * doy + 2) / 153;
  const int64_t d = doy - (153 * mp + 2) / 5 + 1;
  const int64_t m = mp < 10 ? mp + 3 : mp - 9;
  const int64_t y = yoe + era * 400 + (m <= 2);
  return fmt::format("{:04}-{:02}-{:02} {:02}:{:02}:{:02}", y, m, d, sod / 3600, sod / 60 % 60, sod % 60);
}

double parse_timestamp(std::string_view field, std::string_view column, double* utc_offset_s) {
  const std::string_view f = trim(field);
  const auto bad = [&]() -> RowError {
    return RowError{std::string(column), "a time such as 2017-10-03 14:05:09 (optionally +08:00)",
                    f.empty() ? "an empty field" : quoted(field)};
  };
  int64_t y, mo, d, h, mi, s;
  if (f.size() < 19 || !digits(f, 0, 4, y) || f[4] != '-' || !digits(f, 5, 2, mo) || f[7] != '-' ||
      !digits(f, 8, 2, d) || (f[10] != ' ' && f[10] != 'T') || !digits(f, 11, 2, h) || f[13] != ':' ||
      !digits(f, 14, 2, mi) || f[16] != ':' || !digits(f, 17, 2, s))
    throw bad();
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 60) throw bad();
  double t = static_cast<double>(days_from_civil(y, unsigned(mo), unsigned(d)) * 86400 + h * 3600 + mi * 60 + s);
  size_t i = 19;
  if (i < f.size() && f[i] == '.') {
    double scale = 0.1;
    ++i;
    if (i >= f.size() || f[i] < '0' || f[i] > '9') throw bad();
    while (i < f.size() && f[i] >= '0' && f[i] <= '9') {
      t += (f[i] - '0') * scale;
      scale /= 10;
      ++i;
    }
  }
  double offset = 0;
  if (i < f.size()) {
    if (f[i] == 'Z' && i + 1 == f.size()) {
      ++i;
    } else if (f[i] == '+' || f[i] == '-') {
      const int sign = f[i] == '+' ? 1 : -1;
      int64_t oh, om;
      const bool colon = i + 3 < f.size() && f[i + 3] == ':';
      if (!digits(f, i + 1, 2, oh) || !digits(f, i + (colon ? 4 : 3), 2, om) || i + (colon ? 6 : 5) != f.size() ||
          oh > 18 || om > 59)  // ISO 8601's widest offset is 18 hours
        throw bad();
      offset = sign * static_cast<double>(oh * 3600 + om * 60);
      i = f.size();
    } else {
      throw bad();
    }
  }
  if (utc_offset_s) *utc_offset_s = offset;
  return t - offset;
}

CsvHeader::CsvHeader(const std::vector<std::string_view>& names) {
  for (auto n : names) names_.emplace_back(trim(n));
}

int CsvHeader::find(std::string_view name) const {
  for (size_t i = 0; i < names_.size(); ++i)
    if (names_[i] == name) return static_cast<int>(i);
  return -1;
}

int CsvHeader::require(std::string_view name) const {
  const int i = find(name);
  if (i >= 0) return i;
  std::string present;
  for (const auto& n : names_) present += (present.empty() ? "" : ",") + n;
  throw RowError{std::string(name), fmt::format("a header with the column '{}'", name),
                 fmt::format("the columns '{}'", present)};
}

std::string_view field_at(const std::vector<std::string_view>& fields, int index, std::string_view column) {
  if (index < 0 || static_cast<size_t>(index) >= fields.size())
    throw RowError{std::string(column), fmt::format("at least {} fields", index + 1),
                   fmt::format("{} field{}", fields.size(), fields.size() == 1 ? "" : "s")};
  return fields[static_cast<size_t>(index)];
}

}  // namespace gwsim::workloads
