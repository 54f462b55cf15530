#pragma once
// Helpers for tests that run the gwsim binary (a second simulation needs a
// second process) and the Python scripts beside it.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

namespace gwsim::test {

/// Exit status of a shell command (-1 when it did not exit normally).
inline int shell(const std::string& command) {
  const int status = std::system(command.c_str());
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

/// Runs `gwsim <args>` quietly; returns its exit status.
inline int run_gwsim(const std::string& args) {
  return shell(std::string(GWSIM_BINARY) + " " + args + " > /dev/null");
}

inline std::string read_text(const std::string& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// The stderr of a gwsim run without the one notice the sanitizer build's
// runtime may print before gwsim's own message (ASan cannot follow SimGrid's
// stack switching when an exception unwinds an actor; docs/reliability.md
// #sanitizers): three lines, from "==<pid>==WARNING: ASan is ignoring
// requested __asan_handle_no_return" to the issue link. Anything else stays.
inline std::string without_sanitizer_notice(const std::string& err) {
  const std::string marker = "WARNING: ASan is ignoring requested __asan_handle_no_return";
  const std::string last = "For details see https://github.com/google/sanitizers/issues/189\n";
  const size_t at = err.find(marker);
  if (at == std::string::npos) return err;
  const size_t begin = err.rfind('\n', at) == std::string::npos ? 0 : err.rfind('\n', at) + 1;
  const size_t end = err.find(last, at);
  if (end == std::string::npos) return err;
  return err.substr(0, begin) + err.substr(end + last.size());
}

inline void write_text(const std::string& path, const std::string& text) {
  std::filesystem::create_directories(std::filesystem::path(path).parent_path());
  std::ofstream(path) << text;
}

/// The first dataset whose bytes differ between two results::dataset_bytes()
/// maps, or "" when all are equal.
inline std::string first_difference(const std::map<std::string, std::string>& a,
                                    const std::map<std::string, std::string>& b) {
  for (const auto& [path, bytes] : a) {
    const auto it = b.find(path);
    if (it == b.end()) return path + " (only in the first file)";
    if (it->second != bytes) return path;
  }
  for (const auto& [path, bytes] : b)
    if (!a.count(path)) return path + " (only in the second file)";
  return "";
}

/// Every examples/<name>/scenario.yaml of the source tree, sorted.
inline std::vector<std::string> example_scenarios() {
  std::vector<std::string> out;
  for (const auto& e : std::filesystem::directory_iterator(std::string(GWSIM_SOURCE_DIR) + "/examples"))
    if (std::filesystem::exists(e.path() / "scenario.yaml")) out.push_back((e.path() / "scenario.yaml").string());
  std::sort(out.begin(), out.end());
  return out;
}

/// Debian's Python with h5py, numpy, pandas and matplotlib, or "" when absent
/// (the `python3` first on PATH may be another one without them).
inline std::string debian_python() {
  const std::string python = "/usr/bin/python3";
  if (!std::filesystem::exists(python)) return "";
  if (shell(python + " -c 'import h5py, numpy, pandas, matplotlib' 2>/dev/null") != 0) return "";
  return python;
}

}  // namespace gwsim::test
