// The inference model against closed forms: decode of one sequence is
// bounded by reading the weights, KV-cache capacity is free memory over bytes
// per token, and the serving estimate keeps Little's law.
#include <gtest/gtest.h>

#include <cmath>

#include "gpu_models/inference.hpp"

using namespace gwsim::gpu_models;

namespace {

InferenceQuery llama70b_tp2() {
  static const Catalog c = Catalog::builtin();
  InferenceQuery q;
  q.model = c.find_model("llama3-70b");
  q.gpu = c.find_gpu("H100-SXM");
  q.plan.tp = 2;
  q.plan.fp8_weights = true;
  q.links = reference_links(*q.gpu);
  q.prompt_tokens = 2000;
  q.output_tokens = 500;
  return q;
}

}  // namespace

TEST(Inference, KvCapacityIsFreeMemoryOverBytesPerToken) {
  InferenceQuery q = llama70b_tp2();
  const auto e = estimate_inference(q);
  ASSERT_TRUE(e.feasible) << e.reason;
  // 80 layers x (8 KV heads x 128 x 2 for K and V) x 2 bytes, 4 KV heads per GPU.
  const double per_gpu = 80 * 4 * 256 * 2.0;
  EXPECT_DOUBLE_EQ(e.kv_bytes_per_token, per_gpu * 2);
  const double weights = q.model->params() * 1.0 / 2;
  EXPECT_DOUBLE_EQ(e.weights_bytes_per_gpu, weights);
  EXPECT_NEAR(e.kv_capacity_tokens, (80e9 * 0.9 - weights - 2e9) / per_gpu, 1e-6);
  EXPECT_EQ(e.max_batch, std::floor(e.kv_capacity_tokens / 2500));
  q.plan.fp8_kv_cache = true;
  EXPECT_NEAR(estimate_inference(q).kv_capacity_tokens, 2 * e.kv_capacity_tokens, 1e-6);
}

TEST(Inference, OneSequenceDecodesAtTheSpeedOfReadingTheWeights) {
  const InferenceQuery q = llama70b_tp2();
  const double read_weights = q.model->params() / 2 / (q.gpu->hbm_bandwidth_Bps * 0.9);
  const double step = decode_step_time_s(q, 1, 0);
  EXPECT_GT(step, read_weights);
  EXPECT_LT(step, 1.5 * read_weights) << "kernel launches and all-reduces add, weights dominate";
  // Doubling the batch of a memory-bound decode barely costs more.
  EXPECT_LT(decode_step_time_s(q, 2, 0), 1.05 * step);
  // A longer context reads more KV cache.
  EXPECT_GT(decode_step_time_s(q, 64, 8000), decode_step_time_s(q, 64, 1000));
}

TEST(Inference, PrefillIsComputeBound) {
  const InferenceQuery q = llama70b_tp2();
  const double flops = 2 * q.model->params() * 4096 / 2;  // per GPU
  const double at_peak = flops / q.gpu->peak_fp8_flops;
  const double t = prefill_time_s(q, 1, 4096);
  EXPECT_GT(t, at_peak / q.gpu->matmul_efficiency);
  EXPECT_LT(t, 2.5 * at_peak / q.gpu->matmul_efficiency);
}

TEST(Inference, TooBigAModelSaysWhy) {
  static const Catalog c = Catalog::builtin();
  InferenceQuery q;
  q.model = c.find_model("llama3-405b");
  q.gpu = c.find_gpu("H100-SXM");
  q.plan.tp = 4;
  const auto e = estimate_inference(q);
  EXPECT_FALSE(e.feasible);
  EXPECT_NE(e.reason.find("weights need"), std::string::npos) << e.reason;
}

TEST(Serving, ClosedLoopKeepsLittlesLaw) {
  const InferenceQuery q = llama70b_tp2();
  ServingLoad load;
  load.concurrency = 16;
  load.prompt_tokens = 2000;
  load.output_tokens = 500;
  const auto s = estimate_serving(q, load);
  ASSERT_TRUE(s.feasible) << s.reason;
  EXPECT_FALSE(s.saturated);
  // Users = rate x (time to first token + output x time per token).
  EXPECT_NEAR(s.requests_per_s * (s.ttft_s + 500 * s.tpot_s), 16, 1e-3);
  EXPECT_NEAR(s.running_batch, s.requests_per_s * 500 * s.tpot_s, 1e-3);
  EXPECT_NEAR(s.output_tokens_per_s, s.requests_per_s * 500, 1e-9);
  // More users: more throughput, slower tokens.
  load.concurrency = 32;
  const auto more = estimate_serving(q, load);
  EXPECT_GT(more.output_tokens_per_s, s.output_tokens_per_s);
  EXPECT_GT(more.tpot_s, s.tpot_s);
}

TEST(Serving, OpenLoopBeyondCapacityIsSaturated) {
  const InferenceQuery q = llama70b_tp2();
  ServingLoad load;
  load.arrival_rate_per_s = 1000;
  load.prompt_tokens = 2000;
  load.output_tokens = 500;
  const auto s = estimate_serving(q, load);
  EXPECT_TRUE(s.saturated);
  EXPECT_FALSE(s.feasible);
  EXPECT_NE(s.reason.find("exceed"), std::string::npos) << s.reason;
}

TEST(Serving, MoeDecodeReadsOnlyTheExpertsItTouches) {
  static const Catalog c = Catalog::builtin();
  InferenceQuery q;
  q.model = c.find_model("mixtral-8x7b");
  q.gpu = c.find_gpu("H100-SXM");
  q.plan.tp = 2;
  q.links = reference_links(*q.gpu);
  // One token touches 2 of 8 experts; 64 tokens touch nearly all of them.
  const double one = decode_step_time_s(q, 1, 0), many = decode_step_time_s(q, 64, 0);
  EXPECT_GT(many, 2.0 * one);
  const double all_weights = q.model->params() * 2 / 2 / (q.gpu->hbm_bandwidth_Bps * 0.9);
  EXPECT_LT(one, 0.6 * all_weights);
}

TEST(Inference, H20DecodesAsFastAsH100ButPrefillsFarSlower) {
  // Decode of a few sequences reads the weights once per token: memory
  // bound, so the H20's 4.0 TB/s beats the H100's 3.35 TB/s although its
  // tensor cores are 15% as fast. Prefill of long prompts is compute bound.
  static const Catalog c = Catalog::builtin();
  auto at = [&](const char* gpu) {
    InferenceQuery q;
    q.model = c.find_model("llama3-8b");
    q.gpu = c.find_gpu(gpu);
    q.links = reference_links(*q.gpu);
    q.plan.fp8_weights = true;
    return q;
  };
  const InferenceQuery h100 = at("H100-SXM"), h20 = at("H20");
  const double d100 = decode_step_time_s(h100, 1, 1000), d20 = decode_step_time_s(h20, 1, 1000);
  EXPECT_LT(d20, d100);
  EXPECT_NEAR(d100 / d20, 4.0 / 3.35, 0.1);
  EXPECT_GT(prefill_time_s(h20, 8, 4000), 3 * prefill_time_s(h100, 8, 4000));
}
