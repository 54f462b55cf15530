// The scenario's `catalog:` section: new GPU types and models, usable by
// the cluster, and clear errors for bad entries.
#include <gtest/gtest.h>

#include "common/error.hpp"
#include "sim/scenario/scenario.hpp"
#include "test_support.hpp"

using gwsim::sim::parse_scenario;

namespace {

const char* CLUSTER = R"(
cluster:
  gpu: H100-NVL-custom
  gpus_per_node: 8
  nodes_per_rack: 2
  racks_per_pod: 1
)";

std::string error_of(const std::string& text) { return gwsim::test::scenario_error(text, "cat.yaml"); }

}  // namespace

TEST(ScenarioCatalog, NewGpuFromABaseIsUsableByTheCluster) {
  const std::string text = std::string(R"(
catalog:
  gpus:
    - name: H100-NVL-custom
      base: H100-SXM
      hbm: 94GB
      hbm_bandwidth: 3.9TBps
      tdp: 400W
      source: "NVIDIA H100 NVL product brief"
  models:
    - name: tiny
      layers: 4
      hidden: 512
      heads: 8
      ffn: 2048
      vocab: 32000
      source: "a test model"
)") + CLUSTER;
  const auto s = parse_scenario(text, "cat.yaml");
  const auto* g = s.catalog.find_gpu("H100-NVL-custom");
  ASSERT_NE(g, nullptr);
  EXPECT_DOUBLE_EQ(g->hbm_bytes, 94e9);
  EXPECT_DOUBLE_EQ(g->hbm_bandwidth_Bps, 3.9e12);
  EXPECT_DOUBLE_EQ(g->tdp_w, 400);
  EXPECT_DOUBLE_EQ(g->peak_bf16_flops, 989.4e12) << "kept from the base";
  EXPECT_EQ(s.cluster.gpu_type, "H100-NVL-custom");
  const auto* m = s.catalog.find_model("tiny");
  ASSERT_NE(m, nullptr);
  EXPECT_DOUBLE_EQ(m->params(), 4 * 12.0 * 512 * 512 + 2 * 32000 * 512) << "untied input and output embeddings";
  EXPECT_NE(s.catalog.find_model("llama3-70b"), nullptr) << "the built-in entries stay";
}

TEST(ScenarioCatalog, UnknownKeyNamesLineAndKey) {
  const std::string msg = error_of(R"(
catalog:
  gpus:
    - name: X
      base: H100-SXM
      hbm_size: 94GB
)");
  EXPECT_NE(msg.find("cat.yaml:6"), std::string::npos) << msg;
  EXPECT_NE(msg.find("catalog.gpus[0].hbm_size"), std::string::npos) << msg;
}

TEST(ScenarioCatalog, NewEntryWithoutSourceIsRefused) {
  const std::string msg = error_of(R"(
catalog:
  models:
    - name: tiny
      layers: 4
      hidden: 512
      heads: 8
      ffn: 2048
      vocab: 32000
)");
  EXPECT_NE(msg.find("catalog.models[0].source"), std::string::npos) << msg;
}

TEST(ScenarioCatalog, InvalidEntryIsReportedAtItsKey) {
  const std::string msg = error_of(R"(
catalog:
  models:
    - name: odd
      base: llama3-8b
      kv_heads: 5
)");
  EXPECT_NE(msg.find("catalog.models[0].kv_heads"), std::string::npos) << msg;
  EXPECT_NE(msg.find("divisor of heads"), std::string::npos) << msg;
  EXPECT_NE(error_of("catalog:\n  gpus:\n    - name: Y\n      base: V100\n").find("'V100'"), std::string::npos);
}

TEST(ScenarioCatalog, TodaysAcceleratorsAreClusterGpusAndTakeTheNewKeys) {
  // A built-in new part by name, as `--set cluster.gpu=GB300` sets it.
  for (const char* gpu : {"H20", "Ascend-910C", "GB300", "MI355X"}) {
    const auto s = parse_scenario(std::string("cluster:\n  gpu: ") + gpu + "\n  gpus_per_node: 8\n", "cat.yaml");
    EXPECT_EQ(s.cluster.gpu_type, gpu);
    EXPECT_NE(s.catalog.find_gpu(gpu), nullptr) << gpu;
  }
  const std::string text = std::string(R"(
catalog:
  gpus:
    - name: H100-NVL-custom
      base: GB300
      peak_fp4: 16PFLOPS
      rental_price: 6.5
      estimates: ""
      source: "a measured GB300 bin"
)") + CLUSTER;
  const auto s = parse_scenario(text, "cat.yaml");
  const auto* g = s.catalog.find_gpu("H100-NVL-custom");
  ASSERT_NE(g, nullptr);
  EXPECT_DOUBLE_EQ(g->peak_fp4_flops, 16e15);
  EXPECT_DOUBLE_EQ(g->rental_usd_per_gpu_hour, 6.5);
  EXPECT_EQ(g->estimates, "");
  EXPECT_EQ(g->scaleup_gpus, 72) << "kept from the base";
  const std::string msg = error_of(std::string(R"(
catalog:
  gpus:
    - name: H100-NVL-custom
      base: H20
      peak_fp8: 100TFLOPS
      source: "a typo"
)") + CLUSTER);
  EXPECT_NE(msg.find("peak_fp8"), std::string::npos) << msg;
}
