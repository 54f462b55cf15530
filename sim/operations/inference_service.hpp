#pragma once
// Model-API inference services as the simulator runs them: a service holds
// replicas (each `gpus_per_replica` GPUs) that an autoscaler adds and removes
// with its demand curve; the demand is a fluid (tokens/s over time), served up
// to what the running replicas can serve within the SLOs. Pure functions, no
// SimGrid: sim/simulation.cpp drives them (docs/scheduling.md#inference).
#include <string>

#include "gpu_models/catalog.hpp"
#include "gpu_models/cost_model.hpp"
#include "workloads/job_request.hpp"

namespace gwsim::sim {

/// What one replica can serve while meeting the service's SLOs.
struct ReplicaCapacity {
  bool feasible = false;
  std::string reason;           ///< when not feasible (the model does not fit, or no load meets the SLOs)
  double tokens_per_s = 0;      ///< prompt + output tokens per second at the largest load meeting both SLOs
  double requests_per_s = 0;
  double ttft_s = 0;            ///< at that load
  double tpot_s = 0;
};

/// The largest open-loop (Poisson) request rate whose time to first token and
/// time per output token, from the serving model (gpu_models::estimate_serving,
/// requests of the demand's mean prompt and output lengths), meet the SLOs;
/// found by bisection.
ReplicaCapacity replica_capacity(const gpu_models::ModelSpec& model, const gpu_models::GpuSpec& gpu,
                                 const gpu_models::Links& links, const workloads::InferenceDemand& demand);

/// Replicas to run for [t0, t1]: enough for the interval's peak demand plus
/// the headroom, within [min_replicas, max_replicas].
int target_replicas(const workloads::InferenceDemand& demand, double capacity_tokens_per_s, double t0, double t1);

/// Tokens asked and served over [t0, t1] when `capacity_tokens_per_s` can be
/// served (all replicas together), and what the served tokens earn.
struct ServedFlow {
  double demanded_tokens = 0;
  double served_tokens = 0;
  double revenue_usd = 0;
  double unserved_requests = 0;  ///< demand beyond capacity, in requests of mean length: SLO misses
  double demanded_requests = 0;
};
ServedFlow serve(const workloads::InferenceDemand& demand, double capacity_tokens_per_s, double t0, double t1);

}  // namespace gwsim::sim
