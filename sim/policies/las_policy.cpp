// las: Tiresias' discretized two-dimensional least-attained-service (Gu et
// al., "Tiresias: A GPU Cluster Manager for Distributed Deep Learning",
// NSDI'19). A job's attained service is its GPUs x the time it has executed;
// K queues split at ascending thresholds, a job sits in the first queue whose
// upper threshold it has not reached; lower queues first, FIFO (by arrival)
// within a queue; preemptive. Starvation: a queued job that has run before and
// has waited longer than STARVELIMIT = knob x its last executed time is
// promoted to the highest queue, its attained service counted from zero again.
#include <unordered_map>

#include "sim/policies/ordered_pass.hpp"
#include "sim/policies/policy_registry.hpp"

namespace gwsim::sim {

namespace {

class LasPolicy final : public QueuePolicy {
 public:
  explicit LasPolicy(const PolicyRules& rules) : thresholds_(rules.las_thresholds_gpu_s), knob_(rules.las_starve_knob) {}

  void schedule(Scheduler& s, double now, Decision& d) override {
    for (Job* j : s.queue())
      if (queue_of(j, now) > 0 && now >= promotion_s(*j) - EPS_S) base_[j->req.id] = gpu_s(*j, now);
    OrderedPass pass;
    pass.key = [this, now](const Job& j) { return RankKey{double(queue_of(&j, now)), j.req.submit_s}; };
    pass.preemptive = true;
    run_ordered_pass(s, pass, now, d);
    if (s.queue_length() == 0) return;
    // The next demotion of a running job and the next promotion of a queued one.
    double wake = d.wake_at_s;
    for (const Job* j : s.preemptible_running()) {
      const size_t q = queue_of(j, now);
      if (q < thresholds_.size()) wake = std::min(wake, now + (thresholds_[q] - attained(*j, now)) / double(j->req.gpus));
    }
    for (const Job* j : s.queue())
      if (queue_of(j, now) > 0) wake = std::min(wake, promotion_s(*j));
    d.wake_at_s = wake > now ? wake : d.wake_at_s;
  }

 private:
  static constexpr double EPS_S = 1e-6;

  static double gpu_s(const Job& j, double now) { return double(j.req.gpus) * Scheduler::executed_s(j, now); }
  double attained(const Job& j, double now) const {
    auto it = base_.find(j.req.id);
    return gpu_s(j, now) - (it == base_.end() ? 0.0 : it->second);
  }
  size_t queue_of(const Job* j, double now) const {
    const double a = attained(*j, now);
    size_t q = 0;
    // A job reaching a threshold (to within rounding of the wake-up time) is demoted.
    while (q < thresholds_.size() && a >= thresholds_[q] - EPS_S * double(j->req.gpus)) ++q;
    return q;
  }
  /// When a queued job that has run gets promoted: its last run's length x knob after it was requeued.
  double promotion_s(const Job& j) const {
    if (j.first_start_s < 0) return std::numeric_limits<double>::infinity();
    return j.queued_since_s + knob_ * (j.queued_since_s - j.last_start_s);
  }

  std::vector<double> thresholds_;
  double knob_;
  std::unordered_map<uint64_t, double> base_;  ///< job id -> GPU-seconds executed when last promoted
};

}  // namespace

std::unique_ptr<QueuePolicy> make_las_policy(const PolicyRules& rules) { return std::make_unique<LasPolicy>(rules); }

}  // namespace gwsim::sim
