#pragma once
// Ordering a trace whose rows are not in arrival order (Philly, PAI, Helios)
// without holding it: an external merge sort. Rows are read in chunks of at
// most `chunk_jobs`; each chunk is sorted in memory and written to an
// anonymous temporary file (gwsim Protobuf records); the runs are then merged
// through a heap holding one row per run (MergedSource). When more than MAX_FAN_IN runs
// accumulate they are first merged into one run, so open files and memory
// stay bounded however long the trace is. A trace that fits in one chunk is
// sorted in memory and touches no file. Equal submit times keep file order.
#include <cstddef>
#include <memory>
#include <string>
#include <vector>

#include "workloads/source.hpp"

namespace gwsim::workloads {

class SortedSource final : public Source {
 public:
  static constexpr size_t MAX_FAN_IN = 64;

  /// `temp_dir` empty: $TMPDIR, else /tmp. Runs are unlinked at creation
  /// and vanish when the source is destroyed (or the process dies).
  SortedSource(std::unique_ptr<Source> input, size_t chunk_jobs, std::string temp_dir);
  ~SortedSource() override;
  std::optional<JobRequest> next() override;
  /// Temporary runs written (0 when the trace fit in one chunk); for tests and benchmarks.
  size_t runs_written() const { return runs_written_; }

 private:
  struct Run;
  void sort_input();
  template <class Fill>
  std::unique_ptr<Run> new_run(Fill&& fill);
  std::unique_ptr<Run> write_run(std::vector<JobRequest>& jobs, const std::vector<std::pair<double, uint32_t>>& order);
  std::unique_ptr<Run> merge_runs(std::vector<std::unique_ptr<Run>> runs);

  std::unique_ptr<Source> input_;
  size_t chunk_jobs_;
  std::string temp_dir_;
  bool sorted_ = false;
  std::vector<JobRequest> memory_;  ///< the whole input when it fit in one chunk
  std::vector<uint32_t> order_;     ///< memory_ positions in arrival order
  size_t memory_next_ = 0;
  std::vector<std::unique_ptr<Run>> runs_;
  std::unique_ptr<Source> merged_;
  size_t runs_written_ = 0;
};

}  // namespace gwsim::workloads
