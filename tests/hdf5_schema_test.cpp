// docs/hdf5-schema.md against the files the simulator writes, both ways:
// every object, field, attribute, lookup name, time series and summary value
// in a file must be on the page with the same type, unit and order, and what
// the page says is always written must be in the file.
#include <gtest/gtest-spi.h>
#include <gtest/gtest.h>

#include <map>
#include <optional>
#include <regex>
#include <set>

#include "cli_support.hpp"
#include "results/hdf5_reader.hpp"
#include "results/recorder.hpp"
#include "test_support.hpp"

namespace {

using gwsim::results::ObjectInfo;

// A markdown table and the heading it sits under.
struct MdTable {
  std::string heading;  ///< the first `code` span of the nearest heading above ("/jobs"), or its text
  bool optional = false;  ///< the heading says "(optional)"
  std::vector<std::string> header;
  std::vector<std::vector<std::string>> rows;
  std::string cell(size_t row, const std::string& column) const {
    const auto it = std::find(header.begin(), header.end(), column);
    return it == header.end() ? "" : rows.at(row).at(static_cast<size_t>(it - header.begin()));
  }
};

std::string trim(std::string s) {
  const auto b = s.find_first_not_of(" \t");
  const auto e = s.find_last_not_of(" \t");
  s = b == std::string::npos ? "" : s.substr(b, e - b + 1);
  if (s.size() >= 2 && s.front() == '`' && s.back() == '`') s = s.substr(1, s.size() - 2);
  return s;
}

std::vector<std::string> cells(const std::string& line) {
  std::vector<std::string> out;
  size_t start = line.find('|') + 1;
  for (size_t bar; (bar = line.find('|', start)) != std::string::npos; start = bar + 1)
    out.push_back(trim(line.substr(start, bar - start)));
  return out;
}

std::vector<MdTable> parse_tables(const std::string& text) {
  std::vector<MdTable> tables;
  std::istringstream in(text);
  std::string line, heading;
  bool optional = false, in_code = false;
  MdTable* current = nullptr;
  while (std::getline(in, line)) {
    if (line.rfind("```", 0) == 0) in_code = !in_code;
    if (in_code) continue;
    if (line.rfind("#", 0) == 0) {
      const auto a = line.find('`'), b = line.find('`', a + 1);
      heading = a != std::string::npos && b != std::string::npos ? line.substr(a + 1, b - a - 1)
                                                                 : trim(line.substr(line.find(' ') + 1));
      optional = line.find("(optional)") != std::string::npos;
      current = nullptr;
      continue;
    }
    if (line.rfind("|", 0) != 0) {
      current = nullptr;
      continue;
    }
    if (!current) {
      tables.push_back(MdTable{heading, optional, cells(line), {}});
      current = &tables.back();
    } else if (line.find("---") == std::string::npos) {
      current->rows.push_back(cells(line));
      EXPECT_EQ(current->rows.back().size(), current->header.size()) << "ragged table row: " << line;
    }
  }
  return tables;
}

struct Schema {
  std::vector<MdTable> tables;
  std::vector<const MdTable*> of_kind(const std::string& first_column) const {
    std::vector<const MdTable*> out;
    for (const auto& t : tables)
      if (!t.header.empty() && t.header[0] == first_column) out.push_back(&t);
    return out;
  }
  const MdTable* find(const std::string& first_column, const std::string& heading) const {
    for (const auto* t : of_kind(first_column))
      if (t->heading == heading) return t;
    return nullptr;
  }
  const MdTable& one(const std::string& first_column) const {
    const auto all = of_kind(first_column);
    EXPECT_EQ(all.size(), 1u) << "tables whose first column is '" << first_column << "'";
    return *all.at(0);
  }
};

Schema load_schema() {
  Schema s{parse_tables(gwsim::test::read_text(gwsim::test::source_path("docs/hdf5-schema.md")))};
  EXPECT_GE(s.tables.size(), 10u) << "docs/hdf5-schema.md: fewer tables than expected; the parser lost them?";
  return s;
}

// The pattern an object's path takes on the page: /timeseries/<metric>/value, /summary/<name>.
std::string pattern_of(const std::string& path, const std::set<std::string>& series_groups) {
  for (const auto& g : series_groups) {
    if (path == g) return "/timeseries/<metric>";
    if (path.rfind(g + "/", 0) == 0) return "/timeseries/<metric>" + path.substr(g.size());
  }
  if (path.rfind("/summary/", 0) == 0) return "/summary/<name>";
  return path;
}

void expect_attributes(const ObjectInfo& o, const std::string& pattern, const Schema& schema) {
  std::map<std::string, std::string> documented;
  const MdTable& t = pattern == "/" ? schema.one("attribute") : schema.one("object");
  for (size_t i = 0; i < t.rows.size(); ++i)
    // A series group has the attributes of every series and those the page lists for it by name.
    if (pattern == "/" || t.cell(i, "object") == pattern || t.cell(i, "object") == o.path)
      documented[t.cell(i, "attribute")] = t.cell(i, "type");
  EXPECT_EQ(o.attributes, documented) << o.path << ": attributes differ from the page (" << pattern << ")";
}

void expect_fields(const ObjectInfo& o, const MdTable& t) {
  std::vector<std::pair<std::string, std::string>> documented;
  for (size_t i = 0; i < t.rows.size(); ++i) documented.emplace_back(t.cell(i, "field"), t.cell(i, "type"));
  EXPECT_EQ(o.fields, documented) << o.path << ": fields (name, type, order) differ from the page";
}

// Checks one run file against the page, both ways.
void check_run_file(const std::string& h5, const Schema& schema) {
  SCOPED_TRACE(h5);
  const auto objects = gwsim::results::describe_file(h5);
  std::map<std::string, const ObjectInfo*> by_path;
  std::set<std::string> series_groups;
  for (const auto& o : objects) by_path[o.path] = &o;
  for (const auto& o : objects)
    if (!o.dataset && by_path.count(o.path + "/value")) series_groups.insert(o.path);

  const MdTable& metrics = schema.one("metric");
  const MdTable& summaries = schema.one("summary");
  const MdTable& series_datasets = schema.one("dataset");
  std::set<std::string> seen_tables, seen_lookups, seen_metrics, seen_summaries;
  // A run of the coarse engine (it has /finance) writes no lookups and no
  // time series, and the summary rows marked `coarse` instead of `always`.
  const bool coarse = by_path.count("/finance") > 0;
  for (const auto& o : objects) {
    const std::string pattern = pattern_of(o.path, series_groups);
    expect_attributes(o, pattern, schema);
    if (o.path == "/" || o.path == "/lookup" || o.path == "/timeseries" || o.path == "/summary" || o.path == "/finance")
      continue;
    if (o.type == "compound") {
      const MdTable* t = schema.find("field", o.path);
      ASSERT_TRUE(t) << o.path << ": a table the page does not describe";
      expect_fields(o, *t);
      seen_tables.insert(o.path);
    } else if (o.path.rfind("/lookup/", 0) == 0) {
      EXPECT_EQ(o.type, "string") << o.path;
      const std::string field = o.path.substr(8);
      seen_lookups.insert(o.path);
      const MdTable* codes = schema.find("code", o.path);
      if (!codes) {
        // a free-form lookup (gpu_type): the page names it under its own heading, in prose
        std::string page = gwsim::test::read_text(gwsim::test::source_path("docs/hdf5-schema.md"));
        EXPECT_NE(page.find("### `" + o.path + "`"), std::string::npos) << o.path << ": a lookup the page does not describe";
        continue;
      }
      std::vector<std::string> documented;
      for (size_t i = 0; i < codes->rows.size(); ++i) {
        EXPECT_EQ(codes->cell(i, "code"), std::to_string(i)) << o.path << ": codes must count 0, 1, 2, ...";
        documented.push_back(codes->cell(i, "name"));
      }
      EXPECT_EQ(gwsim::results::read_lookup(h5, field), documented) << o.path << ": names differ from the page";
    } else if (series_groups.count(o.path)) {
      const std::string metric = o.path.substr(std::string("/timeseries/").size());
      seen_metrics.insert(metric);
      std::optional<size_t> row;
      for (size_t i = 0; i < metrics.rows.size(); ++i)
        if (metrics.cell(i, "metric") == metric) row = i;
      ASSERT_TRUE(row) << o.path << ": a time series the page does not list";
      EXPECT_EQ(gwsim::results::read_attribute(h5, o.path + "/value", "unit"), metrics.cell(*row, "unit")) << o.path;
      EXPECT_EQ(gwsim::results::read_attribute(h5, o.path, "sampling"), metrics.cell(*row, "sampling")) << o.path;
      std::set<std::string> datasets;
      for (const auto& d : objects)
        if (d.path.rfind(o.path + "/", 0) == 0 && !series_groups.count(d.path)) datasets.insert(d.path.substr(o.path.size() + 1));
      std::set<std::string> documented;
      for (size_t i = 0; i < series_datasets.rows.size(); ++i) {
        const std::string name = series_datasets.cell(i, "dataset");
        documented.insert(name);
        const auto it = by_path.find(o.path + "/" + name);
        ASSERT_NE(it, by_path.end()) << o.path << ": no dataset " << name;
        EXPECT_EQ(it->second->type, series_datasets.cell(i, "type")) << it->first;
      }
      EXPECT_EQ(datasets, documented) << o.path << ": datasets differ from the page";
    } else if (o.path.rfind("/timeseries/", 0) == 0) {
      // a dataset of a series (checked with its group) or a group that only nests metric names
      const std::string p = pattern_of(o.path, series_groups);
      EXPECT_TRUE(p.rfind("/timeseries/<metric>", 0) == 0 || (!o.dataset && o.attributes.empty()))
          << o.path << ": an object under /timeseries that is no time series";
    } else if (o.path.rfind("/summary/", 0) == 0) {
      EXPECT_EQ(o.type, "float64") << o.path;
      std::string name = o.path.substr(9);
      // Values per calendar year (finance_cash_flow_2024) are one row: finance_cash_flow_<year>.
      const std::regex per_year("^(.*_)[0-9]{4}$");
      std::smatch ym;
      if (std::regex_match(name, ym, per_year)) name = ym[1].str() + "<year>";
      seen_summaries.insert(name);
      std::optional<size_t> row;
      for (size_t i = 0; i < summaries.rows.size(); ++i)
        if (summaries.cell(i, "summary") == name) row = i;
      ASSERT_TRUE(row) << o.path << ": a summary value the page does not list";
      EXPECT_EQ(gwsim::results::read_attribute(h5, o.path, "unit"), summaries.cell(*row, "unit")) << o.path;
    } else {
      ADD_FAILURE() << o.path << ": an object the page does not describe";
    }
  }
  // The other way: what the page says is there, is there.
  for (const auto* t : schema.of_kind("field")) {
    if (!t->optional) {
      EXPECT_TRUE(seen_tables.count(t->heading)) << t->heading << ": on the page, not in the file";
    }
  }
  for (const auto* t : schema.of_kind("code")) {
    if (coarse) break;
    EXPECT_TRUE(seen_lookups.count(t->heading)) << t->heading << ": on the page, not in the file";
  }
  for (size_t i = 0; i < metrics.rows.size() && !coarse; ++i) {
    if (metrics.cell(i, "written") == "always") {
      EXPECT_TRUE(seen_metrics.count(metrics.cell(i, "metric"))) << metrics.cell(i, "metric") << ": always written, says the page";
    }
  }
  for (size_t i = 0; i < summaries.rows.size(); ++i) {
    if (summaries.cell(i, "written") == (coarse ? "coarse" : "always")) {
      EXPECT_TRUE(seen_summaries.count(summaries.cell(i, "summary"))) << summaries.cell(i, "summary") << ": always written, says the page";
    }
  }
}

}  // namespace

TEST(Hdf5Schema, EveryExampleRunMatchesThePage) {
  const Schema schema = load_schema();
  const auto examples = gwsim::test::example_scenarios();
  ASSERT_FALSE(examples.empty());
  for (const auto& scenario : examples) {
    const std::string name = std::filesystem::path(scenario).parent_path().filename().string();
    const std::string dir = gwsim::test::temp_dir("-" + name);
    ASSERT_EQ(gwsim::test::run_gwsim("run " + scenario + " -q -o " + dir), 0) << scenario;
    check_run_file(dir + "/run.h5", schema);
  }
}

TEST(Hdf5Schema, OptionalRequestsTableMatchesThePage) {
  const Schema schema = load_schema();
  const MdTable* page = schema.find("field", "/requests");
  ASSERT_TRUE(page);
  EXPECT_TRUE(page->optional);
  const std::string dir = gwsim::test::temp_dir();
  {
    gwsim::results::Recorder rec(dir, gwsim::results::RunInfo{});
    rec.enable_requests();
    gwsim::results::RequestRecord r;
    r.id = 7;
    r.latency_s = 0.25;
    rec.request(r);
    rec.finish(true);
  }
  const auto objects = gwsim::results::describe_file(dir + "/run.h5");
  const auto it = std::find_if(objects.begin(), objects.end(), [](const ObjectInfo& o) { return o.path == "/requests"; });
  ASSERT_NE(it, objects.end());
  expect_fields(*it, *page);
  const auto back = gwsim::results::read_requests(dir + "/run.h5");
  ASSERT_EQ(back.size(), 1u);
  EXPECT_EQ(back[0].id, 7u);
  EXPECT_EQ(back[0].latency_s, 0.25);
}

TEST(Hdf5Schema, AnUndocumentedFieldFailsTheCheck) {
  // The checker itself: a page that lacks a field of /jobs must not pass.
  Schema schema = load_schema();
  for (auto& t : schema.tables)
    if (t.heading == "/jobs" && t.header[0] == "field") t.rows.pop_back();
  const std::string dir = gwsim::test::temp_dir();
  ASSERT_EQ(gwsim::test::run_gwsim("run " + gwsim::test::source_path("examples/quickstart/scenario.yaml") + " -q -o " + dir), 0);
  ::testing::TestPartResultArray failures;
  {
    ::testing::ScopedFakeTestPartResultReporter reporter(::testing::ScopedFakeTestPartResultReporter::INTERCEPT_ONLY_CURRENT_THREAD,
                                                         &failures);
    check_run_file(dir + "/run.h5", schema);
  }
  ASSERT_EQ(failures.size(), 1);
  EXPECT_NE(std::string(failures.GetTestPartResult(0).message()).find("/jobs: fields"), std::string::npos)
      << failures.GetTestPartResult(0).message();
}
