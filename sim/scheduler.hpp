#pragma once
// The scheduler: one decision point called on events. A Policy orders the
// queue and decides what starts; a Placement picks the GPUs. Both are chosen
// by name in the scenario (docs/scheduling.md states each one's exact rules).
#include <deque>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "sim/cluster_state.hpp"
#include "sim/job.hpp"

namespace gwsim::sim {

class Placement {
 public:
  virtual ~Placement() = default;
  /// GPUs for a job of `gpus` GPUs, or nothing when it does not fit now.
  virtual std::optional<Allocation> place(const ClusterState& cluster, int64_t gpus) const = 0;
};

/// first_fit: jobs of at most one node's GPUs go on the lowest-numbered node
/// with enough free GPUs; larger jobs take the lowest-numbered fully free
/// nodes (gpus / gpus_per_node of them) plus, for a remainder, the lowest
/// numbered other node with enough free GPUs.
class FirstFitPlacement final : public Placement {
 public:
  std::optional<Allocation> place(const ClusterState& cluster, int64_t gpus) const override;
};

class Policy {
 public:
  virtual ~Policy() = default;
  /// Starts what the policy allows from `queue` (in arrival order); returns
  /// the started jobs in start order with their allocations taken.
  virtual std::vector<Job*> schedule(std::deque<Job*>& queue, ClusterState& cluster, const Placement& placement,
                                     double now) = 0;
};

/// fifo: jobs start strictly in arrival order; the first job that does not
/// fit blocks every job behind it.
class FifoPolicy final : public Policy {
 public:
  std::vector<Job*> schedule(std::deque<Job*>& queue, ClusterState& cluster, const Placement& placement,
                             double now) override;
};

std::unique_ptr<Placement> make_placement(const std::string& name);
std::unique_ptr<Policy> make_policy(const std::string& name);

class Scheduler {
 public:
  Scheduler(ClusterState& cluster, std::unique_ptr<Policy> policy, std::unique_ptr<Placement> placement);

  /// Adds an arrived job to the queue.
  void enqueue(Job* job, double now);
  /// Removes a queued job (refused, cancelled). False if it was not queued.
  bool remove(Job* job);
  /// Frees a finished job's GPUs.
  void release(Job* job);
  /// The decision point: returns the jobs that start now, allocations taken.
  std::vector<Job*> schedule(double now);

  const std::deque<Job*>& queue() const { return queue_; }
  ClusterState& cluster() { return cluster_; }

 private:
  ClusterState& cluster_;
  std::unique_ptr<Policy> policy_;
  std::unique_ptr<Placement> placement_;
  std::deque<Job*> queue_;
};

}  // namespace gwsim::sim
