#pragma once
// Writes one run's HDF5 file (schema: docs/hdf5-schema.md). Tables are
// compound datasets of fixed-size fields, chunked, deflate+shuffle, appended
// in blocks. Object modification times are not stored, so the same run gives
// the same bytes in every dataset.
#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "results/records.hpp"
#include "results/table_file.hpp"

namespace gwsim::results {

/// Bumped whenever a dataset, field or attribute changes meaning or layout.
/// 2: /segments, /requests, /timeseries/<metric>/step and the `sampling` attribute.
inline constexpr int SCHEMA_VERSION = 3;

class Hdf5Writer {
 public:
  /// Creates (truncates) the file with its empty tables. Throws Error(OUTPUT) on failure.
  explicit Hdf5Writer(const std::string& path);
  ~Hdf5Writer();
  Hdf5Writer(const Hdf5Writer&) = delete;
  Hdf5Writer& operator=(const Hdf5Writer&) = delete;

  void write_run_info(const RunInfo& info);
  void write_lookup(const std::string& field, const std::vector<std::string>& names);
  void append_jobs(const JobRecord* rows, size_t n);
  void append_events(const EventRecord* rows, size_t n);
  void append_segments(const SegmentRecord* rows, size_t n);
  /// Creates the optional /requests table (once).
  void create_requests();
  bool has_requests() const { return requests_.dataset >= 0; }
  void append_requests(const RequestRecord* rows, size_t n);
  /// Creates /timeseries/<metric>/{step,time,value} with `attributes` on its
  /// group (besides `sampling`); returns its id.
  int create_series(const std::string& metric, const std::string& unit, Sampling sampling,
                    const std::map<std::string, std::string>& attributes);
  void append_series(int id, const double* time_s, const double* value, size_t n);
  void write_summary(const std::vector<SummaryValue>& values);
  /// A compound table written whole (the /finance tables), at `table_path`.
  void write_table(const std::string& table_path, const std::vector<Column>& columns,
                   const std::vector<std::pair<std::string, std::string>>& attributes);
  /// Marks the file complete (or not) and closes it. Idempotent.
  void close(bool complete);
  /// Writes what HDF5 holds in memory to the file (an unwritable or full
  /// location fails here, with Error(OUTPUT)).
  void flush();

  const std::string& path() const { return path_; }

 private:
  struct Table {
    int64_t dataset = -1;
    int64_t mem_type = -1;
    bool owns_mem_type = false;
    uint64_t rows = 0;
  };
  struct SeriesTables {
    Table step, time, value;
  };
  Table create_table(int64_t parent, const char* name, int64_t file_type, int64_t mem_type, bool owns_mem_type);
  Table create_compound(const char* name, int64_t (*type)(bool file));
  void append(Table& t, const void* rows, size_t n);

  std::string path_;
  int64_t file_ = -1;
  Table jobs_, events_, segments_, requests_;
  std::vector<SeriesTables> series_;
  std::vector<int64_t> steps_;  ///< scratch for the step column of a series block
};

}  // namespace gwsim::results
