// fifo (and priority, the same pass in priority order): jobs start strictly in
// queue order; the first that does not fit blocks the rest, or, with
// easy_backfill, gets a reservation that later jobs may not delay (EASY:
// Lifka 1995; Mu'alem and Feitelson 2001). docs/scheduling.md has the rules.
#include "sim/policies/policy_registry.hpp"

namespace gwsim::sim {

namespace {

class FifoPolicy final : public QueuePolicy {
 public:
  explicit FifoPolicy(const PolicyRules& rules) : rules_(rules) {}

  void schedule(Scheduler& s, double now, Decision& d) override {
    const Job* head = nullptr;
    double shadow = std::numeric_limits<double>::infinity();
    int64_t extra = 0;
    int depth = 0;
    for (auto it = s.queue().begin(); it != s.queue().end();) {
      Job* j = *it;
      if (head && (!rules_.backfill || ++depth > rules_.backfill_depth)) break;
      if (s.held_by_headroom(*j)) {
        ++it;  // held back by the internal headroom; it does not block others
        continue;
      }
      auto alloc = s.place_job(*j);
      bool uses_extra = false;
      if (alloc && head) {
        // EASY: jump ahead only without delaying the head's reservation.
        const double end = now + s.time_to_complete(*j);
        const bool before_shadow = end <= shadow;
        if (!before_shadow && j->req.gpus > extra) {
          ++it;
          continue;
        }
        uses_extra = !before_shadow;
      }
      if (alloc && !s.admits(*j, *alloc)) {
        if (head) {  // a backfill candidate the power budget does not admit
          ++it;
          continue;
        }
        alloc.reset();  // the first job the budget holds back blocks like one that does not fit
      }
      if (alloc) {
        if (uses_extra) extra -= j->req.gpus;
        it = s.dequeue(it);
        s.start(j, std::move(*alloc), now, d);
        continue;
      }
      if (!head) {
        if (rules_.preempt && s.try_preempt(j, now, d)) {
          it = s.dequeue(it);
          continue;
        }
        if (rules_.spot_reclaim && j->req.kind == workloads::JobKind::SPOT) {
          ++it;  // spot capacity is opportunistic: it never holds the queue
          continue;
        }
        if (rules_.spot_reclaim) s.request_reclaim(j, now, d);
        head = j;
        if (!rules_.backfill) break;
        std::tie(shadow, extra) = s.reservation(j, now);
      }
      ++it;
    }
  }

 private:
  PolicyRules rules_;
};

}  // namespace

std::unique_ptr<QueuePolicy> make_fifo_policy(const PolicyRules& rules) { return std::make_unique<FifoPolicy>(rules); }

}  // namespace gwsim::sim
