#pragma once
// The pass the ordered policies share (sjf, srtf, las, themis): queued jobs in
// the order of a per-policy key, each started if it fits; one that does not
// fit is skipped, never blocks. A preemptive policy may first stop running
// preemptible jobs whose key is strictly worse. Rules: docs/scheduling.md.
#include <array>
#include <functional>

#include "sim/policies/scheduler.hpp"

namespace gwsim::sim {

/// A job's rank under a policy: lower runs first (compared lexicographically).
using RankKey = std::array<double, 2>;

struct OrderedPass {
  std::function<RankKey(const Job&)> key;  ///< for queued and running jobs
  bool preemptive = false;
  /// A running job the pass may stop for a better one (preemptive only); unset: any preemptible one.
  std::function<bool(const Job&)> may_evict;
  /// Only the first `offer` jobs of the order may start or preempt before the
  /// rest are offered what is left (themis' filter); < 0: all of them.
  int64_t offer = -1;
};

/// Runs one decision of an ordered policy. The full order is (spot last under
/// spot_reclaim, priority first under priority, the key, arrival).
void run_ordered_pass(Scheduler& s, const OrderedPass& pass, double now, Decision& d);

}  // namespace gwsim::sim
