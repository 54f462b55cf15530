#include "gpu_models/inference.hpp"

#include <algorithm>
#include <cmath>
#include <fmt/format.h>

namespace gwsim::gpu_models {
namespace {

using namespace formulas;

bool fp8_gemms(const InferenceQuery& q) { return q.plan.fp8_weights && q.gpu->peak_fp8_flops > 0; }
double weight_bytes(const InferenceQuery& q) { return fp8_gemms(q) ? 1.0 : 2.0; }
double kv_element_bytes(const InferenceQuery& q) { return q.plan.fp8_kv_cache ? 1.0 : 2.0; }
double stage_layers(const InferenceQuery& q) { return std::ceil(double(q.model->layers) / std::max(1, q.plan.pp)); }

/// KV-cache bytes one token takes on one GPU: its stage's layers; K and V
/// heads split over tp (replicated when tp exceeds the KV heads); the MLA
/// latent is replicated on every tp rank.
double kv_bytes_per_token_per_gpu(const InferenceQuery& q) {
  const ModelSpec& m = *q.model;
  const double tp = std::max(1, q.plan.tp);
  const double share = m.kv_lora_rank > 0 ? 1.0 : std::max(1.0 / tp, 1.0 / m.kv());
  return stage_layers(q) * m.kv_cache_elements() * kv_element_bytes(q) * share;
}

/// One forward pass on one replica for `seqs` sequences, each adding
/// `new_tokens` to a context of `context` tokens: prefill (new_tokens =
/// prompt, context 0) or a decode step (new_tokens = 1). The stages run one
/// after the other (latency of one pass).
double forward_time(const InferenceQuery& q, double seqs, double new_tokens, double context) {
  const ModelSpec& m = *q.model;
  const GpuSpec& g = *q.gpu;
  const double tp = std::max(1, q.plan.tp), pp = std::max(1, q.plan.pp);
  const double h = m.hidden, M = seqs * new_tokens;
  const GpuDims gd = formulas::gpu_dims(g.peak_bf16_flops, g.peak_fp8_flops, g.matmul_efficiency, double(g.sm_count),
                                        g.hbm_bytes, g.hbm_bandwidth_Bps);
  const Engine gemm = make_engine(gd, fp8_gemms(q));
  const Engine bf16 = make_engine(gd, false);
  const Net net = make_net(link_dims(q.links));
  const double gated = m.gated_ffn ? 2.0 : 1.0, act = m.gated_ffn ? 3.0 : 2.0;
  const double moe_ffn = m.moe_ffn > 0 ? m.moe_ffn : m.ffn;

  const double attn_in_width = (m.attention_params() - double(m.heads) * m.v_dim() * h) / h;
  const double t_proj = gemm_time(M, attn_in_width / tp, h, 1, gemm) + gemm_time(M, h, m.heads * m.v_dim() / tp, 1, gemm);
  // Attention: every new token attends to the context and to the new tokens
  // before it (FlashAttention-style kernels, at the GEMM rate times
  // FLASH_FORWARD_RATE), and the context's KV cache is read once.
  const double heads_local = m.heads / tp;
  const double attn_flops = 2.0 * seqs * heads_local * new_tokens * (context + 0.5 * new_tokens) * (m.qk_dim() + m.v_dim());
  const double kv_read = seqs * context * kv_bytes_per_token_per_gpu(q) / stage_layers(q);
  const double t_attn = std::max(attn_flops * bf16.inv_rate / FLASH_FORWARD_RATE, kv_read * bf16.inv_stream_Bps);

  const double t_mlp_dense = gemm_time(M, gated * m.ffn / tp, h, 1, gemm) + gemm_time(M, h, m.ffn / tp, 1, gemm);
  double t_mlp_moe = 0, t_a2a = 0;
  if (m.is_moe()) {
    // Experts sit spread over the tp GPUs of the stage. M tokens choosing
    // top_k of E experts touch E (1 - (1 - k/E)^M) of them on average, and
    // every touched expert's weights are read.
    const double E = m.experts, k = m.top_k;
    const double touched = E * (1.0 - std::pow(1.0 - k / E, M));
    const double per_gpu = std::max(1.0, touched / tp);
    const double rows = M * k / touched;
    t_mlp_moe = gemm_time(rows, gated * moe_ffn, h, per_gpu, gemm) + gemm_time(rows, h, moe_ffn, per_gpu, gemm) +
                gemm_time(M, gated * m.shared_experts * moe_ffn / tp, h, 1, gemm) +
                gemm_time(M, h, m.shared_experts * moe_ffn / tp, 1, gemm) + gemm_time(M, E, h, 1, bf16);
    t_a2a = 2.0 * (alltoall_time(tp, 1, M * k * h * 2.0, net) + (tp > 1 ? KERNEL_OVERHEAD_S : 0.0));
  }
  const double ew_bytes = 20.0 * h * M + 2.0 * act * (m.is_moe() ? moe_ffn * (m.top_k + m.shared_experts) : m.ffn) * M / tp +
                          M * kv_bytes_per_token_per_gpu(q) / stage_layers(q);  // norms, residuals, activation, KV write
  const double t_ew = ew_bytes * bf16.inv_stream_Bps;
  // Tensor parallel: an all-reduce after attention and after the FFN, each a kernel of its own.
  const double t_allreduce = tp > 1 ? allreduce_time(tp, 1, 2.0 * M * h, net) + KERNEL_OVERHEAD_S : 0.0;
  const double launch = KERNELS_PER_LAYER * KERNEL_OVERHEAD_S;

  const double dense_layer = t_proj + t_attn + t_mlp_dense + t_ew + 2.0 * t_allreduce + launch;
  const double moe_layer = t_proj + t_attn + t_mlp_moe + t_ew + t_allreduce + t_a2a + launch;
  const double moe_frac = m.is_moe() ? double(m.moe_layers()) / m.layers : 0.0;
  const double stage = stage_layers(q) * ((1.0 - moe_frac) * dense_layer + moe_frac * moe_layer);
  const double logits = gemm_time(seqs, m.vocab / tp, h, 1, gemm);  // last token of each sequence
  const double p2p = pp > 1 ? (pp - 1.0) * p2p_time(tp, 2.0 * M * h, net) : 0.0;
  return pp * stage + p2p + logits;
}

}  // namespace

double prefill_time_s(const InferenceQuery& q, double batch, double tokens) {
  return forward_time(q, std::max(1.0, batch), std::max(1.0, tokens), 0.0);
}

double decode_step_time_s(const InferenceQuery& q, double batch, double context) {
  return forward_time(q, std::max(1.0, batch), 1.0, std::max(0.0, context));
}

InferenceEstimate estimate_inference(const InferenceQuery& q) {
  InferenceEstimate e;
  if (!q.model || !q.gpu) {
    e.reason = "missing model or GPU";
    return e;
  }
  const ModelSpec& m = *q.model;
  const int tp = q.plan.tp, pp = q.plan.pp;
  if (tp < 1 || pp < 1 || q.batch < 1 || q.prompt_tokens < 1 || q.output_tokens < 1) {
    e.reason = fmt::format("tp, pp, batch, prompt and output tokens must be at least 1 (tp={} pp={} batch={} prompt={} "
                           "output={})", tp, pp, q.batch, q.prompt_tokens, q.output_tokens);
    return e;
  }
  if (m.heads % tp != 0) {
    e.reason = fmt::format("tp = {} does not divide the {} attention heads", tp, m.heads);
    return e;
  }
  if (pp > m.layers) {
    e.reason = fmt::format("pp = {} exceeds the {} layers", pp, m.layers);
    return e;
  }
  e.weights_bytes_per_gpu = m.params() * weight_bytes(q) / (tp * pp);
  const double kv_gpu = kv_bytes_per_token_per_gpu(q);
  e.kv_bytes_per_token = kv_gpu * tp * pp;
  const double free_bytes =
      q.gpu->hbm_bytes * q.plan.memory_utilization - e.weights_bytes_per_gpu - RUNTIME_RESERVE_BYTES;
  e.kv_capacity_tokens = std::max(0.0, free_bytes / kv_gpu);
  e.max_batch = std::floor(e.kv_capacity_tokens / (q.prompt_tokens + q.output_tokens));
  e.prefill_s = prefill_time_s(q, q.batch, q.prompt_tokens);
  e.decode_step_s = decode_step_time_s(q, q.batch, q.prompt_tokens + 0.5 * q.output_tokens);
  // Decode time grows linearly with context, so the mid-output step times
  // the output length is the sum over all steps.
  e.batch_latency_s = e.prefill_s + q.output_tokens * e.decode_step_s;
  e.output_tokens_per_s = double(q.batch) * q.output_tokens / e.batch_latency_s;
  if (free_bytes <= 0) {
    e.reason = fmt::format("the weights need {:.1f} GB per GPU; {} leaves {:.1f} GB to use", e.weights_bytes_per_gpu / 1e9,
                           q.gpu->name, (q.gpu->hbm_bytes * q.plan.memory_utilization - RUNTIME_RESERVE_BYTES) / 1e9);
    return e;
  }
  if (e.max_batch < q.batch) {
    e.reason = fmt::format("{} sequences of {} tokens need {:.0f} tokens of KV cache; the replica holds {:.0f}",
                           q.batch, q.prompt_tokens + q.output_tokens,
                           double(q.batch) * (q.prompt_tokens + q.output_tokens), e.kv_capacity_tokens);
    return e;
  }
  e.feasible = true;
  return e;
}

ServingEstimate estimate_serving(const InferenceQuery& query, const ServingLoad& load) {
  ServingEstimate s;
  InferenceQuery q = query;
  q.batch = 1;
  q.prompt_tokens = load.prompt_tokens;
  q.output_tokens = load.output_tokens;
  const InferenceEstimate one = estimate_inference(q);
  s.max_batch = one.max_batch;
  if (!one.feasible) {
    s.reason = one.reason;
    return s;
  }
  if (!(load.concurrency > 0) && !(load.arrival_rate_per_s > 0)) {
    s.reason = "the load needs a concurrency or an arrival rate above 0";
    return s;
  }
  const double o = load.output_tokens;
  const double context = load.prompt_tokens + 0.5 * o;  // mean context while decoding
  const double prefill = one.prefill_s;                 // prompts are prefilled one at a time
  const bool closed = load.concurrency > 0;
  // In service at once: every user in a closed loop, capped by the KV cache.
  const double in_service = closed ? std::min(load.concurrency, s.max_batch) : 0.0;
  s.saturated = closed && load.concurrency > s.max_batch;

  // Continuous batching (Yu et al., Orca, OSDI'22; Kwon et al., vLLM,
  // SOSP'23): each iteration decodes every running sequence; a new request's
  // prefill runs between iterations and stalls them. With arrival rate L:
  //   prefill share  rho  = L x prefill
  //   TPOT                = decode_step(batch) / (1 - rho)
  //   running batch       = L x output x TPOT              (Little's law)
  //   TTFT                = prefill + half an iteration + M/D/1 wait rho prefill / (2 (1 - rho))
  // closed loop: L = users / (TTFT + output x TPOT). Solved by fixed-point iteration.
  double tpot = decode_step_time_s(q, 1, context), ttft = prefill, rate = 0, batch = 1, rho = 0;
  for (int i = 0; i < 200; ++i) {
    rate = closed ? in_service / (ttft + o * tpot) : load.arrival_rate_per_s;
    rho = std::min(0.95, rate * prefill);
    batch = std::max(1.0, std::min(rate * o * tpot, closed ? in_service : 1e12));
    const double step = decode_step_time_s(q, batch, context);
    const double tpot_new = step / (1.0 - rho);
    const double ttft_new = prefill + 0.5 * step + rho * prefill / (2.0 * (1.0 - rho));
    tpot = 0.5 * (tpot + tpot_new);
    ttft = 0.5 * (ttft + ttft_new);
  }
  if (!closed && (rate * prefill >= 0.95 || batch > s.max_batch)) {
    s.saturated = true;
    s.reason = fmt::format("{:.3g} requests/s exceed what one replica serves (prefill share {:.2f}, running batch {:.0f} "
                           "of at most {:.0f})", rate, rate * prefill, batch, s.max_batch);
  }
  if (s.saturated && closed) {
    // Users beyond the KV-cache limit queue for a slot: each waits for
    // (users - slots) completions at the saturated completion rate.
    ttft += (load.concurrency - in_service) / rate;
  }
  s.requests_per_s = rate;
  s.output_tokens_per_s = rate * o;
  s.ttft_s = ttft;
  s.tpot_s = tpot;
  s.running_batch = batch;
  s.prefill_share = rho;
  s.feasible = !(s.saturated && !closed);
  return s;
}

std::vector<ServingComparison> validate_serving(const Catalog& catalog) {
  std::vector<ServingComparison> out;
  const GpuSpec* h100 = catalog.find_gpu("H100-SXM");
  const ModelSpec* llama3 = catalog.find_model("llama3-70b");
  if (!h100 || !llama3) return out;

  // NVIDIA NIM for LLMs benchmarking guide, "Performance", Llama-3.3-70b-instruct,
  // NIM 1.8.0, 2 x H100 80GB, FP8, TP2, 5000 input / 500 output tokens
  // (docs.nvidia.com/nim/benchmarking/llm/1.0.0/performance). Llama 3.3 70B
  // has the architecture of Llama 3 70B. FP8 weights and KV cache.
  {
    InferenceQuery q;
    q.model = llama3;
    q.gpu = h100;
    q.plan.tp = 2;
    q.plan.fp8_weights = true;
    q.plan.fp8_kv_cache = true;
    q.links = reference_links(*h100);
    struct Row {
      double concurrency, ttft_ms, itl_ms, tokens_per_s;
    };
    const char* source = "NVIDIA NIM 1.8.0 benchmarks, Llama-3.3-70B FP8 TP2 on 2 H100, 5000 in / 500 out";
    for (const Row& row : {Row{1, 406.77, 18.58, 51.67}, Row{5, 546.7, 21.83, 218.48}, Row{25, 688.69, 38.75, 623.4},
                           Row{50, 834.51, 59.73, 814.37}, Row{100, 7996.25, 92.91, 917.26}}) {
      ServingLoad load;
      load.concurrency = row.concurrency;
      load.prompt_tokens = 5000;
      load.output_tokens = 500;
      const ServingEstimate s = estimate_serving(q, load);
      const std::string name = fmt::format("Llama 3.3 70B, 2 H100 FP8, concurrency {}", row.concurrency);
      out.push_back({name, "TTFT ms", source, row.ttft_ms, s.ttft_s * 1e3});
      out.push_back({name, "inter-token ms", source, row.itl_ms, s.tpot_s * 1e3});
      out.push_back({name, "output tokens/s", source, row.tokens_per_s, s.output_tokens_per_s});
    }
  }
  return out;
}

}  // namespace gwsim::gpu_models
