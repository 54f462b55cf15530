#pragma once
// Stopping a run cleanly on SIGINT or SIGTERM. The handler only sets a flag;
// the simulation polls it between events (interrupt_requested()), stops the
// engine and writes what it has, marked incomplete, and `gwsim` exits with
// ExitCode::INTERRUPTED (130).
#include <csignal>

namespace gwsim {

/// Installs the SIGINT and SIGTERM handlers that set the flag. Safe to call
/// again: the SimGrid engine installs its own SIGINT handler when it is
/// created, so the simulation calls this once more after creating it.
void catch_interrupts();
/// True once SIGINT or SIGTERM arrived after catch_interrupts().
bool interrupt_requested();
/// Sets the flag as a signal would (tests, embedding programs).
void request_interrupt();

/// Holds SIGINT and SIGTERM back (blocked, so they stay pending) while it
/// lives, e.g. while the SimGrid engine replaces the SIGINT handler and
/// catch_interrupts() puts ours back; a signal that came meanwhile is then
/// delivered to our handler.
class DeferInterrupts {
 public:
  DeferInterrupts();
  ~DeferInterrupts();
  DeferInterrupts(const DeferInterrupts&) = delete;
  DeferInterrupts& operator=(const DeferInterrupts&) = delete;

 private:
  sigset_t saved_;  ///< the signal mask to restore
};

}  // namespace gwsim
