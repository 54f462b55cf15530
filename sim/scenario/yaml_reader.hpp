#pragma once
// Strict reading of a scenario's YAML (or JSON, which YAML reads too). Every
// mapping is read through a YamlMap that remembers which keys were asked
// for; finish() turns any other key into an error that names the file, the
// line, the full key path and the keys that were expected. Values with units
// go through common/units at this edge.
#include <yaml-cpp/yaml.h>

#include <functional>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "common/error.hpp"
#include "common/units.hpp"

namespace gwsim::sim {

/// One key a YamlMap asked for: its full path with list indices
/// ("cluster.fabric.tiers[0].switch_radix"), the kind of value it takes
/// ("string", "choice", "boolean", "integer", "number", a unit: "duration",
/// "latency", "power", "bandwidth", "bytes", "flops", "usd"; or "mapping",
/// "list", "values", "raw"), for a choice its values, and the default and
/// bounds the parser used (SI units; they may depend on other keys). The
/// scenario reference (docs/scenario.md) is checked against what the loader
/// asks for.
struct KeyUse {
  std::string path;
  std::string kind;
  std::vector<std::string> choices;
  std::string fallback;  ///< the default as text ("" when none or not a scalar)
  double lo = 0, hi = 0; ///< bounds of a number or quantity (lo == hi == 0: none)
};

/// While `sink` is set, every key any YamlMap on this thread asks for is
/// appended to it (whether the file has the key or not); nullptr stops.
void record_key_uses(std::vector<KeyUse>* sink);

class YamlMap {
 public:
  /// `path` is the dotted key path of this mapping ("cluster.fabric"), empty at the root.
  YamlMap(YAML::Node node, std::string path, const std::string& file);

  bool has(const std::string& key) const;
  /// The line (1-based) of a key, or of this mapping when the key is absent.
  int line(const std::string& key = {}) const;
  std::string key_path(const std::string& key) const;
  Where where(const std::string& key) const { return Where{file_, line(key), key_path(key)}; }
  /// The line of the deepest key present along a relative path such as
  /// "fabric.tiers[1].switch_radix" (for findings made after parsing).
  int line_of(const std::string& relative_path) const;
  [[noreturn]] void fail(const std::string& key, const std::string& expected, const std::string& found) const;

  std::string str(const std::string& key, const std::string& fallback);
  std::string str_required(const std::string& key);
  /// One of `choices`.
  std::string choice(const std::string& key, const std::string& fallback, const std::vector<std::string>& choices);
  bool boolean(const std::string& key, bool fallback);
  /// An integer in [lo, hi]; accepts count suffixes ("16k").
  int64_t integer(const std::string& key, int64_t fallback, int64_t lo, int64_t hi);
  /// A number in [lo, hi] (plain, or with count suffixes).
  double number(const std::string& key, double fallback, double lo, double hi);
  /// A quantity parsed by `parser` (units::duration_s, units::power_w, ...) in [lo, hi].
  double quantity(const std::string& key, double fallback, units::Parsed (*parser)(std::string_view), double lo,
                  double hi);
  /// A nested mapping (an empty one when absent).
  YamlMap map(const std::string& key);
  /// A sequence of mappings.
  std::vector<YamlMap> map_list(const std::string& key);
  /// A sequence of scalars as strings.
  std::vector<std::string> str_list(const std::string& key);
  /// The raw node (for readers that handle it themselves; marks the key as known).
  YAML::Node raw(const std::string& key);

  /// Errors on the first key that was never asked for.
  void finish() const;

 private:
  std::optional<std::string> scalar(const std::string& key, const char* expected, const char* kind);
  /// Marks `key` as known (and records it: record_key_uses).
  void know(const std::string& key, const char* kind, const std::vector<std::string>& choices = {});

  YAML::Node node_;
  std::string path_;
  const std::string& file_;
  std::set<std::string> known_;
};

/// Parses YAML text; syntax errors become Error(SCENARIO) with file and line.
YAML::Node parse_yaml(const std::string& text, const std::string& file);

}  // namespace gwsim::sim
