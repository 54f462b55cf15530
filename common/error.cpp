#include "common/error.hpp"

#include <fmt/format.h>

namespace gwsim {

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
