#include "gpu_models/cost_model.hpp"

#include <algorithm>
#include <cmath>
#include <fmt/format.h>

#include "gpu_models/backend.hpp"

namespace gwsim::gpu_models {
namespace {

formulas::ModelDims model_dims(const ModelSpec& m) {
  formulas::ModelDims d{};
  d.layers = m.layers;
  d.hidden = m.hidden;
  d.heads = m.heads;
  // MLA expands keys and values per head for training and prefill.
  d.kv_heads = m.kv_lora_rank > 0 ? m.heads : m.kv();
  d.qk_dim = m.qk_dim();
  d.v_dim = m.v_dim();
  d.attention_params = m.attention_params();
  d.attn_in_width = m.hidden > 0 ? (d.attention_params - double(m.heads) * m.v_dim() * m.hidden) / m.hidden : 0;
  d.ffn = m.ffn;
  d.moe_ffn = m.moe_ffn > 0 ? m.moe_ffn : m.ffn;
  d.gated = m.gated_ffn ? 1 : 0;
  d.vocab = m.vocab;
  d.experts = m.experts;
  d.top_k = m.top_k;
  d.shared_experts = m.shared_experts;
  d.moe_layers = m.moe_layers();
  d.dropout = m.dropout ? 1 : 0;
  d.dense_ffn_params = m.dense_ffn_params();
  d.expert_params = m.expert_params();
  d.embedding_params = m.embedding_params();
  return d;
}

formulas::GpuDims gpu_dims(const GpuSpec& g) {
  return formulas::gpu_dims(g.peak_bf16_flops, g.peak_fp8_flops, g.matmul_efficiency, double(g.sm_count), g.hbm_bytes,
                            g.hbm_bandwidth_Bps);
}

formulas::PlanDims plan_dims(const Plan& p, int seq) {
  formulas::PlanDims d{};
  d.tp = p.tp;
  d.pp = p.pp;
  d.dp = p.dp;
  d.cp = p.cp;
  d.ep = p.ep;
  d.micro_batch = p.micro_batch;
  d.global_batch = p.global_batch;
  d.virtual_stages = p.virtual_stages;
  d.recompute = p.recompute == Recompute::PARTIAL  ? 3
                : p.recompute == Recompute::FULL     ? 2
                : p.recompute == Recompute::SELECTIVE ? 1
                                                      : 0;
  d.zero_stage = p.zero_stage;
  d.sequence_parallel = p.sequence_parallel ? 1 : 0;
  d.flash_attention = p.flash_attention ? 1 : 0;
  d.overlap_grad_reduce = p.overlap_grad_reduce ? 1 : 0;
  d.overlap_param_gather = p.overlap_param_gather ? 1 : 0;
  d.fp8 = p.fp8 ? 1 : 0;
  d.seq_len = seq;
  d.overlap_ep_comm = p.overlap_ep_comm ? 1 : 0;
  return d;
}

int seq_of(const TrainingQuery& q) { return q.seq_len > 0 ? q.seq_len : (q.model ? q.model->seq_len : 0); }

std::string gb(double bytes) { return fmt::format("{:.1f} GB", bytes / 1e9); }

std::string reason_text(const PlanResult& r, const TrainingQuery& q) {
  const Plan& p = q.plan;
  const ModelSpec& m = *q.model;
  switch (r.reason) {
    case formulas::OK:
      return "";
    case formulas::BAD_DEGREES:
      return fmt::format("tp, pp, dp, cp, ep, micro-batch, global batch, virtual stages and sequence must all be at "
                         "least 1 (tp={} pp={} dp={} cp={} ep={} micro-batch={} global batch={} virtual stages={} seq={})",
                         p.tp, p.pp, p.dp, p.cp, p.ep, p.micro_batch, p.global_batch, p.virtual_stages, seq_of(q));
    case formulas::TP_HEADS:
      return fmt::format("tp = {} does not divide the {} attention heads", p.tp, m.heads);
    case formulas::PP_LAYERS:
      return fmt::format("pp x virtual stages = {} x {} exceeds the {} layers", p.pp, p.virtual_stages, m.layers);
    case formulas::CP_SEQUENCE:
      return fmt::format("cp = {} does not divide the sequence length {}", p.cp, seq_of(q));
    case formulas::EP_EXPERTS:
      return m.is_moe() ? fmt::format("ep = {} must divide both the {} experts and dp = {}", p.ep, m.experts, p.dp)
                        : fmt::format("ep = {} needs a mixture-of-experts model; {} is dense", p.ep, m.name);
    case formulas::BATCH_SPLIT:
      return fmt::format("global batch {} is not a multiple of dp x micro-batch = {} x {}", p.global_batch, p.dp,
                         p.micro_batch);
    case formulas::INTERLEAVE_SPLIT:
      return fmt::format("the interleaved schedule needs the micro-batch count ({}) to be a multiple of pp ({})",
                         r.microbatches, p.pp);
    case formulas::OUT_OF_MEMORY:
      return fmt::format("needs {} per GPU (weights {}, gradients {}, optimizer {}, activations {}, runtime {}); "
                         "{} has {}",
                         gb(r.memory_bytes), gb(r.weights_bytes), gb(r.grads_bytes), gb(r.optimizer_bytes),
                         gb(r.activations_bytes), gb(formulas::RUNTIME_RESERVE_BYTES), q.gpu->name,
                         gb(q.gpu->hbm_bytes));
    default:
      return fmt::format("unknown reason code {}", r.reason);
  }
}

}  // namespace

const char* recompute_name(Recompute r) {
  switch (r) {
    case Recompute::NONE: return "none";
    case Recompute::SELECTIVE: return "selective";
    case Recompute::FULL: return "full";
    case Recompute::PARTIAL: return "partial";
  }
  return "?";
}

formulas::LinkDims link_dims(const Links& l) {
  return formulas::link_dims(l.scaleup_Bps, l.scaleup_latency_s, double(std::max(1, l.scaleup_gpus)), l.scaleout_Bps,
                             l.scaleout_latency_s);
}

Links reference_links(const GpuSpec& gpu) {
  Links l;
  l.scaleup_Bps = gpu.scaleup_bandwidth_Bps;
  l.scaleup_gpus = gpu.scaleup_gpus;
  l.scaleout_Bps = gpu.scaleout_bandwidth_Bps;
  return l;
}

PlanQuery make_query(const TrainingQuery& q) {
  PlanQuery f{};
  f.m = model_dims(*q.model);
  f.g = gpu_dims(*q.gpu);
  f.l = link_dims(q.links);
  f.p = plan_dims(q.plan, seq_of(q));
  return f;
}

TrainingEstimate to_estimate(const PlanResult& r, const TrainingQuery& q) {
  TrainingEstimate e;
  e.reason_code = static_cast<formulas::Reason>(r.reason);
  e.feasible = r.reason == formulas::OK;
  e.reason = reason_text(r, q);
  e.step_time_s = r.step_time_s;
  e.tokens_per_s = r.tokens_per_s;
  e.achieved_flops_per_gpu = r.achieved_flops_per_gpu;
  e.mfu = r.mfu;
  e.memory_per_gpu_bytes = r.memory_bytes;
  e.compute_s = r.compute_s;
  e.bubble_s = r.bubble_s;
  e.tp_comm_s = r.tp_comm_s;
  e.cp_comm_s = r.cp_comm_s;
  e.ep_comm_s = r.ep_comm_s;
  e.pp_comm_s = r.pp_comm_s;
  e.dp_comm_s = r.dp_comm_s;
  e.optimizer_s = r.optimizer_s;
  e.weights_bytes = r.weights_bytes;
  e.grads_bytes = r.grads_bytes;
  e.optimizer_bytes = r.optimizer_bytes;
  e.activations_bytes = r.activations_bytes;
  e.model_flops_per_step = r.model_flops;
  e.executed_flops_per_step = r.executed_flops;
  e.microbatches = r.microbatches;
  e.recompute_fraction = r.recompute_fraction;
  return e;
}

TrainingEstimate estimate_training(const TrainingQuery& q) {
  TrainingEstimate e;
  if (!q.model || !q.gpu || q.gpus < 1) {
    e.reason = "missing model or GPU, or no GPUs";
    e.reason_code = formulas::BAD_DEGREES;
    return e;
  }
  PlanResult r;
  formulas::evaluate(make_query(q), r);
  e = to_estimate(r, q);
  // The allocation's size is the caller's, not the formula's: a plan for
  // another GPU count is wrong before anything else is.
  const long long product = 1LL * q.plan.tp * q.plan.pp * q.plan.dp * q.plan.cp;
  if (product != q.gpus && r.reason != formulas::BAD_DEGREES) {
    e.feasible = false;
    e.reason_code = formulas::BAD_DEGREES;
    e.reason = fmt::format("tp*pp*dp*cp = {} does not equal the GPU count {}", product, q.gpus);
  }
  return e;
}

// ---- Planner ---------------------------------------------------------------

namespace {

std::vector<int> divisors(int n, int limit) {
  std::vector<int> out;
  for (int d = 1; d <= std::min(n, limit); ++d)
    if (n % d == 0) out.push_back(d);
  return out;
}

std::vector<int> powers_of_two(int limit) {
  std::vector<int> out;
  for (int v = 1; v <= limit; v *= 2) out.push_back(v);
  return out;
}

}  // namespace

namespace {

PlanSearchResult search(const ModelSpec& model, const GpuSpec& gpu, int gpus, const Links& links,
                        const PlanSearchOptions& options, size_t top, bool grow_batch) {
  PlanSearchResult result;
  if (gpus < 1) return result;
  TrainingQuery base;
  base.model = &model;
  base.gpu = &gpu;
  base.gpus = gpus;
  base.seq_len = options.seq_len;
  base.links = links;
  const int seq = seq_of(base);
  const PlanQuery base_query = make_query(base);
  const double target = std::max(1.0, std::round(model.train_batch_tokens / std::max(1, seq)));
  const int wanted = options.global_batch > 0 ? options.global_batch : static_cast<int>(target);

  std::vector<Plan> plans;
  std::vector<PlanQuery> queries;
  plans.reserve(32768);
  queries.reserve(32768);
  const Plan& sw = options.software;
  std::vector<Recompute> recomputes = options.recomputes;
  if (recomputes.empty()) {
    // Partial recomputation is none when the plan fits and full when it has
    // to be; with FlashAttention the score matrix is never stored, so
    // selective recomputation would be the same as none.
    recomputes = {Recompute::PARTIAL};
    if (!sw.flash_attention) recomputes.push_back(Recompute::SELECTIVE);
  }
  const std::vector<int> zeros = options.zero_stages.empty() ? std::vector<int>{0, 1, 2, 3} : options.zero_stages;
  auto choices = [](int fixed, std::vector<int> all) { return fixed > 0 ? std::vector<int>{fixed} : all; };
  const int max_tp = std::min({64, model.heads, std::max(1, links.scaleup_gpus)});
  const int max_fp8 = options.allow_fp8 && gpu.peak_fp8_flops > 0 ? 1 : 0;
  for (int tp : choices(options.tp, powers_of_two(max_tp))) {
    if (gpus % tp != 0 || model.heads % tp != 0) continue;
    for (int cp : choices(options.cp, powers_of_two(32))) {
      if ((gpus / tp) % cp != 0 || seq % cp != 0) continue;
      const int rest = gpus / (tp * cp);
      for (int pp : choices(options.pp, divisors(rest, model.layers))) {
        if (rest % pp != 0) continue;
        const int dp = rest / pp;
        std::vector<int> eps = {1};
        if (model.is_moe())
          for (int e : divisors(dp, model.experts))
            if (e > 1 && model.experts % e == 0) eps.push_back(e);
        for (int ep : choices(options.ep, eps))
          for (int mb : choices(options.micro_batch, {1, 2, 4, 8, 16}))
            for (int vs : choices(options.virtual_stages, {1, 2, 3, 4, 6, 8})) {
              if (vs > 1 && (pp == 1 || pp * vs > model.layers)) continue;
              for (Recompute rc : recomputes)
                for (int zero : zeros)
                  for (int fp8 = 0; fp8 <= max_fp8; ++fp8) {
                    Plan p = sw;
                    p.tp = tp;
                    p.pp = pp;
                    p.dp = dp;
                    p.cp = cp;
                    p.ep = ep;
                    p.micro_batch = mb;
                    p.virtual_stages = vs;
                    p.recompute = rc;
                    p.zero_stage = zero;
                    p.fp8 = fp8 == 1;
                    // Round the batch up so that it splits: dp x micro-batch (x pp when interleaved).
                    const long long unit = 1LL * dp * mb * (vs > 1 ? pp : 1);
                    if (unit > wanted && !grow_batch) continue;
                    const long long gbs = (wanted + unit - 1) / unit * unit;
                    if (gbs > (1LL << 30)) continue;
                    p.global_batch = static_cast<int>(gbs);
                    PlanQuery q = base_query;
                    q.p = plan_dims(p, seq);
                    plans.push_back(p);
                    queries.push_back(q);
                  }
            }
      }
    }
  }
  std::vector<PlanResult> results(queries.size());
  make_cpu_backend()->evaluate(Span<const PlanQuery>(queries), Span<PlanResult>(results));
  result.searched = queries.size();

  // Keep the `top` fastest feasible plans (ties: first enumerated), and the
  // least-memory plan in case none fits.
  std::vector<size_t> best;
  size_t least_memory = 0;
  for (size_t i = 0; i < results.size(); ++i) {
    if (results[i].memory_bytes < results[least_memory].memory_bytes) least_memory = i;
    if (results[i].reason != formulas::OK) continue;
    ++result.feasible;
    if (best.size() == top && results[i].tokens_per_s <= results[best.back()].tokens_per_s) continue;
    auto pos = std::upper_bound(best.begin(), best.end(), i, [&](size_t a, size_t b) {
      return results[a].tokens_per_s > results[b].tokens_per_s;
    });
    best.insert(pos, i);
    if (best.size() > top) best.pop_back();
  }
  for (size_t i : best) {
    TrainingQuery q = base;
    q.plan = plans[i];
    result.best.push_back({plans[i], to_estimate(results[i], q)});
  }
  if (!results.empty()) {
    TrainingQuery q = base;
    q.plan = plans[least_memory];
    result.closest = {plans[least_memory], to_estimate(results[least_memory], q)};
  }
  return result;
}

}  // namespace

PlanSearchResult search_plans(const ModelSpec& model, const GpuSpec& gpu, int gpus, const Links& links,
                              const PlanSearchOptions& options, size_t top) {
  // Plans keep the batch (rounded up to what splits); only when no such plan
  // fits, as with more GPUs than sequences in a batch, may the batch grow.
  PlanSearchResult r = search(model, gpu, gpus, links, options, top, false);
  if (r.best.empty()) {
    PlanSearchResult grown = search(model, gpu, gpus, links, options, top, true);
    grown.searched += r.searched;
    r = std::move(grown);
  }
  return r;
}

Plan best_plan(const ModelSpec& model, const GpuSpec& gpu, int gpus, const Links& links,
               const PlanSearchOptions& options) {
  const PlanSearchResult r = search_plans(model, gpu, gpus, links, options, 1);
  if (!r.best.empty()) return r.best.front().plan;
  if (r.searched > 0) return r.closest.plan;
  Plan p;
  p.dp = std::max(1, gpus);
  return p;
}

Plan default_plan(const ModelSpec& model, const GpuSpec& gpu, int gpus) {
  return best_plan(model, gpu, gpus, reference_links(gpu));
}

const PlanCandidate& PlanCache::get(const ModelSpec& model, const GpuSpec& gpu, int gpus, const Links& links) {
  const Key key{model.name,         gpu.name,           gpus, links.scaleup_Bps, links.scaleup_latency_s,
                links.scaleup_gpus, links.scaleout_Bps, links.scaleout_latency_s};
  auto it = entries_.find(key);
  if (it != entries_.end()) return it->second;
  const PlanSearchResult r = search_plans(model, gpu, gpus, links, {}, 1);
  PlanCandidate c = !r.best.empty() ? r.best.front() : r.closest;
  return entries_.emplace(key, std::move(c)).first->second;
}

}  // namespace gwsim::gpu_models
