#pragma once
// The simulator's state for one request, from arrival to its final state.
#include <cstdint>
#include <vector>

#include <simgrid/forward.h>

#include "results/records.hpp"
#include "sim/cluster_state.hpp"
#include "sim/execution.hpp"
#include "workloads/job_request.hpp"

namespace gwsim::sim {

enum class JobPhase : uint8_t { PENDING, QUEUED, RUNNING, DONE };

struct Job {
  workloads::JobRequest req;
  JobPhase phase = JobPhase::PENDING;
  Allocation alloc;
  int priority = 0;          ///< effective priority (request's, or the scenario's per-kind override)
  bool preemptible = false;  ///< may be stopped for a higher-priority job (scenario: scheduler.preemptible)

  // Progress. Work is in the job's own units: seconds for fixed-duration
  // jobs (rate 1), tokens for work-based jobs (rate from the cost model).
  double work_total = 0;
  ExecState exec;
  CheckpointPolicy checkpoint;
  double rate = 1;              ///< work units per second in the current segment
  bool contends = false;        ///< fabric fidelity: its traffic crosses shared links as flows (RUNNING)
  double bandwidth_share = 1;   ///< fabric fidelity: share of its NICs' bandwidth its last probe got
  double segment_start_s = 0;   ///< when the current segment began (RUNNING); moves at rate changes
  double last_start_s = 0;      ///< when the job last got its GPUs (fixed while RUNNING: an ordering key)
  uint32_t run_index = 0;       ///< how many times the job has been started; names its actor's run
  double expected_end_s = 0;    ///< when the job completes if nothing interrupts it (RUNNING)
  double gpus_back_at_s = 0;    ///< when the scheduler expects its GPUs back: the end, or an earlier reclaim
  double queued_since_s = 0;    ///< when it last entered the queue (QUEUED)
  double reclaim_at_s = -1;     ///< spot: when a reclaim notice expires; < 0 when none is pending

  // Totals for the /jobs row.
  double first_start_s = -1;
  double wait_s = 0;
  double run_s = 0;
  double gpu_hours = 0;
  double lost_work = 0;         ///< work thrown away by preemptions and failures
  double revenue_usd = 0;
  int32_t preemptions = 0;
  int32_t failures = 0;
  results::JobState final_state = results::JobState::COMPLETED;
  double end_s = -1;

  // Execution on SimGrid: the semaphore of the executor actor running the job,
  // released when the scheduler changes the job's plan.
  simgrid::s4u::SemaphorePtr wake;
  /// Fabric fidelity: the flows of the job's current bandwidth probe (cancelled when it stops).
  std::vector<simgrid::s4u::CommPtr> flows;

  double remaining_work() const { return work_total - exec.work_done; }
  bool is_external() const { return req.tenant == workloads::Tenant::EXTERNAL; }
};

}  // namespace gwsim::sim
