#pragma once
// Writes one run's HDF5 file (schema: docs/hdf5-schema.md). Tables are
// compound datasets of fixed-size fields, chunked, deflate+shuffle, appended
// in blocks. Object modification times are not stored, so the same run gives
// the same bytes in every dataset.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "results/records.hpp"

namespace gwsim::results {

inline constexpr int SCHEMA_VERSION = 1;

class Hdf5Writer {
 public:
  /// Creates (truncates) the file. Throws Error(OUTPUT) on failure.
  explicit Hdf5Writer(const std::string& path);
  ~Hdf5Writer();
  Hdf5Writer(const Hdf5Writer&) = delete;
  Hdf5Writer& operator=(const Hdf5Writer&) = delete;

  void write_run_info(const RunInfo& info);
  void write_lookup(const std::string& field, const std::vector<std::string>& names);
  void append_jobs(const JobRecord* rows, size_t n);
  void append_events(const EventRecord* rows, size_t n);
  /// Creates /timeseries/<metric>/{time,value}; returns its id.
  int create_series(const std::string& metric, const std::string& unit);
  void append_series(int id, const double* time_s, const double* value, size_t n);
  void write_summary(const std::vector<SummaryValue>& values);
  /// Marks the file complete (or not) and closes it. Idempotent.
  void close(bool complete);

  const std::string& path() const { return path_; }

 private:
  struct Table {
    int64_t dataset = -1;
    int64_t mem_type = -1;
    uint64_t rows = 0;
  };
  Table create_table(int64_t parent, const char* name, int64_t file_type, int64_t mem_type, size_t row_bytes);
  void append(Table& t, const void* rows, size_t n);

  std::string path_;
  int64_t file_ = -1;
  Table jobs_, events_;
  std::vector<Table> series_time_, series_value_;
};

}  // namespace gwsim::results
