#pragma once
// The scheduler: one decision point called on events. The policy is a
// composition of named rules (scheduler.policy in the scenario; exact rules in
// docs/scheduling.md); a Placement picks the GPUs.
#include <cmath>
#include <functional>
#include <limits>
#include <map>
#include <unordered_map>
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

/// How the ordered policies (sjf, srtf, las, themis) know a job's run time
/// (scheduler.estimate). TRUE: the simulator's own (exact for fixed durations,
/// the cost model for token work); TRACE: the request's estimate_s (a user's
/// walltime request, SWF field 9); USER_HISTORY: the mean duration of the same
/// user's completed jobs. The last two fall back to `estimate_default_s`.
enum class EstimateSource : uint8_t { TRUE_DURATION, TRACE, USER_HISTORY };

/// The rules a policy is made of (scheduler.policy; exact rules in
/// docs/scheduling.md). One *order* (a job order with its start rule, one file
/// each under sim/policies/, listed in policy_registry.cpp) plus modifiers:
///   priority         order by priority first; a job that does not fit may
///                    preempt running preemptible jobs of strictly lower priority
///   easy_backfill    (fifo order) EASY: the first job that does not fit gets a
///                    reservation; later jobs start only if they do not delay it
///   reserve_internal external jobs may hold at most (1 - headroom) of the GPUs
///   spot_reclaim     spot jobs come last in the queue and never block it; a
///                    non-spot job that does not fit reclaims spot GPUs with a
///                    notice period
struct PolicyRules {
  std::string order = "fifo";  ///< the order policy's name (fifo, greedy, sjf, srtf, las, themis)
  bool priority_order = false;
  bool preempt = false;
  bool backfill = false;
  bool reserve_internal = false;
  bool spot_reclaim = false;
  double headroom_fraction = 0.1;  ///< reserve_internal: share of GPUs external jobs may not use
  double reclaim_notice_s = 120;   ///< spot_reclaim: AWS EC2 gives spot instances a two-minute interruption notice
  int backfill_depth = 500;        ///< queued jobs examined for backfill per decision (Slurm's bf_max_job_test default)
  EstimateSource estimate = EstimateSource::TRUE_DURATION;
  double estimate_default_s = 3600;  ///< run time assumed where an estimate source has nothing (gwsim's assumption)
  /// las: attained-service thresholds (GPU-seconds) between its K = size + 1
  /// queues, ascending. Default: two queues split at 3600 GPU-s, the setting
  /// Tiresias' authors describe (as transcribed by vodascheduler's tiresias package).
  std::vector<double> las_thresholds_gpu_s = {3600};
  double las_starve_knob = 8;  ///< las: STARVELIMIT = knob x the job's last executed time (same source)
  double themis_filter = 0.8;  ///< themis: fraction of the jobs (largest rho first) offered GPUs first
  double themis_lease_s = 600; ///< themis: a running job can be taken back only after holding its GPUs this long
};

/// What a job asks of a placement: its GPUs, its GPU share (one-GPU jobs
/// with gpu_fraction < 1, in milli, rounded to the nearest) and, for a job
/// that fits one node, its CPU and memory.
Demand demand_of(const Job& job, int gpus_per_node);

/// Every name scheduler.policy accepts: the orders, then the modifiers.
const std::vector<std::string>& policy_names();
/// Composes the named rules; throws Error(SCENARIO) on an unknown name (listing
/// the known ones), on two orders, on fifo together with priority, or on
/// easy_backfill with an order other than fifo.
PolicyRules make_policy_rules(const std::vector<std::string>& names, PolicyRules base = {});

/// What one decision changed. The simulation applies it in this order.
struct Decision {
  std::vector<Job*> preempted;  ///< stopped now (GPUs already released); to be requeued
  std::vector<Job*> reclaim;    ///< spot jobs given a notice now; reclaim_at_s set
  std::vector<Job*> started;    ///< allocations taken, expected_end_s set
  /// The policy wants another decision at this time even if no event comes
  /// (a LAS demotion or promotion, a Themis lease end); infinity: none.
  double wake_at_s = std::numeric_limits<double>::infinity();
};

class QueuePolicy;

class Scheduler {
 public:
  /// Expected run time of a job if it started now on `job.alloc` (empty: any placement).
  using Estimate = std::function<double(const Job&)>;

  Scheduler(ClusterState& cluster, PolicyRules rules, std::unique_ptr<Placement> placement, Estimate estimate);
  ~Scheduler();

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

  /// A job completed: its run time joins its user's history (estimate: user_history).
  void record_completion(const Job& job);

  size_t queue_length() const { return queue_.size(); }
  size_t running_count() const { return running_by_end_.size(); }
  int64_t external_gpus_in_use() const { return external_in_use_; }
  const PolicyRules& rules() const { return rules_; }
  ClusterState& cluster() { return cluster_; }

  // ---- Building blocks of the order policies (sim/policies/*_policy.cpp) ----
  struct QueueOrder {
    bool priority;
    bool spot_last;  ///< spot_reclaim: spot requests come after every other request
    bool operator()(const Job* a, const Job* b) const;
  };
  struct VictimOrder {  // lowest priority first, then the most recently started
    bool operator()(const Job* a, const Job* b) const;
  };
  using Queue = std::set<Job*, QueueOrder>;
  /// Queued jobs in queue order: spot last (spot_reclaim), priority (priority), arrival.
  const Queue& queue() const { return queue_; }
  /// Removes a queued job from the queue (and its index); returns the next one.
  Queue::iterator dequeue(Queue::iterator it);
  void dequeue(Job* job) { remove(job); }
  /// The queue per size_key() (kept only for an order that asks for it: greedy).
  const std::map<int64_t, Queue>& queue_by_size() const { return by_size_; }
  /// Running preemptible jobs, lowest priority first, then the most recently started.
  const std::set<Job*, VictimOrder>& preemptible_running() const { return preemptible_; }
  /// reserve_internal: an external job the headroom holds back now.
  bool held_by_headroom(const Job& job) const;
  /// Where the job would go now (its GPUs, share, CPU and memory); nothing is taken.
  std::optional<Allocation> place_job(const Job& job) const {
    return placement_->place(cluster_, demand_of(job, cluster_.gpus_per_node()));
  }
  /// The queue_by_size() key: milli-GPUs asked (a shared GPU's share, else 1000 per GPU).
  static int64_t size_key(const Job& job) {
    return job.req.gpus == 1 && job.req.gpu_fraction < 1 ? int64_t(std::lround(job.req.gpu_fraction * 1000))
                                                          : job.req.gpus * 1000;
  }
  /// Whether power admission accepts `alloc` for `job` (an accepted start takes its power now).
  bool admits(const Job& job, const Allocation& alloc) const { return !admit_ || admit_(job, alloc); }
  /// A placement for `job` now that power admission accepts; empty when none.
  std::optional<Allocation> placement_for(const Job& job) const;
  /// Starts a job already taken off the queue on `alloc`.
  void start(Job* job, Allocation alloc, double now, Decision& d);
  /// priority: stops strictly lower-priority preemptible jobs for `job` and starts it (not dequeued).
  bool try_preempt(Job* job, double now, Decision& d);
  /// Stops `victims` (running, in that order, as many as needed) for `job` and
  /// starts it (not dequeued); nothing changes when they would not make room.
  bool evict_for(Job* job, const std::vector<Job*>& victims, double now, Decision& d);
  /// spot_reclaim: gives running spot jobs a notice until `job` would fit.
  void request_reclaim(const Job* job, double now, Decision& d);
  /// EASY reservation for `head`: the time enough GPUs will be free, and how many spare ones there are then.
  std::pair<double, int64_t> reservation(const Job* head, double now) const;
  /// Time `job` takes from now if started now (restart and checkpoints included).
  double time_to_complete(const Job& job) const { return estimate_(job); }
  /// Seconds the job has held GPUs so far (the current run included).
  static double executed_s(const Job& job, double now);
  /// The job's total run time by the scenario's estimate source.
  double estimated_duration_s(const Job& job) const;
  /// The job's remaining run time by the estimate source: the simulator's
  /// time to complete (TRUE), else the estimate less the time executed (>= 0).
  double estimated_remaining_s(const Job& job, double now) const;

 private:
  struct ByEnd {
    bool operator()(const Job* a, const Job* b) const;
  };
  struct LatestStart {
    bool operator()(const Job* a, const Job* b) const;
  };

  friend class SchedulingContext;
  void unlink(Job* job);

  ClusterState& cluster_;
  PolicyRules rules_;
  std::unique_ptr<Placement> placement_;
  Estimate estimate_;
  Admit admit_;
  std::unique_ptr<Policy> custom_;
  std::unique_ptr<QueuePolicy> order_;
  Queue queue_;
  std::map<int64_t, Queue> by_size_;
  bool index_by_size_ = false;
  std::unordered_map<std::string, std::pair<double, int64_t>> user_history_;  ///< user -> (sum of run times, jobs)
  std::set<Job*, ByEnd> running_by_end_;
  std::set<Job*, VictimOrder> preemptible_;
  std::set<Job*, LatestStart> spot_;
  int64_t external_in_use_ = 0;
  int64_t reclaiming_gpus_ = 0;
};

}  // namespace gwsim::sim
