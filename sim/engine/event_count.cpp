#include "sim/engine/event_count.hpp"

#include <simgrid/s4u/Actor.hpp>
#include <simgrid/s4u/Semaphore.hpp>

namespace gwsim::sim {

void EventCount::sleep_until(double t) {
  begin_timed();
  simgrid::s4u::this_actor::sleep_until(t);
  --timed_waits_;
  ++delivered_;
}

void EventCount::sleep_for(double dt) {
  begin_timed();
  simgrid::s4u::this_actor::sleep_for(dt);
  --timed_waits_;
  ++delivered_;
}

void EventCount::acquire(const simgrid::s4u::SemaphorePtr& s) {
  s->acquire();
  ++delivered_;
}

bool EventCount::acquire_timeout(const simgrid::s4u::SemaphorePtr& s, double timeout_s) {
  begin_timed();
  const bool timed_out = s->acquire_timeout(timeout_s);
  --timed_waits_;
  ++delivered_;
  return timed_out;
}

}  // namespace gwsim::sim
