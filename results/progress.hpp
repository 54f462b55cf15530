#pragma once
// The progress line a long run shows on a terminal: simulated time, share of
// the horizon, and how much faster than real time the simulation goes. It is
// written on stderr, only when stderr is a terminal (so pipes, files and
// tests see nothing and outputs stay byte-identical), and refreshed at most
// once per wall second. This class only decides what to show and when; the
// caller owns the clocks and the terminal.
#include <optional>
#include <string>

namespace gwsim::results {

class ProgressLine {
 public:
  explicit ProgressLine(double horizon_s) : horizon_s_(horizon_s) {}

  /// The line to show now, or nothing: a second of wall time after the start
  /// or after the last line. `wall_s` counts from the start of the simulation.
  /// E.g. "simulated 3.2 d of 14 d (22.9%), 41,000x real time".
  std::optional<std::string> update(double simulated_s, double wall_s);

  /// Whether a line was shown (the caller then clears it at the end).
  bool shown() const { return last_wall_s_ >= 0; }

 private:
  double horizon_s_;
  double last_wall_s_ = -1;
};

}  // namespace gwsim::results
