#include "sim/engine/timers.hpp"

#include "sim/engine/actor_guard.hpp"

#include <limits>
#include <simgrid/s4u/Actor.hpp>
#include <simgrid/s4u/Engine.hpp>
#include <simgrid/s4u/Semaphore.hpp>

namespace gwsim::sim {

namespace sg = simgrid::s4u;

void TimerQueue::start(sg::Host* host, std::exception_ptr& failure, EventCount& events) {
  events_ = &events;
  wake_ = sg::Semaphore::create(0);
  sg::Actor::create("timers", host, guarded(failure, [this] { loop(); }))->daemonize();
}

void TimerQueue::at(double t, Callback cb) {
  heap_.push(Entry{t, seq_++, std::move(cb)});
  if (events_) events_->set_timers(static_cast<int64_t>(heap_.size()));
  // The actor must wake only if it sleeps past the new deadline.
  if (sleeping_until_ >= 0 && t < sleeping_until_) poke_needed_ = true;
}

void TimerQueue::poke() {
  if (!poke_needed_) return;
  poke_needed_ = false;
  sleeping_until_ = -1;
  wake_->release();
}

void TimerQueue::loop() {
  constexpr double FOREVER = std::numeric_limits<double>::infinity();
  while (true) {
    const double now = sg::Engine::get_clock();
    if (!heap_.empty() && heap_.top().t <= now) {
      Callback cb = std::move(const_cast<Entry&>(heap_.top()).cb);
      heap_.pop();
      events_->set_timers(static_cast<int64_t>(heap_.size()));
      events_->fired();
      cb();
      continue;
    }
    const double until = heap_.empty() ? FOREVER : heap_.top().t;
    sleeping_until_ = until;
    if (until == FOREVER)
      events_->acquire(wake_);
    else
      events_->acquire_timeout(wake_, until - now);
    sleeping_until_ = -1;
  }
}

}  // namespace gwsim::sim
