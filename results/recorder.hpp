#pragma once
// The one sink every record goes through. The simulator calls it; it buffers
// rows and hands blocks to the HDF5 writer, and keeps the summary for
// summary.json and the table on stdout. What each record becomes in the file
// is documented in docs/hdf5-schema.md.
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "results/records.hpp"
#include "results/table_file.hpp"

namespace gwsim::results {

class Hdf5Writer;

class Recorder {
 public:
  /// Opens `<dir>/run.h5.partial` (renamed to run.h5 by finish()) and writes
  /// the run's provenance through to the disk. Throws Error(OUTPUT) when the
  /// directory cannot be created or written, or has less than 1 MiB free;
  /// then nothing is left behind.
  Recorder(const std::string& dir, RunInfo info);
  ~Recorder();
  Recorder(const Recorder&) = delete;
  Recorder& operator=(const Recorder&) = delete;

  /// Names for the codes of a categorical field ("tenant", "kind", "state",
  /// "event", "cause", "gpu_type", "request_outcome"): /lookup/<field>[code].
  void set_lookup(const std::string& field, std::vector<std::string> names);

  /// A job's final row (/jobs), once per job, when it reaches its final state.
  void job(const JobRecord& row);
  /// A job state change (/events), in time order.
  void event(const EventRecord& row);
  /// A closed segment of a job (/segments): the interval it held `gpus` GPUs
  /// from `first_node` on. Called when the segment ends.
  void segment(const SegmentRecord& row);

  /// Creates the optional /requests table; call before the first request().
  void enable_requests();
  /// A sampled inference request (/requests). Throws Error(INTERNAL) before enable_requests().
  void request(const RequestRecord& row);

  /// Declares a time series; returns its id for sample(). `unit` goes into
  /// the file; `attributes` (text) go on its group (the site power budget,
  /// the pods a utilization counts: docs/hdf5-schema.md#timeseries).
  int series(const std::string& metric, const std::string& unit, Sampling sampling = Sampling::INSTANT,
             const std::map<std::string, std::string>& attributes = {});
  /// One sample; times of one series must not decrease.
  void sample(int series, double time_s, double value);

  void summary(std::vector<SummaryValue> values) { summary_ = std::move(values); }
  /// A table written whole at finish() (the /finance tables: docs/hdf5-schema.md#finance).
  void table(std::string path, std::vector<Column> columns, std::vector<std::pair<std::string, std::string>> attributes = {}) {
    tables_.push_back({std::move(path), std::move(columns), std::move(attributes)});
  }
  const std::vector<SummaryValue>& summary() const { return summary_; }

  /// Writes what is buffered, the summary and summary.json, closes the file,
  /// and renames both into place. `complete` false marks an interrupted run
  /// (root attribute `complete` = 0, "complete": false in summary.json).
  void finish(bool complete = true);

  const std::string& dir() const { return dir_; }
  std::string h5_path() const { return dir_ + "/run.h5"; }
  std::string summary_json_path() const { return dir_ + "/summary.json"; }

 private:
  void write_summary_json(bool complete, const std::string& path) const;
  /// Removes what was written, for a run abandoned before finish().
  void abandon();

  std::string dir_;
  RunInfo info_;
  struct Buffers;
  std::unique_ptr<Hdf5Writer> writer_;
  std::unique_ptr<Buffers> buffers_;
  std::vector<SummaryValue> summary_;
  struct WholeTable {
    std::string path;
    std::vector<Column> columns;
    std::vector<std::pair<std::string, std::string>> attributes;
  };
  std::vector<WholeTable> tables_;
  bool finished_ = false;
  bool created_dir_ = false;  ///< removed again if the run fails before finishing
};

}  // namespace gwsim::results
