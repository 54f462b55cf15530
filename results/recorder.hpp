#pragma once
// The one sink every record goes through. The simulator calls it; it buffers
// rows and hands blocks to the HDF5 writer, and keeps the summary for
// summary.json and the table on stdout.
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "results/records.hpp"

namespace gwsim::results {

class Hdf5Writer;

class Recorder {
 public:
  /// Opens `<dir>/run.h5.partial` (renamed to run.h5 by finish()). Throws
  /// Error(OUTPUT) when the directory cannot be created or written.
  Recorder(const std::string& dir, RunInfo info);
  ~Recorder();
  Recorder(const Recorder&) = delete;
  Recorder& operator=(const Recorder&) = delete;

  /// Names for the codes of a categorical field ("tenant", "kind", "state", "event", "cause", "gpu_type").
  void set_lookup(const std::string& field, std::vector<std::string> names);

  void job(const JobRecord& row);
  void event(const EventRecord& row);
  /// Declares a time series; returns its id for sample(). `unit` goes into the file.
  int series(const std::string& metric, const std::string& unit);
  void sample(int series, double time_s, double value);

  void summary(std::vector<SummaryValue> values) { summary_ = std::move(values); }
  const std::vector<SummaryValue>& summary() const { return summary_; }

  /// Writes what is buffered, the summary and summary.json, closes the file,
  /// and renames it into place. `complete` false marks an interrupted run.
  void finish(bool complete = true);

  const std::string& dir() const { return dir_; }
  std::string h5_path() const { return dir_ + "/run.h5"; }

 private:
  std::string dir_;
  struct Buffers;
  std::unique_ptr<Hdf5Writer> writer_;
  std::unique_ptr<Buffers> buffers_;
  std::vector<SummaryValue> summary_;
  bool finished_ = false;
  bool created_dir_ = false;  ///< removed again if the run fails before finishing
};

}  // namespace gwsim::results
