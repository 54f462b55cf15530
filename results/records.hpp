#pragma once
// The records a run leaves behind, as plain fixed-size structs: the HDF5
// tables are these structs, row for row. Categorical fields are small integer
// codes; their names live in lookup tables (/lookup/<name>) so hot tables hold
// no variable-length strings. results knows nothing of the simulator: `sim`
// fills these.
#include <cstdint>
#include <string>
#include <vector>

namespace gwsim::results {

/// Final state of a job. Every job ends in exactly one.
enum class JobState : uint8_t {
  COMPLETED = 0,       ///< ran to the end of its work or term
  REFUSED = 1,         ///< external request not placed within its patience (lost revenue)
  RUNNING_AT_END = 2,  ///< still running when the simulated horizon ended
  QUEUED_AT_END = 3,   ///< still waiting when the simulated horizon ended
  KILLED = 4,          ///< stopped for good (spot reclaimed without resumption, infeasible request)
};
inline constexpr int JOB_STATE_COUNT = 5;
const std::vector<std::string>& job_state_names();

/// One row of /jobs.
struct JobRecord {
  uint64_t id = 0;
  uint32_t source = 0;        ///< index of the workload source in the scenario
  uint8_t tenant = 0;         ///< code in /lookup/tenant
  uint8_t kind = 0;           ///< code in /lookup/kind
  uint8_t state = 0;          ///< code in /lookup/state (JobState)
  uint8_t gpu_type = 0;       ///< code in /lookup/gpu_type
  int64_t gpus = 0;
  double submit_s = 0;
  double start_s = -1;        ///< first start; -1 if never started
  double end_s = -1;          ///< when it reached its final state
  double wait_s = 0;          ///< time queued in total (before first start and after preemptions)
  double run_s = 0;           ///< time holding GPUs in total
  int32_t preemptions = 0;
  int32_t failures = 0;
  double gpu_hours = 0;       ///< GPU-hours held (run_s * gpus summed over segments)
  double energy_j = 0;        ///< GPU energy attributed to the job
  double revenue_usd = 0;     ///< paid by an external tenant (0 for internal work)
  double useful_s = 0;        ///< compute time whose progress was kept (effective training time = useful_s / (end_s - start_s))
  double sla_credit_usd = 0;  ///< credited to an external tenant for GPUs it contracted but did not get
};

/// One row of /events: a job state change.
struct EventRecord {
  double time_s = 0;
  uint64_t job = 0;
  uint8_t type = 0;   ///< code in /lookup/event
  uint8_t cause = 0;  ///< code in /lookup/cause
  int64_t gpus = 0;   ///< GPUs the event took (start) or gave back (finish, end of run); 0 for queue events
};

/// A named scalar of /summary, with its unit.
struct SummaryValue {
  std::string name;
  double value = 0;
  std::string unit;
};

/// Provenance written as root attributes.
struct RunInfo {
  std::string scenario_path;
  std::string scenario_text;
  uint64_t seed = 0;
  std::string simgrid_version;
  std::string start_wall_time;  ///< ISO 8601; kept apart from the deterministic datasets (an attribute)
};

}  // namespace gwsim::results
