#pragma once
// The simulator's state for one request, from arrival to its final state.
#include <cstdint>
#include <vector>

#include <simgrid/forward.h>

#include "gpu_models/cost_model.hpp"
#include "results/records.hpp"
#include "sim/engine/cluster_state.hpp"
#include "sim/engine/execution.hpp"
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
  gpu_models::Plan plan;        ///< fabric fidelity: the plan a contending job runs with
  bool contends = false;        ///< fabric fidelity: its traffic crosses shared links as flows (RUNNING)
  double bandwidth_share = 1;   ///< fabric fidelity: share of its NICs' bandwidth its last probe got
  double segment_start_s = 0;   ///< when the current segment began (RUNNING); moves at rate changes
  double last_start_s = 0;      ///< when the job last got its GPUs (fixed while RUNNING: an ordering key)
  uint32_t run_index = 0;       ///< how many times the job has been started; names its actor's run
  double expected_end_s = 0;    ///< when the job completes if nothing interrupts it (RUNNING)
  double gpus_back_at_s = 0;    ///< when the scheduler expects its GPUs back: the end, or an earlier reclaim
  double queued_since_s = 0;    ///< when it last entered the queue (QUEUED)
  double reclaim_at_s = -1;     ///< spot: when a reclaim notice expires; < 0 when none is pending
  double gpu_power_w = 0;       ///< power of each of its GPUs in the current segment (throttle included)
  int64_t short_gpus = 0;       ///< lease/on-demand: contracted GPUs lost to failures and not yet replaced
  uint8_t tenant_class = 0;     ///< economics::TenantClass it is booked to
  int64_t service = -1;         ///< INFERENCE: id of the service (its first request) this replica serves

  // Totals for the /jobs row.
  double first_start_s = -1;
  double wait_s = 0;
  double run_s = 0;
  double gpu_hours = 0;
  double lost_work = 0;         ///< work thrown away by preemptions and failures
  double compute_s = 0;         ///< time spent computing (restarts and checkpoint writes excluded)
  double lost_compute_s = 0;    ///< of which thrown away by preemptions and failures
  double energy_j = 0;          ///< its GPUs' energy
  double short_gpu_s = 0;       ///< contracted GPU-seconds it did not get (failures)
  double sla_credit_usd = 0;
  double revenue_usd = 0;
  bool observed = false;        ///< its shape was shown to the placement at its first arrival
  int32_t preemptions = 0;
  int32_t failures = 0;
  results::JobState final_state = results::JobState::COMPLETED;
  double end_s = -1;

  // The job's end on the engine's calendar (TimerQueue): each change of its
  // expected end adds an entry stamped with a new version; entries of older
  // versions, or of an earlier run, are stale and ignored when they fire.
  uint32_t end_version = 0;
  /// Fabric fidelity: the flows of the job's current bandwidth probe (cancelled when it stops).
  std::vector<simgrid::s4u::CommPtr> flows;

  double remaining_work() const { return work_total - exec.work_done; }
  bool is_external() const { return req.tenant == workloads::Tenant::EXTERNAL; }
  /// Leases and on-demand rentals are contracts for GPUs over time: a failed
  /// node is replaced (or credited) and the term runs on; other work fails and restarts.
  bool is_contract() const {
    return req.kind == workloads::JobKind::LEASE || req.kind == workloads::JobKind::ON_DEMAND;
  }
};

}  // namespace gwsim::sim
