#include <gtest/gtest.h>

#include "common/error.hpp"
#include "sim/scenario/scenario.hpp"
#include "test_support.hpp"

using gwsim::Error;
using gwsim::ExitCode;
using gwsim::sim::parse_scenario;

namespace {

const char* MINIMAL = R"(
name: tiny
seed: 7
horizon: 1d
cluster:
  gpu: H100-SXM
  gpus_per_node: 8
  nodes_per_rack: 2
  racks_per_pod: 1
)";

// Returns the error message of parsing `text`, or "" when it parses.
std::string error_of(const std::string& text) { return gwsim::test::scenario_error(text, "bad.yaml"); }

}  // namespace

TEST(Scenario, QuickstartLoadsWithUnitsInSI) {
  auto s = gwsim::sim::load_scenario(gwsim::test::source_path("examples/quickstart/scenario.yaml"));
  EXPECT_EQ(s.name, "quickstart");
  EXPECT_EQ(s.seed, 42u);
  EXPECT_DOUBLE_EQ(s.horizon_s, 14 * 86400.0);
  EXPECT_EQ(s.cluster.gpu_count(), 512);
  EXPECT_DOUBLE_EQ(s.cluster.fabric.nic_bandwidth_Bps, 50e9);
  EXPECT_DOUBLE_EQ(s.cluster.scale_up.bandwidth_Bps, 450e9);
  EXPECT_EQ(s.workload.size(), 2u);
}

TEST(Scenario, DefaultsFillWhatIsLeftOut) {
  auto s = parse_scenario(MINIMAL, "min.yaml");
  EXPECT_EQ(s.cluster.gpu_count(), 16);
  EXPECT_EQ(s.scheduler.policy, std::vector<std::string>{"fifo"});
  EXPECT_EQ(s.cluster.fabric.tiers.size(), 2u);
  EXPECT_TRUE(s.workload.empty());
}

TEST(Scenario, UnknownKeyNamesFileLineAndKey) {
  const std::string msg = error_of(std::string(MINIMAL) + "  gpus_per_nod: 4\n");
  EXPECT_NE(msg.find("bad.yaml:10"), std::string::npos) << msg;
  EXPECT_NE(msg.find("'cluster.gpus_per_nod'"), std::string::npos) << msg;
  EXPECT_NE(msg.find("unknown key"), std::string::npos) << msg;
  EXPECT_NE(msg.find("gpus_per_node"), std::string::npos) << "lists the valid keys: " << msg;
}

TEST(Scenario, BadValueNamesExpectedAndFound) {
  const std::string msg = error_of(R"(
cluster:
  gpu: H100-SXM
  fabric:
    nic_bandwidth: fast
)");
  EXPECT_NE(msg.find("bad.yaml:5"), std::string::npos) << msg;
  EXPECT_NE(msg.find("'cluster.fabric.nic_bandwidth'"), std::string::npos) << msg;
  EXPECT_NE(msg.find("found 'fast'"), std::string::npos) << msg;
  EXPECT_NE(msg.find("400Gbps"), std::string::npos) << "says what a bandwidth looks like: " << msg;
}

TEST(Scenario, OutOfRangeAndWrongTypesAreRefused) {
  EXPECT_NE(error_of("horizon: -3h\ncluster: {gpu: H100-SXM}\n").find("'horizon'"), std::string::npos);
  EXPECT_NE(error_of("cluster: {gpu: H100-SXM, gpus_per_node: 0}\n").find("'cluster.gpus_per_node'"), std::string::npos);
  EXPECT_NE(error_of("cluster: {gpu: H100-SXM, halls: [1, 2]}\n").find("found a list"), std::string::npos);
  EXPECT_NE(error_of("cluster: {gpu: TPU-v9}\n").find("'cluster.gpu'"), std::string::npos);
  EXPECT_NE(error_of("cluster: {gpu: H100-SXM}\nscheduler: {policy: lottery}\n").find("'scheduler.policy'"),
            std::string::npos);
  EXPECT_NE(error_of("cluster: {gpu: H100-SXM}\nworkload: [{type: list, jobs: [{gpus: 8}]}]\n").find("duration"),
            std::string::npos);
}

TEST(Scenario, MissingClusterGpuIsAnError) {
  EXPECT_NE(error_of("name: x\n").find("'cluster.gpu'"), std::string::npos);
}

TEST(Scenario, YamlSyntaxErrorNamesTheLine) {
  const std::string msg = error_of("name: x\ncluster: {gpu: H100-SXM\n");
  EXPECT_NE(msg.find("bad.yaml:"), std::string::npos) << msg;
  EXPECT_NE(msg.find("invalid YAML"), std::string::npos) << msg;
}

TEST(Scenario, JsonIsAccepted) {
  auto s = parse_scenario(R"({"name": "j", "cluster": {"gpu": "H100-SXM", "nodes_per_rack": 2, "racks_per_pod": 1}})",
                          "s.json");
  EXPECT_EQ(s.cluster.gpu_count(), 16);
}

TEST(Scenario, MissingFileIsAScenarioError) {
  try {
    gwsim::sim::load_scenario("/nonexistent/s.yaml");
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ExitCode::SCENARIO);
    EXPECT_NE(std::string(e.what()).find("/nonexistent/s.yaml"), std::string::npos);
  }
}
