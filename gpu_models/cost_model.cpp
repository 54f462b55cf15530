#include "gpu_models/cost_model.hpp"

#include <algorithm>
#include <cmath>
#include <fmt/format.h>

namespace gwsim::gpu_models {
namespace {

// Fraction of peak dense BF16 that large transformer GEMMs sustain. Megatron-LM
// reaches 44-52% of peak on A100 including all overheads (Narayanan et al.,
// SC'21, Table 1); the foundation model uses one number.
constexpr double MATMUL_EFFICIENCY = 0.5;
constexpr double BYTES_PER_PARAM_WEIGHTS = 2;   // BF16 weights
constexpr double BYTES_PER_PARAM_GRADS = 2;     // BF16 gradients
constexpr double BYTES_PER_PARAM_OPTIM = 12;    // FP32 master weights + Adam moments

}  // namespace

TrainingEstimate estimate_training(const TrainingQuery& q) {
  TrainingEstimate e;
  if (!q.model || !q.gpu || q.gpus < 1) {
    e.reason = "missing model or GPU, or no GPUs";
    return e;
  }
  const ModelSpec& m = *q.model;
  const Plan& p = q.plan;
  const int seq = q.seq_len > 0 ? q.seq_len : m.seq_len;
  if (p.tp * p.pp * p.dp * p.cp != q.gpus) {
    e.reason = fmt::format("tp*pp*dp*cp = {} does not equal the GPU count {}", p.tp * p.pp * p.dp * p.cp, q.gpus);
    return e;
  }
  const double params = m.params();
  const double tokens = double(p.global_batch) * seq;
  const double model_flops = 6.0 * m.active_params() * tokens;
  const double executed_flops = model_flops * (p.recompute ? 4.0 / 3.0 : 1.0);
  const double compute_s = executed_flops / (q.gpus * q.gpu->peak_bf16_flops * MATMUL_EFFICIENCY);

  // Data-parallel gradient all-reduce (ring): 2 (dp-1)/dp * S / B, half hidden behind backward.
  const double grad_bytes = params * BYTES_PER_PARAM_GRADS / (p.tp * p.pp);
  const double dp_bw = p.dp * p.tp <= q.links.scaleup_gpus ? q.links.scaleup_Bps : q.links.scaleout_Bps;
  const double allreduce_s = p.dp > 1 ? 2.0 * (p.dp - 1) / p.dp * grad_bytes / dp_bw : 0.0;
  const double bubble = p.pp > 1 ? double(p.pp - 1) / (p.global_batch / double(p.dp * p.micro_batch)) : 0.0;
  e.step_time_s = compute_s * (1.0 + bubble) + 0.5 * allreduce_s;

  const double shard = p.zero_stage >= 1 ? p.dp : 1;
  e.memory_per_gpu_bytes = params / (p.tp * p.pp) *
                           (BYTES_PER_PARAM_WEIGHTS / (p.zero_stage >= 3 ? shard : 1) +
                            BYTES_PER_PARAM_GRADS / (p.zero_stage >= 2 ? shard : 1) + BYTES_PER_PARAM_OPTIM / shard);
  e.tokens_per_s = tokens / e.step_time_s;
  e.achieved_flops_per_gpu = executed_flops / e.step_time_s / q.gpus;
  e.mfu = model_flops / e.step_time_s / q.gpus / q.gpu->peak_bf16_flops;
  e.feasible = e.memory_per_gpu_bytes <= q.gpu->hbm_bytes;
  if (!e.feasible)
    e.reason = fmt::format("needs {:.1f} GB per GPU, the GPU has {:.1f} GB", e.memory_per_gpu_bytes / 1e9,
                           q.gpu->hbm_bytes / 1e9);
  return e;
}

Plan default_plan(const ModelSpec& model, const GpuSpec& gpu, int gpus) {
  Plan p;
  p.zero_stage = 1;
  for (int tp = 1; tp <= 8; tp *= 2) {
    for (int pp = 1; pp <= 64; pp *= 2) {
      if (gpus % (tp * pp) != 0) continue;
      p.tp = tp;
      p.pp = pp;
      p.dp = gpus / (tp * pp);
      p.global_batch = std::max(p.dp * 4, 512);
      TrainingQuery q{&model, &gpu, gpus, 0, p, {}};
      if (estimate_training(q).feasible) return p;
    }
  }
  p.tp = 1;
  p.pp = 1;
  p.dp = gpus;
  return p;
}

}  // namespace gwsim::gpu_models
