#pragma once
// The training cost model as plain arithmetic on flat numbers, shared by the
// CPU backend (backend.cpp, cost_model.cpp) and the CUDA backend
// (cuda/backend_cuda.cu): every function here is inline and, under nvcc,
// __host__ __device__, so both backends run the same formulas. The
// equations, their sources and the validation are in docs/models.md.
//
// Rules that keep CPU and GPU within 1e-9 of each other: doubles only, no
// libm calls (ceil, log2 and floor are done on the bits below), and the CUDA
// file is compiled with --fmad=false so no multiply-add is contracted.
#include <cstdint>
#include <cstring>

#if defined(__CUDACC__)
#define GWSIM_HD __host__ __device__ inline
#else
#define GWSIM_HD inline
#endif

namespace gwsim::gpu_models::formulas {

// ---- Constants from the world, each with its source ------------------------

// GEMM tiles. CUTLASS's default large tile for BF16 on SM80/SM90 is 128x256;
// cuBLAS falls back to small tiles for skinny GEMMs: 64 wide, and as few rows
// as the tensor-core MMA allows (multiples of 16, m16n8k16) up to 64, at a
// lower per-SM rate (less operand reuse per tile).
constexpr double TILE_M = 128;
constexpr double TILE_N = 256;
constexpr double SMALL_TILE = 64;
constexpr double MMA_ROWS = 16;
constexpr double SMALL_TILE_RATE = 0.8;
// Length of the reduction (K) dimension that a tile's prologue and epilogue
// cost: a 3-4 stage software pipeline of 32-64 K per stage has to fill and
// drain (CUTLASS multistage mainloop), so a GEMM of reduction K runs at
// K / (K + K_OVERHEAD) of the rate of a very deep one.
constexpr double K_OVERHEAD = 128;
// Fraction of the HBM bandwidth that streaming kernels reach (BabelStream-class
// measurements: ~1.8 of 2.04 TB/s on A100 80GB, ~3.0 of 3.35 TB/s on H100).
constexpr double HBM_EFFICIENCY = 0.9;
// NCCL ring bus bandwidth as a fraction of the link rate (nccl-tests
// all_reduce_perf: ~235 of 300 GB/s on DGX A100 NVLink, ~360 of 450 on DGX
// H100; InfiniBand HDR/NDR reach ~92% of line rate).
constexpr double SCALEUP_EFFICIENCY = 0.8;
constexpr double SCALEOUT_EFFICIENCY = 0.9;
// Launch and synchronisation cost per kernel, and kernels per transformer
// layer per pass (Megatron runs ~16: norms, 4 GEMMs, attention, fused bias,
// activation and dropout-add kernels); a few microseconds each (CUDA launch
// latency, NVIDIA CUDA C++ Best Practices Guide).
constexpr double KERNEL_OVERHEAD_S = 3e-6;
constexpr double KERNELS_PER_LAYER = 16;
// FlashAttention relative to the GPU's best GEMM. FlashAttention-2 (Dao
// 2023) reaches 230 TFLOP/s forward and ~190 backward on A100 against a
// 268 TFLOP/s MAMF; FlashAttention-3 (Shah et al. 2024) 740 forward on H100
// against 792: forward ~0.9 and backward ~0.72 of the GEMM rate. The
// backward counts 2.5x the forward's work (5 matmuls instead of 2, FA2 benchmark convention).
constexpr double FLASH_FORWARD_RATE = 0.9;
constexpr double FLASH_BACKWARD_RATE = 0.72;
constexpr double FLASH_BACKWARD_WORK = 2.5;
constexpr double FLASH_BLOCK_M = 128;  // query rows per thread block (FA2/FA3)
// Communication hidden under compute still costs compute: NCCL's kernels
// occupy SMs (one thread block per channel, 8-16 channels across nodes on
// 108-148 SMs: ~10%) and share HBM bandwidth, so overlapped compute runs
// that much slower while they run (NCCL environment docs, NCCL_MAX_NCHANNELS;
// the interference is measured by Rashidi et al., "Enabling Compute-Communication
// Overlap in Distributed Deep Learning Training Platforms", ISCA'21).
constexpr double OVERLAP_SLOWDOWN = 0.1;
// Mixed-precision Adam (ZeRO, Rajbhandari et al. SC'20, Sec. 3.1): 2 bytes of
// BF16 weights, 2 of gradients and 12 of optimizer state (FP32 master
// weights, momentum, variance) per parameter.
constexpr double BYTES_WEIGHTS = 2;
constexpr double BYTES_GRADS = 2;
constexpr double BYTES_OPTIMIZER = 12;
// One Adam step reads the gradient, master weight and both moments and
// writes them and the BF16 weight back: ~30 bytes of HBM traffic per parameter.
constexpr double OPTIMIZER_TRAFFIC_BYTES = 30;
// Memory no plan can use: CUDA context, cuBLAS workspaces, NCCL buffers and
// allocator fragmentation (PyTorch typically reserves 1-3 GB beyond tensors).
constexpr double RUNTIME_RESERVE_BYTES = 2e9;

// ---- Flat inputs and outputs (plain doubles so they copy to a GPU as is) --

/// A model reduced to the numbers the formulas use (built by make_query()).
struct ModelDims {
  double layers, hidden, heads, kv_heads, qk_dim, v_dim;
  double attn_in_width;   ///< parameters of the projections into attention / hidden
  double ffn, moe_ffn, gated, vocab, experts, top_k, shared_experts, moe_layers, dropout;
  double attention_params, dense_ffn_params, expert_params, embedding_params;
};
/// A GPU and a network with the reciprocals the hot path multiplies by,
/// computed once when the query is made (gpu_dims(), link_dims()).
struct GpuDims {
  double peak_bf16_flops, peak_fp8_flops, matmul_efficiency, sm_count, hbm_bytes, hbm_Bps;
  double inv_sm_count;     ///< 1 / sm_count
  double inv_rate_bf16;    ///< 1 / (peak BF16 x matmul efficiency)
  double inv_rate_fp8;     ///< 1 / (peak FP8 x matmul efficiency); the BF16 one without FP8
  double inv_stream_Bps;   ///< 1 / (HBM bandwidth x HBM_EFFICIENCY)
};
struct LinkDims {
  double scaleup_Bps, scaleup_latency_s, scaleup_gpus, scaleout_Bps, scaleout_latency_s;
  double inv_up;           ///< 1 / (scale-up bandwidth x SCALEUP_EFFICIENCY)
  double inv_out;          ///< 1 / (scale-out bandwidth x SCALEOUT_EFFICIENCY)
};
/// Recompute codes: 0 none, 1 selective (attention core), 2 full, 3 partial
/// (the fewest whole layers per stage that make the plan fit).
struct PlanDims {
  double tp, pp, dp, cp, ep, micro_batch, global_batch, virtual_stages, recompute, zero_stage;
  double sequence_parallel, flash_attention, overlap_grad_reduce, overlap_param_gather, fp8, seq_len;
  double overlap_ep_comm;  ///< 1: all-to-alls run under another micro-batch's compute (DeepSeek-V3's DualPipe)
};
struct PlanQuery {
  ModelDims m;
  GpuDims g;
  LinkDims l;
  PlanDims p;
};

/// Why a plan is infeasible (first failed check), or OK.
enum Reason : int32_t {
  OK = 0,
  BAD_DEGREES,        ///< a parallel degree, batch or length below 1
  TP_HEADS,           ///< tp does not divide the attention heads
  PP_LAYERS,          ///< fewer layers than pipeline stages x virtual stages
  CP_SEQUENCE,        ///< cp does not divide the sequence
  EP_EXPERTS,         ///< ep > 1 on a dense model, or ep does not divide experts and dp
  BATCH_SPLIT,        ///< global batch not a multiple of dp x micro-batch
  INTERLEAVE_SPLIT,   ///< interleaved schedule needs micro-batches a multiple of pp
  OUT_OF_MEMORY,      ///< needs more memory than the GPU has
  REASON_COUNT
};

struct PlanResult {
  double step_time_s;
  double compute_s;      ///< micro-batches x stage time, without communication
  double bubble_s;       ///< pipeline fill and drain
  double tp_comm_s, cp_comm_s, ep_comm_s, pp_comm_s, dp_comm_s;  ///< exposed (not hidden by compute)
  double optimizer_s;
  double weights_bytes, grads_bytes, optimizer_bytes, activations_bytes, memory_bytes;
  double model_flops;     ///< per step, whole job: 3 x forward, causal attention (for MFU)
  double executed_flops;  ///< 3 x forward with full-square attention, plus recomputation (Megatron paper convention)
  double tokens_per_s, achieved_flops_per_gpu, mfu, microbatches;
  double recompute_fraction;  ///< share of each stage's layers recomputed in full
  int32_t reason;
  int32_t pad_;
};

// ---- Arithmetic helpers (no libm) ------------------------------------------

GWSIM_HD double dmax(double a, double b) { return a > b ? a : b; }
GWSIM_HD double dmin(double a, double b) { return a < b ? a : b; }
/// floor(x) for 0 <= x < 2^62.
GWSIM_HD double floor_pos(double x) { return static_cast<double>(static_cast<int64_t>(x)); }
/// ceil(x) for 0 <= x < 2^51: adding and removing 2^52 rounds to the nearest
/// whole number in two IEEE additions (cheaper than converting to an integer
/// and back); one comparison then corrects it upwards.
GWSIM_HD double ceil_pos(double x) {
  const double two52 = 4503599627370496.0;
  const double nearest = (x + two52) - two52;
  return nearest < x ? nearest + 1.0 : nearest;
}
/// true when x is a whole number (0 <= x < 2^51).
GWSIM_HD bool is_whole(double x) { return floor_pos(x) == x; }
/// true when b is a whole multiple of a (both whole numbers >= 1).
GWSIM_HD bool divides(double a, double b) { return a >= 1 && floor_pos(b / a) * a == b; }
/// ceil(log2(n)) for whole n >= 1, from the exponent bits of 2n - 1.
GWSIM_HD double ceil_log2(double n) {
  if (n <= 1) return 0;
  const double x = 2.0 * n - 1.0;
#if defined(__CUDA_ARCH__)
  const int64_t bits = __double_as_longlong(x);
#else
  int64_t bits;
  std::memcpy(&bits, &x, sizeof bits);
#endif
  return static_cast<double>(((bits >> 52) & 0x7ff) - 1023);
}

/// ceil of a count that should be whole, from a product that may carry a
/// rounding error of a few ulps above the whole number (x * (1/y) instead of x / y).
GWSIM_HD double ceil_count(double x) { return ceil_pos(x * (1.0 - 1e-12)); }

// ---- Building the flat inputs ------------------------------------------------

GWSIM_HD GpuDims gpu_dims(double peak_bf16_flops, double peak_fp8_flops, double matmul_efficiency, double sm_count,
                          double hbm_bytes, double hbm_Bps) {
  const double inv_bf16 = 1.0 / (peak_bf16_flops * matmul_efficiency);
  return GpuDims{peak_bf16_flops, peak_fp8_flops, matmul_efficiency, sm_count, hbm_bytes, hbm_Bps, 1.0 / sm_count,
                 inv_bf16, peak_fp8_flops > 0 ? 1.0 / (peak_fp8_flops * matmul_efficiency) : inv_bf16,
                 1.0 / (hbm_Bps * HBM_EFFICIENCY)};
}

GWSIM_HD LinkDims link_dims(double scaleup_Bps, double scaleup_latency_s, double scaleup_gpus, double scaleout_Bps,
                            double scaleout_latency_s) {
  return LinkDims{scaleup_Bps, scaleup_latency_s, scaleup_gpus, scaleout_Bps, scaleout_latency_s,
                  1.0 / (scaleup_Bps * SCALEUP_EFFICIENCY), 1.0 / (scaleout_Bps * SCALEOUT_EFFICIENCY)};
}

// ---- Kernels ---------------------------------------------------------------
// Written with reciprocals computed once per evaluation so that the hot path
// multiplies instead of dividing (the CPU backend's speed is set by it).

/// What a GEMM runs on.
struct Engine {
  double sm_count;
  double inv_sm_count;
  double inv_rate;           ///< 1 / (peak FLOP/s x sustained matmul efficiency)
  double inv_stream_Bps;     ///< 1 / (HBM bandwidth x HBM_EFFICIENCY)
  double bytes_per_element;  ///< 2 for BF16, 1 for FP8
};

/// The GPU's GEMM engine in BF16, or in FP8 (1-byte operands) when asked and present.
GWSIM_HD Engine make_engine(const GpuDims& g, bool fp8) {
  const bool use_fp8 = fp8 && g.peak_fp8_flops > 0;
  return Engine{g.sm_count, g.inv_sm_count, use_fp8 ? g.inv_rate_fp8 : g.inv_rate_bf16, g.inv_stream_Bps,
                use_fp8 ? 1.0 : 2.0};
}

/// The row side of a GEMM's tiling, which every GEMM over the same M shares:
/// the row tiles of the large tile, and the small tile's rows and row tiles.
struct Rows {
  double M, large_tiles, small_rows, small_tiles;
};

GWSIM_HD Rows rows_of(double M) {
  const double small_rows = dmin(SMALL_TILE, MMA_ROWS * ceil_count(M * (1.0 / MMA_ROWS)));
  return Rows{M, ceil_count(M * (1.0 / TILE_M)), small_rows,
              small_rows < SMALL_TILE ? 1.0 : ceil_count(M * (1.0 / SMALL_TILE))};
}

/// Time of `batch` GEMMs of (M x K) by (K x N): the slower of compute and
/// memory traffic. Compute: tiles run in waves over the SMs, every wave costs
/// a full tile's work at the sustained per-SM rate (so wave quantisation and
/// tile padding cost time), the better of a large and a small tile, with the
/// reduction lengthened by the pipeline fill K_OVERHEAD.
GWSIM_HD double gemm_time(const Rows& rows, double N, double K, double batch, const Engine& e) {
  const double M = rows.M;
  if (M <= 0 || N <= 0 || K <= 0 || batch <= 0) return 0;
  const double waves_large = ceil_count(rows.large_tiles * ceil_count(N * (1.0 / TILE_N)) * batch * e.inv_sm_count);
  const double waves_small = ceil_count(rows.small_tiles * ceil_count(N * (1.0 / SMALL_TILE)) * batch * e.inv_sm_count);
  const double tile_elements =
      dmin(waves_large * (TILE_M * TILE_N), waves_small * (rows.small_rows * SMALL_TILE / SMALL_TILE_RATE));
  const double compute_s = 2.0 * (K + K_OVERHEAD) * e.sm_count * tile_elements * e.inv_rate;
  const double memory_s = e.bytes_per_element * (M * K + K * N + M * N) * batch * e.inv_stream_Bps;
  return dmax(compute_s, memory_s);
}

/// The same for a single use of M.
GWSIM_HD double gemm_time(double M, double N, double K, double batch, const Engine& e) {
  return gemm_time(rows_of(M), N, K, batch, e);
}

// ---- Collectives -----------------------------------------------------------

/// The network with its reciprocals, once per evaluation.
struct Net {
  double inv_up;        ///< 1 / (scale-up bandwidth x SCALEUP_EFFICIENCY)
  double inv_out;       ///< 1 / (scale-out bandwidth x SCALEOUT_EFFICIENCY)
  double up_latency_s, out_latency_s, domain_gpus;
};

GWSIM_HD Net make_net(const LinkDims& l) {
  return Net{l.inv_up, l.inv_out, l.scaleup_latency_s, l.scaleout_latency_s, l.scaleup_gpus};
}

/// Per-GPU bandwidth (as its reciprocal) and latency of a collective over n
/// ranks whose members sit `stride` ranks apart (ranks fill scale-up domains
/// in order). Inside one domain: the scale-up links. Across domains, with k
/// members per domain, NCCL runs one ring per NIC so the group gets k NICs'
/// worth of scale-out bandwidth per GPU, capped by scale-up.
struct Path {
  double inv_bandwidth;
  double latency_s;
  double members_per_domain;
  bool inside_domain;
};

GWSIM_HD Path path_of(double n, double stride, const Net& net) {
  if (n * stride <= net.domain_gpus) return Path{net.inv_up, net.up_latency_s, n, true};
  const double k = dmin(n, stride < net.domain_gpus ? dmax(1.0, floor_pos(net.domain_gpus / stride)) : 1.0);
  return Path{dmax(net.inv_up, net.inv_out / k), net.out_latency_s, k, false};
}

/// Ring all-reduce: 2 (n-1)/n S / B for the data (Patarasuk & Yuan 2009,
/// the bound NCCL's ring reaches), and 2 log2(n) latencies (NCCL's tree at scale).
GWSIM_HD double allreduce_time(double n, double stride, double bytes, const Net& net) {
  if (n <= 1 || bytes <= 0) return 0;
  const Path p = path_of(n, stride, net);
  return 2.0 * (n - 1.0) / n * bytes * p.inv_bandwidth + 2.0 * ceil_log2(n) * p.latency_s;
}

/// Reduce-scatter or all-gather: half an all-reduce.
GWSIM_HD double gather_time(double n, double stride, double bytes, const Net& net) {
  return 0.5 * allreduce_time(n, stride, bytes, net);
}

/// All-to-all of `bytes` per GPU: (n-1)/n of it leaves the GPU; the part
/// bound for other domains goes through the GPU's own NIC.
GWSIM_HD double alltoall_time(double n, double stride, double bytes, const Net& net) {
  if (n <= 1 || bytes <= 0) return 0;
  const Path p = path_of(n, stride, net);
  const double per_rank = bytes / n;
  if (p.inside_domain) return (n - 1.0) * per_rank * net.inv_up + p.latency_s;
  const double k = p.members_per_domain;
  return dmax((k - 1.0) * per_rank * net.inv_up, (n - k) * per_rank * net.inv_out) + p.latency_s;
}

/// Point-to-point send of `bytes` between ranks `stride` apart.
GWSIM_HD double p2p_time(double stride, double bytes, const Net& net) {
  const Path p = path_of(2, stride, net);
  return p.latency_s + bytes * p.inv_bandwidth;
}

// ---- The training step -----------------------------------------------------

/// Time that communication of `comm` seconds adds when it overlaps
/// `window` seconds of compute: the part that does not fit, plus the
/// slowdown of the compute it runs under.
GWSIM_HD double exposed(double comm, double window) {
  return comm > window ? comm - window + OVERLAP_SLOWDOWN * window : OVERLAP_SLOWDOWN * comm;
}

/// a weighted by the dense share of the layers, b by the MoE share.
GWSIM_HD double mix(double moe_frac, double a, double b) { return (1.0 - moe_frac) * a + moe_frac * b; }

/// Forward/backward times of one transformer layer for one micro-batch on one GPU.
struct LayerTimes {
  double forward, backward, recompute, tp_comm, cp_comm, ep_comm;
};

GWSIM_HD void evaluate(const PlanQuery& q, PlanResult& r) {
  const ModelDims& m = q.m;
  const PlanDims& p = q.p;
  const LinkDims& l = q.l;

  // Degrees, clamped so that an invalid plan still yields finite numbers.
  const double tp = dmax(1.0, p.tp), pp = dmax(1.0, p.pp), dp = dmax(1.0, p.dp), cp = dmax(1.0, p.cp);
  const double ep = dmax(1.0, p.ep), mb = dmax(1.0, p.micro_batch), vs = dmax(1.0, p.virtual_stages);
  const double seq = dmax(1.0, p.seq_len), gbs = dmax(1.0, p.global_batch);
  const double gpus = tp * pp * dp * cp;
  const bool selective = p.recompute == 1, full = p.recompute == 2, partial = p.recompute == 3;
  const bool flash = p.flash_attention > 0, moe = m.experts > 0;
  const double h = m.hidden;
  const double sp = (p.sequence_parallel > 0 && tp > 1) ? tp : 1.0;
  const double gated_mats = m.gated > 0 ? 2.0 : 1.0;   // GEMM outputs of the first FFN matrix, in ffn units
  const double act_elems = m.gated > 0 ? 3.0 : 2.0;    // activation-function reads + writes, in ffn units

  // Tokens of one micro-batch on this GPU (context parallel splits the
  // sequence), heads per tensor-parallel rank, micro-batches per step.
  const double sq = seq / cp, skv = seq;
  const double T = mb * sq;
  const double heads_local = m.heads / tp;
  const double micro = gbs / (dp * mb);

  int32_t reason = OK;
  if (p.tp < 1 || p.pp < 1 || p.dp < 1 || p.cp < 1 || p.ep < 1 || p.micro_batch < 1 || p.global_batch < 1 ||
      p.virtual_stages < 1 || p.seq_len < 1)
    reason = BAD_DEGREES;
  else if (!is_whole(heads_local))
    reason = TP_HEADS;
  else if (pp * vs > m.layers)
    reason = PP_LAYERS;
  else if (!is_whole(sq))
    reason = CP_SEQUENCE;
  else if (ep > 1 && (!moe || !divides(ep, m.experts) || !divides(ep, dp)))
    reason = EP_EXPERTS;
  else if (!is_whole(micro))
    reason = BATCH_SPLIT;
  else if (vs > 1 && !divides(pp, micro))
    reason = INTERLEAVE_SPLIT;

  const Engine bf16 = make_engine(q.g, false);
  const Engine gemm = make_engine(q.g, p.fp8 > 0);
  const Net net = make_net(l);
  const double inv_tp = 1.0 / tp, inv_sp = 1.0 / sp;

  // Attention projections and core.
  const Rows rows_T = rows_of(T);  // most GEMMs multiply the micro-batch's T tokens
  const double t_qkv = gemm_time(rows_T, m.attn_in_width * inv_tp, h, 1, gemm);
  const double t_out = gemm_time(rows_T, h, m.heads * m.v_dim * inv_tp, 1, gemm);
  const double core_flops = 2.0 * mb * heads_local * sq * skv * (m.qk_dim + m.v_dim);  // full square
  double core_fwd, core_bwd, score_bytes;
  if (flash) {
    // Causal: FlashAttention skips the masked half.
    // Thread blocks of FLASH_BLOCK_M query rows run in waves over the SMs.
    const double blocks = mb * heads_local * ceil_count(sq * (1.0 / FLASH_BLOCK_M));
    const double slots = ceil_count(blocks * bf16.inv_sm_count) * bf16.sm_count;
    const double fwd_s = 0.5 * core_flops * bf16.inv_rate * slots / blocks;  // causal half at the GEMM rate
    core_fwd = fwd_s * (1.0 / FLASH_FORWARD_RATE);
    core_bwd = fwd_s * (FLASH_BACKWARD_WORK / FLASH_BACKWARD_RATE);
    score_bytes = 0;
  } else {
    // Unfused (Megatron 2021): two batched GEMMs and a softmax (+ dropout)
    // over the full score matrix, read and written through HBM.
    const Rows rows_q = rows_of(sq);
    const double bmm = gemm_time(rows_q, skv, m.qk_dim, mb * heads_local, bf16) +
                       gemm_time(rows_q, m.v_dim, skv, mb * heads_local, bf16);
    score_bytes = 2.0 * (m.dropout > 0 ? 4.5 : 2.0) * mb * heads_local * sq * skv;
    core_fwd = bmm + score_bytes * bf16.inv_stream_Bps;
    core_bwd = 2.0 * core_fwd;
  }

  // FFN: dense, and MoE (routed experts as a grouped GEMM, tokens spread evenly).
  const double t_mlp_dense =
      gemm_time(rows_T, gated_mats * m.ffn * inv_tp, h, 1, gemm) + gemm_time(rows_T, h, m.ffn * inv_tp, 1, gemm);
  double t_mlp_moe = 0;
  if (moe) {
    const double local_experts = m.experts / ep;
    const double rows = T * m.top_k * ep / m.experts;
    const Rows rows_e = rows_of(rows);
    t_mlp_moe = gemm_time(rows_e, gated_mats * m.moe_ffn * inv_tp, h, local_experts, gemm) +
                gemm_time(rows_e, h, m.moe_ffn * inv_tp, local_experts, gemm) +
                gemm_time(rows_T, gated_mats * m.shared_experts * m.moe_ffn * inv_tp, h, 1, gemm) +
                gemm_time(rows_T, h, m.shared_experts * m.moe_ffn * inv_tp, 1, gemm) +
                gemm_time(rows_T, m.experts, h, 1, bf16);
  }

  // Memory-bound elementwise work per layer forward (bytes): two norms and
  // two residual adds on the full hidden state (split only with sequence
  // parallelism), dropout masks, the FFN activation function.
  const double replicated_bytes = (20.0 + (m.dropout > 0 ? 2.0 : 0.0)) * h * T * inv_sp;
  const double dense_act_bytes = 2.0 * act_elems * m.ffn * T * inv_tp;
  const double moe_act_bytes =
      2.0 * act_elems * m.moe_ffn * T * (m.top_k + m.shared_experts) * inv_tp + 8.0 * h * T * m.top_k * inv_sp;
  const double ew_dense = (replicated_bytes + dense_act_bytes) * bf16.inv_stream_Bps;
  const double ew_moe = (replicated_bytes + moe_act_bytes) * bf16.inv_stream_Bps;
  const double launch = KERNELS_PER_LAYER * KERNEL_OVERHEAD_S;

  // One pipeline stage: ceil(layers / pp) layers with the model's mix of dense and MoE layers.
  const double moe_frac = moe ? m.moe_layers / m.layers : 0.0;
  const double stage_layers = ceil_pos(m.layers / pp);

  // ---- Memory per GPU. Parameters: the stage's layers, split by tp (and by
  // ep for routed experts); embeddings on the first and last stage.
  const double stage_embedding = pp > 1 ? m.vocab * h : m.embedding_params;
  const double dense_layer_params = m.attention_params + m.dense_ffn_params;
  const double moe_layer_shared = m.attention_params + m.shared_experts * m.expert_params + h * m.experts;
  const double params_replicated =
      (stage_layers * mix(moe_frac, dense_layer_params, moe_layer_shared) + stage_embedding) * inv_tp;
  const double params_expert = stage_layers * moe_frac * m.experts * m.expert_params / (tp * ep);
  // ZeRO shards over the data-parallel replicas: dp x cp, experts dp x cp / ep.
  const double n_rep = dp * cp, n_exp = n_rep / ep;
  const double zero = p.zero_stage;
  const double sharded = params_replicated / n_rep + params_expert / n_exp;  // one replica's share
  const double whole = params_replicated + params_expert;
  r.weights_bytes = BYTES_WEIGHTS * (zero >= 3 ? sharded : whole);
  r.grads_bytes = BYTES_GRADS * (zero >= 2 ? sharded : whole);
  r.optimizer_bytes = BYTES_OPTIMIZER * (zero >= 1 ? sharded : whole);
  // FSDP keeps the layer it computes and the one it prefetches unsharded,
  // and one layer's gradients before they are reduce-scattered.
  const double layer_params_local = params_replicated / stage_layers + params_expert / stage_layers;
  const double fsdp_buffers = zero >= 3 ? (2.0 * BYTES_WEIGHTS + BYTES_GRADS) * layer_params_local : 0.0;
  const double fixed_bytes = r.weights_bytes + r.grads_bytes + r.optimizer_bytes + fsdp_buffers + RUNTIME_RESERVE_BYTES;

  // Activations stored per token per layer, in bytes (Korthikanti et al.
  // 2022, Sec. 4: 34 s b h + 5 a s^2 b for GPT, generalised to GQA, gated
  // FFNs and MoE): norm, QKV and FFN inputs and dropout masks on the full
  // hidden state; Q, K, V, the attention output and FFN intermediates split
  // by tp; the score matrix unless FlashAttention keeps it on chip.
  const double act_replicated = (8.0 + (m.dropout > 0 ? 2.0 : 0.0)) * h * inv_sp;
  const double act_attention =
      2.0 * (m.heads * m.qk_dim + m.kv_heads * m.qk_dim + m.kv_heads * m.v_dim + m.heads * m.v_dim) * inv_tp;
  const double act_scores = flash ? 4.0 * m.heads * inv_tp : (m.dropout > 0 ? 5.0 : 2.0) * m.heads * skv * inv_tp;
  const double act_dense_ffn = 2.0 * act_elems * m.ffn * inv_tp;
  const double act_moe_ffn = 2.0 * act_elems * m.moe_ffn * (m.top_k + m.shared_experts) * inv_tp + 2.0 * h * m.top_k * inv_sp;
  const double act_layer = act_replicated + act_attention + act_scores + mix(moe_frac, act_dense_ffn, act_moe_ffn);
  const double act_kept = selective ? act_layer - act_scores : act_layer;  // per layer not recomputed
  const double act_input = 2.0 * h * inv_sp;                                     // per layer recomputed: its input
  // Micro-batches in flight on the first stage: pp under 1F1B, times
  // 1 + (pp-1)/(pp v) when interleaved (Korthikanti et al. 2022, Sec. 4.2.3).
  // The last stage holds one, plus the logits (BF16) and FP32 softmax.
  const double in_flight = pp > 1 ? dmin(micro, pp) * (vs > 1 ? 1.0 + (pp - 1.0) / (pp * vs) : 1.0) : 1.0;
  const double logits_bytes = T * m.vocab * inv_tp * 6.0;
  const double working = act_layer * T;  // the layer being recomputed
  // Layers of the stage recomputed in full: none, all, or (partial) the
  // fewest whole layers that make the plan fit, as Megatron's
  // --recompute-method block --recompute-num-layers does.
  double recomputed_layers = full ? stage_layers : 0.0;
  if (partial) {
    const double first0 = in_flight * stage_layers * act_kept * T, last0 = stage_layers * act_kept * T + logits_bytes;
    if (dmax(first0, last0) + fixed_bytes > q.g.hbm_bytes) {
      const double save_last = T * dmax(1.0, act_kept - act_input), save_first = in_flight * save_last;
      const double k_first = ceil_pos(dmax(0.0, first0 + working + fixed_bytes - q.g.hbm_bytes) / save_first);
      const double k_last = ceil_pos(dmax(0.0, last0 + working + fixed_bytes - q.g.hbm_bytes) / save_last);
      recomputed_layers = dmin(stage_layers, dmax(k_first, k_last));
    }
  }
  const double rfrac = full ? 1.0 : (partial ? recomputed_layers / stage_layers : 0.0);
  const double stored_per_micro = T * ((stage_layers - recomputed_layers) * act_kept + recomputed_layers * act_input);
  const double work_set = recomputed_layers > 0 ? working : 0.0;
  r.activations_bytes = dmax(in_flight * stored_per_micro + work_set, stored_per_micro + work_set + logits_bytes);
  r.memory_bytes = fixed_bytes + r.activations_bytes;
  r.recompute_fraction = rfrac;
  if (reason == OK && r.memory_bytes > q.g.hbm_bytes) reason = OUT_OF_MEMORY;

  // ---- Communication per layer per micro-batch. Tensor parallel: two
  // all-reduces (or reduce-scatter + all-gather pairs with sequence
  // parallelism, same bytes) of the activations per pass (Shoeybi et al.
  // 2019, Sec. 3); a recomputed forward repeats them.
  const double passes = 2.0 + rfrac;
  const double tp_coll = allreduce_time(tp, 1, 2.0 * T * h, net);
  // Context parallel (ring attention): each GPU receives the K and V blocks of
  // the other cp-1 ranks, overlapped with its attention compute (forward), and
  // sends their gradients back (backward).
  const double kv_block_bytes = 2.0 * T * m.kv_heads * (m.qk_dim + m.v_dim);
  const double cp_ring = cp > 1 ? (cp - 1.0) * p2p_time(tp, kv_block_bytes, net) : 0.0;
  const double cp_exposed = exposed(cp_ring, core_fwd) * (1.0 + rfrac) + exposed(2.0 * cp_ring, core_bwd);
  // Expert parallel: dispatch and combine all-to-alls per pass (GShard, Lepikhin et al. 2021).
  const double a2a = moe ? alltoall_time(ep, tp * cp, 2.0 * (T * inv_sp) * m.top_k * h, net) : 0.0;

  LayerTimes dense_layer, moe_layer;
  dense_layer.forward = t_qkv + core_fwd + t_out + t_mlp_dense + ew_dense + launch;
  dense_layer.backward = 2.0 * (t_qkv + t_out + t_mlp_dense + ew_dense) + core_bwd + 2.0 * launch;
  moe_layer.forward = t_qkv + core_fwd + t_out + t_mlp_moe + ew_moe + launch;
  moe_layer.backward = 2.0 * (t_qkv + t_out + t_mlp_moe + ew_moe) + core_bwd + 2.0 * launch;
  const double selective_extra = (selective && !flash) ? core_fwd : 0.0;
  dense_layer.recompute = rfrac * dense_layer.forward + selective_extra;
  moe_layer.recompute = rfrac * moe_layer.forward + selective_extra;
  dense_layer.tp_comm = moe_layer.tp_comm = 2.0 * passes * tp_coll;
  dense_layer.cp_comm = moe_layer.cp_comm = cp_exposed;
  dense_layer.ep_comm = 0;
  // Exposed, or (overlapped) hidden under the layer's compute of another micro-batch.
  const double moe_compute = moe_layer.forward + moe_layer.backward + moe_layer.recompute;
  moe_layer.ep_comm = p.overlap_ep_comm > 0 ? exposed(2.0 * passes * a2a, moe_compute) : 2.0 * passes * a2a;

  const double st_compute = stage_layers * mix(moe_frac, dense_layer.forward + dense_layer.backward + dense_layer.recompute,
                                               moe_layer.forward + moe_layer.backward + moe_layer.recompute);
  const double st_tp = stage_layers * mix(moe_frac, dense_layer.tp_comm, moe_layer.tp_comm);
  const double st_cp = stage_layers * mix(moe_frac, dense_layer.cp_comm, moe_layer.cp_comm);
  const double st_ep = stage_layers * mix(moe_frac, dense_layer.ep_comm, moe_layer.ep_comm);
  const double st_forward = stage_layers * mix(moe_frac, dense_layer.forward, moe_layer.forward);
  const double st_backward = stage_layers * mix(moe_frac, dense_layer.backward, moe_layer.backward);

  // The last stage also computes the logits (forward, two backward GEMMs)
  // and a vocabulary-parallel cross-entropy in FP32.
  const double logits =
      3.0 * gemm_time(rows_T, m.vocab * inv_tp, h, 1, gemm) + 3.0 * 4.0 * T * m.vocab * inv_tp * bf16.inv_stream_Bps;
  // Activations between stages, forward and backward, once per model chunk;
  // scatter-gather splits them over the tensor-parallel ranks (Narayanan et al. 2021, Sec. 4.1).
  const double pp_stride = tp * cp * dp;
  const double p2p = pp > 1 ? 2.0 * vs * p2p_time(pp_stride, 2.0 * T * h * inv_tp, net) : 0.0;

  const double t_mb = st_compute + st_tp + st_cp + st_ep + logits + p2p;
  // 1F1B: (pp - 1) micro-batch slots of fill and drain; interleaving v chunks
  // per stage divides it by v (Narayanan et al. 2021, Sec. 2.2).
  const double bubble = (pp - 1.0) / vs * t_mb;
  const double pipeline = micro * t_mb + bubble;

  // Data parallel gradient reduction. ZeRO >= 1 reduce-scatters gradients
  // and all-gathers weights: the same bytes as an all-reduce (Rajbhandari et al. 2020).
  const double reduce = allreduce_time(n_rep, tp, BYTES_GRADS * params_replicated, net) +
                        allreduce_time(n_exp, tp * ep, BYTES_GRADS * params_expert, net);
  double dp_exposed;
  if (zero >= 3) {
    // FSDP: weights gathered before forward and backward of every
    // micro-batch and gradients reduce-scattered after it, prefetched under compute.
    const double per_micro = 1.5 * reduce;
    dp_exposed = micro * (p.overlap_param_gather > 0 ? exposed(per_micro, st_forward + st_backward) : per_micro);
  } else if (zero >= 1) {
    const double half = 0.5 * reduce;
    dp_exposed = (p.overlap_grad_reduce > 0 ? exposed(half, st_backward) : half) +
                 (p.overlap_param_gather > 0 ? exposed(half, st_forward) : half);
  } else {
    dp_exposed = p.overlap_grad_reduce > 0 ? exposed(reduce, st_backward) : reduce;
  }
  // Tied input and output embeddings live on the first and last stage: their
  // gradients are summed across the two once per step.
  const double tie = (pp > 1 && m.embedding_params < 2.0 * m.vocab * h)
                         ? allreduce_time(2, pp_stride * (pp - 1.0), BYTES_GRADS * m.vocab * h * inv_tp, net)
                         : 0.0;
  const double optimizer = OPTIMIZER_TRAFFIC_BYTES * (zero >= 1 ? sharded : whole) * bf16.inv_stream_Bps;

  r.step_time_s = pipeline + dp_exposed + tie + optimizer;
  r.compute_s = micro * (st_compute + logits);
  r.bubble_s = bubble;
  r.tp_comm_s = micro * st_tp;
  r.cp_comm_s = micro * st_cp;
  r.ep_comm_s = micro * st_ep;
  r.pp_comm_s = micro * p2p;
  r.dp_comm_s = dp_exposed + tie;
  r.optimizer_s = optimizer;
  r.microbatches = micro;

  // FLOPs per token of the forward pass: 2 per active matmul parameter, the
  // attention core (QK^T and PV over the full s x s square, the convention of
  // Narayanan et al. 2021's formula), and the logits. Executed FLOPs count
  // three passes plus recomputation over the full square (the paper's
  // "achieved" convention); model FLOPs, for MFU, count three passes and only
  // the causal half of the square, the work a causal LM needs (the
  // convention under which Dubey et al. 2024 report Llama 3's MFU).
  const double dense_matmul = m.attention_params + m.dense_ffn_params;
  const double moe_matmul = m.attention_params + (m.top_k + m.shared_experts) * m.expert_params + h * m.experts;
  const double attention_core = 2.0 * seq * m.heads * (m.qk_dim + m.v_dim);
  const double matmul_fwd = 2.0 * ((m.layers - m.moe_layers) * dense_matmul + m.moe_layers * moe_matmul);
  const double layers_fwd = matmul_fwd + m.layers * attention_core;
  const double logits_fwd = 2.0 * h * m.vocab;
  const double tokens = gbs * seq;
  const double recomputed = rfrac * layers_fwd + ((selective && !flash) ? m.layers * attention_core : 0.0);
  r.executed_flops = (3.0 * (layers_fwd + logits_fwd) + recomputed) * tokens;
  r.model_flops = 3.0 * (matmul_fwd + 0.5 * m.layers * attention_core + logits_fwd) * tokens;
  const double inv_step = 1.0 / r.step_time_s;
  r.tokens_per_s = tokens * inv_step;
  r.achieved_flops_per_gpu = r.executed_flops * inv_step / gpus;
  r.mfu = r.model_flops * inv_step / gpus * (q.g.inv_rate_bf16 * q.g.matmul_efficiency);
  r.reason = reason;
  r.pad_ = 0;
}

}  // namespace gwsim::gpu_models::formulas
