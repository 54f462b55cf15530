// docs/scenario.md against the loader: the reference lists exactly the keys
// the scenario parsers ask for (none missing, none invented), each with the
// kind of value the parser reads and, for a choice, every value it accepts.
// The keys come from the parsers themselves (record_key_uses) while they read
// tests/data/every_key.yaml, which reaches every parser, and every example.
#include <gtest/gtest.h>
#include <yaml-cpp/yaml.h>

#include <cmath>
#include <filesystem>
#include <limits>
#include <map>
#include <optional>
#include <regex>
#include <set>

#include "cli_support.hpp"
#include "common/units.hpp"
#include "sim/scenario/scenario.hpp"
#include "sim/scenario/yaml_reader.hpp"
#include "test_support.hpp"

namespace {

using gwsim::sim::KeyUse;

struct DocKey {
  std::string kind_word;  ///< first word of the "type" cell
  std::string row;        ///< the whole table row
  std::string default_cell, valid_cell;
  int line = 0;
};

// The unit parser of a kind ("duration" -> units::duration_s), nullptr for non-numeric kinds.
gwsim::units::Parsed (*parser_of(const std::string& kind))(std::string_view) {
  namespace u = gwsim::units;
  if (kind == "duration") return &u::duration_s;
  if (kind == "latency") return &u::latency_s;
  if (kind == "power") return &u::power_w;
  if (kind == "energy") return &u::energy_j;
  if (kind == "bandwidth") return &u::bandwidth_Bps;
  if (kind == "bytes") return &u::bytes;
  if (kind == "flops") return &u::flops;
  if (kind == "usd") return &u::usd;
  if (kind == "number" || kind == "integer") return &u::number;
  return nullptr;
}

// A bound or default as written in the doc: a value of the kind's unit, "∞", or "2^N".
std::optional<double> doc_value(const std::string& kind, std::string text) {
  if (text == "∞") return std::numeric_limits<double>::infinity();
  if (text.rfind("2^", 0) == 0) return std::pow(2.0, std::stod(text.substr(2)));
  const auto parse = parser_of(kind);
  if (!parse) return std::nullopt;
  return parse(text).value;
}

bool same(double a, double b) { return a == b || std::abs(a - b) <= 1e-5 * std::max(std::abs(a), std::abs(b)); }

// The word docs/scenario.md uses for a kind of value.
std::string doc_word(const std::string& kind) {
  if (kind == "raw") return "mapping";
  if (kind == "values") return "list";
  return kind;
}

// workload[3].arrivals.per_hour -> workload[internal_jobs].arrivals.per_hour (by the entry's type),
// failures.classes.gpu.mtbf -> failures.classes.<class>.mtbf, priorities/utilization/checkpoint
// per job kind -> <kind>, other list indices -> [].
std::string normalize(const std::string& path, const std::vector<std::string>& workload_types) {
  std::string p = path;
  std::smatch m;
  if (std::regex_search(p, m, std::regex(R"(^workload\[(\d+)\])"))) {
    const size_t i = std::stoul(m[1]);
    p = "workload[" + (i < workload_types.size() ? workload_types[i] : "?") + "]" + m.suffix().str();
  }
  p = std::regex_replace(p, std::regex(R"(^failures\.classes\.[^.]+)"), "failures.classes.<class>");
  p = std::regex_replace(p, std::regex(R"(^(scheduler\.priorities|power\.utilization|execution\.checkpoint)\.[a-z_]+)"),
                         "$1.<kind>");
  p = std::regex_replace(p, std::regex(R"(\[\d+\])"), "[]");
  return p;
}

// Every key the loader asks for while reading `file`, normalized, with the kinds seen.
void collect(const std::string& file, std::map<std::string, KeyUse>& keys, std::vector<std::string>& conflicts) {
  std::vector<std::string> types;
  const YAML::Node root = YAML::LoadFile(file);
  if (root["workload"])
    for (const auto& w : root["workload"]) types.push_back(w["type"] ? w["type"].as<std::string>() : "?");
  std::vector<KeyUse> uses;
  gwsim::sim::record_key_uses(&uses);
  try {
    (void)gwsim::sim::load_scenario(file);
  } catch (...) {
    gwsim::sim::record_key_uses(nullptr);
    throw;
  }
  gwsim::sim::record_key_uses(nullptr);
  for (auto use : uses) {
    use.path = normalize(use.path, types);
    auto [it, added] = keys.emplace(use.path, use);
    if (!added && doc_word(it->second.kind) != doc_word(use.kind))
      conflicts.push_back(use.path + ": read as " + it->second.kind + " and as " + use.kind);
    if (!added)
      for (const auto& c : use.choices)
        if (std::find(it->second.choices.begin(), it->second.choices.end(), c) == it->second.choices.end())
          it->second.choices.push_back(c);
  }
}

std::map<std::string, KeyUse> loader_keys() {
  std::map<std::string, KeyUse> keys;
  std::vector<std::string> conflicts;
  collect(gwsim::test::source_path("tests/data/every_key.yaml"), keys, conflicts);
  for (const auto& f : gwsim::test::example_scenarios()) collect(f, keys, conflicts);
  EXPECT_TRUE(conflicts.empty()) << ::testing::PrintToString(conflicts);
  return keys;
}

// The keys of docs/scenario.md: table rows "| `key` | kind ... |" under a
// heading whose first code span is the prefix ("## `cluster.fabric`"); a
// heading without a code span means the top level.
std::map<std::string, DocKey> doc_keys() {
  std::map<std::string, DocKey> out;
  const std::string text = gwsim::test::read_text(gwsim::test::source_path("docs/scenario.md"));
  std::istringstream in(text);
  std::string line, prefix;
  int n = 0;
  const std::regex heading(R"(^#+ [^`]*(`([^`]+)`)?)"), row(R"(^\| `([^`]+)` \| *([A-Za-z]+)[^|]*\|([^|]*)\|([^|]*)\|)");
  std::smatch m;
  while (std::getline(in, line)) {
    ++n;
    if (std::regex_search(line, m, heading)) prefix = m[2].matched ? m[2].str() : "";
    else if (std::regex_search(line, m, row)) {
      const std::string key = prefix.empty() ? m[1].str() : prefix + "." + m[1].str();
      EXPECT_FALSE(out.count(key)) << "docs/scenario.md:" << n << ": " << key << " is listed twice";
      std::string kind = m[2].str();
      for (char& c : kind) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      auto trim = [](std::string t) {
        t.erase(0, t.find_first_not_of(' '));
        t.erase(t.find_last_not_of(' ') + 1);
        return t;
      };
      out[key] = DocKey{kind, line, trim(m[3].str()), trim(m[4].str()), n};
    }
  }
  return out;
}

std::string suggested_row(const KeyUse& k) {
  std::ostringstream bounds;
  bounds << "[" << k.lo << ", " << k.hi << "]";
  const std::string range = k.lo == 0 && k.hi == 0 ? "" : bounds.str();
  std::string kind = doc_word(k.kind);
  for (size_t i = 0; i < k.choices.size(); ++i) kind += (i ? ", `" : ": `") + k.choices[i] + "`";
  return "| `" + k.path + "` | " + kind + " | " + k.fallback + " | " + range + " | |";
}

}  // namespace

TEST(ScenarioReference, EveryKeyTheLoaderReadsIsDocumented) {
  const auto doc = doc_keys();
  const auto keys = loader_keys();
  ASSERT_GT(keys.size(), 250u) << "every_key.yaml reaches every parser";
  std::string missing;
  for (const auto& [path, use] : keys)
    if (!doc.count(path)) missing += suggested_row(use) + "\n";
  EXPECT_TRUE(missing.empty()) << "keys the loader reads that docs/scenario.md does not list (full paths; put them "
                                  "under their section's heading):\n"
                               << missing;
}

TEST(ScenarioReference, EveryDocumentedKeyIsReadByTheLoader) {
  const auto keys = loader_keys();
  const auto doc = doc_keys();
  ASSERT_GT(doc.size(), 250u) << "docs/scenario.md lists every key in tables";
  for (const auto& [path, d] : doc)
    EXPECT_TRUE(keys.count(path)) << "docs/scenario.md:" << d.line << ": " << path
                                  << " is documented, but the loader never asks for it (a typo, a removed key, or a "
                                     "parser tests/data/every_key.yaml does not reach)";
}

TEST(ScenarioReference, KindsAndChoicesMatchTheParsers) {
  const auto doc = doc_keys();
  for (const auto& [path, use] : loader_keys()) {
    const auto it = doc.find(path);
    if (it == doc.end()) continue;  // reported above
    EXPECT_EQ(it->second.kind_word, doc_word(use.kind))
        << "docs/scenario.md:" << it->second.line << ": " << path << " is read as " << use.kind;
    for (const auto& c : use.choices)
      EXPECT_NE(it->second.row.find("`" + c + "`"), std::string::npos)
          << "docs/scenario.md:" << it->second.line << ": " << path << " accepts `" << c << "`, the row does not say so";
  }
}

// A default written as a lone value (`1h`) is the parser's fallback, and a
// range "A to B" its bounds; a side in backticks (`min_gpus`) depends on
// another key and is not compared. The parsers' values come from reading
// tests/data/every_key.yaml first, whose keys are set, so its fallbacks are
// the code's own (a fallback that depends on another key is written in
// words or backticks in the doc).
TEST(ScenarioReference, DefaultsAndRangesAreTheParsers) {
  const auto doc = doc_keys();
  const std::regex lone("^`([^`]+)`$"), range("^(.+) to (.+)$");
  std::smatch m;
  int compared = 0;
  for (const auto& [path, use] : loader_keys()) {
    const auto it = doc.find(path);
    if (it == doc.end()) continue;
    const DocKey& d = it->second;
    const std::string where = "docs/scenario.md:" + std::to_string(d.line) + ": " + path;
    if (std::regex_match(d.default_cell, m, lone) && !use.fallback.empty()) {
      ++compared;
      if (parser_of(use.kind)) {
        const auto v = doc_value(use.kind, m[1]);
        EXPECT_TRUE(v) << where << ": default '" << m[1] << "' is not a " << use.kind;
        if (v) {
          EXPECT_TRUE(same(*v, std::stod(use.fallback)))
              << where << ": default " << m[1] << ", the parser's is " << use.fallback;
        }
      } else {
        EXPECT_EQ(m[1].str(), use.fallback) << where;
      }
    }
    if (use.lo == 0 && use.hi == 0) {
      EXPECT_EQ(d.valid_cell, "") << where << ": the parser has no bounds";
      continue;
    }
    if (!std::regex_match(d.valid_cell, m, range)) {
      ADD_FAILURE() << where << ": valid range '" << d.valid_cell << "' is not 'A to B'";
      continue;
    }
    const double bounds[2] = {use.lo, use.hi};
    for (int side = 0; side < 2; ++side) {
      const std::string text = m[side + 1];
      if (text.front() == '`') continue;
      const auto v = doc_value(use.kind, text);
      EXPECT_TRUE(v) << where << ": bound '" << text << "' is not a " << use.kind;
      if (v) {
        EXPECT_TRUE(same(*v, bounds[side])) << where << ": bound " << text << ", the parser's is " << bounds[side];
      }
      ++compared;
    }
  }
  EXPECT_GT(compared, 300);
}

TEST(ScenarioReference, TheCoverageScenarioRuns) {
  // every_key.yaml is a real scenario, not only a list of keys: it loads and simulates.
  const auto scenario = gwsim::sim::load_scenario(gwsim::test::source_path("tests/data/every_key.yaml"));
  const auto r = gwsim::test::run_scenario(scenario, gwsim::test::temp_dir());
  gwsim::test::expect_invariants(r, scenario.cluster.gpu_count());
}
