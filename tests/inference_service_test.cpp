// Inference services: the replica capacity under SLOs, the autoscaler's
// target, the fluid demand served, and a whole service on a small cluster.
#include <gtest/gtest.h>

#include <cmath>

#include "gpu_models/inference.hpp"
#include "sim/operations/inference_service.hpp"
#include "test_support.hpp"

using gwsim::sim::replica_capacity;
using gwsim::sim::serve;
using gwsim::sim::target_replicas;
using gwsim::workloads::InferenceDemand;

namespace {

InferenceDemand flat(double tokens_per_s) {
  InferenceDemand d;
  d.mean_tokens_per_s = tokens_per_s;
  d.diurnal_amplitude = 0;
  d.weekend_factor = 1;
  return d;
}

gwsim::sim::ReplicaCapacity capacity_70b(const InferenceDemand& d) {
  static const auto catalog = gwsim::gpu_models::Catalog::builtin();
  gwsim::topology::ClusterSpec spec;  // the defaults: H100 nodes of 8, NVLink 450 GB/s per GPU
  return replica_capacity(*catalog.find_model("llama3-70b"), *catalog.find_gpu("H100-SXM"),
                          gwsim::sim::cluster_links(spec), d);
}

}  // namespace

TEST(InferenceService, CapacityIsTheLargestLoadMeetingBothSlos) {
  const InferenceDemand d = flat(1e5);
  const auto c = capacity_70b(d);
  ASSERT_TRUE(c.feasible) << c.reason;
  EXPECT_LE(c.ttft_s, d.ttft_slo_s);
  EXPECT_LE(c.tpot_s, d.tpot_slo_s);
  EXPECT_NEAR(c.tokens_per_s, c.requests_per_s * (std::lround(d.mean_prompt_tokens()) + std::lround(d.mean_output_tokens())),
              1e-6 * c.tokens_per_s);
  // 2% more load breaks an SLO (or saturates the replica).
  static const auto catalog = gwsim::gpu_models::Catalog::builtin();
  gwsim::gpu_models::InferenceQuery q;
  q.model = catalog.find_model("llama3-70b");
  q.gpu = catalog.find_gpu("H100-SXM");
  q.plan.tp = 8;
  q.links = gwsim::sim::cluster_links(gwsim::topology::ClusterSpec{});
  q.prompt_tokens = static_cast<int>(std::lround(d.mean_prompt_tokens()));
  q.output_tokens = static_cast<int>(std::lround(d.mean_output_tokens()));
  gwsim::gpu_models::ServingLoad over{0, c.requests_per_s * 1.02, q.prompt_tokens, q.output_tokens};
  const auto e = gwsim::gpu_models::estimate_serving(q, over);
  EXPECT_TRUE(!e.feasible || e.saturated || e.ttft_s > d.ttft_slo_s || e.tpot_s > d.tpot_slo_s);
}

TEST(InferenceService, ImpossibleSlosGiveNoCapacityAndSayWhy) {
  InferenceDemand d = flat(1e5);
  d.tpot_slo_s = 1e-5;
  const auto c = capacity_70b(d);
  EXPECT_FALSE(c.feasible);
  EXPECT_NE(c.reason.find("SLO"), std::string::npos) << c.reason;
}

TEST(InferenceService, TargetCoversThePeakWithHeadroomWithinBounds) {
  InferenceDemand d = flat(1000);
  d.scale_headroom = 0.1;
  d.min_replicas = 1;
  d.max_replicas = 10;
  EXPECT_EQ(target_replicas(d, 100, 0, 300), 10) << "ceil(1000 * 1.1 / 100) = 11, capped at 10";
  EXPECT_EQ(target_replicas(d, 400, 0, 300), 3) << "ceil(1100 / 400)";
  EXPECT_EQ(target_replicas(d, 1e6, 0, 300), 1) << "never below min_replicas";
}

TEST(InferenceService, ServedIsTheIntegralOfDemandCappedByCapacity) {
  const InferenceDemand d = flat(1000);
  auto f = serve(d, 600, 0, 3600);
  EXPECT_NEAR(f.demanded_tokens, 3.6e6, 1e-6);
  EXPECT_NEAR(f.served_tokens, 600 * 3600.0, 1e-6);
  EXPECT_NEAR(f.unserved_requests / f.demanded_requests, 0.4, 1e-12);
  const double per_request = d.mean_prompt_tokens() + d.mean_output_tokens();
  const double usd_per_token = (d.mean_prompt_tokens() * d.price_usd_per_million_prompt_tokens +
                                d.mean_output_tokens() * d.price_usd_per_million_output_tokens) /
                               per_request / 1e6;
  EXPECT_NEAR(f.revenue_usd, f.served_tokens * usd_per_token, 1e-9);
  // A daily cosine integrates to its mean over a whole (week)day.
  InferenceDemand daily = flat(1000);
  daily.diurnal_amplitude = 0.5;
  double total = 0;
  for (int h = 0; h < 24; ++h) total += serve(daily, 1e9, h * 3600.0, (h + 1) * 3600.0).demanded_tokens;
  EXPECT_NEAR(total, 1000 * 86400.0, 1e-6 * 1000 * 86400.0);
}

TEST(InferenceService, AServiceScalesUpToWhatTheClusterHolds) {
  // Flat demand of 2.5 replicas' capacity: the autoscaler wants ceil(2.5 x 1.1)
  // = 3 replicas; the cluster (2 nodes of 8) holds 2. So from t = 0, 2
  // replicas serve 2 of the 2.5: a fifth of the requests miss their SLOs.
  InferenceDemand d = flat(1);
  const double cap = capacity_70b(d).tokens_per_s;  // capacity depends on lengths and SLOs only
  const double demand = 2.5 * cap;
  const auto r = gwsim::test::run_text(
      "horizon: 1d\n"
      "cluster: {gpu: H100-SXM, gpus_per_node: 8, nodes_per_rack: 2, racks_per_pod: 1}\n"
      "workload:\n"
      "  - type: inference\n"
      "    services:\n"
      "      - {model: llama3-70b, mean_tokens_per_s: " + std::to_string(demand) +
          ", diurnal_amplitude: 0, weekend_factor: 1, gpus_per_replica: 8, min_replicas: 1, max_replicas: 8}\n",
      gwsim::test::temp_dir());
  gwsim::test::expect_invariants(r, 16);
  double served = 0, demanded = 0, miss = 0, revenue = 0;
  for (const auto& v : gwsim::results::read_summary(r.h5)) {
    if (v.name == "api_tokens_served") served = v.value;
    if (v.name == "api_tokens_demanded") demanded = v.value;
    if (v.name == "api_slo_miss_fraction") miss = v.value;
    if (v.name == "revenue_api") revenue = v.value;
  }
  EXPECT_NEAR(demanded, demand * 86400, 1e-6 * demand * 86400);
  EXPECT_NEAR(served, 2 * cap * 86400, 1e-6 * served);
  EXPECT_NEAR(miss, 0.2, 1e-9);
  EXPECT_NEAR(revenue, serve(d, 1e18, 0, 1).revenue_usd / d.tokens_per_s(0) * served, 1e-6 * revenue);
  int replicas = 0, queued = 0;
  for (const auto& j : gwsim::results::read_jobs(r.h5)) {
    if (j.kind != uint8_t(gwsim::workloads::JobKind::INFERENCE)) continue;
    ++replicas;
    queued += j.start_s < 0;
  }
  EXPECT_EQ(replicas, 3) << "the service's own job and two replicas it added";
  EXPECT_EQ(queued, 1) << "the third replica never found GPUs";
}
