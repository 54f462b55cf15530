#pragma once
// How much discrete-event work a run did (docs/performance.md): every return
// of one of gwsim's actors from a wait on the engine is one event delivered,
// and so is every deadline the timer queue fires. A pending event is a timed
// wait (an actor sleeping until a time) or a deadline in the timer queue.
// bench/ compares the events per wall second with a bare binary-heap event
// loop holding as many pending events. Counting changes no result.
#include <cstdint>

#include <simgrid/forward.h>

namespace gwsim::sim {

class EventCount {
 public:
  /// The engine's waits, counted: sleep until `t`, or for `dt`; wait for `s`; wait for `s`
  /// at most `timeout_s` (true if it timed out).
  void sleep_until(double t);
  void sleep_for(double dt);
  void acquire(const simgrid::s4u::SemaphorePtr& s);
  bool acquire_timeout(const simgrid::s4u::SemaphorePtr& s, double timeout_s);

  /// The timer queue fired one deadline / holds `n` deadlines now.
  void fired() { ++delivered_; }
  void set_timers(int64_t n) {
    timers_ = n;
    note_pending();
  }

  uint64_t delivered() const { return delivered_; }
  int64_t peak_pending() const { return peak_pending_; }

 private:
  void begin_timed() {
    ++timed_waits_;
    note_pending();
  }
  void note_pending() {
    if (timed_waits_ + timers_ > peak_pending_) peak_pending_ = timed_waits_ + timers_;
  }

  uint64_t delivered_ = 0;
  int64_t timed_waits_ = 0;
  int64_t timers_ = 0;
  int64_t peak_pending_ = 0;
};

}  // namespace gwsim::sim
