#pragma once
// Errors that reach the user. Every error names where the problem is (file and
// line, or key), what was expected and what was found, and maps to a
// documented process exit code (docs/errors.md).
#include <stdexcept>
#include <string>
#include <string_view>

namespace gwsim {

/// Process exit codes. Stable: scripts and sweeps depend on them.
enum class ExitCode : int {
  OK = 0,
  INTERNAL = 1,      ///< a bug in gwsim: an invariant broke
  USAGE = 2,         ///< bad command line (unknown flag, missing argument)
  SCENARIO = 3,      ///< the scenario file is unreadable or invalid
  TRACE = 4,         ///< a trace file is unreadable or malformed
  OUTPUT = 5,        ///< the output location cannot be written
  INFEASIBLE = 6,    ///< a valid request that cannot be satisfied (plan does not fit, design cannot be built)
  RUNS_FAILED = 7,   ///< a sweep ran to its end but some of its runs failed (each recorded in sweep.h5)
  INTERRUPTED = 130  ///< stopped by SIGINT or SIGTERM; the output is marked incomplete
};

/// Where in the user's input a problem is. Any field may be empty/zero.
struct Where {
  std::string file;  ///< path as the user gave it
  int line = 0;      ///< 1-based line, 0 when unknown
  std::string key;   ///< dotted key path (`cluster.fabric.tiers[1].oversubscription`) or column name
};

/// The one exception type user-facing code throws. `what()` is the full
/// message, ready to print after "gwsim: error: ".
class Error : public std::runtime_error {
 public:
  Error(ExitCode code, const std::string& message) : std::runtime_error(message), code_(code) {}
  ExitCode code() const { return code_; }

 private:
  ExitCode code_;
};

/// Formats "file:line: key: expected E, found F" leaving out the parts that
/// are unknown.
std::string describe(const Where& where, std::string_view expected, std::string_view found);

/// Throws Error(code, describe(where, expected, found)).
[[noreturn]] void fail(ExitCode code, const Where& where, std::string_view expected, std::string_view found);

/// Prefix "file:line: key: " (the part of describe() before the complaint).
std::string location(const Where& where);

}  // namespace gwsim

namespace gwsim {
/// A validation finding about a key, before the caller knows the file and line.
/// Modules that check their own config (topology, gpu_models, workloads) return
/// these; the scenario loader, which knows the file and the line of each key,
/// turns them into an Error.
struct Problem {
  std::string key;
  std::string expected;
  std::string found;
};
}  // namespace gwsim
