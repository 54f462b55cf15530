#pragma once
// The built-in order policies: a job order with its start rule, one file each
// (sim/policies/<name>_policy.cpp), found by name. A new policy is one file
// with a QueuePolicy and one line in policy_registry.cpp; it composes with the
// modifiers (priority, reserve_internal, spot_reclaim) through the Scheduler's
// building blocks. Exact rules and citations: docs/scheduling.md.
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "sim/policies/scheduler.hpp"

namespace gwsim::sim {

/// One order policy, one instance per simulation (it may keep state across decisions).
class QueuePolicy {
 public:
  virtual ~QueuePolicy() = default;
  /// One decision point: starts (and, if preemptive, stops) jobs through `s`.
  virtual void schedule(Scheduler& s, double now, Decision& d) = 0;
  /// Whether the scheduler keeps its queue indexed by GPUs asked (greedy's pass).
  virtual bool wants_size_index() const { return false; }
};

struct OrderPolicyInfo {
  std::string name;
  std::function<std::unique_ptr<QueuePolicy>(const PolicyRules&)> make;
};

/// The order policies, in the order docs/scheduling.md lists them.
const std::vector<OrderPolicyInfo>& order_policies();
/// The order policy named `rules.order` (the name is validated by make_policy_rules).
std::unique_ptr<QueuePolicy> make_order_policy(const PolicyRules& rules);

// One factory per policy file.
std::unique_ptr<QueuePolicy> make_fifo_policy(const PolicyRules& rules);
std::unique_ptr<QueuePolicy> make_greedy_policy(const PolicyRules& rules);
std::unique_ptr<QueuePolicy> make_sjf_policy(const PolicyRules& rules);
std::unique_ptr<QueuePolicy> make_srtf_policy(const PolicyRules& rules);
std::unique_ptr<QueuePolicy> make_las_policy(const PolicyRules& rules);
std::unique_ptr<QueuePolicy> make_themis_policy(const PolicyRules& rules);

}  // namespace gwsim::sim
