#pragma once
// The hardware and model catalog: GPU types and transformer architectures,
// each number with its source. Built-in entries live in catalog.cpp; a
// scenario may add or override entries without recompiling.
#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace gwsim::gpu_models {

/// One GPU type. Peak rates are dense (no sparsity), per GPU.
struct GpuSpec {
  std::string name;
  double peak_fp32_flops = 0;
  double peak_tf32_flops = 0;
  double peak_bf16_flops = 0;
  double peak_fp8_flops = 0;      ///< 0 when the part has no FP8 tensor cores
  double hbm_bytes = 0;
  double hbm_bandwidth_Bps = 0;
  double scaleup_bandwidth_Bps = 0;   ///< NVLink/Infinity Fabric, per direction
  double scaleout_bandwidth_Bps = 0;  ///< per GPU NIC, per direction, in the reference system
  double tdp_w = 0;
  double idle_w = 0;
  double price_usd = 0;               ///< street price per GPU (without the server)
  std::string source;                 ///< where the numbers come from
};

/// A transformer, dense (experts == 0) or mixture-of-experts.
struct ModelSpec {
  std::string name;
  int layers = 0;
  int hidden = 0;
  int heads = 0;
  int kv_heads = 0;        ///< grouped-query attention; == heads for multi-head attention
  int ffn = 0;             ///< FFN inner size (per expert for MoE)
  bool gated_ffn = false;  ///< SwiGLU-style FFN with three matrices instead of two
  int vocab = 0;
  int seq_len = 2048;      ///< default training sequence length
  int experts = 0;         ///< routed experts per MoE layer; 0 for dense
  int top_k = 0;           ///< experts each token visits
  int shared_experts = 0;  ///< always-active experts (DeepSeek-V3)
  std::string source;

  /// Total parameters (embeddings included).
  double params() const;
  /// Parameters touched by one token (MoE: shared + top-k experts).
  double active_params() const;
};

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
