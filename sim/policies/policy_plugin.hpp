#pragma once
// Scheduling policies written outside gwsim: a library user registers a
// policy under a name, and a scenario selects it (`scheduler.policy: NAME`)
// like a built-in one. At each decision point the policy sees the queue and
// the cluster and starts the jobs it chooses, on the scenario's placement or
// on GPUs it chooses itself (any Placement, or an Allocation it builds);
// power admission and all execution stay the simulator's.
// examples/custom-policy shows one.
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "sim/engine/cluster_state.hpp"
#include "sim/engine/job.hpp"
#include "sim/policies/placement.hpp"

namespace gwsim::sim {

class Scheduler;

/// What a policy sees and may do at one decision point.
class SchedulingContext {
 public:
  double now() const { return now_; }
  /// Queued jobs, in arrival order. Job::req holds the request (GPUs, kind,
  /// tenant, priority, duration or work); do not modify them.
  const std::vector<Job*>& queue() const { return queue_; }
  const ClusterState& cluster() const;
  /// Expected run time of a queued job if it started now (the simulator's own estimate).
  double estimated_runtime(const Job& job) const;
  /// Places `job` with the scenario's placement and starts it. False (and
  /// nothing changes) when it does not fit now, or the power budget refuses it.
  bool start(Job* job);
  /// What `job` asks of a placement (GPUs, GPU share, CPU, memory).
  Demand demand(const Job& job) const;
  /// Where `placement` would put `job` now (any placement: make_placement("fgd"), or the policy's own); nothing is taken.
  std::optional<Allocation> place(const Job& job, const Placement& placement) const;
  /// Starts `job` on `alloc`, which must match demand(job) and be free now
  /// (ClusterState::can_take). False (and nothing changes) otherwise, or when
  /// the power budget refuses it.
  bool start(Job* job, const Allocation& alloc);

 private:
  friend class Scheduler;
  SchedulingContext(Scheduler& scheduler, double now, std::vector<Job*> queue, void* decision)
      : scheduler_(scheduler), now_(now), queue_(std::move(queue)), decision_(decision) {}
  Scheduler& scheduler_;
  double now_;
  std::vector<Job*> queue_;
  void* decision_;  ///< the Decision being built (kept opaque to policy code)
};

/// A user policy. One instance per simulation.
class Policy {
 public:
  virtual ~Policy() = default;
  /// Called at every decision point (arrival, completion, refusal, failure, repair, tick).
  virtual void schedule(SchedulingContext& ctx) = 0;
};

using PolicyFactory = std::function<std::unique_ptr<Policy>()>;

/// Registers a policy under `name` (before the scenario is loaded). A name of
/// a built-in rule is refused (Error USAGE).
void register_policy(const std::string& name, PolicyFactory factory);
/// The registered names, sorted.
std::vector<std::string> registered_policies();
/// A new instance of a registered policy; nullptr when `name` is not registered.
std::unique_ptr<Policy> make_registered_policy(const std::string& name);

}  // namespace gwsim::sim
