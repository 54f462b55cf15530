#include "common/interrupt.hpp"

#include <csignal>

namespace gwsim {
namespace {

volatile std::sig_atomic_t interrupted = 0;

void on_interrupt(int) { interrupted = 1; }

}  // namespace

void catch_interrupts() {
  struct sigaction action {};
  action.sa_handler = on_interrupt;
  sigemptyset(&action.sa_mask);
  action.sa_flags = SA_RESTART;  // a read or write in progress finishes; the flag is polled later
  sigaction(SIGINT, &action, nullptr);
  sigaction(SIGTERM, &action, nullptr);
}

bool interrupt_requested() { return interrupted != 0; }

void request_interrupt() { interrupted = 1; }

DeferInterrupts::DeferInterrupts() {
  sigset_t block;
  sigemptyset(&block);
  sigaddset(&block, SIGINT);
  sigaddset(&block, SIGTERM);
  sigprocmask(SIG_BLOCK, &block, &saved_);
}

DeferInterrupts::~DeferInterrupts() { sigprocmask(SIG_SETMASK, &saved_, nullptr); }

}  // namespace gwsim
