#pragma once
// How a running job's work advances between two events, in closed form, so
// no event is spent per iteration or per checkpoint.
//
// A job holding GPUs alternates: a restart overhead after every (re)start
// (loading the last checkpoint), then cycles of `interval_s` of compute at
// `rate` work units per second followed by `write_s` of checkpoint writing
// with no progress. A checkpoint counts only once its write completes. A
// preemption or failure throws away the work done since the last completed
// checkpoint. With interval_s == 0 the job never checkpoints (a restart
// starts over from the beginning).
namespace gwsim::sim {

struct CheckpointPolicy {
  double interval_s = 0;  ///< compute time between checkpoints; 0: never checkpoint
  double write_s = 0;     ///< time to write one checkpoint (no progress meanwhile)
  double restart_s = 0;   ///< overhead at every restart after a preemption or failure
};

/// Where a job stands. All work in the job's own units (seconds or tokens).
struct ExecState {
  double work_done = 0;      ///< progress, checkpointed or not
  double checkpointed = 0;   ///< progress safe in the last completed checkpoint
  double phase_s = 0;        ///< compute time since the last checkpoint (what a failure now would throw away)
  double write_left_s = 0;   ///< > 0 while a checkpoint write is in progress
  double restart_left_s = 0; ///< > 0 while the restart overhead is being paid
};

/// The state after `elapsed_s` more seconds of running at `rate`.
ExecState advance(ExecState s, const CheckpointPolicy& p, double rate, double elapsed_s);

/// Seconds of running at `rate` until work_done reaches `work_total`.
double time_to_complete(const ExecState& s, const CheckpointPolicy& p, double rate, double work_total);

/// Throws away uncheckpointed work and arms the restart overhead; returns the work lost.
double lose_uncheckpointed(ExecState& s, const CheckpointPolicy& p);

}  // namespace gwsim::sim
