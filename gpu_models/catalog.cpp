#include "gpu_models/catalog.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace gwsim::gpu_models {

int ModelSpec::qk_dim() const {
  const int base = head_dim > 0 ? head_dim : (heads > 0 ? hidden / heads : 0);
  return kv_lora_rank > 0 ? base + rope_head_dim : base;
}

int ModelSpec::v_dim() const {
  if (v_head_dim > 0) return v_head_dim;
  return head_dim > 0 ? head_dim : (heads > 0 ? hidden / heads : 0);
}

double ModelSpec::attention_params() const {
  const double h = hidden, a = heads, dqk = qk_dim(), dv = v_dim();
  const double out = a * dv * h;
  if (kv_lora_rank > 0) {
    // MLA (DeepSeek-V2 paper, Sec. 2.1): queries through an optional
    // low-rank bottleneck; keys and values from a shared latent of
    // kv_lora_rank plus a decoupled rotary key of rope_head_dim.
    const double q = q_lora_rank > 0 ? h * q_lora_rank + q_lora_rank * a * dqk : h * a * dqk;
    const double nope = dqk - rope_head_dim;
    const double kv_down = h * (kv_lora_rank + rope_head_dim);
    const double kv_up = kv_lora_rank * a * (nope + dv);
    return q + kv_down + kv_up + out;
  }
  const double kvh = kv();
  return h * a * dqk + h * kvh * dqk + h * kvh * dv + out;
}

double ModelSpec::dense_ffn_params() const { return (gated_ffn ? 3.0 : 2.0) * hidden * double(ffn); }

double ModelSpec::expert_params() const {
  return (gated_ffn ? 3.0 : 2.0) * hidden * double(moe_ffn > 0 ? moe_ffn : ffn);
}

double ModelSpec::embedding_params() const { return double(vocab) * hidden * (tied_embeddings ? 1.0 : 2.0); }

double ModelSpec::kv_cache_elements() const {
  if (kv_lora_rank > 0) return double(kv_lora_rank + rope_head_dim);
  return double(kv()) * (qk_dim() + v_dim());
}

double ModelSpec::params() const {
  const double attn = attention_params();
  const double dense = (layers - moe_layers()) * (attn + dense_ffn_params());
  const double moe =
      moe_layers() * (attn + (experts + shared_experts) * expert_params() + double(hidden) * experts);
  return dense + moe + embedding_params();
}

double ModelSpec::active_params() const {
  if (!is_moe()) return params();
  const double attn = attention_params();
  const double dense = (layers - moe_layers()) * (attn + dense_ffn_params());
  const double moe = moe_layers() * (attn + (top_k + shared_experts) * expert_params() + double(hidden) * experts);
  return dense + moe + embedding_params();
}

std::vector<Problem> validate(const GpuSpec& g) {
  std::vector<Problem> out;
  auto positive = [&](const char* key, double v, const char* what) {
    if (!(v > 0)) out.push_back({key, fmt::format("a positive {}", what), fmt::format("{}", v)});
  };
  if (g.name.empty()) out.push_back({"name", "a non-empty name", "''"});
  positive("peak_bf16", g.peak_bf16_flops, "FLOP/s");
  positive("hbm", g.hbm_bytes, "size");
  positive("hbm_bandwidth", g.hbm_bandwidth_Bps, "bandwidth");
  positive("scaleup_bandwidth", g.scaleup_bandwidth_Bps, "bandwidth");
  positive("scaleout_bandwidth", g.scaleout_bandwidth_Bps, "bandwidth");
  positive("tdp", g.tdp_w, "power");
  if (g.sm_count < 1) out.push_back({"sm_count", "at least 1", fmt::format("{}", g.sm_count)});
  if (!(g.matmul_efficiency > 0 && g.matmul_efficiency <= 1))
    out.push_back({"matmul_efficiency", "a fraction in (0, 1]", fmt::format("{}", g.matmul_efficiency)});
  if (g.idle_w < 0 || g.idle_w > g.tdp_w)
    out.push_back({"idle", fmt::format("a power between 0 and the TDP ({} W)", g.tdp_w), fmt::format("{} W", g.idle_w)});
  // A narrower datatype never runs slower on the same tensor cores.
  if (g.peak_fp8_flops != 0 && g.peak_fp8_flops < g.peak_bf16_flops)
    out.push_back({"peak_fp8", fmt::format("0 (no FP8) or at least peak_bf16 ({} FLOP/s)", g.peak_bf16_flops),
                   fmt::format("{}", g.peak_fp8_flops)});
  const double below_fp4 = std::max(g.peak_fp8_flops, g.peak_bf16_flops);
  if (g.peak_fp4_flops != 0 && g.peak_fp4_flops < below_fp4)
    out.push_back({"peak_fp4", fmt::format("0 (no FP4) or at least the FP8/BF16 peak ({} FLOP/s)", below_fp4),
                   fmt::format("{}", g.peak_fp4_flops)});
  if (g.rental_usd_per_gpu_hour < 0)
    out.push_back({"rental_price", "a price of at least 0 USD per GPU-hour", fmt::format("{}", g.rental_usd_per_gpu_hour)});
  if (g.source.empty()) out.push_back({"source", "where the numbers come from", "nothing"});
  return out;
}

std::vector<Problem> validate(const ModelSpec& m) {
  std::vector<Problem> out;
  auto at_least = [&](const char* key, int v, int lo) {
    if (v < lo) out.push_back({key, fmt::format("at least {}", lo), fmt::format("{}", v)});
  };
  if (m.name.empty()) out.push_back({"name", "a non-empty name", "''"});
  at_least("layers", m.layers, 1);
  at_least("hidden", m.hidden, 1);
  at_least("heads", m.heads, 1);
  at_least("ffn", m.ffn, 1);
  at_least("vocab", m.vocab, 1);
  at_least("seq_len", m.seq_len, 1);
  if (m.heads > 0 && m.head_dim == 0 && m.hidden % m.heads != 0)
    out.push_back({"heads", fmt::format("a divisor of hidden ({}) or an explicit head_dim", m.hidden),
                   fmt::format("{}", m.heads)});
  if (m.kv_heads < 0 || m.kv_heads > m.heads || (m.kv_heads > 0 && m.heads % m.kv_heads != 0))
    out.push_back({"kv_heads", fmt::format("a divisor of heads ({})", m.heads), fmt::format("{}", m.kv_heads)});
  if (m.experts > 0) {
    if (m.top_k < 1 || m.top_k > m.experts)
      out.push_back({"top_k", fmt::format("between 1 and experts ({})", m.experts), fmt::format("{}", m.top_k)});
    if (m.dense_layers < 0 || m.dense_layers >= m.layers)
      out.push_back({"dense_layers", fmt::format("between 0 and layers - 1 ({})", m.layers - 1),
                     fmt::format("{}", m.dense_layers)});
  } else if (m.top_k != 0 || m.shared_experts != 0) {
    out.push_back({"experts", "at least 1 when top_k or shared_experts is set", "0"});
  }
  if (m.kv_lora_rank > 0 && m.rope_head_dim < 1)
    out.push_back({"rope_head_dim", "at least 1 with kv_lora_rank (MLA)", fmt::format("{}", m.rope_head_dim)});
  if (!(m.train_batch_tokens > 0))
    out.push_back({"train_batch_tokens", "a positive token count", fmt::format("{}", m.train_batch_tokens)});
  if (m.source.empty()) out.push_back({"source", "where the numbers come from", "nothing"});
  return out;
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

namespace {

// Sustained-to-burst ratio of the best GEMM: ml-engineering's mamf-finder
// measured MSMF/MAMF = 702.9/828.0 = 0.85 on H200 and 1455.7/1732.6 = 0.84
// on B200 (compute/accelerator/benchmarks/README.md, 8 GPUs busy). Used to
// turn a published MAMF into a sustained efficiency where no MSMF is published.
constexpr double SUSTAINED_OVER_BURST = 0.85;

ModelSpec dense(std::string name, int layers, int hidden, int heads, int kv_heads, int ffn, bool gated, int vocab,
                int seq, double batch_tokens, std::string source) {
  ModelSpec m;
  m.name = std::move(name);
  m.layers = layers;
  m.hidden = hidden;
  m.heads = heads;
  m.kv_heads = kv_heads;
  m.ffn = ffn;
  m.gated_ffn = gated;
  m.vocab = vocab;
  m.seq_len = seq;
  m.train_batch_tokens = batch_tokens;
  m.source = std::move(source);
  return m;
}

}  // namespace

// Megatron GPT (Narayanan et al., SC'21, Table 1): vocabulary 51,200,
// sequence 2,048, FFN 4h, tied embeddings, dropout; batch from the table.
ModelSpec megatron_gpt(std::string name, int layers, int hidden, int heads, int global_batch) {
  ModelSpec m = dense(std::move(name), layers, hidden, heads, heads, 4 * hidden, false, 51200, 2048,
                      global_batch * 2048.0, "Narayanan et al., SC'21 (arXiv 2104.04473), Table 1");
  m.tied_embeddings = true;
  m.dropout = true;
  return m;
}

Catalog Catalog::builtin() {
  Catalog c;
  {
    GpuSpec g;
    g.name = "A100-SXM-80GB";
    // NVIDIA A100 Tensor Core GPU datasheet (2021), 80GB SXM column.
    g.peak_fp32_flops = 19.5e12;
    g.peak_tf32_flops = 156e12;
    g.peak_bf16_flops = 312e12;
    g.peak_fp8_flops = 0;             // Ampere has no FP8 tensor cores
    g.hbm_bytes = 80e9;
    g.hbm_bandwidth_Bps = 2.039e12;   // HBM2e
    g.scaleup_bandwidth_Bps = 300e9;  // NVLink 3: 600 GB/s bidirectional
    g.scaleout_bandwidth_Bps = 25e9;  // DGX A100: one 200 Gb/s HDR InfiniBand NIC per GPU
    g.tdp_w = 400;
    g.idle_w = 50;                    // ~50 W idle: Patel et al., "Characterizing Power Management Opportunities for LLMs in the Cloud", ASPLOS'24
    g.price_usd = 15000;              // typical 2023 street price
    g.sm_count = 108;                 // NVIDIA A100 whitepaper (GA100 in A100: 108 SMs)
    g.matmul_efficiency = 0.859 * SUSTAINED_OVER_BURST;  // MAMF 267.9/312 (ml-engineering, CUDA 12.1) x sustained ratio
    g.scaleup_gpus = 8;
    g.source = "NVIDIA A100 datasheet (80GB SXM), A100 whitepaper; MAMF: ml-engineering compute/accelerator; price: 2023 street";
    c.add_gpu(g);
  }
  {
    GpuSpec g;
    g.name = "H100-SXM";
    // NVIDIA H100 Tensor Core GPU datasheet, SXM5 column (dense = half the sparse figures).
    g.peak_fp32_flops = 66.9e12;
    g.peak_tf32_flops = 494.7e12;
    g.peak_bf16_flops = 989.4e12;
    g.peak_fp8_flops = 1978.9e12;
    g.hbm_bytes = 80e9;
    g.hbm_bandwidth_Bps = 3.35e12;    // HBM3
    g.scaleup_bandwidth_Bps = 450e9;  // NVLink 4: 900 GB/s bidirectional
    g.scaleout_bandwidth_Bps = 50e9;  // DGX H100: one 400 Gb/s ConnectX-7 per GPU
    g.tdp_w = 700;
    g.idle_w = 70;                    // ~10% of TDP idle (Patel et al., ASPLOS'24, measured on H100 servers)
    g.price_usd = 25000;              // typical 2024 street price
    g.sm_count = 132;                 // NVIDIA H100 whitepaper (H100 SXM5: 132 SMs)
    g.matmul_efficiency = 0.711;      // MSMF 702.9/989 measured on H200 (same GH100 die, 700 W), ml-engineering
    g.scaleup_gpus = 8;
    g.source = "NVIDIA H100 datasheet (SXM5), H100 whitepaper; MSMF: ml-engineering compute/accelerator; price: 2024 street";
    c.add_gpu(g);
  }
  {
    GpuSpec g;
    g.name = "H200";
    // NVIDIA H200 Tensor Core GPU datasheet (SXM): H100 compute, more and faster HBM.
    g.peak_fp32_flops = 66.9e12;
    g.peak_tf32_flops = 494.7e12;
    g.peak_bf16_flops = 989.4e12;
    g.peak_fp8_flops = 1978.9e12;
    g.hbm_bytes = 141e9;              // HBM3e
    g.hbm_bandwidth_Bps = 4.8e12;
    g.scaleup_bandwidth_Bps = 450e9;  // NVLink 4
    g.scaleout_bandwidth_Bps = 50e9;  // DGX H200: 400 Gb/s ConnectX-7 per GPU
    g.tdp_w = 700;
    g.idle_w = 70;
    g.price_usd = 32000;              // typical 2024 street price
    g.sm_count = 132;
    g.matmul_efficiency = 0.711;      // MSMF 702.9/989, 8 GPUs busy (ml-engineering benchmarks README)
    g.scaleup_gpus = 8;
    g.source = "NVIDIA H200 datasheet (SXM); MSMF: ml-engineering compute/accelerator/benchmarks; price: 2024 street";
    c.add_gpu(g);
  }
  {
    GpuSpec g;
    g.name = "B200";
    // NVIDIA DGX B200 datasheet (per-GPU share of 8): 72 PFLOPS FP8 training
    // (sparse) -> 4.5 PFLOPS dense FP8, 2.25 dense BF16, 1.1 dense TF32;
    // 1,440 GB HBM3e (180 GB per GPU) at 8 TB/s; NVLink 5 1.8 TB/s bidirectional.
    g.peak_fp32_flops = 75e12;        // HGX B200 spec: 600 TFLOPS FP32 for 8 GPUs
    g.peak_tf32_flops = 1.1e15;
    g.peak_bf16_flops = 2.25e15;
    g.peak_fp8_flops = 4.5e15;
    g.hbm_bytes = 180e9;
    g.hbm_bandwidth_Bps = 8e12;
    g.scaleup_bandwidth_Bps = 900e9;
    g.scaleout_bandwidth_Bps = 50e9;  // DGX B200: 8x ConnectX-7 400 Gb/s (also MLPerf Inference v6.0 system descriptions)
    g.tdp_w = 1000;                   // B200 TGP 1000 W (MLPerf Inference v6.0 system notes)
    g.idle_w = 100;
    g.price_usd = 40000;              // 2025 street price
    g.sm_count = 148;                 // NVIDIA Blackwell architecture technical brief (2 dies x 74 SMs)
    g.matmul_efficiency = 0.647;      // MSMF 1455.7/2250, ml-engineering benchmarks README (B200, torch 2.13)
    g.scaleup_gpus = 8;
    g.source = "NVIDIA DGX/HGX B200 datasheets (per-GPU share); MSMF: ml-engineering; price: 2025 street";
    c.add_gpu(g);
  }
  {
    GpuSpec g;
    g.name = "GB200";
    // NVIDIA GB200 NVL72 specifications (per GPU = rack / 72): 360 PFLOPS
    // FP16/BF16 and 720 PFLOPS FP8 sparse -> 2.5 / 5 PFLOPS dense; 180 PFLOPS
    // TF32 sparse -> 1.25 dense; 5,760 TFLOPS FP32 -> 80; 13.4 TB HBM3e
    // (186 GB per GPU) at 576 TB/s (8 TB/s per GPU); NVLink 5 130 TB/s (1.8 TB/s per GPU).
    g.peak_fp32_flops = 80e12;
    g.peak_tf32_flops = 1.25e15;
    g.peak_bf16_flops = 2.5e15;
    g.peak_fp8_flops = 5e15;
    g.hbm_bytes = 186e9;
    g.hbm_bandwidth_Bps = 8e12;
    g.scaleup_bandwidth_Bps = 900e9;
    g.scaleout_bandwidth_Bps = 50e9;  // one 400 Gb/s ConnectX-7 per GPU (MLPerf GB200-NVL72 system descriptions)
    g.tdp_w = 1200;                   // half of a ~2,700 W GB200 superchip less the Grace CPU share
    g.idle_w = 120;
    g.price_usd = 45000;              // 2025 estimate per GPU (rack price / 72)
    g.sm_count = 148;                 // same B200 die
    g.matmul_efficiency = 0.647;      // B200 MSMF; the higher GB200 power limit may sustain more
    g.scaleup_gpus = 72;              // NVL72: one NVLink domain of 72 GPUs
    g.source = "NVIDIA GB200 NVL72 spec sheet (per-GPU share); MSMF: B200 from ml-engineering; price: 2025 estimate";
    c.add_gpu(g);
  }
  {
    GpuSpec g;
    g.name = "MI300X";
    // AMD Instinct MI300X data sheet: 1307.4 TFLOPS BF16 dense, 2614.9 FP8,
    // 653.7 TF32, 163.4 FP32 matrix; 192 GB HBM3 at 5.3 TB/s; 7 Infinity
    // Fabric links, 896 GB/s aggregate (448 per direction); 750 W.
    g.peak_fp32_flops = 163.4e12;
    g.peak_tf32_flops = 653.7e12;
    g.peak_bf16_flops = 1307.4e12;
    g.peak_fp8_flops = 2614.9e12;
    g.hbm_bytes = 192e9;
    g.hbm_bandwidth_Bps = 5.3e12;
    g.scaleup_bandwidth_Bps = 448e9;
    g.scaleout_bandwidth_Bps = 50e9;  // 400 Gb/s NIC per GPU in AMD's reference platforms
    g.tdp_w = 750;
    g.idle_w = 90;
    g.price_usd = 17000;              // typical 2024 street price
    g.sm_count = 304;                 // compute units (AMD CDNA 3 white paper)
    g.matmul_efficiency = 0.601;      // MAMF 781.9/1300 (ml-engineering, ROCm 6.2); MI300X reaches its power cap within one kernel, so no burst correction
    g.scaleup_gpus = 8;
    g.source = "AMD Instinct MI300X data sheet, CDNA 3 white paper; MAMF: ml-engineering; price: 2024 street";
    c.add_gpu(g);
  }

  // ---- Today's accelerators (issue 21). Fields marked in `estimates` are
  // not published by the vendor; docs/models.md lists every source. ----
  {
    // NVIDIA H800 SXM5: the China-market H100 (March 2023). Same GH100 die,
    // clocks and HBM as the H100 SXM; NVLink cut to 400 GB/s bidirectional
    // (8 links instead of 18) and FP64 to 1 TFLOPS. NVIDIA H800 Tensor Core
    // GPU datasheet (SXM); DeepSeek-V3 Technical Report (arXiv 2412.19437),
    // Sec. 3.2.2: nodes of 8 H800 with NVLink/NVSwitch, one 400 Gb/s
    // InfiniBand (50 GB/s) NIC per GPU.
    GpuSpec g = *c.find_gpu("H100-SXM");
    g.name = "H800";
    g.scaleup_bandwidth_Bps = 200e9;  // 400 GB/s bidirectional
    g.scaleout_bandwidth_Bps = 50e9;
    g.price_usd = 30000;              // estimate: reported 2023 China street price
    g.estimates = "idle, price";
    g.source = "NVIDIA H800 datasheet (SXM); DeepSeek-V3 report Sec. 3.2.2 (8x 400G IB per node); price: estimate";
    c.add_gpu(g);
  }
  {
    // NVIDIA H20 (2024): a cut-down Hopper for the China market, sold for
    // inference. NVIDIA H20 product brief as reported by the trade press
    // (e.g. willitrunai.com/gpus/h20-96gb, zangshuxian.com): 96 GB HBM3 at
    // 4.0 TB/s, 148 TFLOPS FP16/BF16 dense, 296 FP8/INT8, 74 TF32, 44 FP32,
    // FP64 1 TFLOPS, NVLink 900 GB/s bidirectional kept, 400 W, 78 SMs
    // (Geekbench listing).
    GpuSpec g;
    g.name = "H20";
    g.peak_fp32_flops = 44e12;
    g.peak_tf32_flops = 74e12;
    g.peak_bf16_flops = 148e12;
    g.peak_fp8_flops = 296e12;
    g.hbm_bytes = 96e9;
    g.hbm_bandwidth_Bps = 4.0e12;
    g.scaleup_bandwidth_Bps = 450e9;  // NVLink 4: 900 GB/s bidirectional
    g.scaleout_bandwidth_Bps = 50e9;  // HGX H20: 400 Gb/s NIC per GPU
    g.tdp_w = 400;
    g.idle_w = 40;                    // estimate: ~10% of TDP, as on H100
    g.price_usd = 12000;              // estimate: trade press reported USD 12-15k (2024)
    g.sm_count = 78;
    // Estimate: at 148 TFLOPS in a 400 W envelope the GEMM is not power
    // bound, so the sustained fraction is taken as the H200/B200 burst MAMF
    // fraction (828/989 = 0.84), not the power-capped MSMF.
    g.matmul_efficiency = 0.84;
    g.scaleup_gpus = 8;
    g.estimates = "idle, price, matmul_efficiency, sm_count";
    g.source = "NVIDIA H20 product brief (as reported: 96GB HBM3 4.0TB/s, 148/296 TFLOPS, 400W); efficiency, price: estimates";
    c.add_gpu(g);
  }
  {
    // Huawei Ascend 910B (2023): one DaVinci die, 7 nm (SMIC N+2). Atlas 800T
    // A2 specifications and the Ascend 910B2 figures used by Huawei's
    // CloudMatrix384 paper (Zuo et al. 2025, arXiv 2506.12708, Sec. 3.1:
    // each 910C die ~376 TFLOPS dense BF16/FP16, 64 GB, 1.6 TB/s). Ascend has
    // no FP8 units (INT8 only). HCCS: 7 links, 392 GB/s bidirectional; 8
    // NPUs per server; one 200 Gb/s RoCE port per NPU; 400 W (910B2 board).
    // The 910B3 variant is 313 TFLOPS: override peak_bf16 in a scenario.
    GpuSpec g;
    g.name = "Ascend-910B";
    g.peak_fp32_flops = 94e12;        // estimate: a quarter of FP16, as on DaVinci's vector unit
    g.peak_tf32_flops = 188e12;       // HF32 (Ascend's TF32): half of FP16
    g.peak_bf16_flops = 376e12;
    g.peak_fp8_flops = 0;
    g.hbm_bytes = 64e9;               // HBM2e
    g.hbm_bandwidth_Bps = 1.6e12;
    g.scaleup_bandwidth_Bps = 196e9;  // HCCS 392 GB/s bidirectional
    g.scaleout_bandwidth_Bps = 25e9;  // 200 Gb/s RoCE per NPU
    g.tdp_w = 400;
    g.idle_w = 60;                    // estimate
    g.price_usd = 16000;              // estimate: no list price is published
    g.sm_count = 24;                  // AI cores (910B2)
    // Estimate: Huawei reports over 50% MFU training Pangu Ultra 135B on
    // 8,192 910B (Yin et al. 2025, arXiv 2504.07866), so large GEMMs sustain
    // at least that; 0.6 is used (the MI300X value).
    g.matmul_efficiency = 0.6;
    g.scaleup_gpus = 8;
    g.estimates = "peak_fp32, idle, price, matmul_efficiency";
    g.source = "Huawei Atlas 800T A2 / Ascend 910B2 specs; CloudMatrix384 paper (arXiv 2506.12708) Sec. 3; Pangu Ultra (arXiv 2504.07866); price, efficiency: estimates";
    c.add_gpu(g);
  }
  {
    // Huawei Ascend 910C (2025): two 910B-class dies in one package.
    // CloudMatrix384 paper (arXiv 2506.12708), Sec. 3.1-3.2: 752 TFLOPS
    // dense BF16/FP16 per NPU, 128 GB HBM at 3.2 TB/s; the CloudMatrix 384
    // supernode joins 384 NPUs (48 nodes of 8, 12 compute racks) over the
    // optical Unified Bus into one scale-up domain, 392 GB/s per direction
    // per NPU (784 GB/s bidirectional, Huawei's figure); a separate RDMA
    // plane gives 400 Gb/s per NPU. SemiAnalysis ("Huawei AI CloudMatrix
    // 384", April 2025): ~300 PFLOPS BF16 and ~559 kW for the supernode.
    GpuSpec g;
    g.name = "Ascend-910C";
    g.peak_fp32_flops = 188e12;       // estimate: two 910B dies
    g.peak_tf32_flops = 376e12;       // two 910B dies
    g.peak_bf16_flops = 752e12;
    g.peak_fp8_flops = 0;             // INT8 only; the paper serves DeepSeek-R1 in INT8
    g.hbm_bytes = 128e9;
    g.hbm_bandwidth_Bps = 3.2e12;
    g.scaleup_bandwidth_Bps = 392e9;
    g.scaleout_bandwidth_Bps = 50e9;
    // Estimate: two 910B-class dies (~350 W each); the supernode's 559 kW
    // over 384 NPUs (1,456 W) also pays for 192 Kunpeng CPUs and 6,912 optics.
    g.tdp_w = 750;
    g.idle_w = 110;                   // estimate
    g.price_usd = 28000;              // estimate: no price is published (about two 910B, not sold outside the supernode)
    g.sm_count = 48;                  // AI cores: 2 x 24
    g.matmul_efficiency = 0.6;        // estimate, as 910B
    g.scaleup_gpus = 384;             // CloudMatrix 384: one UB domain
    g.estimates = "peak_fp32, tdp, idle, price, matmul_efficiency";
    g.source = "Huawei CloudMatrix384 paper (Zuo et al., arXiv 2506.12708) Sec. 3; SemiAnalysis CloudMatrix 384 (2025-04); TDP, price, efficiency: estimates";
    c.add_gpu(g);
  }
  {
    // NVIDIA B300 (Blackwell Ultra) in HGX B300: NVIDIA HGX platform
    // specifications, HGX B300 column (8 GPUs): FP4 144 / 105 PFLOPS
    // (sparse / dense), FP8 72 sparse, FP16/BF16 36 sparse, TF32 18 sparse,
    // FP32 600 TFLOPS, 2.3 TB HBM3e, NVLink 5 14.4 TB/s total, ConnectX-8
    // 800 Gb/s per GPU. Per GPU: BF16 2.25 PF, FP8 4.5 PF, FP4 13.1 PF
    // dense, 288 GB at 8 TB/s, 1,100 W (Verda, "GB300 NVL72 architecture",
    // per-GPU table). FP64 is cut to 1.25 TFLOPS. 160 SMs (Blackwell Ultra
    // technical blog: 2 dies x 80 SMs).
    GpuSpec g;
    g.name = "B300";
    g.peak_fp32_flops = 75e12;
    g.peak_tf32_flops = 1.125e15;
    g.peak_bf16_flops = 2.25e15;
    g.peak_fp8_flops = 4.5e15;
    g.peak_fp4_flops = 105e15 / 8;
    g.hbm_bytes = 288e9;
    g.hbm_bandwidth_Bps = 8e12;
    g.scaleup_bandwidth_Bps = 900e9;
    g.scaleout_bandwidth_Bps = 100e9;  // ConnectX-8 800 Gb/s
    g.tdp_w = 1100;
    g.idle_w = 110;                   // estimate: 10% of TDP
    g.price_usd = 50000;              // estimate: 2025 street
    g.sm_count = 160;
    g.matmul_efficiency = 0.647;      // B200 MSMF (same BF16 tensor rate); not measured on B300
    g.scaleup_gpus = 8;
    g.estimates = "idle, price, matmul_efficiency";
    g.source = "NVIDIA HGX B300 specifications (per-GPU share); Verda GB300/B300 per-GPU table; MSMF: B200; price: estimate";
    c.add_gpu(g);
  }
  {
    // NVIDIA GB300 NVL72 specifications (per GPU = rack / 72): FP4 1,440 /
    // 1,080 PFLOPS (sparse / dense) -> 15 PF dense; FP8/FP6 720 sparse -> 5
    // dense; FP16/BF16 360 sparse -> 2.5 dense; TF32 180 sparse -> 1.25;
    // FP32 6 PF -> 83; up to 20 TB HBM3e (288 GB per GPU) at 576 TB/s
    // (8 TB/s); NVLink 5 130 TB/s (1.8 TB/s per GPU); one ConnectX-8 800 Gb/s
    // per GPU; 1,400 W per GPU (Verda per-GPU table).
    GpuSpec g = *c.find_gpu("B300");
    g.name = "GB300";
    g.peak_fp32_flops = 83e12;
    g.peak_tf32_flops = 1.25e15;
    g.peak_bf16_flops = 2.5e15;
    g.peak_fp8_flops = 5e15;
    g.peak_fp4_flops = 15e15;
    g.tdp_w = 1400;
    g.idle_w = 140;                   // estimate
    g.price_usd = 55000;              // estimate: ~USD 4M per NVL72 rack / 72, less the non-GPU share
    g.scaleup_gpus = 72;
    g.estimates = "idle, price, matmul_efficiency";
    g.source = "NVIDIA GB300 NVL72 specifications (rack / 72); Verda per-GPU table; MSMF: B200; price: estimate";
    c.add_gpu(g);
  }
  {
    // AMD Instinct MI325X data sheet (Oct 2024): MI300X's CDNA 3 compute
    // (1307.4 TFLOPS BF16 dense, 2614.9 FP8, 653.7 TF32, 163.4 FP32 matrix,
    // 304 CUs), 256 GB HBM3E at 6 TB/s, 1,000 W; same 7 Infinity Fabric links.
    GpuSpec g = *c.find_gpu("MI300X");
    g.name = "MI325X";
    g.hbm_bytes = 256e9;
    g.hbm_bandwidth_Bps = 6e12;
    g.tdp_w = 1000;
    g.idle_w = 100;                   // estimate
    g.price_usd = 20000;              // estimate
    g.rental_usd_per_gpu_hour = 2.00; // on-demand cloud listings, 2025 ($2.00-2.25/h; awesomeagents.ai/hardware/amd-mi325x)
    g.estimates = "idle, price, matmul_efficiency";
    g.source = "AMD Instinct MI325X data sheet; MAMF: MI300X (same CDNA 3 die); rental: 2025 listings; price: estimate";
    c.add_gpu(g);
  }
  {
    // AMD Instinct MI355X (CDNA 4, June 2025): AMD MI350 series data sheet
    // and "Introducing AMD CDNA 4 architecture" white paper: 2.5 PF BF16
    // dense (2516.6 TFLOPS), 5.0 PF FP8 (5033.2), 10.1 PF MXFP4/MXFP6
    // (10066.3; 20.1 with sparsity), 157.3 TF FP32; 288 GB HBM3E at 8 TB/s;
    // 256 CUs (8 XCDs x 32); 7 Infinity Fabric links, 1,075 GB/s aggregate;
    // 1,400 W (liquid cooled; the air-cooled MI350X is 1,000 W). Tom's
    // Hardware, "AMD's Instinct MI355X accelerator will consume 1,400 watts".
    GpuSpec g;
    g.name = "MI355X";
    g.peak_fp32_flops = 157.3e12;
    g.peak_tf32_flops = 0;            // CDNA 4 has no TF32 matrix path (emulated in BF16)
    g.peak_bf16_flops = 2516.6e12;
    g.peak_fp8_flops = 5033.2e12;
    g.peak_fp4_flops = 10066.3e12;
    g.hbm_bytes = 288e9;
    g.hbm_bandwidth_Bps = 8e12;
    g.scaleup_bandwidth_Bps = 537.6e9;  // 1,075.2 GB/s aggregate over 7 links
    g.scaleout_bandwidth_Bps = 50e9;    // AMD Pensando Pollara 400 NIC per GPU
    g.tdp_w = 1400;
    g.idle_w = 140;                   // estimate
    g.price_usd = 25000;              // estimate
    g.sm_count = 256;
    g.matmul_efficiency = 0.601;      // estimate: MI300X MAMF fraction; not measured on MI355X
    g.scaleup_gpus = 8;
    g.estimates = "idle, price, matmul_efficiency";
    g.source = "AMD Instinct MI355X data sheet, CDNA 4 white paper; Tom's Hardware (1,400 W); efficiency, price: estimates";
    c.add_gpu(g);
  }

  // GPT-3 175B: Brown et al. 2020, Table 2.1 (96 layers, d_model 12288, 96
  // heads, context 2048, batch 3.2M tokens); vocabulary 50,257 (GPT-2 BPE), tied.
  {
    ModelSpec m = dense("gpt3-175b", 96, 12288, 96, 96, 4 * 12288, false, 50257, 2048, 3.2e6, "Brown et al. 2020, Table 2.1");
    m.tied_embeddings = true;
    m.dropout = true;
    c.add_model(m);
  }
  // Llama 2: Touvron et al. 2023 (Table 1 and the released configs): 4k
  // context, 4M-token batches, vocabulary 32,000, SwiGLU, GQA only at 70B.
  c.add_model(dense("llama2-7b", 32, 4096, 32, 32, 11008, true, 32000, 4096, 4e6, "Touvron et al. 2023 (Llama 2), Table 1; params.json"));
  c.add_model(dense("llama2-13b", 40, 5120, 40, 40, 13824, true, 32000, 4096, 4e6, "Touvron et al. 2023 (Llama 2), Table 1; params.json"));
  c.add_model(dense("llama2-70b", 80, 8192, 64, 8, 28672, true, 32000, 4096, 4e6, "Touvron et al. 2023 (Llama 2), Table 1; params.json"));
  // Llama 3 / 3.1: Dubey et al. 2024 (The Llama 3 Herd of Models), Table 3;
  // 8k pretraining context; 405B trained with 16M-token batches (Sec. 3.4.1).
  c.add_model(dense("llama3-8b", 32, 4096, 32, 8, 14336, true, 128256, 8192, 16e6, "Dubey et al. 2024, Table 3"));
  c.add_model(dense("llama3-70b", 80, 8192, 64, 8, 28672, true, 128256, 8192, 16e6, "Dubey et al. 2024, Table 3"));
  c.add_model(dense("llama3-405b", 126, 16384, 128, 8, 53248, true, 128256, 8192, 16e6, "Dubey et al. 2024, Table 3"));
  // The Megatron GPT family of SC'21 Table 1 (name: parameters in billions as the paper rounds them).
  c.add_model(megatron_gpt("megatron-1.7b", 24, 2304, 24, 512));
  c.add_model(megatron_gpt("megatron-3.6b", 30, 3072, 32, 512));
  c.add_model(megatron_gpt("megatron-7.5b", 36, 4096, 32, 512));
  c.add_model(megatron_gpt("megatron-18b", 40, 6144, 48, 1024));
  c.add_model(megatron_gpt("megatron-39b", 48, 8192, 64, 1536));
  c.add_model(megatron_gpt("megatron-76b", 60, 10240, 80, 1792));
  c.add_model(megatron_gpt("megatron-145b", 80, 12288, 96, 2304));
  c.add_model(megatron_gpt("megatron-310b", 96, 16384, 128, 2160));
  c.add_model(megatron_gpt("megatron-530b", 105, 20480, 128, 2520));
  c.add_model(megatron_gpt("megatron-1t", 128, 25600, 160, 3072));
  // Mixtral 8x7B: Jiang et al. 2024 (arXiv 2401.04088), Table 1: 32 layers,
  // dim 4096, 32 heads, 8 KV heads, FFN 14336, 8 experts, top-2, vocab 32,000, 32k context.
  {
    ModelSpec m = dense("mixtral-8x7b", 32, 4096, 32, 8, 14336, true, 32000, 4096, 4e6, "Jiang et al. 2024 (Mixtral of Experts), Table 1");
    m.experts = 8;
    m.top_k = 2;
    m.moe_ffn = 14336;
    c.add_model(m);
  }
  // DeepSeek-V3: DeepSeek-AI 2024 (arXiv 2412.19437), Sec. 4.2: 61 layers,
  // hidden 7168, 128 heads of 128 (+64 rotary), MLA with KV rank 512 and
  // query rank 1536, first 3 layers dense (FFN 18432), then 1 shared + 256
  // routed experts of 2048, 8 active; vocab 129,280 (HF config); 4k
  // pretraining context; batch ramps to 15,360 sequences (63M tokens). The
  // multi-token-prediction module (14B) is left out.
  {
    ModelSpec m = dense("deepseek-v3", 61, 7168, 128, 128, 18432, true, 129280, 4096, 15360 * 4096.0,
                        "DeepSeek-AI 2024 (DeepSeek-V3 Technical Report), Sec. 4.2; config.json");
    m.experts = 256;
    m.top_k = 8;
    m.shared_experts = 1;
    m.moe_ffn = 2048;
    m.dense_layers = 3;
    m.head_dim = 128;
    m.v_head_dim = 128;
    m.q_lora_rank = 1536;
    m.kv_lora_rank = 512;
    m.rope_head_dim = 64;
    c.add_model(m);
  }
  return c;
}

}  // namespace gwsim::gpu_models
