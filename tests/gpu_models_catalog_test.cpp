// The catalog: every built-in entry is valid and sourced, and parameter
// counts match the closed forms and the authors' published totals.
#include <gtest/gtest.h>

#include "gpu_models/catalog.hpp"

using namespace gwsim::gpu_models;

TEST(Catalog, HasTheGpuTypesTheIssueNames) {
  const Catalog c = Catalog::builtin();
  for (const char* name : {"A100-SXM-80GB", "H100-SXM", "H200", "B200", "GB200", "MI300X"}) {
    const GpuSpec* g = c.find_gpu(name);
    ASSERT_NE(g, nullptr) << name;
    EXPECT_TRUE(validate(*g).empty()) << name << ": " << validate(*g).front().key;
  }
  EXPECT_EQ(c.find_gpu("V100"), nullptr);
}

TEST(Catalog, EveryModelIsValidAndSourced) {
  const Catalog c = Catalog::builtin();
  for (const auto& name : c.model_names()) {
    const ModelSpec& m = *c.find_model(name);
    EXPECT_TRUE(validate(m).empty()) << name << ": " << validate(m).front().key;
    EXPECT_FALSE(m.source.empty()) << name;
  }
}

TEST(Catalog, DatasheetNumbersAreDensePerGpu) {
  const Catalog c = Catalog::builtin();
  // H100 SXM datasheet: 1,979 TFLOPS BF16 with sparsity -> 989.4 dense; FP8 twice that.
  EXPECT_DOUBLE_EQ(c.find_gpu("H100-SXM")->peak_bf16_flops, 989.4e12);
  EXPECT_DOUBLE_EQ(c.find_gpu("H100-SXM")->peak_fp8_flops, 1978.9e12);
  // GB200 NVL72: 13.4 TB of HBM3e over 72 GPUs -> 186 GB each.
  EXPECT_NEAR(c.find_gpu("GB200")->hbm_bytes, 13.4e12 / 72, 0.01e12);
  EXPECT_EQ(c.find_gpu("GB200")->scaleup_gpus, 72);
  EXPECT_EQ(c.find_gpu("A100-SXM-80GB")->peak_fp8_flops, 0);
  EXPECT_DOUBLE_EQ(c.find_gpu("A100-SXM-80GB")->peak_flops(true), 312e12) << "no FP8: BF16 peak";
}

TEST(Catalog, Gpt3ParamsByHand) {
  const Catalog catalog = Catalog::builtin();
  const ModelSpec& m = *catalog.find_model("gpt3-175b");
  // 12 l h^2 for attention (4h^2) and FFN (8h^2), plus the tied embedding V h.
  const double h = 12288;
  EXPECT_DOUBLE_EQ(m.params(), 96 * 12 * h * h + 50257 * h);
  EXPECT_NEAR(m.params() / 1e9, 174.6, 0.1);  // Brown et al. 2020: 175.0B with biases and positions
}

TEST(Catalog, LlamaParamsMatchTheReleasedTotals) {
  const Catalog c = Catalog::builtin();
  // Llama 3 8B: 32 x (2 h^2 + 2 h 1024 + 3 h 14336) + 2 V h with h = 4096.
  const double h = 4096;
  EXPECT_DOUBLE_EQ(c.find_model("llama3-8b")->params(), 32 * (2 * h * h + 2 * h * 1024 + 3 * h * 14336) + 2 * 128256 * h);
  EXPECT_NEAR(c.find_model("llama3-8b")->params() / 1e9, 8.03, 0.01);
  EXPECT_NEAR(c.find_model("llama3-70b")->params() / 1e9, 70.55, 0.01);
  EXPECT_NEAR(c.find_model("llama3-405b")->params() / 1e9, 405.85, 0.01);
  EXPECT_NEAR(c.find_model("llama2-7b")->params() / 1e9, 6.74, 0.01);
}

TEST(Catalog, MoeTotalAndActiveParams) {
  const Catalog c = Catalog::builtin();
  const ModelSpec& mixtral = *c.find_model("mixtral-8x7b");
  // Jiang et al. 2024: 46.7B total, 12.9B active (top-2 of 8).
  EXPECT_NEAR(mixtral.params() / 1e9, 46.7, 0.1);
  EXPECT_NEAR(mixtral.active_params() / 1e9, 12.9, 0.1);
  const ModelSpec& dsv3 = *c.find_model("deepseek-v3");
  // DeepSeek-V3 report: 671B total, 37B activated per token.
  EXPECT_NEAR(dsv3.params() / 1e9, 671, 1);
  EXPECT_NEAR(dsv3.active_params() / 1e9, 37.5, 0.5);
  EXPECT_EQ(dsv3.moe_layers(), 58);
  // MLA caches the 512-wide latent plus the 64-wide rotary key, not 2 x 128 heads x 192.
  EXPECT_DOUBLE_EQ(dsv3.kv_cache_elements(), 576);
  EXPECT_EQ(dsv3.qk_dim(), 192);
}

TEST(Catalog, ValidateNamesTheBadField) {
  ModelSpec m = *Catalog::builtin().find_model("llama3-8b");
  m.kv_heads = 5;
  auto problems = validate(m);
  ASSERT_FALSE(problems.empty());
  EXPECT_EQ(problems.front().key, "kv_heads");
  m.kv_heads = 8;
  m.experts = 4;
  m.top_k = 6;
  problems = validate(m);
  ASSERT_FALSE(problems.empty());
  EXPECT_EQ(problems.front().key, "top_k");
  GpuSpec g = *Catalog::builtin().find_gpu("H100-SXM");
  g.matmul_efficiency = 1.5;
  ASSERT_FALSE(validate(g).empty());
  EXPECT_EQ(validate(g).front().key, "matmul_efficiency");
}

TEST(Catalog, AddReplacesAnEntryOfTheSameName) {
  Catalog c = Catalog::builtin();
  GpuSpec g = *c.find_gpu("H100-SXM");
  g.price_usd = 1;
  c.add_gpu(g);
  EXPECT_EQ(c.find_gpu("H100-SXM")->price_usd, 1);
}

// ---- Today's accelerators (issue 21) ----

namespace {
const char* const NEW_ACCELERATORS[] = {"H800", "H20", "Ascend-910B", "Ascend-910C", "B300", "GB300", "MI325X", "MI355X"};
}  // namespace

TEST(Catalog, TodaysAcceleratorsLoadValidAndSourced) {
  const Catalog c = Catalog::builtin();
  for (const char* name : NEW_ACCELERATORS) {
    const GpuSpec* g = c.find_gpu(name);
    ASSERT_NE(g, nullptr) << name;
    EXPECT_EQ(g->name, name);
    EXPECT_TRUE(validate(*g).empty()) << name << ": " << validate(*g).front().key;
    EXPECT_FALSE(g->source.empty()) << name;
    EXPECT_GT(g->price_usd, 0) << name;
    // Every estimate names real fields of the entry (the scenario keys).
    std::string rest = g->estimates;
    while (!rest.empty()) {
      const size_t comma = rest.find(',');
      std::string key = rest.substr(0, comma);
      key.erase(0, key.find_first_not_of(' '));
      EXPECT_TRUE(key == "peak_fp32" || key == "idle" || key == "tdp" || key == "price" || key == "matmul_efficiency" ||
                  key == "sm_count")
          << name << ": '" << key << "'";
      rest = comma == std::string::npos ? "" : rest.substr(comma + 1);
    }
  }
  // Prices nobody publishes are marked as estimates.
  for (const char* name : {"H800", "H20", "Ascend-910B", "Ascend-910C", "GB300", "MI355X"})
    EXPECT_NE(c.find_gpu(name)->estimates.find("price"), std::string::npos) << name;
}

TEST(Catalog, NarrowerDatatypesDoubleTheRateWhereTheVendorSaysSo) {
  const Catalog c = Catalog::builtin();
  // Hopper, Blackwell (Ultra) and CDNA 3/4: dense FP8 = 2 x dense BF16.
  for (const char* name : {"H800", "H20", "B300", "GB300", "MI325X", "MI355X"}) {
    const GpuSpec& g = *c.find_gpu(name);
    EXPECT_NEAR(g.peak_fp8_flops / g.peak_bf16_flops, 2.0, 0.001) << name;
  }
  // Ascend 910B/C have INT8, not FP8: FP8 GEMMs fall back to BF16.
  EXPECT_EQ(c.find_gpu("Ascend-910C")->peak_fp8_flops, 0);
  EXPECT_DOUBLE_EQ(c.find_gpu("Ascend-910C")->peak_flops(true), 752e12);
  // FP4: GB300 NVL72 1,080 PFLOPS dense / 72 = 15 PF = 3 x FP8 (Blackwell
  // Ultra's FP4 boost); HGX B300 105 PF / 8; MI355X 2 x FP8; Hopper none.
  EXPECT_DOUBLE_EQ(c.find_gpu("GB300")->peak_fp4_flops, 1080e15 / 72);
  EXPECT_DOUBLE_EQ(c.find_gpu("GB300")->peak_fp4_flops, 3 * c.find_gpu("GB300")->peak_fp8_flops);
  EXPECT_DOUBLE_EQ(c.find_gpu("B300")->peak_fp4_flops, 13.125e15);
  EXPECT_NEAR(c.find_gpu("MI355X")->peak_fp4_flops / c.find_gpu("MI355X")->peak_fp8_flops, 2.0, 0.001);
  EXPECT_EQ(c.find_gpu("H20")->peak_fp4_flops, 0);
}

TEST(Catalog, ChinaMarketHoppersKeepWhatTheRulesAllowed) {
  const Catalog c = Catalog::builtin();
  const GpuSpec& h100 = *c.find_gpu("H100-SXM");
  const GpuSpec& h800 = *c.find_gpu("H800");
  const GpuSpec& h20 = *c.find_gpu("H20");
  // H800: the H100's compute and HBM; NVLink 400 GB/s bidirectional instead of 900.
  EXPECT_DOUBLE_EQ(h800.peak_bf16_flops, h100.peak_bf16_flops);
  EXPECT_DOUBLE_EQ(h800.hbm_bandwidth_Bps, h100.hbm_bandwidth_Bps);
  EXPECT_DOUBLE_EQ(h800.scaleup_bandwidth_Bps * 2, 400e9);
  // H20: 148 TFLOPS BF16 (15% of H100), but more and faster HBM and full NVLink.
  EXPECT_DOUBLE_EQ(h20.peak_bf16_flops, 148e12);
  EXPECT_DOUBLE_EQ(h20.hbm_bytes, 96e9);
  EXPECT_DOUBLE_EQ(h20.hbm_bandwidth_Bps, 4.0e12);
  EXPECT_DOUBLE_EQ(h20.scaleup_bandwidth_Bps, h100.scaleup_bandwidth_Bps);
}

TEST(Catalog, AscendAndTheCloudMatrixSupernode) {
  const Catalog c = Catalog::builtin();
  const GpuSpec& b = *c.find_gpu("Ascend-910B");
  const GpuSpec& cc = *c.find_gpu("Ascend-910C");
  // 910C = two 910B-class dies: twice the compute, HBM and HBM bandwidth.
  EXPECT_DOUBLE_EQ(cc.peak_bf16_flops, 2 * b.peak_bf16_flops);
  EXPECT_DOUBLE_EQ(cc.hbm_bytes, 2 * b.hbm_bytes);
  EXPECT_DOUBLE_EQ(cc.hbm_bandwidth_Bps, 2 * b.hbm_bandwidth_Bps);
  // CloudMatrix 384: 384 NPUs in one scale-up domain, ~300 PFLOPS BF16 in all.
  EXPECT_EQ(cc.scaleup_gpus, 384);
  EXPECT_NEAR(384 * cc.peak_bf16_flops / 1e15, 289, 1);
  EXPECT_EQ(b.scaleup_gpus, 8);
}

TEST(Catalog, BlackwellUltraAndCdna) {
  const Catalog c = Catalog::builtin();
  // GB300 NVL72: 72 GPUs per NVLink domain, 288 GB each (20.7 TB per rack), 800G NIC.
  EXPECT_EQ(c.find_gpu("GB300")->scaleup_gpus, 72);
  EXPECT_NEAR(72 * c.find_gpu("GB300")->hbm_bytes / 1e12, 20.7, 0.1);
  EXPECT_DOUBLE_EQ(c.find_gpu("GB300")->scaleout_bandwidth_Bps * 8, 800e9);
  // MI325X: MI300X compute, 256 GB at 6 TB/s, 1,000 W.
  EXPECT_DOUBLE_EQ(c.find_gpu("MI325X")->peak_bf16_flops, c.find_gpu("MI300X")->peak_bf16_flops);
  EXPECT_DOUBLE_EQ(c.find_gpu("MI325X")->hbm_bytes, 256e9);
  EXPECT_DOUBLE_EQ(c.find_gpu("MI325X")->tdp_w, 1000);
  EXPECT_GT(c.find_gpu("MI325X")->rental_usd_per_gpu_hour, 0);
  EXPECT_DOUBLE_EQ(c.find_gpu("MI355X")->tdp_w, 1400);
}

TEST(Catalog, ValidateRejectsAnFp8PeakBelowBf16) {
  GpuSpec g = *Catalog::builtin().find_gpu("H20");
  g.peak_fp8_flops = 100e12;
  auto problems = validate(g);
  ASSERT_FALSE(problems.empty());
  EXPECT_EQ(problems.front().key, "peak_fp8");
  g = *Catalog::builtin().find_gpu("GB300");
  g.peak_fp4_flops = 1e15;
  problems = validate(g);
  ASSERT_FALSE(problems.empty());
  EXPECT_EQ(problems.front().key, "peak_fp4");
}
