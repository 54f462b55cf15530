// `gwsim run --set KEY=VALUE` and `gwsim sweep --set`: a key of the scenario
// changed for one run, checked like the file, and kept in the run's
// provenance; bad assignments are usage or scenario errors naming the key.
#include <gtest/gtest.h>

#include <filesystem>

#include "cli_support.hpp"
#include "sim/sweeps/sweep.hpp"
#include "test_support.hpp"

namespace {
const std::string QUICKSTART = gwsim::test::source_path("examples/quickstart/scenario.yaml");

double summary_value(const std::string& h5, const std::string& name) {
  for (const auto& v : gwsim::results::read_summary(h5))
    if (v.name == name) return v.value;
  ADD_FAILURE() << name << " not in " << h5;
  return -1;
}

// Exit status and standard error of `gwsim <args>`.
std::pair<int, std::string> gwsim_err(const std::string& args, const std::string& dir) {
  std::filesystem::create_directories(dir);
  const int rc = gwsim::test::shell(std::string(GWSIM_BINARY) + " " + args + " > /dev/null 2> " + dir + "/err.txt");
  return {rc, gwsim::test::read_text(dir + "/err.txt")};
}
}  // namespace

TEST(SetOption, ChangesTheKeyForThisRunAndKeepsItInTheProvenance) {
  const std::string dir = gwsim::test::temp_dir();
  ASSERT_EQ(gwsim::test::run_gwsim("run " + QUICKSTART + " --set horizon=1d --set 'scheduler.policy=[fifo, easy_backfill]' -q -o " + dir), 0);
  EXPECT_EQ(summary_value(dir + "/run.h5", "simulated_time"), 86400);
  const std::string text = gwsim::results::read_root_attribute(dir + "/run.h5", "scenario_text");
  EXPECT_NE(text.find("--set horizon=1d --set scheduler.policy=[fifo, easy_backfill]"), std::string::npos) << text;
  const auto scenario = gwsim::sim::parse_scenario(text, "kept.yaml");
  EXPECT_EQ(scenario.horizon_s, 86400);
  EXPECT_EQ(scenario.scheduler.policy, (std::vector<std::string>{"fifo", "easy_backfill"}));
}

TEST(SetOption, WithoutSetsTheFileIsLoadedAsItIs) {
  const auto a = gwsim::sim::load_scenario_with_sets(QUICKSTART, {});
  EXPECT_EQ(a.text, gwsim::test::read_text(QUICKSTART));
}

TEST(SetOption, AListIndexAndANewMappingKey) {
  YAML::Node root = YAML::Load("workload: [{type: spot}]\n");
  gwsim::sim::apply_sets(root, {"workload[0].arrivals.per_hour=60", "power.policy=defer"});
  EXPECT_EQ(root["workload"][0]["arrivals"]["per_hour"].as<int>(), 60);
  EXPECT_EQ(root["power"]["policy"].as<std::string>(), "defer");
}

TEST(SetOption, BadAssignmentsNameTheirProblem) {
  const std::string dir = gwsim::test::temp_dir();
  auto [rc, err] = gwsim_err("run " + QUICKSTART + " --set horizon -o " + dir + "/a", dir);
  EXPECT_EQ(rc, 2) << err;
  EXPECT_NE(err.find("--set 'horizon': expected KEY=VALUE"), std::string::npos) << err;

  std::tie(rc, err) = gwsim_err("run " + QUICKSTART + " --set cluster.bogus=1 -o " + dir + "/b", dir);
  EXPECT_EQ(rc, 3) << err;
  EXPECT_NE(err.find("cluster.bogus"), std::string::npos) << err;
  EXPECT_FALSE(std::filesystem::exists(dir + "/b/run.h5"));

  std::tie(rc, err) = gwsim_err("run " + QUICKSTART + " --set 'workload[5].min_gpus=1' -o " + dir + "/c", dir);
  EXPECT_EQ(rc, 3) << err;
  EXPECT_NE(err.find("expected an index below 2"), std::string::npos) << err;

  std::tie(rc, err) = gwsim_err("run " + QUICKSTART + " --set horizon=-3d -o " + dir + "/d", dir);
  EXPECT_EQ(rc, 3) << err;
  EXPECT_NE(err.find("horizon"), std::string::npos) << err;
}

// The merged text's lines are no line of the user's file: the message names the --set.
TEST(SetOption, AnErrorInASetValueNamesTheSetNotALineOfTheFile) {
  const std::string dir = gwsim::test::temp_dir();
  auto [rc, err] = gwsim_err("run " + QUICKSTART + " --set horizon=3d --set cluster.nodes_per_rack=abc -o " + dir + "/a", dir);
  EXPECT_EQ(rc, 3) << err;
  EXPECT_NE(err.find("gwsim: error: --set cluster.nodes_per_rack=abc: expected a number, found 'abc'"), std::string::npos)
      << err;
  EXPECT_EQ(err.find(QUICKSTART + ":"), std::string::npos) << "no line of the file: " << err;

  std::tie(rc, err) = gwsim_err("run " + QUICKSTART + " --set horizon=72 -o " + dir + "/b", dir);
  EXPECT_EQ(rc, 3) << err;
  EXPECT_NE(err.find("--set horizon=72: expected a duration with a unit, e.g. 72h"), std::string::npos) << err;

  // A mapping set whole: the message names the key inside it.
  std::tie(rc, err) = gwsim_err("run " + QUICKSTART + " --set 'output={events: maybe}' -o " + dir + "/c", dir);
  EXPECT_EQ(rc, 3) << err;
  EXPECT_NE(err.find("--set output={events: maybe}: 'output.events': expected true or false"), std::string::npos) << err;

  // An error of the file itself keeps the file's own line.
  gwsim::test::write_text(dir + "/bad.yaml", "name: x\nhorizon: 1d\ncluster: {gpu: H100-SXM, bogus: 1}\n");
  std::tie(rc, err) = gwsim_err("run " + dir + "/bad.yaml --set horizon=2d -o " + dir + "/d", dir);
  EXPECT_EQ(rc, 3) << err;
  EXPECT_NE(err.find(dir + "/bad.yaml:3: 'cluster.bogus'"), std::string::npos) << err;
}

TEST(SetOption, SweepSetsTheBaseOfEveryRun) {
  const std::string dir = gwsim::test::temp_dir();
  ASSERT_EQ(gwsim::test::run_gwsim("sweep " + gwsim::test::source_path("examples/quickstart/compare.yaml") +
                                   " --set horizon=6h -q -o " + dir),
            0);
  for (const char* run : {"0000", "0011"}) {
    const auto s = gwsim::sim::load_scenario(dir + "/runs/" + run + "/scenario.yaml");
    EXPECT_EQ(s.horizon_s, 6 * 3600) << run;
    EXPECT_EQ(summary_value(dir + "/runs/" + run + "/run.h5", "simulated_time"), 6 * 3600) << run;
  }
}

TEST(SetOption, SeedAndHorizonFlagsReplaceTheScenarios) {
  // --seed 7 --horizon 36h are --set seed=7 --set horizon=36h, after the user's own --set.
  const std::string dir = gwsim::test::temp_dir();
  ASSERT_EQ(gwsim::test::run_gwsim("run " + QUICKSTART + " --set horizon=1d --seed 7 --horizon 36h -q -o " + dir), 0);
  EXPECT_EQ(summary_value(dir + "/run.h5", "simulated_time"), 36 * 3600.0) << "the flag wins over the --set before it";
  const std::string json = gwsim::test::read_text(dir + "/summary.json");
  EXPECT_NE(json.find("\"seed\": 7"), std::string::npos) << json;
  const auto scenario =
      gwsim::sim::parse_scenario(gwsim::results::read_root_attribute(dir + "/run.h5", "scenario_text"), "kept.yaml");
  EXPECT_EQ(scenario.seed, 7u);
}

TEST(SetOption, AHorizonWithoutItsUnitIsRefusedNamingTheFlag) {
  for (const std::string& cmd : {"run " + QUICKSTART, "replay --gpus 8 --format swf --trace " + QUICKSTART}) {
    const auto [rc, err] = gwsim_err(cmd + " --horizon 72 -o " + gwsim::test::temp_dir("-out"), gwsim::test::temp_dir());
    EXPECT_EQ(rc, 2) << cmd << ": " << err;
    EXPECT_NE(err.find("--horizon: expected a duration with its unit, such as 14d or 36h, found '72'"), std::string::npos)
        << cmd << ": " << err;
  }
}
