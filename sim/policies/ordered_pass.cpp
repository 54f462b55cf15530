#include "sim/policies/ordered_pass.hpp"

#include <algorithm>
#include <cstdint>

namespace gwsim::sim {

void run_ordered_pass(Scheduler& s, const OrderedPass& pass, double now, Decision& d) {
  const PolicyRules& rules = s.rules();
  struct Ranked {
    std::array<double, 4> key;
    uint64_t id;
    Job* job;
  };
  auto rank = [&](Job* j) {
    const RankKey k = pass.key(*j);
    const double spot = rules.spot_reclaim && j->req.kind == workloads::JobKind::SPOT ? 1 : 0;
    const double prio = rules.priority_order ? -static_cast<double>(j->priority) : 0;
    return Ranked{{spot, prio, k[0], k[1]}, j->req.id, j};
  };
  auto before = [](const Ranked& a, const Ranked& b) { return a.key != b.key ? a.key < b.key : a.id < b.id; };

  std::vector<Ranked> queued;
  queued.reserve(s.queue().size());
  for (Job* j : s.queue()) queued.push_back(rank(j));
  std::sort(queued.begin(), queued.end(), before);

  std::vector<Ranked> victims;  // worst first
  if (pass.preemptive) {
    for (Job* v : s.preemptible_running()) {
      if (rules.spot_reclaim && v->req.kind == workloads::JobKind::SPOT) continue;  // spot gets its notice instead
      if (pass.may_evict && !pass.may_evict(*v)) continue;
      victims.push_back(rank(v));
    }
    std::sort(victims.begin(), victims.end(), [&before](const Ranked& a, const Ranked& b) { return before(b, a); });
  }

  const size_t offered = pass.offer < 0 ? queued.size() : std::min(queued.size(), static_cast<size_t>(pass.offer));
  int64_t blocked = INT64_MAX;  // the smallest size found not to fit (without preemption)
  bool reclaim_asked = false;
  for (size_t i = 0; i < queued.size(); ++i) {
    Job* j = queued[i].job;
    const bool may_preempt = pass.preemptive && i < offered;
    if (s.held_by_headroom(*j)) continue;
    if (Scheduler::size_key(*j) >= blocked && !may_preempt) continue;
    if (auto alloc = s.placement_for(*j)) {
      s.dequeue(j);
      s.start(j, std::move(*alloc), now, d);
      continue;
    }
    if (may_preempt) {
      std::vector<Job*> take;
      std::vector<size_t> taken;
      int64_t gain = s.cluster().free_gpus();
      for (size_t v = 0; v < victims.size() && gain < j->req.gpus; ++v) {
        if (!victims[v].job) continue;  // stopped earlier in this pass
        if (!before(queued[i], victims[v])) break;  // the rest rank as well as j or better
        take.push_back(victims[v].job);
        taken.push_back(v);
        gain += victims[v].job->alloc.gpus;
      }
      if (gain >= j->req.gpus && s.evict_for(j, take, now, d)) {
        s.dequeue(j);
        for (size_t v : taken) victims[v].job = nullptr;
        continue;
      }
    } else if (!pass.preemptive && rules.preempt && s.try_preempt(j, now, d)) {
      s.dequeue(j);
      continue;
    }
    if (rules.spot_reclaim && j->req.kind == workloads::JobKind::SPOT) continue;
    if (rules.spot_reclaim && !reclaim_asked) {
      s.request_reclaim(j, now, d);
      reclaim_asked = true;
    }
    blocked = std::min(blocked, Scheduler::size_key(*j));
  }
}

}  // namespace gwsim::sim
