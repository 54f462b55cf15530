// The training cost model against closed forms: collectives, GEMM waves,
// memory per ZeRO stage, the pipeline bubble, the paper's FLOP count, the
// reasons infeasible plans give, and the planner.
#include <gtest/gtest.h>

#include <cmath>

#include "gpu_models/cost_model.hpp"
#include "gpu_models/validation.hpp"

using namespace gwsim::gpu_models;
namespace f = gwsim::gpu_models::formulas;

namespace {

const Catalog& catalog() {
  static const Catalog c = Catalog::builtin();
  return c;
}

f::LinkDims links(double up, double up_lat, double domain, double out, double out_lat) {
  return f::link_dims(up, up_lat, domain, out, out_lat);
}

TrainingQuery query(const char* model, const char* gpu, int gpus) {
  TrainingQuery q;
  q.model = catalog().find_model(model);
  q.gpu = catalog().find_gpu(gpu);
  q.gpus = gpus;
  q.links = reference_links(*q.gpu);
  q.plan.dp = gpus;
  q.plan.global_batch = gpus * 4;
  return q;
}

}  // namespace

TEST(Collectives, RingAllReduceInsideADomain) {
  // 8 GPUs on 400 GB/s links: 2 (n-1)/n S / (B x 0.8) + 2 log2(8) latencies.
  const auto net = f::make_net(links(400e9, 1e-6, 8, 50e9, 5e-6));
  const double S = 1e9;
  EXPECT_NEAR(f::allreduce_time(8, 1, S, net), 2.0 * 7 / 8 * S / (400e9 * 0.8) + 2 * 3 * 1e-6, 1e-12);
  EXPECT_NEAR(f::gather_time(8, 1, S, net), 0.5 * f::allreduce_time(8, 1, S, net), 1e-15);
  EXPECT_EQ(f::allreduce_time(1, 1, S, net), 0);
}

TEST(Collectives, AcrossDomainsTheGroupSharesItsNics) {
  const auto net = f::make_net(links(400e9, 1e-6, 8, 50e9, 5e-6));
  const double S = 1e9;
  // 64 ranks at stride 1: 8 per domain -> 8 NICs of 45 GB/s = 360 GB/s, under the 320 GB/s scale-up cap.
  EXPECT_NEAR(f::allreduce_time(64, 1, S, net), 2.0 * 63 / 64 * S / 320e9 + 2 * 6 * 5e-6, 1e-12);
  // 64 ranks at stride 8 (tp = 8): one member per domain -> one NIC.
  EXPECT_NEAR(f::allreduce_time(64, 8, S, net), 2.0 * 63 / 64 * S / 45e9 + 2 * 6 * 5e-6, 1e-12);
  // 4 members per domain (stride 2): 4 NICs.
  EXPECT_NEAR(f::allreduce_time(64, 2, S, net), 2.0 * 63 / 64 * S / 180e9 + 2 * 6 * 5e-6, 1e-12);
}

TEST(Collectives, AllToAllSendsTheRemoteShareThroughTheNic) {
  const auto net = f::make_net(links(400e9, 1e-6, 8, 50e9, 5e-6));
  // 16 ranks, 8 per domain: 8/16 of the bytes leave the domain through one NIC.
  EXPECT_NEAR(f::alltoall_time(16, 1, 1e9, net), 8.0 / 16 * 1e9 / 45e9 + 5e-6, 1e-12);
  EXPECT_NEAR(f::alltoall_time(8, 1, 1e9, net), 7.0 / 8 * 1e9 / 320e9 + 1e-6, 1e-12);
}

TEST(Gemm, LargeAlignedGemmRunsInWholeWaves) {
  // A100: 108 SMs. 8192^3: 64 x 32 = 2048 tiles of 128 x 256 -> 19 waves.
  const GpuSpec& a100 = *catalog().find_gpu("A100-SXM-80GB");
  const auto e = f::make_engine(
      f::gpu_dims(a100.peak_bf16_flops, 0, a100.matmul_efficiency, 108, a100.hbm_bytes, a100.hbm_bandwidth_Bps), false);
  const double K = 8192;
  const double expected = 2 * (K + f::K_OVERHEAD) * 108 * 19 * (128.0 * 256) / (312e12 * a100.matmul_efficiency);
  EXPECT_NEAR(f::gemm_time(8192, 8192, K, 1, e), expected, expected * 1e-12);
  // A skinny GEMM is memory bound: it reads the K x N weights.
  const double skinny = f::gemm_time(1, 8192, 8192, 1, e);
  EXPECT_NEAR(skinny, 2.0 * (8192 + 8192.0 * 8192 + 8192) / (a100.hbm_bandwidth_Bps * f::HBM_EFFICIENCY), 1e-15);
}

TEST(Gemm, CeilIsExactAtWholeNumbers) {
  EXPECT_EQ(f::ceil_pos(3.0), 3.0);
  EXPECT_EQ(f::ceil_pos(3.25), 4.0);
  EXPECT_EQ(f::ceil_pos(0.0), 0.0);
  EXPECT_EQ(f::ceil_count(264.0 * (1.0 / 132.0)), 2.0);
  EXPECT_EQ(f::ceil_log2(1), 0);
  EXPECT_EQ(f::ceil_log2(8), 3);
  EXPECT_EQ(f::ceil_log2(9), 4);
}

TEST(TrainingStep, ZeroStagesShardWhatTheySay) {
  TrainingQuery q = query("llama3-8b", "H100-SXM", 64);
  const double P = q.model->params();
  q.plan.zero_stage = 0;
  auto e = estimate_training(q);
  EXPECT_NEAR(e.weights_bytes, 2 * P, 1);
  EXPECT_NEAR(e.grads_bytes, 2 * P, 1);
  EXPECT_NEAR(e.optimizer_bytes, 12 * P, 1);
  q.plan.zero_stage = 1;
  e = estimate_training(q);
  EXPECT_NEAR(e.optimizer_bytes, 12 * P / 64, 1);
  EXPECT_NEAR(e.grads_bytes, 2 * P, 1);
  q.plan.zero_stage = 3;
  e = estimate_training(q);
  EXPECT_NEAR(e.weights_bytes, 2 * P / 64, 1);
  EXPECT_NEAR(e.grads_bytes, 2 * P / 64, 1);
}

TEST(TrainingStep, BubbleIsPipelineMinusOneSlotsOverVirtualStages) {
  TrainingQuery q = query("llama3-70b", "H100-SXM", 512);
  q.plan.tp = 8;
  q.plan.pp = 8;
  q.plan.dp = 8;
  q.plan.global_batch = 512;
  q.plan.recompute = Recompute::FULL;
  for (int vs : {1, 2, 5}) {
    q.plan.virtual_stages = vs;
    const auto e = estimate_training(q);
    ASSERT_TRUE(e.feasible) << e.reason;
    // One micro-batch slot = its compute and exposed tp/cp/ep/pp communication.
    const double slot = (e.compute_s + e.tp_comm_s + e.cp_comm_s + e.ep_comm_s + e.pp_comm_s) / e.microbatches;
    EXPECT_NEAR(e.bubble_s, 7.0 / vs * slot, 1e-9 * e.bubble_s) << "vs " << vs;
    EXPECT_EQ(e.microbatches, 64);
  }
}

TEST(TrainingStep, ExecutedFlopsAreThePapersFormula) {
  // Narayanan et al. 2021: F = 96 B s l h^2 (1 + s/(6h) + V/(16 l h)) with full recomputation.
  for (const MegatronRow& row : megatron_sc21_rows()) {
    ModelSpec model;
    const TrainingQuery q = megatron_query(row, catalog(), model);
    const auto e = estimate_training(q);
    const double B = row.global_batch, s = 2048, l = row.layers, h = row.hidden, V = 51200;
    const double F = 96 * B * s * l * h * h * (1 + s / (6 * h) + V / (16 * l * h));
    EXPECT_NEAR(e.executed_flops_per_step / F, 1.0, 1e-12) << row.params_billion << "B";
  }
}

TEST(TrainingStep, RecomputationCostsAForwardPass) {
  TrainingQuery q = query("llama3-8b", "H100-SXM", 8);
  q.plan.global_batch = 64;
  q.plan.recompute = Recompute::NONE;
  const auto none = estimate_training(q);
  q.plan.recompute = Recompute::FULL;
  const auto full = estimate_training(q);
  EXPECT_EQ(none.model_flops_per_step, full.model_flops_per_step);
  EXPECT_GT(full.executed_flops_per_step, none.executed_flops_per_step);
  EXPECT_LT(full.activations_bytes, none.activations_bytes);
  EXPECT_GT(full.step_time_s, none.step_time_s);
  EXPECT_EQ(full.recompute_fraction, 1.0);
}

TEST(TrainingStep, PartialRecomputationRecomputesJustEnoughLayers) {
  TrainingQuery q = query("llama3-70b", "H100-SXM", 64);
  q.plan.tp = 8;
  q.plan.pp = 2;
  q.plan.dp = 4;
  q.plan.micro_batch = 4;
  q.plan.global_batch = 256;
  q.plan.recompute = Recompute::NONE;
  const auto none = estimate_training(q);
  ASSERT_FALSE(none.feasible);
  EXPECT_EQ(none.reason_code, f::OUT_OF_MEMORY);
  q.plan.recompute = Recompute::PARTIAL;
  const auto partial = estimate_training(q);
  ASSERT_TRUE(partial.feasible) << partial.reason;
  EXPECT_GT(partial.recompute_fraction, 0);
  EXPECT_LT(partial.recompute_fraction, 1);
  EXPECT_LE(partial.memory_per_gpu_bytes, q.gpu->hbm_bytes);
  q.plan.recompute = Recompute::FULL;
  EXPECT_LT(partial.step_time_s, estimate_training(q).step_time_s);
}

TEST(TrainingStep, InfeasiblePlansSayWhy) {
  TrainingQuery q = query("llama3-8b", "H100-SXM", 24);
  q.plan.tp = 3;
  q.plan.dp = 8;
  auto e = estimate_training(q);
  EXPECT_FALSE(e.feasible);
  EXPECT_EQ(e.reason, "tp = 3 does not divide the 32 attention heads");

  q = query("llama3-8b", "H100-SXM", 16);
  q.plan.dp = 8;
  e = estimate_training(q);
  EXPECT_FALSE(e.feasible);
  EXPECT_EQ(e.reason, "tp*pp*dp*cp = 8 does not equal the GPU count 16");

  q = query("llama3-8b", "H100-SXM", 8);
  q.plan.global_batch = 20;
  e = estimate_training(q);
  EXPECT_EQ(e.reason_code, f::BATCH_SPLIT);
  EXPECT_NE(e.reason.find("global batch 20"), std::string::npos) << e.reason;

  q = query("llama3-405b", "H100-SXM", 8);
  e = estimate_training(q);
  EXPECT_EQ(e.reason_code, f::OUT_OF_MEMORY);
  EXPECT_NE(e.reason.find("H100-SXM has 80.0 GB"), std::string::npos) << e.reason;

  q = query("llama3-8b", "H100-SXM", 8);
  q.plan.ep = 2;
  EXPECT_EQ(estimate_training(q).reason_code, f::EP_EXPERTS);
}

TEST(TrainingStep, MoeCostsItsActiveParamsAndItsAllToAll) {
  TrainingQuery q = query("mixtral-8x7b", "H100-SXM", 64);
  q.plan.tp = 2;
  q.plan.dp = 32;
  q.plan.global_batch = 256;
  q.plan.recompute = Recompute::FULL;
  q.plan.zero_stage = 2;
  q.plan.ep = 1;
  const auto local = estimate_training(q);
  q.plan.ep = 8;
  const auto spread = estimate_training(q);
  ASSERT_TRUE(local.feasible) << local.reason;
  ASSERT_TRUE(spread.feasible) << spread.reason;
  EXPECT_EQ(local.ep_comm_s, 0);
  EXPECT_GT(spread.ep_comm_s, 0);
  EXPECT_LT(spread.weights_bytes, local.weights_bytes) << "experts split over ep";
  q.plan.overlap_ep_comm = true;
  const auto overlapped = estimate_training(q);
  EXPECT_LT(overlapped.ep_comm_s, spread.ep_comm_s) << "all-to-alls hidden under compute";
  EXPECT_GE(overlapped.ep_comm_s, 0.1 * spread.ep_comm_s * 0.99) << "hidden communication still slows compute";
  // Model FLOPs follow the active parameters: 6 x 12.9B per token and more, far from 6 x 46.7B.
  const double tokens = 256.0 * 4096;
  EXPECT_GT(local.model_flops_per_step, 6 * q.model->active_params() * tokens);
  EXPECT_LT(local.model_flops_per_step, 6 * 0.5 * q.model->params() * tokens);
}

TEST(Planner, SearchesTensOfThousandsOfPlansAndBeatsAHandPlan) {
  const ModelSpec& m = *catalog().find_model("mixtral-8x7b");
  const GpuSpec& g = *catalog().find_gpu("H100-SXM");
  const auto r = search_plans(m, g, 512, reference_links(g), {}, 5);
  EXPECT_GE(r.searched, 10000u);
  ASSERT_FALSE(r.best.empty());
  for (size_t i = 1; i < r.best.size(); ++i)
    EXPECT_GE(r.best[i - 1].estimate.tokens_per_s, r.best[i].estimate.tokens_per_s);
  // The model's batch, 4M tokens of 4096: 977 sequences, rounded up to split over dp.
  EXPECT_EQ(r.best.front().plan.global_batch % (r.best.front().plan.dp * r.best.front().plan.micro_batch), 0);
  EXPECT_LT(r.best.front().plan.global_batch, 2 * 977);
  TrainingQuery hand;
  hand.model = &m;
  hand.gpu = &g;
  hand.gpus = 512;
  hand.links = reference_links(g);
  hand.plan.tp = 2;
  hand.plan.dp = 256;
  hand.plan.ep = 8;
  hand.plan.global_batch = 1024;
  hand.plan.recompute = Recompute::FULL;
  const auto e = estimate_training(hand);
  ASSERT_TRUE(e.feasible) << e.reason;
  EXPECT_GE(r.best.front().estimate.tokens_per_s, e.tokens_per_s);
  EXPECT_TRUE(r.best.front().estimate.feasible);
}

TEST(Planner, SameInputsSamePlan) {
  const ModelSpec& m = *catalog().find_model("mixtral-8x7b");
  const GpuSpec& g = *catalog().find_gpu("H200");
  const Plan a = best_plan(m, g, 256, reference_links(g));
  const Plan b = best_plan(m, g, 256, reference_links(g));
  EXPECT_EQ(describe_plan(a), describe_plan(b));
}

TEST(Planner, TooBigAModelReturnsTheLeastMemoryPlan) {
  const ModelSpec& m = *catalog().find_model("llama3-405b");
  const GpuSpec& g = *catalog().find_gpu("A100-SXM-80GB");
  const auto r = search_plans(m, g, 4, reference_links(g), {}, 3);
  EXPECT_TRUE(r.best.empty());
  EXPECT_EQ(r.feasible, 0u);
  EXPECT_EQ(r.closest.estimate.reason_code, f::OUT_OF_MEMORY);
}

TEST(Planner, CacheSearchesOncePerShape) {
  PlanCache cache;
  const ModelSpec& m = *catalog().find_model("llama3-8b");
  const GpuSpec& g = *catalog().find_gpu("H100-SXM");
  const PlanCandidate& a = cache.get(m, g, 64, reference_links(g));
  const PlanCandidate& b = cache.get(m, g, 64, reference_links(g));
  EXPECT_EQ(&a, &b);
  EXPECT_EQ(cache.size(), 1u);
  cache.get(m, g, 128, reference_links(g));
  EXPECT_EQ(cache.size(), 2u);
  EXPECT_TRUE(a.estimate.feasible);
}

TEST(TrainingStep, TodaysAcceleratorsRankAsTheirTensorRatesSay) {
  // Llama 3 8B, data parallel on 8 GPUs of one node: the step is compute
  // bound, so its time goes as 1 / (peak BF16 x matmul efficiency).
  auto step = [](const char* gpu) {
    TrainingQuery q = query("llama3-8b", gpu, 8);
    q.plan.zero_stage = 3;
    q.plan.recompute = Recompute::FULL;
    const auto e = estimate_training(q);
    EXPECT_TRUE(e.feasible) << gpu << ": " << e.reason;
    return e;
  };
  const auto h100 = step("H100-SXM"), h800 = step("H800"), h20 = step("H20"), b300 = step("B300"),
             gb300 = step("GB300"), mi355 = step("MI355X"), a910c = step("Ascend-910C");
  EXPECT_LT(b300.step_time_s, 0.6 * h100.step_time_s);  // 2.25 PF x 0.647 vs 0.989 PF x 0.711: 2.07x
  EXPECT_LT(gb300.step_time_s, b300.step_time_s);
  EXPECT_LT(mi355.step_time_s, h100.step_time_s);
  // H20: 148 TFLOPS x 0.84 against 989 x 0.711 is 5.7x less compute per step.
  EXPECT_GT(h20.step_time_s, 4 * h100.step_time_s);
  // Ascend 910C: 752 TFLOPS x 0.6 against 989.4 x 0.711: 1.56x the H100's step.
  EXPECT_GT(a910c.step_time_s, h100.step_time_s);
  EXPECT_LT(a910c.step_time_s, 2 * h100.step_time_s);
  // H800 inside one node: the same compute, only the NVLink is narrower, so not faster than H100.
  EXPECT_GE(h800.step_time_s, h100.step_time_s);
  EXPECT_LT(h800.step_time_s, 1.5 * h100.step_time_s);
  // The compute part alone follows the tensor rates closely.
  EXPECT_NEAR(h20.compute_s / h100.compute_s, (989.4 * 0.711) / (148 * 0.84), 0.1 * (989.4 * 0.711) / (148 * 0.84));
}
