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
