// The scenario's `catalog:` section: GPU types and models added to (or
// replacing entries of) the built-in catalog, so a design can use a part or a
// model gwsim does not ship. Parsed before `cluster:` so that `cluster.gpu`
// may name a new GPU type. Keys and units: docs/models.md#catalog.
#include <fmt/format.h>

#include <limits>

#include "sim/scenario/scenario_parts.hpp"

namespace gwsim::sim {
namespace {

constexpr double INF = std::numeric_limits<double>::infinity();

/// The entry to start from: a copy of `base` when given (it must exist), else empty.
template <class Spec>
Spec start_from(YamlMap& m, const Spec* (gpu_models::Catalog::*find)(const std::string&) const,
                const gpu_models::Catalog& catalog, const char* what) {
  Spec spec;
  if (m.has("base")) {
    const std::string base = m.str_required("base");
    const Spec* found = (catalog.*find)(base);
    if (!found) m.fail("base", fmt::format("a {} already in the catalog", what), fmt::format("'{}'", base));
    spec = *found;
  } else {
    m.str("base", "");
  }
  spec.name = m.str_required("name");
  return spec;
}

/// Turns the module's findings about an entry into an error at the entry's key.
void check(const YamlMap& m, const std::vector<Problem>& problems) {
  if (problems.empty()) return;
  const Problem& p = problems.front();
  throw Error(ExitCode::SCENARIO, describe(m.where(p.key), p.expected, p.found));
}

gpu_models::GpuSpec parse_gpu(YamlMap m, const gpu_models::Catalog& catalog) {
  auto g = start_from<gpu_models::GpuSpec>(m, &gpu_models::Catalog::find_gpu, catalog, "GPU type");
  g.source = m.has("base") ? m.str("source", g.source) : m.str_required("source");
  g.peak_fp32_flops = m.quantity("peak_fp32", g.peak_fp32_flops, &units::flops, 0, 1e18);
  g.peak_tf32_flops = m.quantity("peak_tf32", g.peak_tf32_flops, &units::flops, 0, 1e18);
  g.peak_bf16_flops = m.quantity("peak_bf16", g.peak_bf16_flops, &units::flops, 0, 1e18);
  g.peak_fp8_flops = m.quantity("peak_fp8", g.peak_fp8_flops, &units::flops, 0, 1e18);
  g.peak_fp4_flops = m.quantity("peak_fp4", g.peak_fp4_flops, &units::flops, 0, 1e18);
  g.hbm_bytes = m.quantity("hbm", g.hbm_bytes, &units::bytes, 0, 1e15);
  g.hbm_bandwidth_Bps = m.quantity("hbm_bandwidth", g.hbm_bandwidth_Bps, &units::bandwidth_Bps, 0, 1e15);
  g.scaleup_bandwidth_Bps = m.quantity("scaleup_bandwidth", g.scaleup_bandwidth_Bps, &units::bandwidth_Bps, 0, 1e15);
  g.scaleout_bandwidth_Bps = m.quantity("scaleout_bandwidth", g.scaleout_bandwidth_Bps, &units::bandwidth_Bps, 0, 1e15);
  g.scaleup_gpus = static_cast<int>(m.integer("scaleup_gpus", g.scaleup_gpus, 1, 1 << 20));
  g.tdp_w = m.quantity("tdp", g.tdp_w, &units::power_w, 0, 1e5);
  g.idle_w = m.quantity("idle", g.idle_w, &units::power_w, 0, 1e5);
  g.price_usd = m.quantity("price", g.price_usd, &units::usd, 0, 1e9);
  g.rental_usd_per_gpu_hour = m.number("rental_price", g.rental_usd_per_gpu_hour, 0, 1e4);
  g.estimates = m.str("estimates", g.estimates);
  g.sm_count = static_cast<int>(m.integer("sm_count", g.sm_count, 1, 1 << 20));
  g.matmul_efficiency = m.number("matmul_efficiency", g.matmul_efficiency, 0, 1);
  m.finish();
  check(m, gpu_models::validate(g));
  return g;
}

gpu_models::ModelSpec parse_model(YamlMap m, const gpu_models::Catalog& catalog) {
  auto s = start_from<gpu_models::ModelSpec>(m, &gpu_models::Catalog::find_model, catalog, "model");
  s.source = m.has("base") ? m.str("source", s.source) : m.str_required("source");
  auto count = [&](const char* key, int fallback, int lo) {
    return static_cast<int>(m.integer(key, fallback, lo, 1 << 30));
  };
  s.layers = count("layers", s.layers, 1);
  s.hidden = count("hidden", s.hidden, 1);
  s.heads = count("heads", s.heads, 1);
  s.kv_heads = count("kv_heads", s.kv_heads, 0);
  s.ffn = count("ffn", s.ffn, 1);
  s.gated_ffn = m.boolean("gated_ffn", s.gated_ffn);
  s.vocab = count("vocab", s.vocab, 1);
  s.seq_len = count("seq_len", s.seq_len, 1);
  s.experts = count("experts", s.experts, 0);
  s.top_k = count("top_k", s.top_k, 0);
  s.shared_experts = count("shared_experts", s.shared_experts, 0);
  s.moe_ffn = count("moe_ffn", s.moe_ffn, 0);
  s.dense_layers = count("dense_layers", s.dense_layers, 0);
  s.tied_embeddings = m.boolean("tied_embeddings", s.tied_embeddings);
  s.dropout = m.boolean("dropout", s.dropout);
  s.head_dim = count("head_dim", s.head_dim, 0);
  s.v_head_dim = count("v_head_dim", s.v_head_dim, 0);
  s.q_lora_rank = count("q_lora_rank", s.q_lora_rank, 0);
  s.kv_lora_rank = count("kv_lora_rank", s.kv_lora_rank, 0);
  s.rope_head_dim = count("rope_head_dim", s.rope_head_dim, 0);
  s.train_batch_tokens = m.number("train_batch_tokens", s.train_batch_tokens, 1, INF);
  m.finish();
  check(m, gpu_models::validate(s));
  return s;
}

}  // namespace

void parse_catalog(YamlMap m, gpu_models::Catalog& catalog) {
  // GPUs first: a model entry never refers to a GPU, but keeping the order
  // fixed keeps `base` lookups predictable.
  for (auto& entry : m.map_list("gpus")) catalog.add_gpu(parse_gpu(entry, catalog));
  for (auto& entry : m.map_list("models")) catalog.add_model(parse_model(entry, catalog));
  m.finish();
}

}  // namespace gwsim::sim
