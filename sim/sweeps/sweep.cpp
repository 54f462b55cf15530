#include "sim/sweeps/sweep.hpp"

#include <cctype>
#include <cmath>
#include <filesystem>
#include <fmt/format.h>
#include <fmt/ranges.h>
#include <fstream>
#include <limits>
#include <set>
#include <sstream>

#include "common/error.hpp"
#include "common/units.hpp"
#include "sim/scenario/scenario.hpp"
#include "sim/scenario/yaml_reader.hpp"

namespace gwsim::sim {
namespace fs = std::filesystem;

namespace {

constexpr double INF = std::numeric_limits<double>::infinity();
constexpr int64_t MAX_SEED = INT64_MAX / 2;  // the scenario loader's bound on `seed`

std::string read_file(const std::string& path, const char* what) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Error(ExitCode::SCENARIO, fmt::format("{}: cannot open the {}", path, what));
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// A value as one line of YAML: scalars as they are, lists and mappings in flow style.
std::string flow_text(const YAML::Node& n) {
  if (n.IsScalar()) return n.Scalar();
  YAML::Emitter e;
  e.SetSeqFormat(YAML::Flow);
  e.SetMapFormat(YAML::Flow);
  e << n;
  return e.c_str();
}

// One step of a key path: a mapping key, then list indices ("tiers[0]").
struct KeyPart {
  std::string name;
  std::vector<size_t> indices;
};

std::vector<KeyPart> split_key(const std::string& key) {
  auto bad = [&](const std::string& why) -> Error {
    return Error(ExitCode::SCENARIO,
                 fmt::format("'{}': expected a key path such as cluster.fabric.tiers[0].oversubscription, found {}", key,
                             why));
  };
  std::vector<KeyPart> parts;
  size_t i = 0;
  while (true) {
    KeyPart part;
    while (i < key.size() && key[i] != '.' && key[i] != '[') part.name += key[i++];
    if (part.name.empty()) throw bad(i < key.size() ? fmt::format("an empty name at character {}", i + 1) : "an empty name");
    while (i < key.size() && key[i] == '[') {
      const size_t close = key.find(']', i);
      const std::string digits = close == std::string::npos ? "" : key.substr(i + 1, close - i - 1);
      if (digits.empty() || digits.find_first_not_of("0123456789") != std::string::npos)
        throw bad(fmt::format("'{}' where a list index [n] was expected", key.substr(i)));
      part.indices.push_back(std::stoul(digits));
      i = close + 1;
    }
    parts.push_back(std::move(part));
    if (i == key.size()) break;
    if (key[i] != '.') throw bad(fmt::format("'{}' after an index", key.substr(i)));
    ++i;
  }
  return parts;
}

std::string what_is(const YAML::Node& n) {
  if (n.IsSequence()) return "a list";
  if (n.IsMap()) return "a mapping";
  if (n.IsScalar()) return fmt::format("the value '{}'", n.Scalar());
  return "nothing";
}

// Every seed of `seeds:`: a count N (1..N) or a list of distinct seeds.
std::vector<uint64_t> parse_seeds(YamlMap& m) {
  std::vector<uint64_t> out;
  const YAML::Node n = m.raw("seeds");
  if (!n || n.IsNull()) return out;
  if (n.IsScalar()) {
    const int64_t count = m.integer("seeds", 1, 1, static_cast<int64_t>(MAX_SWEEP_RUNS));
    for (int64_t s = 1; s <= count; ++s) out.push_back(static_cast<uint64_t>(s));
    return out;
  }
  if (!n.IsSequence() || n.size() == 0) m.fail("seeds", "a count of seeds or a list of seeds", what_is(n));
  std::set<uint64_t> seen;
  for (size_t i = 0; i < n.size(); ++i) {
    const units::Parsed p = n[i].IsScalar() ? units::number(n[i].Scalar()) : units::Parsed{};
    if (!p.value || *p.value != std::floor(*p.value) || *p.value < 0 || *p.value > static_cast<double>(MAX_SEED))
      m.fail("seeds", fmt::format("whole numbers in [0, {}]", MAX_SEED), fmt::format("{} at item {}", what_is(n[i]), i));
    const auto seed = static_cast<uint64_t>(*p.value);
    if (!seen.insert(seed).second) m.fail("seeds", "distinct seeds", fmt::format("{} twice", seed));
    out.push_back(seed);
  }
  return out;
}

// The values of a range: {start, stop, step} (stop included when reached) or
// {start, stop, count, scale: linear|log}, each followed by `unit` when given.
void parse_range(YamlMap& m, SweepAxis& a) {
  if (!m.has("start") || !m.has("stop")) m.fail(m.has("start") ? "stop" : "start", "a number (a range needs start and stop)", "nothing");
  const double start = m.number("start", 0, -INF, INF), stop = m.number("stop", 0, -INF, INF);
  const std::string scale = m.choice("scale", "linear", {"linear", "log"});
  a.unit = m.str("unit", "");
  if (m.has("step") == m.has("count")) m.fail("step", "either step or count (one of the two)", m.has("step") ? "both" : "neither");
  std::vector<double> xs;
  if (m.has("step")) {
    if (scale == "log") m.fail("scale", "linear with step (a log range takes count)", "'log'");
    const double step = m.number("step", 0, -INF, INF);
    const double steps = step == 0 ? -1 : (stop - start) / step;
    if (!(steps >= 0) || steps > static_cast<double>(MAX_SWEEP_RUNS))
      m.fail("step", fmt::format("a step that leads from {:g} to {:g} in at most {} steps", start, stop, MAX_SWEEP_RUNS),
             fmt::format("{:g}", step));
    // stop counts as reached within rounding (0.1 + 2 * 0.1 == 0.3)
    const auto n = static_cast<size_t>(std::floor(steps + 1e-9)) + 1;
    for (size_t i = 0; i < n; ++i) xs.push_back(start + static_cast<double>(i) * step);
  } else {
    const auto count = static_cast<size_t>(m.integer("count", 1, 1, static_cast<int64_t>(MAX_SWEEP_RUNS)));
    if (scale == "log" && !(start > 0 && stop > 0))
      m.fail("scale", "a start and stop above 0 (log spacing)", fmt::format("start {:g}, stop {:g}", start, stop));
    for (size_t i = 0; i < count; ++i) {
      const double f = count == 1 ? 0 : static_cast<double>(i) / static_cast<double>(count - 1);
      xs.push_back(scale == "log" ? start * std::pow(stop / start, f) : start + f * (stop - start));
    }
  }
  a.numeric = true;
  a.values.emplace_back();
  for (double x : xs) {
    // 12 significant digits: 0.30000000000000004 is meant as 0.3
    const std::string number = fmt::format("{:.12g}", x);
    a.numbers.push_back(std::stod(number));
    a.labels.push_back(number + a.unit);
    a.values[0].push_back(YAML::Node(number + a.unit));
  }
}

SweepAxis parse_axis(const std::string& entry, const YAML::Node& spec, int line, const std::string& file) {
  SweepAxis a;
  a.name = entry;
  a.line = line;
  const std::string where = "axes." + entry;
  auto fail = [&](const std::string& key, const std::string& expected, const std::string& found) {
    gwsim::fail(ExitCode::SCENARIO, Where{file, line, key.empty() ? where : where + "." + key}, expected, found);
  };
  auto list_of = [&](const YAML::Node& n, const std::string& key) {
    if (!n.IsSequence() || n.size() == 0) fail(key, "a non-empty list of values", what_is(n));
    std::vector<YAML::Node> out;
    for (size_t i = 0; i < n.size(); ++i) out.push_back(n[i]);
    return out;
  };
  std::vector<std::string> labels;
  if (spec.IsSequence()) {
    a.keys = {entry};
    a.values.push_back(list_of(spec, ""));
  } else if (spec.IsMap()) {
    YamlMap m(spec, where, file);
    labels = m.str_list("labels");
    if (m.has("set")) {
      const YAML::Node set = m.raw("set");
      if (!set.IsMap() || set.size() == 0) fail("set", "a mapping of keys to lists of values", what_is(set));
      for (auto it = set.begin(); it != set.end(); ++it) {
        a.keys.push_back(it->first.Scalar());
        a.values.push_back(list_of(it->second, "set." + it->first.Scalar()));
        if (a.values.back().size() != a.values.front().size())
          fail("set." + a.keys.back(), fmt::format("{} values, as many as for {}", a.values.front().size(), a.keys.front()),
               fmt::format("{}", a.values.back().size()));
      }
    } else {
      // `gpu: {key: cluster.gpu, values: [...]}` names the axis by its entry;
      // `cluster.gpu: {values: [...], name: gpu}` says the same the other way.
      if (m.has("key") && m.has("name")) fail("name", "either key (the entry names the axis) or name", "both");
      a.keys = {m.has("key") ? m.str("key", "") : entry};
      a.name = m.str("name", entry);
      if (m.has("values")) {
        if (m.has("start") || m.has("stop")) fail("values", "either values or a range (start, stop), not both", "both");
        a.values.push_back(list_of(m.raw("values"), "values"));
      } else {
        parse_range(m, a);
      }
    }
    m.finish();
  } else {
    fail("", "a list of values, a range {start, stop, step or count} or a mapping with set:", what_is(spec));
  }

  for (const auto& key : a.keys) split_key(key);  // a malformed key fails here, before any run
  const size_t n = a.values.front().size();
  if (!labels.empty() && labels.size() != n)
    fail("labels", fmt::format("{} labels, one per value", n), fmt::format("{}", labels.size()));
  if (a.labels.empty()) {
    for (size_t i = 0; i < n; ++i) {
      std::string label;
      for (size_t k = 0; k < a.keys.size(); ++k) label += (k ? " / " : "") + flow_text(a.values[k][i]);
      a.labels.push_back(label);
    }
  }
  if (!labels.empty()) {
    a.labels = labels;
    a.numeric = false;
  }
  std::set<std::string> seen;
  for (const auto& l : a.labels)
    if (!seen.insert(l).second) fail(labels.empty() ? "" : "labels", "distinct values", fmt::format("'{}' twice", l));
  if (!a.numeric) {
    // The column holds numbers when every label is one ("16k" counts as 16000).
    std::vector<double> numbers;
    for (const auto& l : a.labels)
      if (const auto p = units::number(l); p.value) numbers.push_back(*p.value);
    if (numbers.size() == n) {
      a.numeric = true;
      a.numbers = numbers;
    }
  }
  if (a.name.empty() || a.name.find('/') != std::string::npos)
    fail("name", "a column name without '/'", fmt::format("'{}'", a.name));
  return a;
}

// Where an error message from the scenario loader points: the part after
// "<file>:<line>: " when it starts so.
std::string without_location(const std::string& message, const std::string& file) {
  if (message.rfind(file + ":", 0) != 0) return message;
  const size_t colon = message.find(": ", file.size() + 1);
  return colon == std::string::npos ? message : message.substr(colon + 2);
}

// The canonical spelling of a key ("tiers[0]" whatever the spacing), for matching messages.
std::string canonical_key(const std::string& key) {
  std::string out;
  for (const auto& p : split_key(key)) {
    if (!out.empty()) out += '.';
    out += p.name;
    for (size_t i : p.indices) out += fmt::format("[{}]", i);
  }
  return out;
}

// True when the loader's message names `key` or a key below it ("'cluster.gpu'", "'cluster.fabric.tiers[0]...'").
bool names_key(const std::string& message, const std::string& key) {
  const std::string needle = "'" + key;
  for (size_t at = message.find(needle); at != std::string::npos; at = message.find(needle, at + 1)) {
    const size_t end = at + needle.size();
    if (end < message.size() && (message[end] == '\'' || message[end] == '.' || message[end] == '[')) return true;
  }
  return false;
}

}  // namespace

void set_key(YAML::Node root, const std::string& key, const YAML::Node& value) {
  const auto parts = split_key(key);
  auto blocked = [&](const std::string& at, const YAML::Node& n, const std::string& want) {
    return Error(ExitCode::SCENARIO,
                 fmt::format("'{}': expected {} in the base scenario, found {}", at.empty() ? key : at, want, what_is(n)));
  };
  YAML::Node cur = root;  // a handle: reset() moves it, assignment would overwrite what it points to
  std::string at;
  for (size_t p = 0; p < parts.size(); ++p) {
    const KeyPart& part = parts[p];
    if (!cur.IsMap() && !cur.IsNull()) throw blocked(at, cur, fmt::format("a mapping (to hold '{}')", part.name));
    at += (at.empty() ? "" : ".") + part.name;
    const bool last = p + 1 == parts.size();
    if (last && part.indices.empty()) {
      cur[part.name] = YAML::Clone(value);
      return;
    }
    const YAML::Node& view = cur;  // a const lookup does not insert the key
    if (!view[part.name]) {
      if (!part.indices.empty())
        throw Error(ExitCode::SCENARIO,
                    fmt::format("'{}': expected a list in the base scenario (to index it), found nothing", at));
      cur[part.name] = YAML::Node(YAML::NodeType::Map);
    }
    cur.reset(cur[part.name]);
    for (size_t i = 0; i < part.indices.size(); ++i) {
      const size_t index = part.indices[i];
      if (!cur.IsSequence()) throw blocked(at, cur, "a list");
      if (index >= cur.size())
        throw Error(ExitCode::SCENARIO, fmt::format("'{}[{}]': expected an index below {} (the base scenario's list has "
                                                    "{} entries), found {}",
                                                    at, index, cur.size(), cur.size(), index));
      at += fmt::format("[{}]", index);
      if (last && i + 1 == part.indices.size()) {
        cur[index] = YAML::Clone(value);
        return;
      }
      cur.reset(cur[index]);
    }
  }
}

void apply_sets(YAML::Node root, const std::vector<std::string>& assignments) {
  for (const auto& a : assignments) {
    const size_t eq = a.find('=');
    if (eq == std::string::npos || eq == 0)
      throw Error(ExitCode::USAGE, fmt::format("--set '{}': expected KEY=VALUE, such as horizon=1d", a));
    const YAML::Node value = parse_yaml(a.substr(eq + 1), fmt::format("--set '{}'", a));
    try {
      set_key(root, a.substr(0, eq), value);
    } catch (const Error& e) {
      throw Error(ExitCode::SCENARIO, fmt::format("--set '{}': {}", a, e.what()));
    }
  }
}

Scenario load_scenario_with_sets(const std::string& path, const std::vector<std::string>& assignments) {
  if (assignments.empty()) return load_scenario(path);
  const std::string text = read_file(path, "scenario file");
  YAML::Node tree = parse_yaml(text, path);
  if (!tree.IsMap()) return parse_scenario(text, path);  // the loader says what is wrong
  apply_sets(tree, assignments);
  YAML::Emitter e;
  e << tree;
  try {
    return parse_scenario(fmt::format("# {} with --set {}\n{}\n", path, fmt::join(assignments, " --set "), e.c_str()),
                          path);
  } catch (const Error& err) {
    // The line numbers of the merged text are no line of the user's file:
    // name the --set whose key the message names (the longest such key) ...
    const std::string inner = without_location(err.what(), path);
    const std::string* culprit = nullptr;
    size_t longest = 0;
    for (const auto& a : assignments) {
      const std::string key = canonical_key(a.substr(0, a.find('=')));
      if (names_key(inner, key) && key.size() >= longest) {
        culprit = &a;
        longest = key.size();
      }
    }
    if (culprit) {
      // "'cluster.gpus': expected ..." reads "--set cluster.gpus=abc: expected ..." when the key is the one set.
      const std::string own = "'" + canonical_key(culprit->substr(0, culprit->find('='))) + "': ";
      const std::string rest = inner.rfind(own, 0) == 0 ? inner.substr(own.size()) : inner;
      throw Error(err.code(), fmt::format("--set {}: {}", *culprit, rest));
    }
    // ... or the file itself, with its own lines, when it is invalid alone ...
    parse_scenario(text, path);
    // ... or else the combination.
    throw Error(err.code(), fmt::format("{} with --set {}: {}", path, fmt::join(assignments, " --set "), inner));
  }
}

SweepSpec load_sweep(const std::string& path) { return parse_sweep(read_file(path, "sweep file"), path); }

SweepSpec parse_sweep(const std::string& text, const std::string& path) {
  SweepSpec s;
  s.path = path;
  s.text = text;
  const YAML::Node root = parse_yaml(text, path);
  if (!root || root.IsNull()) throw Error(ExitCode::SCENARIO, fmt::format("{}: the sweep file is empty", path));
  YamlMap m(root, "", s.path);
  if (root.IsMap() && !root["base"])
    for (const char* key : {"cluster", "workload", "horizon"})
      if (root[key])
        throw Error(ExitCode::SCENARIO,
                    fmt::format("{}:{}: this is a scenario file (it has '{}:' and no 'base:'), not a sweep: use gwsim run "
                                "{}",
                                path, m.line(key), key, path));
  s.name = m.str("name", fs::path(path).stem().string());

  const YAML::Node base = m.raw("base");
  if (base && base.IsScalar()) {
    // Relative to the sweep file, so a sweep and its base move together.
    const fs::path p(base.Scalar());
    s.base_path = (p.is_absolute() ? p : fs::path(path).parent_path() / p).lexically_normal().string();
    s.base_text = read_file(s.base_path, fmt::format("base scenario (base: at {}:{})", path, m.line("base")).c_str());
    s.base = parse_yaml(s.base_text, s.base_path);
    if (!s.base.IsMap())
      throw Error(ExitCode::SCENARIO, fmt::format("{}: the base scenario is not a mapping of keys", s.base_path));
  } else if (base && base.IsMap()) {
    s.base = YAML::Clone(base);
    YAML::Emitter e;
    e << s.base;
    s.base_text = std::string(e.c_str()) + "\n";
  } else {
    m.fail("base", "a scenario file (relative to the sweep file) or an inline scenario mapping",
           base ? what_is(base) : "nothing");
  }

  s.seeds = parse_seeds(m);
  const YAML::Node axes = m.raw("axes");
  if (axes && !axes.IsMap() && !axes.IsNull()) m.fail("axes", "a mapping of keys (or axis names) to values", what_is(axes));
  std::set<std::string> names = {"run", "seed", "status", "exit_code", "error", "run_file"};
  std::set<std::string> keys;
  if (axes && axes.IsMap()) {
    for (auto it = axes.begin(); it != axes.end(); ++it) {
      const int line = it->first.Mark().line + 1;
      s.axes.push_back(parse_axis(it->first.Scalar(), it->second, line, path));
      const SweepAxis& a = s.axes.back();
      for (const auto& k : a.keys) {
        if (canonical_key(k) == "seed")
          fail(ExitCode::SCENARIO, Where{path, line, "axes." + it->first.Scalar()},
               "seeds given as `seeds:` (a count or a list), not as an axis", "an axis over 'seed'");
        if (!keys.insert(canonical_key(k)).second)
          fail(ExitCode::SCENARIO, Where{path, line, "axes." + it->first.Scalar()}, "each key set by one axis",
               fmt::format("'{}' set by two", k));
      }
      if (!names.insert(a.name).second)
        fail(ExitCode::SCENARIO, Where{path, line, "axes." + it->first.Scalar()},
             "a column name used once (not run, seed, status, exit_code, error, run_file or another axis)",
             fmt::format("'{}'", a.name));

    }
  }
  m.finish();

  size_t total = std::max<size_t>(1, s.seeds.size());
  for (const auto& a : s.axes) {
    if (total > MAX_SWEEP_RUNS / a.size())
      throw Error(ExitCode::SCENARIO,
                  fmt::format("{}: the sweep expands to more than {} runs; split it", path, MAX_SWEEP_RUNS));
    total *= a.size();
  }
  return s;
}

std::string describe_run(const SweepSpec& spec, const SweepRun& run, bool with_seed) {
  std::string out;
  for (size_t i = 0; i < spec.axes.size(); ++i)
    out += fmt::format("{}{}={}", i ? ", " : "", spec.axes[i].name, spec.axes[i].labels[run.position[i]]);
  if (with_seed) out += fmt::format("{}seed={}", out.empty() ? "" : ", ", run.seed);
  return out;
}

std::vector<SweepRun> expand_sweep(const SweepSpec& spec) {
  size_t points = 1;
  for (const auto& a : spec.axes) points *= a.size();
  const std::vector<uint64_t> seeds = spec.seeds;
  const size_t per_point = std::max<size_t>(1, seeds.size());
  std::vector<SweepRun> runs;
  runs.reserve(points * per_point);

  for (size_t p = 0; p < points; ++p) {
    // Mixed radix, the last axis fastest: runs of one design sit together.
    SweepRun proto;
    proto.position.assign(spec.axes.size(), 0);
    for (size_t rest = p, i = spec.axes.size(); i-- > 0;) {
      proto.position[i] = rest % spec.axes[i].size();
      rest /= spec.axes[i].size();
    }
    proto.id = static_cast<uint32_t>(p * per_point);
    YAML::Node tree = YAML::Clone(spec.base);
    for (size_t i = 0; i < spec.axes.size(); ++i) {
      const SweepAxis& a = spec.axes[i];
      for (size_t k = 0; k < a.keys.size(); ++k) {
        try {
          set_key(tree, a.keys[k], a.values[k][proto.position[i]]);
        } catch (const Error& e) {
          throw Error(ExitCode::SCENARIO, fmt::format("{}:{}: axis '{}' cannot set {}: {}", spec.path, a.line, a.name,
                                                      a.keys[k], e.what()));
        }
      }
    }
    // One load per point validates it (the seed alone cannot make a scenario invalid).
    for (size_t s = 0; s < per_point; ++s) {
      SweepRun run = proto;
      run.id = static_cast<uint32_t>(p * per_point + s);
      if (!seeds.empty()) tree["seed"] = std::to_string(seeds[s]);
      YAML::Emitter e;
      e << tree;
      const std::string body = std::string(e.c_str()) + "\n";
      if (s == 0) {
        const std::string where = fmt::format("run {}", run.id);
        try {
          const Scenario scenario = parse_scenario(body, where);
          run.seed = scenario.seed;
        } catch (const Error& err) {
          const std::string inner = without_location(err.what(), where);
          run.seed = seeds.empty() ? 0 : seeds[s];
          const std::string values = describe_run(spec, run, !seeds.empty());
          const SweepAxis* culprit = nullptr;
          size_t culprit_key = 0, longest = 0;
          for (const auto& a : spec.axes)
            for (size_t k = 0; k < a.keys.size(); ++k) {
              const std::string key = canonical_key(a.keys[k]);
              if (names_key(inner, key) && key.size() >= longest) {
                culprit = &a;
                culprit_key = k;
                longest = key.size();
              }
            }
          if (culprit)
            throw Error(ExitCode::SCENARIO,
                        fmt::format("{}:{}: axis '{}' ({} = {}): run {} ({}) is not a valid scenario: {}", spec.path,
                                    culprit->line, culprit->name, culprit->keys[culprit_key],
                                    flow_text(culprit->values[culprit_key][run.position[size_t(culprit - spec.axes.data())]]),
                                    run.id, values, inner));
          // Not under an axis: the base is at fault, or a combination of values.
          try {
            parse_scenario(spec.base_text, spec.base_path.empty() ? spec.path + " (base:)" : spec.base_path);
          } catch (const Error& base_err) {
            throw Error(ExitCode::SCENARIO, fmt::format("{}: the base scenario is invalid: {}", spec.path, base_err.what()));
          }
          throw Error(ExitCode::SCENARIO,
                      fmt::format("{}: run {} ({}) is not a valid scenario: {}", spec.path, run.id, values, inner));
        }
      } else {
        run.seed = seeds[s];
      }
      run.scenario_text = fmt::format("# gwsim sweep '{}': {}\n", spec.name, describe_run(spec, run)) + body;
      runs.push_back(std::move(run));
    }
  }
  return runs;
}

}  // namespace gwsim::sim
