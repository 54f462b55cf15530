#pragma once
// How long training work takes on given hardware. The simulator asks for a
// rate (tokens per second) for a model on an allocation; the inputs about the
// network come from the topology module as plain numbers (Links), so this
// module does not depend on it. The formulas live in formulas.hpp (shared
// with the CUDA backend); docs/models.md gives them with their sources and
// the validation against published runs.
#include <cstddef>
#include <map>
#include <string>
#include <tuple>
#include <vector>

#include "gpu_models/catalog.hpp"
#include "gpu_models/formulas.hpp"

namespace gwsim::gpu_models {

using formulas::PlanQuery;
using formulas::PlanResult;

enum class Recompute {
  NONE,       ///< keep all activations
  SELECTIVE,  ///< recompute the attention core only (Korthikanti et al. 2022)
  FULL,       ///< keep each layer's input, recompute the layer in backward
  PARTIAL     ///< full recomputation of the fewest whole layers per stage that make the plan fit
};

/// Parallelism plan. gpus = tp * pp * dp * cp; ep divides dp and the experts (MoE only).
struct Plan {
  int tp = 1;
  int pp = 1;
  int dp = 1;
  int cp = 1;
  int ep = 1;
  int micro_batch = 1;
  int global_batch = 512;    ///< sequences per step
  Recompute recompute = Recompute::NONE;
  int zero_stage = 1;        ///< 0: none, 1: optimizer states, 2: +gradients, 3: +weights (FSDP)
  int virtual_stages = 1;    ///< model chunks per pipeline stage: 1 = 1F1B, > 1 = interleaved 1F1B
  bool sequence_parallel = true;     ///< split norms and dropout over tp (Korthikanti et al. 2022); no effect at tp = 1
  bool flash_attention = true;       ///< fused attention (Dao et al.); false = unfused softmax as in Megatron 2021
  bool overlap_grad_reduce = true;   ///< gradient reduction overlaps the last micro-batch's backward
  bool overlap_param_gather = true;  ///< ZeRO weight all-gather overlaps the next forward
  bool fp8 = false;                  ///< GEMMs in FP8 where the GPU has it
  bool overlap_ep_comm = false;      ///< MoE all-to-alls hidden under another micro-batch's compute (DualPipe)
};

/// Network the placement gives a job, per GPU and per direction.
struct Links {
  double scaleup_Bps = 450e9;
  double scaleup_latency_s = 1e-6;
  int scaleup_gpus = 8;           ///< GPUs that share one scale-up domain within the allocation
  double scaleout_Bps = 50e9;
  double scaleout_latency_s = 5e-6;
};

/// The Links of a GPU's reference system (its own NVLink and NIC figures).
Links reference_links(const GpuSpec& gpu);
/// Links as the formulas take them (with reciprocals).
formulas::LinkDims link_dims(const Links& links);

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
  formulas::Reason reason_code = formulas::OK;
  double step_time_s = 0;
  double tokens_per_s = 0;
  double achieved_flops_per_gpu = 0;  ///< paper convention: recomputed forward counted when on
  double mfu = 0;                     ///< model FLOPs (no recomputation, causal attention) / time / GPUs / dense BF16 peak
  double memory_per_gpu_bytes = 0;
  // Where the time goes (seconds per step; communication is the exposed part).
  double compute_s = 0, bubble_s = 0, tp_comm_s = 0, cp_comm_s = 0, ep_comm_s = 0, pp_comm_s = 0, dp_comm_s = 0,
         optimizer_s = 0;
  // Where the memory goes (bytes per GPU, the runtime reserve aside).
  double weights_bytes = 0, grads_bytes = 0, optimizer_bytes = 0, activations_bytes = 0;
  double model_flops_per_step = 0, executed_flops_per_step = 0, microbatches = 0;
  double recompute_fraction = 0;      ///< share of each stage's layers recomputed in full
};

/// The flat form of a query that the backends evaluate.
PlanQuery make_query(const TrainingQuery& query);
/// Turns a backend result back into an estimate, with the reason in words.
TrainingEstimate to_estimate(const PlanResult& result, const TrainingQuery& query);

/// Estimates one training step.
TrainingEstimate estimate_training(const TrainingQuery& query);

/// What the planner may vary and what it must keep.
struct PlanSearchOptions {
  /// Sequences per step; 0: the model's train_batch_tokens / seq. Rounded up
  /// to a multiple of dp x micro-batch (x pp when interleaved); plans with
  /// dp x micro-batch above it are tried only when no other plan fits.
  int global_batch = 0;
  int seq_len = 0;           ///< 0: the model's default
  bool allow_fp8 = false;    ///< also try FP8 GEMMs (when the GPU has them)
  /// What the training software can do, copied into every candidate:
  /// flash_attention, sequence_parallel, overlap_grad_reduce, overlap_param_gather, overlap_ep_comm.
  Plan software;
  std::vector<int> zero_stages;          ///< ZeRO stages to try; empty: 0, 1, 2, 3
  std::vector<Recompute> recomputes;     ///< empty: partial (and selective without FlashAttention)
  /// Degrees held fixed (0: searched), e.g. those of a published run.
  int tp = 0, pp = 0, cp = 0, ep = 0, micro_batch = 0, virtual_stages = 0;
};

struct PlanCandidate {
  Plan plan;
  TrainingEstimate estimate;
};

struct PlanSearchResult {
  std::vector<PlanCandidate> best;   ///< fastest feasible plans first (tokens/s), at most `top`
  size_t searched = 0;               ///< plans evaluated
  size_t feasible = 0;               ///< of which fit
  PlanCandidate closest;             ///< when none fits: the plan needing the least memory
};

/// Searches tp, pp, dp, cp, ep, micro-batch, virtual stages, recomputation
/// and ZeRO stage for a model on `gpus` GPUs (docs/models.md#planner).
PlanSearchResult search_plans(const ModelSpec& model, const GpuSpec& gpu, int gpus, const Links& links,
                              const PlanSearchOptions& options = {}, size_t top = 10);

/// The fastest feasible plan, or (none fits) the one needing the least memory.
Plan best_plan(const ModelSpec& model, const GpuSpec& gpu, int gpus, const Links& links,
               const PlanSearchOptions& options = {});

/// The best plan on the GPU's reference network (reference_links).
Plan default_plan(const ModelSpec& model, const GpuSpec& gpu, int gpus);

/// Remembers the best plan and its estimate per (model, GPU, count, links),
/// so a simulation that asks for the same job shape many times searches once.
class PlanCache {
 public:
  const PlanCandidate& get(const ModelSpec& model, const GpuSpec& gpu, int gpus, const Links& links);
  size_t size() const { return entries_.size(); }

 private:
  using Key = std::tuple<std::string, std::string, int, double, double, int, double, double>;
  std::map<Key, PlanCandidate> entries_;
};

/// A readable name of a recomputation mode ("none", "selective", "full", "partial").
const char* recompute_name(Recompute r);

}  // namespace gwsim::gpu_models
