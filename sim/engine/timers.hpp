#pragma once
// Scheduler deadlines (patience expiry, lease ends, reclaim notices, repairs)
// served by one SimGrid actor that sleeps until the earliest one. Callbacks
// run in that actor's context, in (time, insertion) order, so equal times fire
// deterministically.
#include <cstdint>
#include <exception>
#include <functional>
#include <queue>
#include <vector>

#include <simgrid/forward.h>

#include "sim/engine/event_count.hpp"

namespace gwsim::sim {

class TimerQueue {
 public:
  using Callback = std::function<void()>;

  /// Spawns the timer actor (a daemon: it never keeps the simulation alive).
  /// An exception from a callback lands in `failure` and stops the run
  /// (actor_guard.hpp).
  void start(simgrid::s4u::Host* host, std::exception_ptr& failure, EventCount& events);
  /// Runs `cb` at simulated time `t` (now, if t is in the past). Makes no
  /// SimGrid call: when the actor must wake earlier, poke() does it.
  void at(double t, Callback cb);
  /// Wakes the timer actor if a deadline earlier than its sleep was added.
  /// A SimGrid call (a scheduling point): callers make it after their state changes.
  void poke();
  size_t pending() const { return heap_.size(); }

 private:
  struct Entry {
    double t;
    uint64_t seq;
    Callback cb;
  };
  struct Later {
    bool operator()(const Entry& a, const Entry& b) const { return a.t != b.t ? a.t > b.t : a.seq > b.seq; }
  };
  void loop();

  std::priority_queue<Entry, std::vector<Entry>, Later> heap_;
  simgrid::s4u::SemaphorePtr wake_;
  EventCount* events_ = nullptr;
  double sleeping_until_ = -1;  ///< < 0 when the actor is not sleeping
  bool poke_needed_ = false;
  uint64_t seq_ = 0;
};

}  // namespace gwsim::sim
