#pragma once
// Reading text traces fast and strictly: a buffered line reader that counts
// lines (CRLF and a missing final newline accepted), CSV and whitespace field
// splitting without copies, and field parsers that report what was expected
// and what was found. The trace readers build on these; a bad field becomes a
// RowError, which the reader turns into an Error naming file, line and column
// (or counts, when bad rows are skipped).
#include <cstdint>
#include <cstdio>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "workloads/compressed_input.hpp"
#include "workloads/file_handle.hpp"

namespace gwsim::workloads {

/// A problem with one field of one row; `column` names the field.
struct RowError {
  std::string column;
  std::string expected;
  std::string found;
};

/// Reads a text file (plain, .gz or .xz: CompressedInput) line by line through a 1 MiB buffer. Memory does not
/// grow with the file, only with its longest line.
class LineReader {
 public:
  /// Throws Error(TRACE) when the file cannot be opened.
  explicit LineReader(std::string path);
  LineReader(const LineReader&) = delete;
  LineReader& operator=(const LineReader&) = delete;

  /// The next line without its line ending; false at the end of the file.
  /// The view stays valid until the next call.
  bool next(std::string_view& line);
  /// 1-based number of the line last returned.
  int64_t line_number() const { return line_; }
  const std::string& path() const { return path_; }
  /// Bytes read from the file so far.
  uint64_t bytes_read() const { return bytes_; }

 private:
  bool refill();

  std::string path_;
  std::unique_ptr<CompressedInput> file_;
  std::vector<char> buf_;
  size_t begin_ = 0;  ///< start of the unread part of buf_
  size_t end_ = 0;    ///< end of the valid bytes in buf_
  bool eof_ = false;
  int64_t line_ = 0;
  uint64_t bytes_ = 0;
};

/// Splits a CSV line at `sep` into views (a field in double quotes may hold
/// the separator; the quotes are stripped, "" inside is kept as is).
void split_csv(std::string_view line, std::vector<std::string_view>& fields, char sep = ',');
/// Splits at runs of spaces and tabs (SWF).
void split_whitespace(std::string_view line, std::vector<std::string_view>& fields);
/// Trims spaces, tabs and a trailing carriage return.
std::string_view trim(std::string_view s);
/// True when the field is empty or a spelling of "missing" (nan, NaN, NA, null, None).
bool is_missing(std::string_view field);

/// Field parsers: the value, or throw RowError{column, expected, found}.
double parse_number(std::string_view field, std::string_view column);
/// An integer, also written as a float with no fraction ("8.0").
int64_t parse_integer(std::string_view field, std::string_view column);
/// An integer >= `min` (a GPU count, a processor count).
int64_t parse_count(std::string_view field, std::string_view column, int64_t min);
/// A number of seconds >= 0.
double parse_duration(std::string_view field, std::string_view column);
/// "YYYY-MM-DD HH:MM:SS" with optional fraction (".123456"), optional "T"
/// instead of the space, and an optional zone ("Z", "+08:00", "-0500").
/// Returns Unix seconds (UTC); a time without a zone is read as UTC.
/// `utc_offset_s` receives the zone's offset (0 when none).
double parse_timestamp(std::string_view field, std::string_view column, double* utc_offset_s = nullptr);

/// Days since 1970-01-01 of a proleptic Gregorian date (civil calendar).
int64_t days_from_civil(int64_t year, unsigned month, unsigned day);
/// "YYYY-MM-DD HH:MM:SS" of Unix seconds (whole seconds, no zone).
std::string format_timestamp(double unix_s);

/// Maps header names to column indices, for formats whose header defines
/// the columns.
class CsvHeader {
 public:
  CsvHeader() = default;
  /// From the fields of a header line.
  explicit CsvHeader(const std::vector<std::string_view>& names);
  /// Index of a column, or -1.
  int find(std::string_view name) const;
  /// Index of a required column; throws RowError naming the columns present.
  int require(std::string_view name) const;
  size_t size() const { return names_.size(); }
  const std::string& name(size_t i) const { return names_[i]; }

 private:
  std::vector<std::string> names_;
};

/// The field at `index` of a row, or RowError when the row is too short.
std::string_view field_at(const std::vector<std::string_view>& fields, int index, std::string_view column);

}  // namespace gwsim::workloads
