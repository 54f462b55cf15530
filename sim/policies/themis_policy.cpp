// themis: finish-time fairness (Mahajan et al., "Themis: Fair and Efficient
// GPU Cluster Scheduling", NSDI'20), simplified (docs/scheduling.md says how).
// rho = T_shared / T_independent for every job in the system: T_shared is the
// time from its arrival to its finish if it runs from now on (elapsed +
// estimated remaining), T_independent its run time alone on an equal 1/N
// share of the cluster (N jobs in the system): duration x max(1, g N / C).
// Jobs with the largest rho go first. Filter: only the first ceil(f x queued)
// queued jobs of that order may take GPUs back from running jobs, and only
// from jobs whose lease (the time since they got their GPUs) has expired; the
// rest then get what is left without preemption (work conserving). While
// jobs wait, a round runs at every lease end and at least every lease.
#include <cmath>

#include "sim/policies/ordered_pass.hpp"
#include "sim/policies/policy_registry.hpp"

namespace gwsim::sim {

namespace {

class ThemisPolicy final : public QueuePolicy {
 public:
  explicit ThemisPolicy(const PolicyRules& rules) : filter_(rules.themis_filter), lease_s_(rules.themis_lease_s) {}

  void schedule(Scheduler& s, double now, Decision& d) override {
    const double n = double(s.queue_length() + s.running_count());
    const double gpus = double(s.cluster().total_gpus());
    OrderedPass pass;
    pass.key = [&s, now, n, gpus](const Job& j) {
      const double t_shared = (now - j.req.submit_s) + s.estimated_remaining_s(j, now);
      const double t_independent = s.estimated_duration_s(j) * std::max(1.0, double(j.req.gpus) * n / gpus);
      return RankKey{-(t_independent > 0 ? t_shared / t_independent : 0.0), 0};
    };
    pass.preemptive = true;
    pass.may_evict = [this, now](const Job& j) { return now - j.last_start_s >= lease_s_; };
    pass.offer = static_cast<int64_t>(std::ceil(filter_ * double(s.queue_length())));
    run_ordered_pass(s, pass, now, d);
    if (s.queue_length() == 0) return;
    // While jobs wait, a round every lease, and one at each lease end before it.
    double wake = now + lease_s_;
    for (const Job* j : s.preemptible_running())
      if (j->last_start_s + lease_s_ > now) wake = std::min(wake, j->last_start_s + lease_s_);
    if (lease_s_ > 0) d.wake_at_s = std::min(d.wake_at_s, wake);
  }

 private:
  double filter_;
  double lease_s_;
};

}  // namespace

std::unique_ptr<QueuePolicy> make_themis_policy(const PolicyRules& rules) {
  return std::make_unique<ThemisPolicy>(rules);
}

}  // namespace gwsim::sim
