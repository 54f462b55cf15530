#pragma once
// One run: owns the SimGrid engine, builds the platform from the topology,
// streams the workload, and drives the scheduler from SimGrid actors:
//   arrivals  - sleeps until each request's submit time, hands it over;
//   job-<id>  - one per started job: waits out its segments (interruptible);
//   timers    - scheduler deadlines (patience, lease ends);
//   sampler   - writes the time series at the configured interval.
// Only one Simulation may run per process (SimGrid keeps one engine).
#include <array>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "gpu_models/cost_model.hpp"
#include "results/recorder.hpp"
#include "sim/scenario/scenario.hpp"

namespace gwsim::sim {

/// How many jobs larger than the cluster the headline names by id.
inline constexpr size_t LARGER_THAN_CLUSTER_NAMED = 5;

/// What a run measured, beside what went to the Recorder.
struct RunStats {
  double end_time_s = 0;
  bool interrupted = false;       ///< stopped by SIGINT or SIGTERM at end_time_s, before the horizon
  int64_t jobs = 0;
  std::array<int64_t, results::JOB_STATE_COUNT> by_state{};
  int64_t peak_gpus_in_use = 0;   ///< the maximum over time of GPUs held (checked <= total)
  double gpu_hours_in_segments = 0;  ///< sum over jobs of GPU-hours, from segment accounting
  std::vector<results::SummaryValue> summary;
  /// Ids of the first jobs killed at submission for asking more GPUs than the
  /// pool holds (at most LARGER_THAN_CLUSTER_NAMED; the summary's
  /// jobs_larger_than_cluster counts them all).
  std::vector<uint64_t> larger_than_cluster;
  // How the run went, for `gwsim run --stats` and bench/ (docs/performance.md);
  // never written to the outputs, which do not depend on the machine.
  uint64_t events = 0;               ///< events the engine delivered (sim/event_count.hpp)
  int64_t peak_pending_events = 0;   ///< the most events pending at once
  double setup_wall_s = 0;           ///< wall seconds from the call to the first simulated second
};

class Simulation {
 public:
  Simulation(const Scenario& scenario, results::Recorder& recorder);
  ~Simulation();
  /// Runs to the horizon, writes every job's row and the summary to the recorder.
  RunStats run();
  /// Called with the simulated time each time the clock moves, during run();
  /// for a progress display (it must not touch the simulation).
  void on_clock(std::function<void(double now_s)> callback);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

/// SimGrid configuration every run uses (logging quiet, small actor stacks).
void configure_simgrid_engine();

/// The network a job sees on a cluster, per GPU and per direction, as the
/// cost model takes it: scale-up inside a domain; scale-out is the node's
/// NIC bandwidth shared by its GPUs, after the leaf tier's oversubscription.
gpu_models::Links cluster_links(const topology::ClusterSpec& c);

}  // namespace gwsim::sim
