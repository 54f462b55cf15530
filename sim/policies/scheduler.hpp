#pragma once
// The scheduler: one decision point called on events. The policy is a
// composition of named rules (scheduler.policy in the scenario; exact rules in
// docs/scheduling.md); a Placement picks the GPUs.
#include <functional>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "sim/engine/cluster_state.hpp"
#include "sim/engine/job.hpp"
#include "sim/policies/placement.hpp"
#include "sim/policies/policy_plugin.hpp"

namespace gwsim::sim {

/// The rules a policy is made of. Names map to rules:
///   fifo             arrival order (the default order)
///   priority         order by priority (then arrival); a job that does not fit
///                    may preempt running preemptible jobs of strictly lower priority
///   easy_backfill    EASY: the first job that does not fit gets a reservation;
///                    later jobs start only if they do not delay it
///   reserve_internal external jobs may hold at most (1 - headroom) of the GPUs
///   spot_reclaim     spot jobs come last in the queue and never block it; a
///                    non-spot job that does not fit reclaims spot GPUs with a
///                    notice period
struct PolicyRules {
  bool priority_order = false;
  bool preempt = false;
  bool backfill = false;
  bool reserve_internal = false;
  bool spot_reclaim = false;
  double headroom_fraction = 0.1;  ///< reserve_internal: share of GPUs external jobs may not use
  double reclaim_notice_s = 120;   ///< spot_reclaim: AWS EC2 gives spot instances a two-minute interruption notice
  int backfill_depth = 500;        ///< queued jobs examined for backfill per decision (Slurm's bf_max_job_test default)
};

/// What a job asks of a placement: its GPUs, its GPU share (one-GPU jobs
/// with gpu_fraction < 1, in milli, rounded to the nearest) and, for a job
/// that fits one node, its CPU and memory.
Demand demand_of(const Job& job, int gpus_per_node);

const std::vector<std::string>& policy_names();
/// Composes the named rules; throws Error(SCENARIO) on an unknown name or on fifo together with priority.
PolicyRules make_policy_rules(const std::vector<std::string>& names, PolicyRules base = {});

/// What one decision changed. The simulation applies it in this order.
struct Decision {
  std::vector<Job*> preempted;  ///< stopped now (GPUs already released); to be requeued
  std::vector<Job*> reclaim;    ///< spot jobs given a notice now; reclaim_at_s set
  std::vector<Job*> started;    ///< allocations taken, expected_end_s set
};

class Scheduler {
 public:
  /// Expected run time of a job if it started now on `job.alloc` (empty: any placement).
  using Estimate = std::function<double(const Job&)>;

  Scheduler(ClusterState& cluster, PolicyRules rules, std::unique_ptr<Placement> placement, Estimate estimate);

  void enqueue(Job* job, double now);
  /// Removes a queued job (refused). False if it was not queued.
  bool remove(Job* job);
  /// A running job stops holding its GPUs (completed, failed, reclaimed): frees
  /// them. `job.alloc` is left for the caller's accounting.
  void release(Job* job);
  /// A running job's expected end moved (rate change, reclaim notice).
  void update_expected_end(Job* job, double t);

  /// Asked before a job starts on a placement (power policy `defer`); false
  /// keeps the job queued as if it did not fit. Unset: every placement is admitted.
  using Admit = std::function<bool(const Job&, const Allocation&)>;
  void set_admission(Admit admit) { admit_ = std::move(admit); }
  /// Where `gpus` more GPUs would go now; nothing is taken.
  std::optional<Allocation> place(int64_t gpus) const { return placement_->place(cluster_, gpus); }
  Placement& placement() { return *placement_; }
  /// A running job takes `more` (from place()) besides what it holds (a contract made whole again).
  void grow(Job* job, const Allocation& more);
  /// A running job gives back what it holds on `node` (the node failed); returns the GPUs freed.
  int64_t drop_node(Job* job, int32_t node);

  /// The decision point.
  Decision schedule(double now);

  /// Hands the decisions to a registered policy instead of the composed rules.
  void set_custom_policy(std::unique_ptr<Policy> policy) { custom_ = std::move(policy); }

  size_t queue_length() const { return queue_.size(); }
  int64_t external_gpus_in_use() const { return external_in_use_; }
  const PolicyRules& rules() const { return rules_; }
  ClusterState& cluster() { return cluster_; }

 private:
  struct QueueOrder {
    bool priority;
    bool spot_last;  ///< spot_reclaim: spot requests come after every other request
    bool operator()(const Job* a, const Job* b) const;
  };
  struct ByEnd {
    bool operator()(const Job* a, const Job* b) const;
  };
  struct VictimOrder {  // lowest priority first, then the most recently started
    bool operator()(const Job* a, const Job* b) const;
  };
  struct LatestStart {
    bool operator()(const Job* a, const Job* b) const;
  };

  friend class SchedulingContext;
  void start(Job* job, Allocation alloc, double now, Decision& d);
  void unlink(Job* job);
  bool try_preempt(Job* job, double now, Decision& d);
  void request_reclaim(const Job* job, double now, Decision& d);
  /// EASY reservation for `head`: the time enough GPUs will be free, and how many spare ones there are then.
  std::pair<double, int64_t> reservation(const Job* head, double now) const;

  ClusterState& cluster_;
  PolicyRules rules_;
  std::unique_ptr<Placement> placement_;
  Estimate estimate_;
  Admit admit_;
  std::unique_ptr<Policy> custom_;
  std::set<Job*, QueueOrder> queue_;
  std::set<Job*, ByEnd> running_by_end_;
  std::set<Job*, VictimOrder> preemptible_;
  std::set<Job*, LatestStart> spot_;
  int64_t external_in_use_ = 0;
  int64_t reclaiming_gpus_ = 0;
};

}  // namespace gwsim::sim
