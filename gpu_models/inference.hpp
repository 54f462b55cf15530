#pragma once
// How fast a model serves: prefill and decode time of one replica for a
// batch and context length, KV-cache capacity, and tokens/s, time to first
// token and time per output token under a load (continuous batching). Uses
// the GEMM and collective formulas of formulas.hpp; docs/models.md#inference
// gives the equations and the comparison with published serving figures.
#include <string>
#include <vector>

#include "gpu_models/catalog.hpp"
#include "gpu_models/cost_model.hpp"

namespace gwsim::gpu_models {

/// How a replica is laid out. GPUs per replica = tp x pp; MoE experts are
/// spread over the replica's GPUs (expert parallel inside the replica).
struct InferencePlan {
  int tp = 1;
  int pp = 1;
  bool fp8_weights = false;  ///< FP8 weights and GEMMs (where the GPU has FP8)
  bool fp8_kv_cache = false; ///< 1-byte KV cache entries
  double memory_utilization = 0.9;  ///< share of HBM the server may use (vLLM's gpu_memory_utilization default)
};

struct InferenceQuery {
  const ModelSpec* model = nullptr;
  const GpuSpec* gpu = nullptr;
  InferencePlan plan;
  Links links;
  int batch = 1;            ///< sequences decoded together (and prompts prefilled together)
  int prompt_tokens = 1024;
  int output_tokens = 256;
};

struct InferenceEstimate {
  bool feasible = false;
  std::string reason;
  double weights_bytes_per_gpu = 0;
  double kv_bytes_per_token = 0;        ///< per replica, all layers
  double kv_capacity_tokens = 0;        ///< tokens of context the replica's free memory holds
  double max_batch = 0;                 ///< sequences of prompt + output tokens that fit
  double prefill_s = 0;                 ///< prefill of `batch` prompts
  double decode_step_s = 0;             ///< one decode step of `batch` sequences at mid-output context
  double batch_latency_s = 0;           ///< prefill then all output tokens, static batch
  double output_tokens_per_s = 0;       ///< static batch: batch x output_tokens / batch_latency_s
};

/// One replica serving `batch` sequences together (static batching).
InferenceEstimate estimate_inference(const InferenceQuery& query);

/// Prefill time of `batch` prompts of `tokens` each on one replica.
double prefill_time_s(const InferenceQuery& query, double batch, double tokens);
/// One decode step of `batch` sequences whose context is `context` tokens.
double decode_step_time_s(const InferenceQuery& query, double batch, double context);

/// Offered load on one replica: closed loop (each of `concurrency` users
/// sends its next request when the last one finishes, as benchmark clients
/// do) or open loop (Poisson arrivals at `arrival_rate_per_s`).
struct ServingLoad {
  double concurrency = 0;          ///< > 0: closed loop
  double arrival_rate_per_s = 0;   ///< > 0 (with concurrency 0): open loop
  int prompt_tokens = 1024;
  int output_tokens = 256;
};

struct ServingEstimate {
  bool feasible = false;
  std::string reason;
  double requests_per_s = 0;
  double output_tokens_per_s = 0;
  double ttft_s = 0;               ///< time to first token: queueing + prefill
  double tpot_s = 0;               ///< time per output token after the first
  double running_batch = 0;        ///< sequences decoding together on average
  double max_batch = 0;            ///< KV-cache limit on running sequences
  double prefill_share = 0;        ///< share of the replica's time spent in prefill
  bool saturated = false;          ///< the load exceeds what the replica can run at once
};

/// Continuous batching under a load (docs/models.md#serving).
ServingEstimate estimate_serving(const InferenceQuery& query, const ServingLoad& load);

/// A published serving figure and the model's value for it.
struct ServingComparison {
  std::string name, quantity, source;
  double published = 0, modelled = 0;
  double error_pct() const { return published != 0 ? (modelled - published) / published * 100.0 : 0; }
};

/// Llama 3.3 70B FP8 on 2 H100 (NVIDIA NIM 1.8.0 benchmarks: TTFT, ITL and
/// throughput by concurrency, 5000 input and 500 output tokens).
std::vector<ServingComparison> validate_serving(const Catalog& catalog);

}  // namespace gwsim::gpu_models
