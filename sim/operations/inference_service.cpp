#include "sim/operations/inference_service.hpp"

#include <algorithm>
#include <cmath>
#include <fmt/format.h>

#include "gpu_models/inference.hpp"

namespace gwsim::sim {
namespace {

// Sub-intervals of the composite Simpson rule over one autoscaling interval:
// the demand is a smooth daily cosine (a period of 24 h against intervals of
// minutes), so the rule is exact to far below a token where demand stays on
// one side of the capacity; the kink where it crosses costs at most one
// sub-interval's curvature.
constexpr int SIMPSON_STEPS = 32;

gpu_models::InferenceQuery query_of(const gpu_models::ModelSpec& model, const gpu_models::GpuSpec& gpu,
                                     const gpu_models::Links& links, const workloads::InferenceDemand& d) {
  gpu_models::InferenceQuery q;
  q.model = &model;
  q.gpu = &gpu;
  q.plan.tp = d.gpus_per_replica;
  q.plan.pp = 1;
  q.links = links;
  q.prompt_tokens = std::max(1, static_cast<int>(std::lround(d.mean_prompt_tokens())));
  q.output_tokens = std::max(1, static_cast<int>(std::lround(d.mean_output_tokens())));
  return q;
}

}  // namespace

ReplicaCapacity replica_capacity(const gpu_models::ModelSpec& model, const gpu_models::GpuSpec& gpu,
                                 const gpu_models::Links& links, const workloads::InferenceDemand& d) {
  ReplicaCapacity c;
  const auto q = query_of(model, gpu, links, d);
  auto at = [&](double rate) {
    gpu_models::ServingLoad load;
    load.arrival_rate_per_s = rate;
    load.prompt_tokens = q.prompt_tokens;
    load.output_tokens = q.output_tokens;
    return gpu_models::estimate_serving(q, load);
  };
  auto meets = [&](const gpu_models::ServingEstimate& e) {
    return e.feasible && !e.saturated && e.ttft_s <= d.ttft_slo_s && e.tpot_s <= d.tpot_slo_s;
  };
  // A load so light that queueing is nil: if even that misses the SLOs, no load meets them.
  double lo = 1e-6;
  const auto light = at(lo);
  if (!light.feasible) {
    c.reason = light.reason.empty() ? "the model does not fit a replica" : light.reason;
    return c;
  }
  if (!meets(light)) {
    c.reason = fmt::format("a single request takes {:.3g} s to its first token and {:.3g} s per output token, beyond the "
                           "SLOs ({:.3g} s, {:.3g} s)",
                           light.ttft_s, light.tpot_s, d.ttft_slo_s, d.tpot_slo_s);
    return c;
  }
  double hi = 1;
  while (meets(at(hi)) && hi < 1e9) hi *= 2;
  for (int i = 0; i < 60 && hi - lo > 1e-9 * hi; ++i) {
    const double mid = 0.5 * (lo + hi);
    (meets(at(mid)) ? lo : hi) = mid;
  }
  const auto e = at(lo);
  c.feasible = true;
  c.requests_per_s = lo;
  c.tokens_per_s = lo * (q.prompt_tokens + q.output_tokens);
  c.ttft_s = e.ttft_s;
  c.tpot_s = e.tpot_s;
  return c;
}

int target_replicas(const workloads::InferenceDemand& d, double capacity, double t0, double t1) {
  double peak = 0;
  for (int i = 0; i <= SIMPSON_STEPS; ++i) peak = std::max(peak, d.tokens_per_s(t0 + (t1 - t0) * i / SIMPSON_STEPS));
  const double want = capacity > 0 ? std::ceil(peak * (1 + d.scale_headroom) / capacity) : d.max_replicas;
  return static_cast<int>(std::clamp<double>(want, d.min_replicas, d.max_replicas));
}

ServedFlow serve(const workloads::InferenceDemand& d, double capacity, double t0, double t1) {
  ServedFlow f;
  if (!(t1 > t0)) return f;
  // Composite Simpson of the demand and of min(demand, capacity).
  const double h = (t1 - t0) / SIMPSON_STEPS;
  for (int i = 0; i <= SIMPSON_STEPS; ++i) {
    const double w = (i == 0 || i == SIMPSON_STEPS) ? 1 : (i % 2 ? 4 : 2);
    const double demand = d.tokens_per_s(t0 + i * h);
    f.demanded_tokens += w * demand;
    f.served_tokens += w * std::min(demand, capacity);
  }
  f.demanded_tokens *= h / 3;
  f.served_tokens *= h / 3;
  const double prompt = d.mean_prompt_tokens(), output = d.mean_output_tokens();
  const double per_request = prompt + output;
  f.revenue_usd = f.served_tokens / per_request *
                  (prompt * d.price_usd_per_million_prompt_tokens + output * d.price_usd_per_million_output_tokens) / 1e6;
  f.demanded_requests = f.demanded_tokens / per_request;
  f.unserved_requests = (f.demanded_tokens - f.served_tokens) / per_request;
  return f;
}

}  // namespace gwsim::sim
