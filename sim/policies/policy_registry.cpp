#include "sim/policies/policy_registry.hpp"

namespace gwsim::sim {

const std::vector<OrderPolicyInfo>& order_policies() {
  static const std::vector<OrderPolicyInfo> policies = {
      {"fifo", make_fifo_policy},  {"greedy", make_greedy_policy}, {"sjf", make_sjf_policy},
      {"srtf", make_srtf_policy},  {"las", make_las_policy},       {"themis", make_themis_policy},
  };
  return policies;
}

std::unique_ptr<QueuePolicy> make_order_policy(const PolicyRules& rules) {
  for (const auto& p : order_policies())
    if (p.name == rules.order) return p.make(rules);
  return make_fifo_policy(rules);  // unreachable for rules from make_policy_rules
}

}  // namespace gwsim::sim
