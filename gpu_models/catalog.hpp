#pragma once
// The hardware and model catalog: GPU types and transformer architectures,
// each number with its source. Built-in entries live in catalog.cpp; a
// scenario adds or overrides entries without recompiling (its `catalog:`
// section, docs/models.md#catalog).
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "common/error.hpp"

namespace gwsim::gpu_models {

/// One GPU type. Peak rates are dense (no sparsity), per GPU, in FLOP/s;
/// bandwidths per direction in bytes/s.
struct GpuSpec {
  std::string name;
  double peak_fp32_flops = 0;
  double peak_tf32_flops = 0;
  double peak_bf16_flops = 0;
  double peak_fp8_flops = 0;      ///< 0 when the part has no FP8 tensor cores
  double peak_fp4_flops = 0;      ///< 0 when the part has no FP4 tensor cores (informational: no cost path uses FP4 yet)
  double hbm_bytes = 0;
  double hbm_bandwidth_Bps = 0;
  double scaleup_bandwidth_Bps = 0;   ///< NVLink/Infinity Fabric, per direction
  double scaleout_bandwidth_Bps = 0;  ///< per GPU NIC, per direction, in the reference system
  double tdp_w = 0;
  double idle_w = 0;
  double price_usd = 0;               ///< street price per GPU (without the server)
  std::string source;                 ///< where the numbers come from
  int sm_count = 0;                   ///< streaming multiprocessors (NVIDIA) or compute units (AMD)
  /// Sustained fraction of peak that the best large GEMM reaches with the
  /// GPU at its power limit (the MSMF of ml-engineering's mamf-finder, or
  /// MAMF scaled to sustained clocks when only that is published).
  double matmul_efficiency = 0;
  int scaleup_gpus = 8;               ///< GPUs in one scale-up domain of the reference system
  double rental_usd_per_gpu_hour = 0; ///< published on-demand cloud price; 0 where none is published
  /// The fields that are estimates rather than published figures (comma
  /// separated field names, e.g. "tdp, price"); empty when all are published.
  std::string estimates;

  /// Dense peak for a datatype: FP8 when asked and the part has it, else BF16.
  double peak_flops(bool fp8) const { return fp8 && peak_fp8_flops > 0 ? peak_fp8_flops : peak_bf16_flops; }
};

/// A transformer, dense (experts == 0) or mixture-of-experts. Attention is
/// multi-head (kv_heads == heads), grouped-query (kv_heads < heads), or
/// multi-head latent (kv_lora_rank > 0, DeepSeek-V2/V3).
struct ModelSpec {
  std::string name;
  int layers = 0;
  int hidden = 0;
  int heads = 0;
  int kv_heads = 0;        ///< grouped-query attention; == heads for multi-head attention; 0 means heads
  int ffn = 0;             ///< FFN inner size of the dense layers
  bool gated_ffn = false;  ///< SwiGLU-style FFN with three matrices instead of two
  int vocab = 0;
  int seq_len = 2048;      ///< default training sequence length
  int experts = 0;         ///< routed experts per MoE layer; 0 for dense
  int top_k = 0;           ///< routed experts each token visits
  int shared_experts = 0;  ///< always-active experts (DeepSeek-V3)
  std::string source;
  int moe_ffn = 0;         ///< FFN inner size of one expert; 0 means ffn
  int dense_layers = 0;    ///< leading layers that stay dense in an MoE model (DeepSeek-V3: 3)
  bool tied_embeddings = false;  ///< output layer shares the input embedding (GPT-3, Megatron GPT)
  bool dropout = false;    ///< dropout layers present (their masks take activation memory)
  int head_dim = 0;        ///< query/key head size; 0 means hidden / heads
  int v_head_dim = 0;      ///< value head size; 0 means head_dim
  int q_lora_rank = 0;     ///< MLA query compression rank (0: plain query projection)
  int kv_lora_rank = 0;    ///< MLA key/value compression rank (0: no MLA)
  int rope_head_dim = 0;   ///< MLA decoupled rotary key size, shared by all heads
  double train_batch_tokens = 4e6;  ///< tokens per optimizer step its authors trained with

  /// Total parameters (embeddings included; norms and biases left out, < 0.1%).
  double params() const;
  /// Parameters touched by one token (MoE: shared + top-k experts).
  double active_params() const;

  // The pieces params() is made of, which the cost model needs apart.
  bool is_moe() const { return experts > 0; }
  int moe_layers() const { return is_moe() ? layers - dense_layers : 0; }
  int kv() const { return kv_heads > 0 ? kv_heads : heads; }
  int qk_dim() const;      ///< query/key size of one head (MLA: nope + rope)
  int v_dim() const;       ///< value size of one head
  double attention_params() const;   ///< per layer: projections into and out of attention
  double dense_ffn_params() const;   ///< per dense layer
  double expert_params() const;      ///< one routed (or shared) expert
  double embedding_params() const;   ///< input embedding plus untied output layer
  /// KV-cache elements stored per token per layer (MLA: the compressed latent).
  double kv_cache_elements() const;
};

/// A GPT of the Megatron family (Narayanan et al., SC'21): FFN 4h,
/// vocabulary 51,200, sequence 2,048, tied embeddings, dropout.
ModelSpec megatron_gpt(std::string name, int layers, int hidden, int heads, int global_batch);

/// Findings about an entry (empty when valid); keys are the entry's field names.
std::vector<Problem> validate(const GpuSpec& gpu);
std::vector<Problem> validate(const ModelSpec& model);

class Catalog {
 public:
  /// The built-in catalog (catalog.cpp), with sources.
  static Catalog builtin();

  void add_gpu(GpuSpec gpu) { gpus_[gpu.name] = std::move(gpu); }
  void add_model(ModelSpec model) { models_[model.name] = std::move(model); }

  /// nullptr when unknown.
  const GpuSpec* find_gpu(const std::string& name) const;
  const ModelSpec* find_model(const std::string& name) const;
  std::vector<std::string> gpu_names() const;
  std::vector<std::string> model_names() const;

 private:
  std::map<std::string, GpuSpec> gpus_;
  std::map<std::string, ModelSpec> models_;
};

}  // namespace gwsim::gpu_models
