#pragma once
// How long training work takes on given hardware. The simulator asks for a
// rate (tokens per second) for a model on an allocation; the inputs about the
// network come from the topology module as plain numbers (Links), so this
// module does not depend on it.
#include <cstddef>
#include <string>

#include "gpu_models/catalog.hpp"

namespace gwsim::gpu_models {

/// Parallelism plan. gpus = tp * pp * dp * cp (ep divides dp * tp for MoE).
struct Plan {
  int tp = 1;
  int pp = 1;
  int dp = 1;
  int cp = 1;
  int ep = 1;
  int micro_batch = 1;
  int global_batch = 512;    ///< sequences per step
  bool recompute = false;    ///< full activation recomputation
  int zero_stage = 1;        ///< 0: none, 1: optimizer states, 2: +gradients, 3: +weights (FSDP)
};

/// Network the placement gives a job, per GPU and per direction.
struct Links {
  double scaleup_Bps = 450e9;
  double scaleup_latency_s = 1e-6;
  int scaleup_gpus = 8;           ///< GPUs that share one scale-up domain within the allocation
  double scaleout_Bps = 50e9;
  double scaleout_latency_s = 5e-6;
};

struct TrainingQuery {
  const ModelSpec* model = nullptr;
  const GpuSpec* gpu = nullptr;
  int gpus = 1;
  int seq_len = 0;   ///< 0: the model's default
  Plan plan;
  Links links;
};

struct TrainingEstimate {
  bool feasible = false;
  std::string reason;                 ///< why infeasible
  double step_time_s = 0;
  double tokens_per_s = 0;
  double achieved_flops_per_gpu = 0;  ///< paper convention: recomputed forward counted when on
  double mfu = 0;                     ///< model FLOPs (6 * params * tokens + attention) / peak
  double memory_per_gpu_bytes = 0;
};

/// Estimates one training step.
TrainingEstimate estimate_training(const TrainingQuery& query);

/// A plan that fits: data parallel inside nodes first, tensor parallel when the
/// model's weights do not fit. The planner (plan search) improves on it.
Plan default_plan(const ModelSpec& model, const GpuSpec& gpu, int gpus);

}  // namespace gwsim::gpu_models
