#pragma once
// The simulator's state for one request, from arrival to its final state.
#include <cstdint>

#include <simgrid/forward.h>

#include "results/records.hpp"
#include "sim/cluster_state.hpp"
#include "workloads/job_request.hpp"

namespace gwsim::sim {

enum class JobPhase : uint8_t { PENDING, QUEUED, RUNNING, DONE };

struct Job {
  workloads::JobRequest req;
  JobPhase phase = JobPhase::PENDING;
  Allocation alloc;

  // Progress. Work is in the job's own units: seconds for fixed-duration
  // jobs (rate 1), tokens for work-based jobs (rate from the cost model).
  double work_total = 0;
  double work_done = 0;
  double rate = 1;             ///< work units per second in the current segment
  double segment_start_s = 0;  ///< when the current segment began (RUNNING)
  double queued_since_s = 0;   ///< when it last entered the queue (QUEUED)

  // Totals for the /jobs row.
  double first_start_s = -1;
  double wait_s = 0;
  double run_s = 0;
  double gpu_hours = 0;
  double revenue_usd = 0;
  int32_t preemptions = 0;
  int32_t failures = 0;
  results::JobState final_state = results::JobState::COMPLETED;
  double end_s = -1;

  // Execution on SimGrid: the actor that runs the job's segments and the
  // semaphore that wakes it when the scheduler changes its plan.
  simgrid::s4u::ActorPtr actor;
  simgrid::s4u::SemaphorePtr wake;

  double remaining_work() const { return work_total - work_done; }
};

}  // namespace gwsim::sim
