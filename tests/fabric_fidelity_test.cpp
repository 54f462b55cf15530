// Fabric fidelity: jobs whose traffic crosses the same shared uplink slow
// each other down; at fleet fidelity they do not.
//
// Cluster: 3 racks of 2 nodes of 8 H100, a 2-tier Clos with 2:1
// oversubscription at the leaves: each rack's leaf group has an uplink of
// 2 x 8 x 50 GB/s / 2 = 400 GB/s per direction. X (8 GPUs) holds node 0; A
// (16 GPUs) gets nodes 1 and 2 (racks 0 and 1); B (16 GPUs, from 1h) gets
// nodes 3 and 4 (racks 1 and 2). Alone, A's node 2 sends 8 x 50 = 400 GB/s
// through rack 1's uplink: the full NIC rate. With B, node 3 sends as much
// through the same uplink: each gets half.
#include <gtest/gtest.h>

#include "gpu_models/cost_model.hpp"
#include "cli_support.hpp"
#include "test_support.hpp"

namespace {

constexpr double PROBE_S = 300;

std::string scenario(const std::string& fidelity, bool with_b, double tokens) {
  std::string s = "horizon: 30d\nfidelity: " + fidelity + R"(
cluster:
  gpu: H100-SXM
  gpus_per_node: 8
  nodes_per_rack: 2
  racks_per_pod: 3
  fabric:
    kind: clos
    nics_per_node: 8
    nic_bandwidth: 400Gbps
    tiers:
      - {switch_radix: 24, oversubscription: 2, link_bandwidth: 400Gbps}  # 16 ports down, 8 up
      - {switch_radix: 64}
execution: {fabric_probe_interval: 5min, checkpoint: {pretrain: {interval: 0}}}
workload:
  - type: list
    jobs:
      - {submit: 0h, gpus: 8, duration: 1000h}
)";
  s += "      - {submit: 0h, gpus: 16, kind: pretrain, model: llama3-8b, work_tokens: " + std::to_string(tokens) + "}\n";
  if (with_b)
    s += "      - {submit: 1h, gpus: 16, kind: pretrain, model: llama3-8b, work_tokens: " + std::to_string(tokens) + "}\n";
  return s;
}

// tokens/s of llama3-8b on 16 H100 with the planner's plan for `plan_bw` per
// GPU, run at `run_bw` per GPU (the simulator's own links, by construction).
double rate(double plan_bw, double run_bw) {
  const auto catalog = gwsim::gpu_models::Catalog::builtin();
  const auto* model = catalog.find_model("llama3-8b");
  const auto* gpu = catalog.find_gpu("H100-SXM");
  gwsim::gpu_models::Links links;
  links.scaleup_Bps = 450e9;
  links.scaleup_latency_s = 1e-6;
  links.scaleup_gpus = 8;
  links.scaleout_Bps = plan_bw;
  gwsim::gpu_models::PlanCache plans;
  gwsim::gpu_models::TrainingQuery q{model, gpu, 16, 0, plans.get(*model, *gpu, 16, links).plan, links};
  q.links.scaleout_Bps = run_bw;
  return gwsim::gpu_models::estimate_training(q).tokens_per_s;
}

// One SimGrid engine per process: a second run goes through the gwsim binary.
std::string run_in_child(const std::string& yaml, const std::string& dir) {
  gwsim::test::write_text(dir + ".yaml", yaml);
  EXPECT_EQ(gwsim::test::run_gwsim("run " + dir + ".yaml -q -o " + dir), 0);
  return dir + "/run.h5";
}

gwsim::results::JobRecord job_a(const std::string& h5) {
  for (const auto& j : gwsim::results::read_jobs(h5))
    if (j.id == 1) return j;
  ADD_FAILURE() << "no job A";
  return {};
}

}  // namespace

TEST(FabricFidelity, AloneTheJobGetsItsNicsAfterItsFirstProbe) {
  // Fleet estimate for A's placement: rack 1's 400 GB/s uplink over its 16 GPUs = 25 GB/s per GPU.
  const double r_fleet = rate(25e9, 25e9), r_full = rate(25e9, 50e9);
  ASSERT_GT(r_full, r_fleet) << "the model must be bandwidth-sensitive for this test to mean anything";
  const double tokens = r_full * 5 * 3600;
  const auto r = gwsim::test::run_text(scenario("fabric", false, tokens), gwsim::test::temp_dir());
  gwsim::test::expect_invariants(r, 48);
  // The first probe runs at the fleet rate; then the job has its full NICs.
  const double expected = PROBE_S + (tokens - PROBE_S * r_fleet) / r_full;
  EXPECT_NEAR(job_a(r.h5).end_s, expected, 1e-6 * expected);
}

TEST(FabricFidelity, ANeighbourOnTheSameUplinkSlowsTheJob) {
  // A's probes last 300 s each while it is alone. B starts at 1h; A's probe
  // that starts then shares rack 1's uplink with B's flow and takes 600 s: from
  // 4200 s A runs at half its NICs (and stays there, every later probe sharing
  // too). So W = 300 r_fleet + 3900 r_full + (T - 4200) r_half, to within the
  // links' microsecond latencies.
  const double r_fleet = rate(25e9, 25e9), r_full = rate(25e9, 50e9), r_half = rate(25e9, 25e9);
  const double tokens = r_full * 5 * 3600;
  const auto shared = gwsim::test::run_text(scenario("fabric", true, tokens), gwsim::test::temp_dir("-shared"));
  gwsim::test::expect_invariants(shared, 48);
  const double expected = 4200 + (tokens - 300 * r_fleet - 3900 * r_full) / r_half;
  EXPECT_NEAR(job_a(shared.h5).end_s, expected, 1.0);
  const std::string alone = run_in_child(scenario("fabric", false, tokens), gwsim::test::temp_dir("-alone"));
  EXPECT_GT(job_a(shared.h5).end_s, job_a(alone).end_s) << "B's traffic on rack 1's uplink slows A down";
}

TEST(FabricFidelity, AtFleetFidelityNeighboursDoNotInteract) {
  const double tokens = rate(25e9, 50e9) * 5 * 3600;
  const auto shared = gwsim::test::run_text(scenario("fleet", true, tokens), gwsim::test::temp_dir("-shared"));
  gwsim::test::expect_invariants(shared, 48);
  const std::string alone = run_in_child(scenario("fleet", false, tokens), gwsim::test::temp_dir("-alone"));
  EXPECT_DOUBLE_EQ(job_a(alone).end_s, job_a(shared.h5).end_s);
  EXPECT_NEAR(job_a(alone).end_s, tokens / rate(25e9, 25e9), 1e-6 * job_a(alone).end_s);
}
