// `gwsim topo` on the three reference designs and the quickstart: the
// numbers that follow from each design by hand, and the command's errors.
#include <gtest/gtest.h>

#include <cstdio>
#include <nlohmann/json.hpp>
#include <sys/wait.h>

#include "test_support.hpp"

namespace {

struct Output {
  int status = -1;
  std::string text;
};

Output run_gwsim(const std::string& args) {
  const std::string cmd = std::string(GWSIM_BINARY) + " " + args + " 2>&1";
  Output out;
  FILE* p = popen(cmd.c_str(), "r");
  char buf[4096];
  size_t n = 0;
  while ((n = fread(buf, 1, sizeof buf, p)) > 0) out.text.append(buf, n);
  const int rc = pclose(p);
  out.status = WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
  return out;
}

nlohmann::json topo_json(const std::string& example, const std::string& extra = "") {
  const Output o = run_gwsim("topo " + gwsim::test::source_path(example) + " --json " + extra);
  EXPECT_EQ(o.status, 0) << o.text;
  return nlohmann::json::parse(o.text);
}

}  // namespace

TEST(TopoCommand, Llama3StyleClusterOf24kH100) {
  const auto j = topo_json("examples/cluster-24k-h100/scenario.yaml");
  EXPECT_EQ(j["counts"]["gpus"], 24576);
  EXPECT_EQ(j["counts"]["racks"], 1536);
  EXPECT_EQ(j["counts"]["pods"], 8);
  const auto& t = j["tiers"];
  EXPECT_EQ(t[0]["switches"], 1536) << "one ToR per rack";
  EXPECT_DOUBLE_EQ(t[0]["realized_oversubscription"].get<double>(), 0.5);
  EXPECT_NEAR(t[1]["realized_oversubscription"].get<double>(), 384.0 / 55, 1e-12) << "about 1:7 to the aggregation layer";
  EXPECT_EQ(t[0]["optics_below"], 0) << "copper from the servers to the ToR";
  EXPECT_EQ(t[3]["network"], "frontend");
  EXPECT_EQ(j["bandwidth"]["diameter_hops"], 6);
}

TEST(TopoCommand, Gb200Nvl72ClusterOf100k) {
  const auto j = topo_json("examples/cluster-100k-gb200/scenario.yaml");
  EXPECT_EQ(j["counts"]["gpus"], 103680);
  EXPECT_EQ(j["counts"]["scale_up_domains"], 1440);
  EXPECT_DOUBLE_EQ(j["bandwidth"]["bisection_Bps_per_gpu"].get<double>(), 50e9) << "non-blocking";
  EXPECT_EQ(j["distances"][0]["relation"], "same scale-up domain");
  EXPECT_EQ(j["distances"][0]["hops"], 0);
  EXPECT_EQ(j["power"]["gpus_powered"], 103680);
}

TEST(TopoCommand, GigawattCampusHoldsOver600kGpusWithinItsBudget) {
  const auto j = topo_json("examples/campus-1gw/scenario.yaml");
  EXPECT_GE(j["counts"]["gpus"].get<int64_t>(), 600000);
  EXPECT_GT(j["counts"]["halls"].get<int64_t>(), 1);
  EXPECT_LE(j["power"]["facility_power_w"].get<double>(), 1e9);
  EXPECT_EQ(j["power"]["gpus_powered"], j["counts"]["gpus"]);
  const auto& t = j["tiers"];
  EXPECT_DOUBLE_EQ(t[1]["realized_oversubscription"].get<double>(), 2.0);
  // Crossing the core at 2:1 halves the NIC share.
  EXPECT_DOUBLE_EQ(j["distances"].back()["scale_out_Bps_per_gpu"].get<double>(), 25e9);
}

TEST(TopoCommand, BetweenTwoPlacementsWithExactMaxFlow) {
  const auto j = topo_json("examples/quickstart/scenario.yaml", "--between 0-3 32-35 --max-flow");
  EXPECT_EQ(j["between"]["hops"], 4);
  EXPECT_DOUBLE_EQ(j["between"]["max_flow_Bps"].get<double>(), 4 * 400e9) << "four nodes' NICs";
  EXPECT_DOUBLE_EQ(j["bandwidth"]["max_flow_halves_Bps"].get<double>(), j["bandwidth"]["bisection_Bps"].get<double>());
}

TEST(TopoCommand, TextReportNamesTheSections) {
  const Output o = run_gwsim("topo " + gwsim::test::source_path("examples/quickstart/scenario.yaml"));
  ASSERT_EQ(o.status, 0) << o.text;
  for (const char* section : {"Counts", "Switch tiers", "bisection", "Distances", "Failure domains",
                              "Network power and capital cost", "Power at full load"})
    EXPECT_NE(o.text.find(section), std::string::npos) << section;
}

TEST(TopoCommand, DotExportForSmallDesignsOnly) {
  const Output o = run_gwsim("topo " + gwsim::test::source_path("examples/quickstart/scenario.yaml") + " --dot");
  ASSERT_EQ(o.status, 0) << o.text;
  EXPECT_EQ(o.text.rfind("graph fabric {", 0), 0u);
  size_t edges = 0;
  for (size_t at = o.text.find(" -- "); at != std::string::npos; at = o.text.find(" -- ", at + 1)) ++edges;
  EXPECT_EQ(edges, 64u * 8 + 16 * 8) << "8 NIC links per node, 8 spines per leaf";
  const Output big = run_gwsim("topo " + gwsim::test::source_path("examples/cluster-100k-gb200/scenario.yaml") + " --dot");
  EXPECT_EQ(big.status, 2);
  EXPECT_NE(big.text.find("small designs"), std::string::npos) << big.text;
}

TEST(TopoCommand, BadArgumentsAndDesignsExitNonZero) {
  const std::string quickstart = gwsim::test::source_path("examples/quickstart/scenario.yaml");
  const Output range = run_gwsim("topo " + quickstart + " --between 0-99 1");
  EXPECT_EQ(range.status, 2);
  EXPECT_NE(range.text.find("out of range"), std::string::npos) << range.text;
  const Output overlap = run_gwsim("topo " + quickstart + " --between 0-3 3 --max-flow");
  EXPECT_EQ(overlap.status, 2) << overlap.text;
  const std::string dir = gwsim::test::temp_dir();
  std::filesystem::create_directories(dir);
  const std::string bad = dir + "/bad.yaml";
  std::FILE* f = std::fopen(bad.c_str(), "w");
  std::fputs("cluster:\n  gpu: H100-SXM\n  racks_per_pod: 64\n  fabric:\n    tiers: [{switch_radix: 64}, {switch_radix: 32}]\n", f);
  std::fclose(f);
  const Output o = run_gwsim("topo " + bad);
  EXPECT_EQ(o.status, 3);
  EXPECT_NE(o.text.find("bad.yaml:5"), std::string::npos) << o.text;
  EXPECT_NE(o.text.find("cluster.fabric.tiers[1].switch_radix"), std::string::npos) << o.text;
}
