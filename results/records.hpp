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

/// One row of /segments: an interval during which a job held a fixed set of
/// GPUs at a constant rate. A job has one segment per start (more when it is
/// preempted, fails or changes rate). Feeds the Gantt view and the timeline.
struct SegmentRecord {
  uint64_t job = 0;
  double start_s = 0;
  double end_s = 0;
  int64_t gpus = 0;
  int32_t pod = 0;         ///< pod of the first node of the allocation
  int32_t first_node = 0;  ///< lowest-numbered node of the allocation
  int32_t nodes = 0;       ///< nodes the allocation spans
  uint8_t tenant = 0;      ///< code in /lookup/tenant
  uint8_t kind = 0;        ///< code in /lookup/kind
  double energy_j = 0;     ///< GPU energy over the segment (0 until power is modelled)
  double revenue_usd = 0;  ///< what the segment earned (price x GPUs x hours)
  double gpu_share = 0;    ///< GPUs held counting a share of a GPU as its fraction (= gpus for whole GPUs)
};

/// One row of /requests: one sampled inference request (written only when
/// the scenario asks for request-level sampling; see Recorder::enable_requests).
struct RequestRecord {
  uint64_t id = 0;           ///< request number within the run
  uint64_t service = 0;      ///< /jobs id of the inference service that served it
  int32_t replica = -1;      ///< replica index within the service; -1 when never assigned
  uint8_t outcome = 0;       ///< code in /lookup/request_outcome
  double arrival_s = 0;
  double queue_s = 0;        ///< waiting before prefill began
  double ttft_s = -1;        ///< time to first token from arrival; -1 when not served
  double latency_s = -1;     ///< end-to-end, arrival to last token; -1 when not served
  int32_t prompt_tokens = 0;
  int32_t output_tokens = 0;
};

/// How a time series' samples are to be read (attribute `sampling` of
/// /timeseries/<metric>): the value at the sample time, or the exact mean over
/// the interval that ends at the sample time.
enum class Sampling : uint8_t { INSTANT = 0, INTERVAL_MEAN = 1 };

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

/// The scenario's identity in the file and in summary.json: "fnv1a64:<16 hex digits>" of its bytes.
std::string scenario_hash(const std::string& scenario_text);

}  // namespace gwsim::results
