#include "sim/scenario/yaml_reader.hpp"

#include <cmath>
#include <cstdlib>
#include <fmt/format.h>
#include <fmt/ranges.h>

namespace gwsim::sim {

namespace {
thread_local std::vector<KeyUse>* key_sink = nullptr;

const char* unit_kind(units::Parsed (*parser)(std::string_view)) {
  if (parser == &units::duration_s) return "duration";
  if (parser == &units::latency_s) return "latency";
  if (parser == &units::power_w) return "power";
  if (parser == &units::energy_j) return "energy";
  if (parser == &units::bandwidth_Bps) return "bandwidth";
  if (parser == &units::bytes) return "bytes";
  if (parser == &units::flops) return "flops";
  if (parser == &units::usd) return "usd";
  return "number";
}
}  // namespace

void record_key_uses(std::vector<KeyUse>* sink) { key_sink = sink; }

void YamlMap::know(const std::string& key, const char* kind, const std::vector<std::string>& choices) {
  known_.insert(key);
  if (key_sink) key_sink->push_back(KeyUse{key_path(key), kind, choices, {}, 0, 0});
}

YAML::Node parse_yaml(const std::string& text, const std::string& file) {
  try {
    return YAML::Load(text);
  } catch (const YAML::ParserException& e) {
    throw Error(ExitCode::SCENARIO,
                fmt::format("{}:{}: invalid YAML: {}", file, e.mark.line + 1, e.msg));
  }
}

YamlMap::YamlMap(YAML::Node node, std::string path, const std::string& file)
    : node_(std::move(node)), path_(std::move(path)), file_(file) {
  if (node_ && !node_.IsNull() && !node_.IsMap())
    throw Error(ExitCode::SCENARIO,
                describe(Where{file_, node_.Mark().line + 1, path_.empty() ? "(top level)" : path_}, "a mapping of keys",
                         node_.IsSequence() ? "a list" : fmt::format("'{}'", node_.Scalar())));
}

bool YamlMap::has(const std::string& key) const { return node_ && node_.IsMap() && node_[key]; }

int YamlMap::line(const std::string& key) const {
  if (!key.empty() && has(key)) {
    // Report the key's own line: find it among the mapping's entries.
    for (auto it = node_.begin(); it != node_.end(); ++it)
      if (it->first.Scalar() == key) return it->first.Mark().line + 1;
  }
  return node_ && node_.Mark().line >= 0 ? node_.Mark().line + 1 : 0;
}

int YamlMap::line_of(const std::string& relative_path) const {
  int best = line();
  // Nodes are rebound with reset(): assignment would write into the document.
  YAML::Node n;
  n.reset(node_);
  size_t pos = 0;
  while (pos < relative_path.size() && n.IsMap()) {
    const size_t end = relative_path.find('.', pos);
    std::string segment = relative_path.substr(pos, end == std::string::npos ? std::string::npos : end - pos);
    pos = end == std::string::npos ? relative_path.size() : end + 1;
    long index = -1;
    if (const size_t b = segment.find('['); b != std::string::npos) {
      index = std::strtol(segment.c_str() + b + 1, nullptr, 10);
      segment.resize(b);
    }
    bool found = false;
    for (auto it = n.begin(); it != n.end() && !found; ++it)
      if (it->first.Scalar() == segment) {
        best = it->first.Mark().line + 1;
        n.reset(it->second);
        found = true;
      }
    if (!found) break;
    if (index >= 0) {
      if (!n.IsSequence() || index >= static_cast<long>(n.size())) break;
      n.reset(n[static_cast<size_t>(index)]);
      if (n.Mark().line >= 0) best = n.Mark().line + 1;
    }
  }
  return best;
}

std::string YamlMap::key_path(const std::string& key) const { return path_.empty() ? key : path_ + "." + key; }

void YamlMap::fail(const std::string& key, const std::string& expected, const std::string& found) const {
  gwsim::fail(ExitCode::SCENARIO, where(key), expected, found);
}

std::optional<std::string> YamlMap::scalar(const std::string& key, const char* expected, const char* kind) {
  know(key, kind);
  if (!has(key)) return std::nullopt;
  YAML::Node n = node_[key];
  if (!n.IsScalar()) fail(key, expected, n.IsSequence() ? "a list" : n.IsMap() ? "a mapping" : "nothing");
  return n.Scalar();
}

std::string YamlMap::str(const std::string& key, const std::string& fallback) {
  auto v = scalar(key, "a string", "string");
  if (key_sink) key_sink->back().fallback = fallback;
  return v.value_or(fallback);
}

std::string YamlMap::str_required(const std::string& key) {
  if (!has(key)) fail(key, "a value (this key is required)", "nothing");
  return str(key, {});
}

std::string YamlMap::choice(const std::string& key, const std::string& fallback,
                            const std::vector<std::string>& choices) {
  std::string v = scalar(key, "a string", "string").value_or(fallback);
  if (key_sink) key_sink->back() = KeyUse{key_path(key), "choice", choices, fallback, 0, 0};
  for (const auto& c : choices)
    if (c == v) return v;
  fail(key, fmt::format("one of {}", fmt::join(choices, ", ")), fmt::format("'{}'", v));
}

bool YamlMap::boolean(const std::string& key, bool fallback) {
  const auto v = scalar(key, "true or false", "boolean");
  if (key_sink) key_sink->back().fallback = fallback ? "true" : "false";
  if (!v) return fallback;
  const std::string& s = *v;
  if (s == "true" || s == "yes" || s == "on") return true;
  if (s == "false" || s == "no" || s == "off") return false;
  fail(key, "true or false", fmt::format("'{}'", s));
}

double YamlMap::quantity(const std::string& key, double fallback, units::Parsed (*parser)(std::string_view),
                         double lo, double hi) {
  const auto text = scalar(key, "a value", unit_kind(parser));
  if (key_sink) {
    KeyUse& use = key_sink->back();
    use.fallback = fmt::format("{:g}", fallback);
    use.lo = lo;
    use.hi = hi;
  }
  if (!text) return fallback;
  units::Parsed p = parser(*text);
  if (!p.value) fail(key, p.expected, fmt::format("'{}'", *text));
  const double v = *p.value;
  if (!(v >= lo && v <= hi))
    fail(key, fmt::format("a value in [{:g}, {:g}]", lo, hi), fmt::format("'{}' (= {:g})", *text, v));
  return v;
}

double YamlMap::number(const std::string& key, double fallback, double lo, double hi) {
  return quantity(key, fallback, &units::number, lo, hi);
}

int64_t YamlMap::integer(const std::string& key, int64_t fallback, int64_t lo, int64_t hi) {
  const double v = quantity(key, static_cast<double>(fallback), &units::number, static_cast<double>(lo),
                            static_cast<double>(hi));
  if (key_sink) key_sink->back().kind = "integer";
  if (v != std::floor(v)) fail(key, "a whole number", fmt::format("{:g}", v));
  return static_cast<int64_t>(v);
}

YamlMap YamlMap::map(const std::string& key) {
  know(key, "mapping");
  return YamlMap(has(key) ? node_[key] : YAML::Node(), key_path(key), file_);
}

std::vector<YamlMap> YamlMap::map_list(const std::string& key) {
  know(key, "list");
  std::vector<YamlMap> out;
  if (!has(key)) return out;
  YAML::Node n = node_[key];
  if (!n.IsSequence()) fail(key, "a list", n.IsMap() ? "a mapping" : fmt::format("'{}'", n.Scalar()));
  for (size_t i = 0; i < n.size(); ++i) out.emplace_back(n[i], fmt::format("{}[{}]", key_path(key), i), file_);
  return out;
}

std::vector<std::string> YamlMap::str_list(const std::string& key) {
  know(key, "values");
  std::vector<std::string> out;
  if (!has(key)) return out;
  YAML::Node n = node_[key];
  if (n.IsScalar()) return {n.Scalar()};
  if (!n.IsSequence()) fail(key, "a list of values", "a mapping");
  for (size_t i = 0; i < n.size(); ++i) {
    if (!n[i].IsScalar()) fail(key, "a list of values", fmt::format("a nested structure at item {}", i));
    out.push_back(n[i].Scalar());
  }
  return out;
}

YAML::Node YamlMap::raw(const std::string& key) {
  know(key, "raw");
  return has(key) ? node_[key] : YAML::Node();
}

void YamlMap::finish() const {
  if (!node_ || !node_.IsMap()) return;
  for (auto it = node_.begin(); it != node_.end(); ++it) {
    const std::string key = it->first.Scalar();
    if (!known_.count(key)) {
      std::vector<std::string> valid(known_.begin(), known_.end());
      gwsim::fail(ExitCode::SCENARIO, Where{file_, it->first.Mark().line + 1, key_path(key)},
                  fmt::format("one of the keys {}", fmt::join(valid, ", ")), "an unknown key");
    }
  }
}

}  // namespace gwsim::sim
