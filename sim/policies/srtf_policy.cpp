// srtf: shortest remaining time first, preemptive. Queued and running jobs
// rank by remaining run time (scheduler.estimate); a queued job that does not
// fit stops running preemptible jobs of longer remaining time, longest first,
// which pay checkpoint loss and restart like any preemption.
#include "sim/policies/ordered_pass.hpp"
#include "sim/policies/policy_registry.hpp"

namespace gwsim::sim {

namespace {

class SrtfPolicy final : public QueuePolicy {
 public:
  void schedule(Scheduler& s, double now, Decision& d) override {
    OrderedPass pass;
    pass.key = [&s, now](const Job& j) { return RankKey{s.estimated_remaining_s(j, now), 0}; };
    pass.preemptive = true;
    run_ordered_pass(s, pass, now, d);
  }
};

}  // namespace

std::unique_ptr<QueuePolicy> make_srtf_policy(const PolicyRules&) { return std::make_unique<SrtfPolicy>(); }

}  // namespace gwsim::sim
