#include "gpu_models/catalog.hpp"

namespace gwsim::gpu_models {

double ModelSpec::params() const {
  const double h = hidden, l = layers, v = vocab;
  const double head_dim = heads > 0 ? h / heads : 0;
  const double kv = kv_heads > 0 ? kv_heads : heads;
  const double attn = h * h * 2 + 2 * h * kv * head_dim;  // Q and O, K and V
  const double ffn_one = (gated_ffn ? 3.0 : 2.0) * h * ffn;
  const double ffn_all = experts > 0 ? ffn_one * (experts + shared_experts) + h * experts : ffn_one;
  return l * (attn + ffn_all) + v * h;
}

double ModelSpec::active_params() const {
  if (experts == 0) return params();
  const double h = hidden, l = layers, v = vocab;
  const double head_dim = heads > 0 ? h / heads : 0;
  const double kv = kv_heads > 0 ? kv_heads : heads;
  const double attn = h * h * 2 + 2 * h * kv * head_dim;
  const double ffn_one = (gated_ffn ? 3.0 : 2.0) * h * ffn;
  return l * (attn + ffn_one * (top_k + shared_experts) + h * experts) + v * h;
}

const GpuSpec* Catalog::find_gpu(const std::string& name) const {
  auto it = gpus_.find(name);
  return it == gpus_.end() ? nullptr : &it->second;
}

const ModelSpec* Catalog::find_model(const std::string& name) const {
  auto it = models_.find(name);
  return it == models_.end() ? nullptr : &it->second;
}

std::vector<std::string> Catalog::gpu_names() const {
  std::vector<std::string> out;
  for (const auto& [k, v] : gpus_) out.push_back(k);
  return out;
}

std::vector<std::string> Catalog::model_names() const {
  std::vector<std::string> out;
  for (const auto& [k, v] : models_) out.push_back(k);
  return out;
}

Catalog Catalog::builtin() {
  Catalog c;
  // NVIDIA A100 Tensor Core GPU datasheet (2021, 80GB SXM column); NVLink 3:
  // 600 GB/s total = 300 GB/s per direction; HDR InfiniBand 200 Gb/s per GPU
  // in DGX A100. Idle power: ~50 W measured at idle (Patel et al., "Characterizing
  // Power Management Opportunities for LLMs in the Cloud", ASPLOS'24).
  c.add_gpu({"A100-SXM-80GB", 19.5e12, 156e12, 312e12, 0, 80e9, 2.039e12, 300e9, 25e9, 400, 50, 15000,
             "NVIDIA A100 datasheet (80GB SXM); price: typical 2023 street price"});
  // NVIDIA H100 Tensor Core GPU datasheet (SXM5): 989.4 TFLOPS BF16 dense,
  // 1978.9 FP8 dense, 494.7 TF32, 66.9 FP32; 80 GB HBM3 at 3.35 TB/s; NVLink 4
  // 900 GB/s total; 700 W TDP. ConnectX-7 400 Gb/s per GPU in DGX H100.
  c.add_gpu({"H100-SXM", 66.9e12, 494.7e12, 989.4e12, 1978.9e12, 80e9, 3.35e12, 450e9, 50e9, 700, 70, 25000,
             "NVIDIA H100 datasheet (SXM5); price: typical 2024 street price"});
  // NVIDIA H200 Tensor Core GPU datasheet (SXM): H100 compute, 141 GB HBM3e at 4.8 TB/s, 700 W.
  c.add_gpu({"H200", 66.9e12, 494.7e12, 989.4e12, 1978.9e12, 141e9, 4.8e12, 450e9, 50e9, 700, 70, 32000,
             "NVIDIA H200 datasheet (SXM); price: typical 2024 street price"});
  // NVIDIA DGX B200 datasheet: 72 PFLOPS FP8 training (sparse) for 8 GPUs = 4.5 PFLOPS dense FP8,
  // 2.25 PFLOPS dense BF16 per GPU; 1,440 GB HBM3e for 8 GPUs (180 GB), 8 TB/s; NVLink 5 1.8 TB/s; 1000 W.
  c.add_gpu({"B200", 80e12, 1.1e15, 2.25e15, 4.5e15, 180e9, 8e12, 900e9, 50e9, 1000, 100, 40000,
             "NVIDIA DGX B200 datasheet (per-GPU share); price: 2025 street price"});
  // NVIDIA GB200 NVL72 specifications (per GPU = rack / 72): 360 PFLOPS FP16/BF16 and 720 PFLOPS FP8
  // sparse -> 2.5 / 5 PFLOPS dense; 13.4 TB HBM3e (186 GB per GPU) at 8 TB/s; NVLink 5 1.8 TB/s;
  // ~1200 W per GPU (half of a 2,700 W GB200 superchip less the Grace CPU share).
  c.add_gpu({"GB200", 80e12, 1.25e15, 2.5e15, 5e15, 186e9, 8e12, 900e9, 100e9, 1200, 120, 45000,
             "NVIDIA GB200 NVL72 spec sheet (per-GPU share); price: 2025 estimate per GPU"});
  // AMD Instinct MI300X data sheet: 1307.4 TFLOPS BF16 dense, 2614.9 FP8, 653.7 TF32, 163.4 FP32;
  // 192 GB HBM3 at 5.3 TB/s; 896 GB/s Infinity Fabric (7 x 128 GB/s); 750 W.
  c.add_gpu({"MI300X", 163.4e12, 653.7e12, 1307.4e12, 2614.9e12, 192e9, 5.3e12, 448e9, 50e9, 750, 90, 17000,
             "AMD Instinct MI300X data sheet; price: typical 2024 street price"});
  // GPT-3 175B: Brown et al. 2020, Table 2.1 (96 layers, d_model 12288, 96 heads).
  c.add_model({"gpt3-175b", 96, 12288, 96, 96, 4 * 12288, false, 51200, 2048, 0, 0, 0, "Brown et al. 2020"});
  // Llama 3 8B / 70B / 405B: Llama 3 Herd of Models (Dubey et al. 2024), Table 3.
  c.add_model({"llama3-8b", 32, 4096, 32, 8, 14336, true, 128256, 8192, 0, 0, 0, "Dubey et al. 2024, Table 3"});
  c.add_model({"llama3-70b", 80, 8192, 64, 8, 28672, true, 128256, 8192, 0, 0, 0, "Dubey et al. 2024, Table 3"});
  c.add_model({"llama3-405b", 126, 16384, 128, 8, 53248, true, 128256, 8192, 0, 0, 0, "Dubey et al. 2024, Table 3"});
  return c;
}

}  // namespace gwsim::gpu_models
