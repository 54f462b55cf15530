#pragma once
// What is asked of the cluster: one request for GPUs, from a tenant, with
// either a fixed duration or an amount of work measured in tokens of a
// catalog model (the simulator turns work into time with the cost model).
#include <cstdint>
#include <string>
#include <string_view>

namespace gwsim::workloads {

enum class Tenant : uint8_t { INTERNAL = 0, EXTERNAL = 1 };
inline constexpr int TENANT_COUNT = 2;

enum class JobKind : uint8_t {
  PRETRAIN = 0,   ///< internal, huge, weeks long, checkpointed
  FINETUNE = 1,   ///< internal, hours to days
  RESEARCH = 2,   ///< internal, many and small, heavy-tailed
  LEASE = 3,      ///< external, reserved block for a contracted term
  ON_DEMAND = 4,  ///< external, bare metal by the hour, refused if not placed within its patience
  SPOT = 5,       ///< external, cheap, preemptible
  INFERENCE = 6   ///< a model-API inference service (replicas scale with demand)
};
inline constexpr int JOB_KIND_COUNT = 7;

std::string_view to_string(Tenant t);
std::string_view to_string(JobKind k);
/// Parses the lower-case names above ("pretrain", "on_demand"); false when unknown.
bool parse_tenant(std::string_view text, Tenant& out);
bool parse_job_kind(std::string_view text, JobKind& out);
/// The tenant a kind belongs to unless a source says otherwise.
Tenant default_tenant(JobKind k);

struct JobRequest {
  uint64_t id = 0;              ///< unique within a run (sources number their requests; the merger keeps them unique)
  double submit_s = 0;          ///< arrival time, seconds from the start of the run
  Tenant tenant = Tenant::INTERNAL;
  JobKind kind = JobKind::RESEARCH;
  int64_t gpus = 1;             ///< GPUs asked for (whole GPUs; fractional requests are rounded up by readers)
  std::string gpu_type;         ///< required GPU type; empty for any
  double duration_s = -1;       ///< fixed run time (leases: the term); < 0 when work_tokens is given instead
  double work_tokens = 0;       ///< training tokens of `model` to process, when duration_s < 0
  std::string model;            ///< catalog model for work_tokens (and inference services)
  int priority = 0;             ///< higher runs first under priority policies
  double deadline_s = -1;       ///< absolute deadline (internal) or < 0 for none
  double patience_s = -1;       ///< external on-demand: refused if not started within this wait; < 0 waits forever
  double price_usd_per_gpu_hour = 0;  ///< what an external tenant pays (0 for internal work)
  uint32_t source = 0;          ///< index of the source in the scenario's workload list
};

}  // namespace gwsim::workloads
