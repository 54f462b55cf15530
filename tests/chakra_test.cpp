// Chakra execution graphs: the reader (topological order, attributes,
// errors) and the step time on given hardware, against the fixture's step
// computed by hand (tests/data/chakra/make_fixture.py describes the job).
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "common/error.hpp"
#include "sim/operations/chakra_step.hpp"
#include "test_support.hpp"
#include "workloads/chakra.hpp"

using namespace gwsim;
using namespace gwsim::workloads;

namespace {

const std::string FIXTURE = test::source_path("tests/data/chakra");

// 1e15 FLOP/s peak at efficiency 0.5: 2 s per 1e15 FLOP. Pairs of ranks
// share a 100 GB/s scale-up domain; across domains 10 GB/s. No latency.
sim::StepHardware hand_hardware(gpu_models::GpuSpec& gpu) {
  gpu.name = "hand";
  gpu.peak_bf16_flops = 1e15;
  gpu.hbm_bandwidth_Bps = 1e12;
  sim::StepHardware hw;
  hw.gpu = &gpu;
  hw.efficiency = 0.5;
  hw.links.scaleup_Bps = 100e9;
  hw.links.scaleup_gpus = 2;
  hw.links.scaleup_latency_s = 0;
  hw.links.scaleout_Bps = 10e9;
  hw.links.scaleout_latency_s = 0;
  return hw;
}

}  // namespace

TEST(ChakraReader, ReadsRanksNodesAndAttributes) {
  const auto job = read_chakra_job({FIXTURE});
  ASSERT_EQ(job.size(), 4u);
  EXPECT_EQ(job[0].version, "0.0.4");
  const auto& r2 = job[2];
  ASSERT_EQ(r2.nodes.size(), 6u);
  EXPECT_EQ(r2.nodes[0].op, ChakraOp::RECV);
  EXPECT_EQ(r2.nodes[0].peer, 1);
  EXPECT_EQ(r2.nodes[0].tag, 5);
  EXPECT_DOUBLE_EQ(r2.nodes[1].flops, 1e15);
  const ChakraNode& ar = r2.nodes[4];
  EXPECT_EQ(ar.op, ChakraOp::COLLECTIVE);
  EXPECT_EQ(ar.collective, Collective::ALL_REDUCE);
  EXPECT_EQ(ar.group, "dp");
  EXPECT_DOUBLE_EQ(ar.bytes, 4e9);
  // Every dependency precedes its node.
  for (const auto& g : job)
    for (size_t i = 0; i < g.nodes.size(); ++i)
      for (size_t d : g.nodes[i].deps) EXPECT_LT(d, i);
}

TEST(ChakraStep, FixtureStepTimeByHand) {
  gpu_models::GpuSpec gpu;
  const auto e = sim::estimate_step(read_chakra_job({FIXTURE}), hand_hardware(gpu));
  // fwd 2 s everywhere. Ranks 0,1: all-gather (pair in one domain) 0.5 * 2e9 / 100e9 = 0.01 s, 2 -> 2.01.
  // Rank 1's send waits for its comm stream (2.01); the 1e9 B message crosses domains: 0.1 s, 2.01 -> 2.11.
  // Rank 2 received first, so its all-gather starts at 2.11 -> 2.12; rank 3 waits for it.
  // bwd: ranks 0,1 4 s (2.01 -> 6.01), rank 2 4 s (2.12 -> 6.12), rank 3 5 s (2.12 -> 7.12).
  // All-reduce of 4e9 B over 4 ranks across domains: 2 * 3/4 * 4e9 / 10e9 = 0.6 s, 7.12 -> 7.72.
  // Optimizer 0.2 s: 7.92 s on every rank.
  EXPECT_NEAR(e.step_time_s, 7.92, 1e-9);
  for (const auto& r : e.ranks) EXPECT_NEAR(r.finish_s, 7.92, 1e-9);
  EXPECT_EQ(e.collectives, 3);
  EXPECT_EQ(e.messages, 1);
  EXPECT_NEAR(e.ranks[3].compute_s, 2 + 5 + 0.2, 1e-12);
  EXPECT_NEAR(e.ranks[1].comm_s, 0.01 + 0.1 + 0.6, 1e-12);
  EXPECT_DOUBLE_EQ(e.ranks[1].comm_bytes, 2e9 + 1e9 + 4e9);
  EXPECT_DOUBLE_EQ(e.ranks[0].flops, 1e15 + 2e15 + 1e14);
}

TEST(ChakraStep, FasterFabricShortensOnlyTheCommunication) {
  gpu_models::GpuSpec gpu;
  auto hw = hand_hardware(gpu);
  hw.links.scaleup_gpus = 4;  // all four ranks in one domain: every transfer at 100 GB/s
  const auto e = sim::estimate_step(read_chakra_job({FIXTURE}), hw);
  // fwd 2; ag 0.01 (2 -> 2.01); message 0.01 (2.01 -> 2.02); rank 2's ag 2.02 -> 2.03; rank 3 bwd 2.03 -> 7.03;
  // all-reduce 2 * 3/4 * 4e9 / 100e9 = 0.06 (7.03 -> 7.09); optimizer 0.2.
  EXPECT_NEAR(e.step_time_s, 7.29, 1e-9);
}

TEST(ChakraReader, BrokenGraphsAreErrors) {
  const std::string dir = test::temp_dir();
  std::filesystem::create_directories(dir);
  // A truncated file: keep half of rank 0.
  std::filesystem::copy_file(FIXTURE + "/job.0.et", dir + "/job.0.et");
  std::filesystem::resize_file(dir + "/job.0.et", std::filesystem::file_size(dir + "/job.0.et") / 2);
  try {
    read_chakra_rank(dir + "/job.0.et", 0);
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ExitCode::TRACE);
    EXPECT_NE(std::string(e.what()).find("truncated or corrupt"), std::string::npos) << e.what();
  }
  // Ranks must be 0..n-1.
  std::filesystem::remove(dir + "/job.0.et");
  std::filesystem::copy_file(FIXTURE + "/job.1.et", dir + "/job.1.et");
  try {
    read_chakra_job({dir});
    FAIL();
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("expected rank 0"), std::string::npos) << e.what();
  }
  // A receive no rank sends: rank 2's graph as rank 1 waits for a message from rank 1 itself.
  std::filesystem::copy_file(FIXTURE + "/job.0.et", dir + "/job.0.et");
  std::filesystem::copy_file(FIXTURE + "/job.2.et", dir + "/job.1.et", std::filesystem::copy_options::overwrite_existing);
  gpu_models::GpuSpec gpu;
  try {
    sim::estimate_step(read_chakra_job({dir}), hand_hardware(gpu));
    FAIL();
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("the graphs deadlock"), std::string::npos) << e.what();
  }
}

TEST(ChakraCli, StepCommandPrintsTheStepTime) {
  const std::string out = test::temp_dir("-out.txt");
  std::filesystem::create_directories(std::filesystem::path(out).parent_path());
  const std::string cmd = std::string(GWSIM_BINARY) + " trace step " + FIXTURE +
                          " --gpu H100-SXM --scaleup-gpus 2 --scaleup-bandwidth 100GBps --scaleout-bandwidth 10GBps --json > " + out;
  ASSERT_EQ(std::system(cmd.c_str()), 0) << cmd;
  std::ifstream in(out);
  const auto j = nlohmann::json::parse(in);
  EXPECT_EQ(j["ranks"], 4);
  // H100-SXM: 989.4 TFLOP/s at 0.5, latency 1 us scale-up and 5 us scale-out (the cost model's defaults).
  const double c = 0.5 * 989.4e12;
  const double step = (1e15 + 2.5e15 + 1e14) / c + 0.01 + 1e-6 + 0.1 + 5e-6 + 0.01 + 1e-6 + 0.6 + 6 * 5e-6;
  EXPECT_GT(j["step_time_s"].get<double>(), (1e15 + 2.5e15 + 1e14) / c + 0.6);
  EXPECT_LT(j["step_time_s"].get<double>(), step + 1e-3);
}
