#pragma once
// The list of exit codes with their meaning, for `gwsim --help`, the docs
// (docs/errors.md, checked against this list by tests/errors_test.cpp) and
// scripts. The codes themselves are ExitCode in common/error.hpp.
#include <vector>

#include "common/error.hpp"

namespace gwsim {

/// One exit code with its name (the enumerator's) and what it means to the user.
struct ExitCodeInfo {
  ExitCode code;
  const char* name;
  const char* meaning;
};

/// Every exit code, ascending.
const std::vector<ExitCodeInfo>& exit_codes();

}  // namespace gwsim
