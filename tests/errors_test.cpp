// Every user-facing error, seen from outside the process (docs/errors.md):
// the exit code is the documented one, the message names the file, the line
// or key, what was expected and what was found, nothing crashes or prints a
// stack trace, and a run that fails leaves no output behind. The page's
// table of codes is checked against common/error.hpp's ExitCode and
// exit_codes().
#include <gtest/gtest.h>

#include <fstream>
#include <regex>
#include <set>

#include "cli_support.hpp"
#include "common/exit_codes.hpp"
#include "test_support.hpp"

namespace {

namespace fs = std::filesystem;
using gwsim::ExitCode;
using gwsim::test::read_text;
using gwsim::test::write_text;

struct Outcome {
  int code;
  std::string err;
};

// Runs `gwsim <args>`; stdout is dropped, stderr kept.
Outcome gwsim_run(const std::string& args, const std::string& dir) {
  const std::string err = dir + "/stderr.txt";
  const int code = gwsim::test::shell(std::string(GWSIM_BINARY) + " " + args + " > /dev/null 2> " + err);
  return {code, gwsim::test::without_sanitizer_notice(read_text(err))};
}

// What every error message keeps, whatever its code.
void expect_clean_failure(const Outcome& o, ExitCode code) {
  EXPECT_EQ(o.code, static_cast<int>(code)) << o.err;
  EXPECT_EQ(o.err.rfind("gwsim: error: ", 0), 0u) << "the message starts with 'gwsim: error: ': " << o.err;
  for (const char* crash : {"backtrace", "Uncaught exception", "terminate called", "Segmentation", "Aborted",
                            "AddressSanitizer", "runtime error", "HDF5-DIAG", "internal error"})
    EXPECT_EQ(o.err.find(crash), std::string::npos) << crash << " in: " << o.err;
}

void expect_contains(const std::string& text, const std::vector<std::string>& parts) {
  for (const auto& p : parts) EXPECT_NE(text.find(p), std::string::npos) << "'" << p << "' not in: " << text;
}

// `gwsim <args> -o dir/out` fails cleanly with `code`, its message holds
// `parts`, and it leaves no output behind.
void expect_refused(const std::string& args, const std::string& dir, ExitCode code,
                    const std::vector<std::string>& parts) {
  const Outcome o = gwsim_run(args + " -o " + dir + "/out", dir);
  expect_clean_failure(o, code);
  expect_contains(o.err, parts);
  EXPECT_FALSE(fs::exists(dir + "/out")) << "a failed run leaves no output";
}

// The quickstart's cluster, a day long, with `workload` appended.
std::string small_scenario(const std::string& workload = "") {
  return "name: small\nhorizon: 1d\ncluster:\n  gpu: H100-SXM\n  nodes_per_rack: 4\n  racks_per_pod: 2\n" + workload;
}

// The scenario text with one line made bad, as the user would write it.
struct ScenarioCase {
  std::string name;
  std::string text;
  std::vector<std::string> message;  ///< parts the message must contain (file, line, key, expected, found)
};

// Test names show the case, not its bytes.
void PrintTo(const ScenarioCase& c, std::ostream* os) { *os << c.name; }

class BadScenario : public ::testing::TestWithParam<ScenarioCase> {};

}  // namespace

TEST_P(BadScenario, ExitsThreeNamingLineKeyExpectedAndFound) {
  const std::string dir = gwsim::test::temp_dir();
  write_text(dir + "/bad.yaml", GetParam().text);
  const Outcome o = gwsim_run("run " + dir + "/bad.yaml -o " + dir + "/out", dir);
  expect_clean_failure(o, ExitCode::SCENARIO);
  expect_contains(o.err, GetParam().message);
  EXPECT_NE(o.err.find(dir + "/bad.yaml"), std::string::npos) << "names the file: " << o.err;
  EXPECT_FALSE(fs::exists(dir + "/out")) << "a run that fails before starting leaves no output";
}

INSTANTIATE_TEST_SUITE_P(
    Cases, BadScenario,
    ::testing::Values(
        ScenarioCase{"InvalidYaml", "name: x\ncluster: [1, 2\n", {":3: invalid YAML"}},
        ScenarioCase{"UnknownKey", small_scenario() + "  gpus: 8\n", {":7: 'cluster.gpus'", "expected one of the keys", "found an unknown key"}},
        ScenarioCase{"UnknownGpu", "cluster:\n  gpu: H100\n", {":2: 'cluster.gpu'", "expected a GPU type from the catalog", "found 'H100'"}},
        ScenarioCase{"NegativeHorizon", "horizon: -1h\ncluster: {gpu: H100-SXM}\n", {":1: 'horizon'", "expected a value in", "found '-1h'"}},
        ScenarioCase{"HugeHorizon", "horizon: 1e30h\ncluster: {gpu: H100-SXM}\n", {":1: 'horizon'", "found '1e30h'"}},
        ScenarioCase{"TeraGpus", "cluster: {gpu: H100-SXM, nodes_per_rack: 1024, racks_per_pod: 100000, pods_per_hall: 10000, halls: 1000}\n",
                     {":1: 'cluster.halls'", "expected a design of at most", "found 8192000000000000 GPUs"}},
        ScenarioCase{"ZeroBandwidth", "cluster:\n  gpu: H100-SXM\n  scale_up: {bandwidth: 0Gbps}\n",
                     {":3: 'cluster.scale_up.bandwidth'", "expected a value in [1,", "found '0Gbps'"}},
        ScenarioCase{"NegativeDuration", small_scenario("workload:\n  - type: list\n    jobs:\n      - {gpus: 8, duration: -5s}\n"),
                     {":10: 'workload[0].jobs[0].duration'", "found '-5s'"}},
        ScenarioCase{"NanRate", small_scenario("workload:\n  - type: internal_jobs\n    arrivals: {per_hour: .nan}\n"),
                     {":9: 'workload[0].arrivals.per_hour'", "expected a number", "found '.nan'"}},
        ScenarioCase{"BillionJobsPerHour", small_scenario("workload:\n  - type: internal_jobs\n    arrivals: {per_hour: 1e9}\n"),
                     {":9: 'workload[0].arrivals.per_hour'", "expected a value in [0, 1e+07]", "found '1e9'"}},
        ScenarioCase{"InfiniteCount", small_scenario("workload:\n  - type: list\n    jobs:\n      - {gpus: .inf, duration: 1h}\n"),
                     {":10: 'workload[0].jobs[0].gpus'", "found '.inf'"}},
        ScenarioCase{"HorizonWithoutUnit", "horizon: 72\ncluster: {gpu: H100-SXM}\n",
                     {":1: 'horizon'", "expected a duration with a unit, e.g. 72h", "found '72'"}},
        ScenarioCase{"JobDurationWithoutUnit", small_scenario("workload:\n  - type: list\n    jobs:\n      - {gpus: 8, duration: 3600}\n"),
                     {":10: 'workload[0].jobs[0].duration'", "expected a duration with a unit", "found '3600'"}},
        ScenarioCase{"MtbfWithoutUnit", small_scenario("failures:\n  classes:\n    gpu: {mtbf: 50000}\n"),
                     {":9: 'failures.classes.gpu.mtbf'", "expected a duration with a unit", "found '50000'"}},
        ScenarioCase{"LatencyWithoutUnit", small_scenario("  scale_up: {latency: 2}\n"),
                     {":7: 'cluster.scale_up.latency'", "expected a latency with a unit, e.g. 2us", "found '2'"}},
        ScenarioCase{"SweepFileGivenToRun", "name: s\nbase: scenario.yaml\naxes:\n  cluster.gpu: [H100-SXM, B200]\n",
                     {":2: this is a sweep file (it has 'base:'), not a scenario: use gwsim sweep"}},
        ScenarioCase{"EmptyFile", "", {"expected a scenario", "found an empty document"}},
        ScenarioCase{"NotAMapping", "- just\n- a list\n", {"'(top level)'", "expected a mapping of keys", "found a list"}}),
    [](const ::testing::TestParamInfo<ScenarioCase>& p) { return p.param.name; });

TEST(Errors, AMissingScenarioFileSaysWhy) {
  const std::string dir = gwsim::test::temp_dir();
  fs::create_directories(dir);
  const Outcome o = gwsim_run("run " + dir + "/none.yaml -o " + dir + "/out", dir);
  expect_clean_failure(o, ExitCode::SCENARIO);
  expect_contains(o.err, {dir + "/none.yaml: cannot open the scenario file (No such file or directory)"});
  const Outcome d = gwsim_run("run " + dir + " -o " + dir + "/out", dir);
  expect_clean_failure(d, ExitCode::SCENARIO);
  expect_contains(d.err, {dir + ": expected a scenario file (YAML or JSON), found a directory"});
}

TEST(Errors, BadCommandLinesExitTwoNamingTheFlag) {
  const std::string dir = gwsim::test::temp_dir();
  fs::create_directories(dir);
  const std::string scenario = gwsim::test::source_path("examples/quickstart/scenario.yaml");
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"run", "scenario is required"},
      {"run " + scenario + " --bogus", "--bogus"},
      {"run " + scenario + " --threads 0", "--threads"},
      {"run " + scenario + " --threads many", "--threads"},
      {"frobnicate", "frobnicate"},
  };
  for (const auto& [args, part] : cases) {
    const Outcome o = gwsim_run(args + " -o " + dir + "/out", dir);
    expect_clean_failure(o, ExitCode::USAGE);
    expect_contains(o.err, {part, "--help"});
  }
  EXPECT_FALSE(fs::exists(dir + "/out"));
}

TEST(Errors, AMalformedTraceRowExitsFourNamingFileLineAndColumn) {
  const std::string dir = gwsim::test::temp_dir();
  write_text(dir + "/t.csv", "timestamp,duration,num_gpus\n2017-10-03 14:05:09,60,1\n2017-10-03 14:06:09,inf,1\n");
  expect_refused("replay --trace " + dir + "/t.csv --format philly --gpus 64", dir, ExitCode::TRACE,
                 {dir + "/t.csv:3: 'duration': expected a number, found 'inf'"});
}

TEST(Errors, ATraceThatBreaksMidRunExitsFourAndLeavesNothing) {
  // The first rows are fine, the run starts, and row 4 fails while the simulation reads it.
  const std::string dir = gwsim::test::temp_dir();
  write_text(dir + "/t.swf", "1 0 0 3600 8 -1 -1 8 3600 -1 1 1 1 -1 1 -1 -1 -1\n"
                             "2 7200 0 3600 8 -1 -1 8 3600 -1 1 1 1 -1 1 -1 -1 -1\n"
                             "3 9000 0 3600 8 -1 -1 8 3600 -1 1 1 1 -1 1 -1 -1 -1\n"
                             "4 80000 0 nan 8 -1 -1 8 3600 -1 1 1 1 -1 1 -1 -1 -1\n");
  write_text(dir + "/s.yaml", small_scenario("workload:\n  - {type: trace, format: swf, path: t.swf}\n"));
  expect_refused("run " + dir + "/s.yaml", dir, ExitCode::TRACE, {dir + "/t.swf:4:", "expected"});
}

TEST(Errors, AScenarioGivenToSweepSaysToUseRun) {
  const std::string dir = gwsim::test::temp_dir();
  write_text(dir + "/s.yaml", small_scenario());
  expect_refused("sweep " + dir + "/s.yaml", dir, ExitCode::SCENARIO,
                 {dir + "/s.yaml:3: this is a scenario file (it has 'cluster:' and no 'base:'), not a sweep: use gwsim run " + dir + "/s.yaml"});
}

TEST(Errors, ReplayOfAMissingTraceNamesTheFlagAndThePath) {
  const std::string dir = gwsim::test::temp_dir();
  fs::create_directories(dir);
  const Outcome o = gwsim_run("replay --trace " + dir + "/none.csv --format philly --gpus 64 -o " + dir + "/out", dir);
  expect_clean_failure(o, ExitCode::TRACE);
  expect_contains(o.err, {"--trace " + dir + "/none.csv: expected an existing trace file or directory"});
  EXPECT_EQ(o.err.find("replay.yaml"), std::string::npos) << "no file the user never wrote: " << o.err;
  EXPECT_FALSE(fs::exists(dir + "/out"));
  // With a scenario, the message names --trace too, not a line of the scenario.
  const std::string scenario = gwsim::test::source_path("examples/quickstart/scenario.yaml");
  const Outcome s = gwsim_run("replay " + scenario + " --trace " + dir + "/none.csv --format philly -o " + dir + "/out", dir);
  expect_clean_failure(s, ExitCode::TRACE);
  expect_contains(s.err, {"--trace " + dir + "/none.csv:"});
}

TEST(Errors, ATraceWithNoJobIsAnError) {
  // Every row's run time is -1 (missing): nothing would be replayed.
  const std::string dir = gwsim::test::temp_dir();
  write_text(dir + "/t.swf", "1 0 0 -1 8 -1 -1 8 3600 -1 1 1 1 -1 1 -1 -1 -1\n"
                             "2 60 0 -1 8 -1 -1 8 3600 -1 1 1 1 -1 1 -1 -1 -1\n");
  expect_refused("replay --trace " + dir + "/t.swf --format swf --gpus 64", dir, ExitCode::TRACE,
                 {"swf: " + dir + "/t.swf: expected a trace with at least one job, found none (2 data rows; 2 filtered: "
                  "run time missing (-1))"});
  write_text(dir + "/empty.csv", "timestamp,duration,num_gpus\n");
  expect_refused("replay --trace " + dir + "/empty.csv --format philly --gpus 64", dir, ExitCode::TRACE,
                 {"expected a trace with at least one job, found none (0 data rows)"});
}

TEST(Errors, AnUnknownTraceFormatIsAUsageError) {
  const std::string dir = gwsim::test::temp_dir();
  write_text(dir + "/t.csv", "x\n");
  const Outcome o = gwsim_run("replay --trace " + dir + "/t.csv --format nope --gpus 64 -o " + dir + "/out", dir);
  expect_clean_failure(o, ExitCode::USAGE);
  expect_contains(o.err, {"--format: expected a job trace format (philly, itp", "found 'nope'"});
}

TEST(Errors, AnOutputPathUnderAFileExitsFive) {
  const std::string dir = gwsim::test::temp_dir();
  write_text(dir + "/file", "x");
  const std::string scenario = gwsim::test::source_path("examples/quickstart/scenario.yaml");
  const Outcome o = gwsim_run("run " + scenario + " -o " + dir + "/file/out", dir);
  expect_clean_failure(o, ExitCode::OUTPUT);
  expect_contains(o.err, {dir + "/file/out: cannot create the output directory (Not a directory)"});
}

// ---- The page of codes ----------------------------------------------------

namespace {

// "NAME = number" enumerators of ExitCode in common/error.hpp.
std::map<std::string, int> enum_in_header() {
  const std::string text = read_text(gwsim::test::source_path("common/error.hpp"));
  const auto begin = text.find("enum class ExitCode");
  const auto end = text.find("};", begin);
  std::map<std::string, int> out;
  const std::regex entry(R"(([A-Z_]+) = (\d+))");
  const std::string body = text.substr(begin, end - begin);
  for (auto it = std::sregex_iterator(body.begin(), body.end(), entry); it != std::sregex_iterator(); ++it)
    out[(*it)[1]] = std::stoi((*it)[2]);
  return out;
}

// Rows "| 3 | `SCENARIO` | ..." of docs/errors.md's table of codes.
std::map<std::string, int> table_in_docs() {
  std::ifstream in(gwsim::test::source_path("docs/errors.md"));
  std::map<std::string, int> out;
  const std::regex row(R"(^\| (\d+) \| `([A-Z_]+)` \|)");
  std::smatch m;
  for (std::string line; std::getline(in, line);)
    if (std::regex_search(line, m, row)) out[m[2]] = std::stoi(m[1]);
  return out;
}

std::map<std::string, int> listed_in_code() {
  std::map<std::string, int> out;
  for (const auto& c : gwsim::exit_codes()) out[c.name] = static_cast<int>(c.code);
  return out;
}

}  // namespace

TEST(ExitCodes, TheDocsPageListsExactlyTheCodesOfTheHeader) {
  const auto header = enum_in_header();
  EXPECT_EQ(header.size(), 9u) << "OK, INTERNAL, USAGE, SCENARIO, TRACE, OUTPUT, INFEASIBLE, RUNS_FAILED, INTERRUPTED";
  EXPECT_EQ(header.at("INTERRUPTED"), 130);
  EXPECT_EQ(table_in_docs(), header);
  EXPECT_EQ(listed_in_code(), header);
}

TEST(ExitCodes, AreListedAscendingWithAMeaning) {
  int previous = -1;
  for (const auto& c : gwsim::exit_codes()) {
    EXPECT_GT(static_cast<int>(c.code), previous);
    previous = static_cast<int>(c.code);
    EXPECT_GT(std::string(c.meaning).size(), 5u) << c.name;
  }
}

TEST(ExitCodes, TheHelpListsThem) {
  const std::string dir = gwsim::test::temp_dir();
  fs::create_directories(dir);
  ASSERT_EQ(gwsim::test::shell(std::string(GWSIM_BINARY) + " run --help > " + dir + "/help.txt"), 0);
  expect_contains(read_text(dir + "/help.txt"), {"Exit codes (docs/errors.md): 0 OK, 1 INTERNAL, 2 USAGE", "130 INTERRUPTED."});
}
