#include "common/error.hpp"
#include "common/exit_codes.hpp"

#include <fmt/format.h>

namespace gwsim {

const std::vector<ExitCodeInfo>& exit_codes() {
  static const std::vector<ExitCodeInfo> codes = {
      {ExitCode::OK, "OK", "success"},
      {ExitCode::INTERNAL, "INTERNAL", "a bug in gwsim (please report it with the input)"},
      {ExitCode::USAGE, "USAGE", "bad command line"},
      {ExitCode::SCENARIO, "SCENARIO", "the scenario (or sweep) file is unreadable or invalid"},
      {ExitCode::TRACE, "TRACE", "a trace file is unreadable or malformed"},
      {ExitCode::OUTPUT, "OUTPUT", "the output location cannot be written (unwritable, full)"},
      {ExitCode::INFEASIBLE, "INFEASIBLE", "a valid request that cannot be satisfied"},
      {ExitCode::RUNS_FAILED, "RUNS_FAILED", "a sweep finished but some of its runs failed"},
      {ExitCode::INTERRUPTED, "INTERRUPTED", "stopped by SIGINT or SIGTERM; the output is marked incomplete"},
  };
  return codes;
}

std::string location(const Where& where) {
  std::string out;
  if (!where.file.empty()) {
    out += where.file;
    if (where.line > 0) out += fmt::format(":{}", where.line);
    out += ": ";
  } else if (where.line > 0) {
    out += fmt::format("line {}: ", where.line);
  }
  if (!where.key.empty()) out += fmt::format("'{}': ", where.key);
  return out;
}

std::string describe(const Where& where, std::string_view expected, std::string_view found) {
  return fmt::format("{}expected {}, found {}", location(where), expected, found);
}

void fail(ExitCode code, const Where& where, std::string_view expected, std::string_view found) {
  throw Error(code, describe(where, expected, found));
}

}  // namespace gwsim
