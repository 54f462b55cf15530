// greedy: arrival order (priority order under `priority`), every queued job
// that fits starts, none blocks: the FIFO of most GPU-cluster simulators.
// The pass walks the queue per size (milli-GPUs asked: a GPU share, or 1000
// per GPU): once a job of size g does not fit, no queued job asking g or
// more is looked at again in this pass, so it touches the jobs it starts and
// at most one blocked job per size. (CPU and memory asks do not enter the size.)
#include <cstdint>
#include <queue>

#include "sim/policies/policy_registry.hpp"

namespace gwsim::sim {

namespace {

class GreedyPolicy final : public QueuePolicy {
 public:
  explicit GreedyPolicy(const PolicyRules& rules) : rules_(rules) {}
  bool wants_size_index() const override { return true; }

  void schedule(Scheduler& s, double now, Decision& d) override {
    // The head of each size's queue, merged in queue order.
    struct Head {
      int64_t gpus;
      Job* job;
    };
    const auto order = s.queue().key_comp();
    auto later = [&order](const Head& a, const Head& b) { return order(b.job, a.job); };
    std::priority_queue<Head, std::vector<Head>, decltype(later)> heads(later);
    for (const auto& [gpus, q] : s.queue_by_size()) heads.push({gpus, *q.begin()});
    int64_t blocked = INT64_MAX;  // the smallest size found not to fit
    bool reclaim_asked = false;
    while (!heads.empty()) {
      const Head h = heads.top();
      heads.pop();
      if (h.gpus >= blocked) continue;
      Job* j = h.job;
      const auto& bucket = s.queue_by_size().at(h.gpus);
      const auto next = std::next(bucket.find(j));
      Job* after = next == bucket.end() ? nullptr : *next;
      const bool started = [&] {
        if (s.held_by_headroom(*j)) return true;  // skipped, not blocking: go on with its size
        if (auto alloc = s.placement_for(*j)) {
          s.dequeue(j);
          s.start(j, std::move(*alloc), now, d);
          return true;
        }
        if (rules_.preempt && s.try_preempt(j, now, d)) {
          s.dequeue(j);
          return true;
        }
        return false;
      }();
      if (started) {
        if (after) heads.push({h.gpus, after});
        continue;
      }
      if (rules_.spot_reclaim && j->req.kind != workloads::JobKind::SPOT && !reclaim_asked) {
        s.request_reclaim(j, now, d);
        reclaim_asked = true;
      }
      blocked = h.gpus;
    }
  }

 private:
  PolicyRules rules_;
};

}  // namespace

std::unique_ptr<QueuePolicy> make_greedy_policy(const PolicyRules& rules) {
  return std::make_unique<GreedyPolicy>(rules);
}

}  // namespace gwsim::sim
