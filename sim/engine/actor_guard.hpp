#pragma once
// Errors raised inside SimGrid actors. When an exception leaves an actor's
// body, SimGrid 3.32 logs "Uncaught exception" with a backtrace and aborts
// the process, leaving a half-written output behind. gwsim's errors must
// instead reach main() as a message with an exit code (docs/errors.md), so
// every actor runs its body through guarded(): the first exception is kept
// in `failure`, every actor is killed so the engine stops, and the
// simulation rethrows it once the engine has returned.
#include <exception>
#include <functional>
#include <simgrid/Exception.hpp>
#include <simgrid/s4u/Actor.hpp>
#include <utility>

namespace gwsim::sim {

/// `body` wrapped so that an exception leaving it lands in `failure` (the
/// first one wins) and stops the simulation. `failure` must outlive the actor.
inline std::function<void()> guarded(std::exception_ptr& failure, std::function<void()> body) {
  return [&failure, body = std::move(body)] {
    try {
      body();
    } catch (const simgrid::ForcefulKillException&) {
      throw;  // how kill_all() unwinds an actor: it must go through
    } catch (...) {
      if (!failure) failure = std::current_exception();
      simgrid::s4u::Actor::kill_all();
    }
  };
}

}  // namespace gwsim::sim
