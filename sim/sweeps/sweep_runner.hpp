#pragma once
// Running a sweep (docs/sweeps.md). Each run is `gwsim run` in its own
// process (one SimGrid engine per process), forked from this same binary
// (/proc/self/exe) in its run directory:
//
//   <out>/runs/<id>/scenario.yaml   the expanded scenario (runs by hand too)
//   <out>/runs/<id>/run.h5          the run's results (complete = 1 when done)
//   <out>/runs/<id>/run.log         its stdout and stderr
//   <out>/runs/<id>/sweep_run.json  how it went: exit code, wall time, rank, host
//   <out>/sweep.h5                  the runs table, written at the end
//
// Locally a sweep keeps `jobs` runs going at once. Under MPI (sweep_mpi.cpp)
// rank 0 also hands run ids out, one per request, to whichever rank asks
// first, and every rank, rank 0 included, keeps its own `jobs` runs going.
// A run whose directory already holds a complete run.h5 of the same scenario
// text is not run again (resume).
#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <deque>
#include <limits>
#include <memory>
#include <string>
#include <vector>

#include "sim/sweeps/sweep.hpp"

namespace gwsim::sim {

enum class RunStatus : uint8_t {
  OK = 0,      ///< run.h5 is complete: its summary is in the table
  FAILED = 1,  ///< `gwsim run` failed: its exit code and error are in the table
  NOT_RUN = 2  ///< the sweep stopped (SIGINT/SIGTERM) before this run finished
};
/// Names of RunStatus codes, for /lookup/status.
const std::vector<std::string>& run_status_names();

/// What became of one run.
struct RunOutcome {
  uint32_t id = 0;
  RunStatus status = RunStatus::NOT_RUN;
  int exit_code = -1;  ///< of `gwsim run` (128 + N when killed by signal N); -1 when it did not run
  std::string error;   ///< its error message (the last "gwsim: error:" line of run.log); empty when ok
  // Not deterministic (kept out of the runs table): how and where it ran.
  double wall_time_s = std::numeric_limits<double>::quiet_NaN();
  int rank = -1;
  std::string host;
  bool reused = false;  ///< complete before this invocation, so not run again
};

/// Outcomes travel as JSON: in MPI messages and in sweep_run.json.
std::string outcome_to_json(const RunOutcome& o);
RunOutcome outcome_from_json(const std::string& text);

/// Where a sweep's files go.
class SweepLayout {
 public:
  SweepLayout(std::string out_dir, size_t runs);
  /// "runs/0003": the run directory relative to the output directory.
  std::string run_rel(uint32_t id) const;
  std::string run_dir(uint32_t id) const { return out_dir_ + "/" + run_rel(id); }
  std::string sweep_h5() const { return out_dir_ + "/sweep.h5"; }
  const std::string& out_dir() const { return out_dir_; }

 private:
  std::string out_dir_;
  int width_;
};

/// True when `dir`/run.h5 is marked complete and holds exactly `scenario_text`.
bool run_is_complete(const std::string& dir, const std::string& scenario_text);

/// Keeps up to `slots` `gwsim run` processes going, one per run.
class RunSlots {
 public:
  RunSlots(const std::vector<SweepRun>& runs, const SweepLayout& layout, int slots, int rank);
  ~RunSlots();  ///< terminates and reaps whatever still runs
  RunSlots(const RunSlots&) = delete;
  RunSlots& operator=(const RunSlots&) = delete;

  int free() const { return slots_ - static_cast<int>(children_.size()); }
  bool busy() const { return !children_.empty() || !ready_.empty(); }
  /// Writes the run's scenario.yaml into its directory (removing any older
  /// results there) and starts `gwsim run` on it.
  void start(uint32_t id);
  /// The runs that ended since the last call (never blocks). Each one's
  /// sweep_run.json is written before it is returned.
  std::vector<RunOutcome> reap();
  /// Sends SIGTERM to every run in flight; they end as NOT_RUN. A run still
  /// there KILL_AFTER later gets SIGKILL (from reap()).
  void terminate();
  static constexpr std::chrono::seconds KILL_AFTER{20};

 private:
  struct Child {
    pid_t pid;
    uint32_t id;
    std::chrono::steady_clock::time_point start;
  };
  RunOutcome finished(const Child& c, int wait_status);

  const std::vector<SweepRun>& runs_;
  const SweepLayout& layout_;
  int slots_;
  int rank_;
  std::string exe_;
  std::string host_;
  bool terminating_ = false;
  bool killed_ = false;
  std::chrono::steady_clock::time_point terminated_at_;
  std::vector<Child> children_;
  std::vector<RunOutcome> ready_;  ///< runs that failed before their process started
};

/// The other MPI ranks, as rank 0 sees them (sweep_mpi.cpp).
class RemoteRanks {
 public:
  virtual ~RemoteRanks() = default;
  /// Answers the ranks' messages: a finished run's outcome goes to `done`; a
  /// request for work gets the next id of `pending`, or "stop" when it is
  /// empty or `stopping`. Never blocks; true when a message came.
  virtual bool poll(std::deque<uint32_t>& pending, bool stopping, std::vector<RunOutcome>& done) = 0;
  /// Tells every rank still working to stop its runs now.
  virtual void abort() = 0;
  /// True once every rank has been told to stop and has nothing running.
  virtual bool finished() const = 0;
};

struct SweepOptions {
  std::string out_dir = "gwsim-sweep";
  int jobs = 0;  ///< runs at once per rank; 0: the number of cores (locally) or 1 (under MPI)
  bool quiet = false;
  bool dry_run = false;  ///< expand and check, print the runs, run nothing
  std::vector<std::string> sets;  ///< KEY=VALUE changes to the base scenario (apply_sets), before the axes
};

/// `gwsim sweep`: loads and checks the sweep, runs what is not complete
/// (locally, or across MPI ranks when started by mpirun/srun and built with
/// MPI) and writes sweep.h5. Returns the process exit code.
int run_sweep_command(const std::string& sweep_path, const SweepOptions& options);

/// Writes <out>/sweep.h5 from the outcomes (one per run, in id order),
/// reading every complete run's summary. Runs whose run.h5 cannot be read
/// become FAILED in `outcomes`.
void write_sweep_file(const SweepSpec& spec, const std::vector<SweepRun>& runs, std::vector<RunOutcome>& outcomes,
                      const SweepLayout& layout);

}  // namespace gwsim::sim
