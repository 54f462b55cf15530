// sjf: shortest job first, non-preemptive. Queued jobs in order of their
// run time by the scenario's estimate source (scheduler.estimate); each that
// fits starts, none blocks.
#include "sim/policies/ordered_pass.hpp"
#include "sim/policies/policy_registry.hpp"

namespace gwsim::sim {

namespace {

class SjfPolicy final : public QueuePolicy {
 public:
  void schedule(Scheduler& s, double now, Decision& d) override {
    OrderedPass pass;
    pass.key = [&s](const Job& j) { return RankKey{s.estimated_duration_s(j), 0}; };
    run_ordered_pass(s, pass, now, d);
  }
};

}  // namespace

std::unique_ptr<QueuePolicy> make_sjf_policy(const PolicyRules&) { return std::make_unique<SjfPolicy>(); }

}  // namespace gwsim::sim
