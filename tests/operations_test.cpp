// Failures, power and money in whole simulations, each computed by hand, plus
// the Llama 3 effective-training-time check against its closed form.
// Clusters of 8-GPU H100 nodes (TDP 700 W, idle 70 W: a training GPU at
// u = 0.9 draws 70 + 567 = 637 W). Times in hours.
#include <gtest/gtest.h>

#include <cmath>

#include "test_support.hpp"

using gwsim::results::JobRecord;
using gwsim::results::JobState;

namespace {

constexpr double H = 3600;

struct Run {
  gwsim::test::RunResult r;
  std::vector<JobRecord> jobs;  // by id
  double summary(const std::string& name) const {
    for (const auto& v : gwsim::results::read_summary(r.h5))
      if (v.name == name) return v.value;
    ADD_FAILURE() << "no summary value " << name;
    return NAN;
  }
  // Events of one type, as (time, GPUs, cause).
  std::vector<std::tuple<double, int64_t, std::string>> events(const std::string& type) const {
    const auto names = gwsim::results::read_lookup(r.h5, "event");
    const auto causes = gwsim::results::read_lookup(r.h5, "cause");
    std::vector<std::tuple<double, int64_t, std::string>> out;
    for (const auto& e : gwsim::results::read_events(r.h5))
      if (names[e.type] == type) out.emplace_back(e.time_s, e.gpus, causes[e.cause]);
    return out;
  }
};

Run run(const std::string& yaml) {
  Run out;
  const auto scenario = gwsim::sim::parse_scenario(yaml, "inline.yaml");
  out.r = gwsim::test::run_scenario(scenario, gwsim::test::temp_dir());
  gwsim::test::expect_invariants(out.r, scenario.cluster.gpu_count());
  out.jobs = gwsim::results::read_jobs(out.r.h5);
  std::sort(out.jobs.begin(), out.jobs.end(), [](auto& a, auto& b) { return a.id < b.id; });
  return out;
}

// `nodes` nodes of 8 GPUs in one rack; no network power, so energy is the nodes' alone.
std::string cluster(int nodes, const std::string& power = "{pue: 1.0}") {
  return "cluster: {gpu: H100-SXM, gpus_per_node: 8, nodes_per_rack: " + std::to_string(nodes) +
         ", racks_per_pod: 1, fabric: {switch_power: 0, optic_power: 0}, power: " + power + "}\n";
}

std::string jobs(const std::string& list) { return "workload:\n  - type: list\n    jobs:\n" + list; }

// A research job of 16 GPUs, 10h of work, hourly checkpoints, 10 min restarts,
// hit by a GPU failure on node 0 at 3.5h (repair 2h).
const std::string FAILED_JOB =
    "execution: {checkpoint: {research: {interval: 1h, restart: 10min}}}\n" +
    jobs("      - {submit: 0h, gpus: 16, duration: 10h, kind: research}\n");
const std::string GPU_FAILURE_AT_3_5H = "  events: [{at: 3.5h, cause: gpu, node: 0, repair: 2h}]\n";

}  // namespace

TEST(Operations, AFailedJobRestartsFromItsCheckpointOnAHotSpare) {
  // Nodes 0, 1 run the job; node 2 is the pod's hot spare. At 3.5h the job
  // loses the 0.5h since its 3h checkpoint; the spare joins at once, the job
  // restarts on nodes 1 and 2, pays 10 min and does its last 7h: ends 10h40m.
  const auto o = run("horizon: 1d\n" + cluster(3) + "failures:\n  spares: {hot_per_pod: 1}\n" + GPU_FAILURE_AT_3_5H +
                     FAILED_JOB);
  const auto& j = o.jobs[0];
  EXPECT_EQ(j.failures, 1);
  EXPECT_EQ(j.preemptions, 0);
  EXPECT_NEAR(j.end_s, 10 * H + 40 * 60, 1e-6);
  EXPECT_DOUBLE_EQ(j.wait_s, 0) << "the spare made the restart immediate";
  EXPECT_NEAR(j.gpu_hours, 16 * (3.5 + 10.0 / 60 + 7), 1e-9);
  EXPECT_NEAR(j.useful_s, 10 * H, 1e-6) << "10.5h computed, 0.5h of it thrown away";
  EXPECT_NEAR(o.summary("lost_gpu_hours_failures"), 0.5 * 16, 1e-9);
  EXPECT_EQ(o.summary("interruptions_gpu"), 1);
  EXPECT_NEAR(o.summary("failed_node_gpu_hours"), 2 * 8, 1e-9) << "node 0 down 2h";
  const auto fails = o.events("fail");
  ASSERT_EQ(fails.size(), 1u);
  EXPECT_EQ(fails[0], std::make_tuple(3.5 * H, int64_t(16), std::string("gpu")));
}

TEST(Operations, WithoutASpareTheFailedJobWaitsForTheRepair) {
  // Two nodes only: the job needs both and waits for node 0 until 5.5h: ends 5.5h + 10 min + 7h.
  const auto o = run("horizon: 1d\n" + cluster(2) + "failures:\n" + GPU_FAILURE_AT_3_5H + FAILED_JOB);
  EXPECT_NEAR(o.jobs[0].end_s, 12 * H + 40 * 60, 1e-6);
  EXPECT_DOUBLE_EQ(o.jobs[0].wait_s, 2 * H);
}

TEST(Operations, ALeaseLosingANodeGetsTheHotSpareAtOnce) {
  // A 16-GPU lease at $2/GPU-h for 10h; node 0 fails at 2h (repair 30 min): the
  // spare replaces it at once, the renter loses nothing and is owed nothing.
  const auto o = run("horizon: 1d\n" + cluster(3) +
                     "failures:\n  spares: {hot_per_pod: 1}\n"
                     "  events: [{at: 2h, cause: host_maintenance, node: 0, repair: 30min}]\n" +
                     jobs("      - {submit: 0h, gpus: 16, duration: 10h, kind: lease, price_per_gpu_hour: 2}\n"));
  const auto& l = o.jobs[0];
  EXPECT_DOUBLE_EQ(l.end_s, 10 * H) << "a lease's term does not move";
  EXPECT_NEAR(l.revenue_usd, 16 * 10 * 2, 1e-9);
  EXPECT_DOUBLE_EQ(l.sla_credit_usd, 0);
  EXPECT_EQ(l.failures, 1);
  EXPECT_EQ(o.events("fail"), (std::vector<std::tuple<double, int64_t, std::string>>{{2 * H, 8, "host_maintenance"}}));
  EXPECT_EQ(o.events("replace"), (std::vector<std::tuple<double, int64_t, std::string>>{{2 * H, 8, "none"}}));
}

TEST(Operations, ALeaseWithoutASpareRunsShortAndIsCreditedBySla) {
  // No spare: 8 GPUs missing from 2h to 2.5h = 4 of 160 contracted GPU-hours.
  // Availability 97.5% is below 99%: AWS's instance-level schedule credits 30%
  // of the bill, which is 156 GPU-hours x $2 = $312.
  const auto o = run("horizon: 1d\n" + cluster(2) +
                     "failures:\n  events: [{at: 2h, cause: host_maintenance, node: 0, repair: 30min}]\n" +
                     jobs("      - {submit: 0h, gpus: 16, duration: 10h, kind: lease, price_per_gpu_hour: 2}\n"));
  const auto& l = o.jobs[0];
  EXPECT_DOUBLE_EQ(l.end_s, 10 * H);
  EXPECT_NEAR(l.gpu_hours, 156, 1e-9);
  EXPECT_NEAR(l.revenue_usd, 312, 1e-9);
  EXPECT_NEAR(l.sla_credit_usd, 0.3 * 312, 1e-9);
  EXPECT_NEAR(o.summary("sla_credits"), 0.3 * 312, 1e-9);
  EXPECT_EQ(o.events("replace"), (std::vector<std::tuple<double, int64_t, std::string>>{{2.5 * H, 8, "none"}}))
      << "the repaired node goes back to the lease";
}

TEST(Operations, ALeafSwitchFailureTakesDownTheNodesUnderIt) {
  // A Clos rack of 4 one-NIC nodes under top-of-rack leaves of 4 ports, 2 down
  // and 2 up: leaf 0 serves nodes 0-1, leaf 1 nodes 2-3 (docs/topology.md). A
  // (16 GPUs) runs on nodes 0-1, B on node 2. Leaf 0 fails at 1h for 3h: A fails
  // and, with only node 3 free, waits for the switch; B runs on.
  const auto o = run(
      "horizon: 1d\n"
      "cluster: {gpu: H100-SXM, gpus_per_node: 8, nodes_per_rack: 4, racks_per_pod: 1,\n"
      "          fabric: {kind: clos, nics_per_node: 1, tiers: [{switch_radix: 4}, {switch_radix: 4}]}}\n"
      "failures:\n  events: [{at: 1h, cause: leaf_switch, switch: 0, repair: 3h}]\n"
      "execution: {checkpoint: {research: {interval: 1h, restart: 0}}}\n" +
      jobs("      - {submit: 0h, gpus: 16, duration: 5h, kind: research}\n"
           "      - {submit: 0h, gpus: 8, duration: 5h, kind: research}\n"));
  EXPECT_EQ(o.jobs[0].failures, 1);
  EXPECT_EQ(o.jobs[1].failures, 0);
  EXPECT_DOUBLE_EQ(o.jobs[1].end_s, 5 * H);
  EXPECT_NEAR(o.jobs[0].end_s, 4 * H + 4 * H, 1e-6) << "restarts at 4h with 4h of work left";
  EXPECT_NEAR(o.summary("failed_node_gpu_hours"), 2 * 8 * 3, 1e-9);
  EXPECT_EQ(o.summary("interruptions_leaf_switch"), 1);
}

TEST(Operations, ASoftwareFailureFailsTheJobOnThatGpuAndLeavesTheNodeUp) {
  // GPU 3 (node 0) holds A: A restarts at once on the same node. GPU 12 is idle: nothing happens.
  const auto o = run("horizon: 1d\n" + cluster(2) +
                     "failures:\n  events: [{at: 1.5h, cause: software_bug, gpu: 3}, {at: 2h, cause: software_bug, "
                     "gpu: 12}]\n"
                     "execution: {checkpoint: {research: {interval: 1h, restart: 0}}}\n" +
                     jobs("      - {submit: 0h, gpus: 8, duration: 4h, kind: research}\n"));
  EXPECT_EQ(o.jobs[0].failures, 1);
  EXPECT_NEAR(o.jobs[0].end_s, 4.5 * H, 1e-6) << "the half hour since the 1h checkpoint is redone";
  EXPECT_EQ(o.summary("failure_events"), 1) << "software fails only running jobs";
  EXPECT_NEAR(o.summary("failed_node_gpu_hours"), 0, 1e-12);
}

TEST(Operations, EnergyOfAJobByHand) {
  // One node: 1 kW overhead + 8 idle GPUs = 1,560 W; with a training job on all
  // 8 GPUs, 1,000 + 8 x 637 = 6,096 W. PUE 1.25, $0.10/kWh. The job runs 1h-3h of 4h.
  const auto o = run("horizon: 4h\n" + cluster(1, "{pue: 1.25, node_overhead: 1kW}") +
                     "economics: {energy_price: 0.10}\n" +
                     jobs("      - {submit: 1h, gpus: 8, duration: 2h, kind: research}\n"));
  EXPECT_NEAR(o.jobs[0].energy_j, 8 * 637.0 * 2 * H, 1e-6) << "its GPUs' energy";
  const double site_j = 1.25 * (1560 * 2 + 6096 * 2) * H;
  EXPECT_NEAR(o.summary("energy_total"), site_j / 3.6e9, 1e-12);
  EXPECT_NEAR(o.summary("energy_internal"), 1.25 * 6096 * 2 * H / 3.6e9, 1e-12) << "it held the whole node";
  EXPECT_NEAR(o.summary("energy_idle"), 1.25 * 1560 * 2 * H / 3.6e9, 1e-12);
  EXPECT_NEAR(o.summary("energy_cost_total"), site_j / 3.6e6 * 0.10, 1e-9);
  EXPECT_NEAR(o.summary("site_power_peak"), 1.25 * 6096 / 1e6, 1e-12);
  const auto s = gwsim::results::read_series(o.r.h5, "power/site");
  ASSERT_EQ(s.value.size(), 4u);
  EXPECT_NEAR(s.value[0], 1.25 * 1560, 1e-9);
  EXPECT_NEAR(s.value[1], 1.25 * 6096, 1e-9);
  EXPECT_NEAR(s.value[3], 1.25 * 1560, 1e-9);
}

namespace {
// Two 8-GPU training jobs of 10h: A from 0h, B from 2h. The site budget
// (PUE 1) is the idle 16 x 70 W plus one job's 8 x 567 W: both together need x = 0.5.
std::string two_jobs_under_a_budget(const std::string& policy) {
  return "horizon: 1d\n" + cluster(2, "{pue: 1.0, site_budget: 5656W}") + "power: {policy: " + policy + "}\n" +
         jobs("      - {submit: 0h, gpus: 8, duration: 10h, kind: research}\n"
              "      - {submit: 2h, gpus: 8, duration: 10h, kind: research}\n");
}
}  // namespace

TEST(Operations, ThrottleSlowsBothJobsByTheCubeRootOfTheirPowerShare) {
  // From 2h both run at x = 0.5, rate c = 0.5^(1/3): A's last 8h take 8/c; B has
  // then done 8h and runs its last 2h alone at full speed.
  const auto o = run(two_jobs_under_a_budget("throttle"));
  const double c = std::cbrt(0.5), slow = 8 / c;
  EXPECT_NEAR(o.jobs[0].end_s, (2 + slow) * H, 1e-6);
  EXPECT_NEAR(o.jobs[1].end_s, (2 + slow + 2) * H, 1e-6);
  EXPECT_NEAR(o.summary("time_at_power_cap"), slow * H, 1e-6);
  EXPECT_NEAR(o.summary("time_over_power_budget"), 0, 1e-9);
  EXPECT_NEAR(o.jobs[0].energy_j, 8 * (637 * 2 + (70 + 0.5 * 567) * slow) * H, 1e-3);
  EXPECT_NEAR(o.summary("site_power_peak"), 5656 / 1e6, 1e-12) << "never above the budget";
}

TEST(Operations, DeferHoldsTheSecondJobUntilThePowerIsThere) {
  const auto o = run(two_jobs_under_a_budget("defer"));
  EXPECT_DOUBLE_EQ(o.jobs[0].end_s, 10 * H);
  EXPECT_DOUBLE_EQ(o.jobs[1].start_s, 10 * H);
  EXPECT_DOUBLE_EQ(o.jobs[1].end_s, 20 * H);
  EXPECT_NEAR(o.summary("time_at_power_cap"), 8 * H, 1e-6) << "B waited for power from 2h to 10h";
}

TEST(Operations, MoneyByHandOnALease) {
  // 2 nodes: 16 GPUs at $25k, nodes at $60k, a network costing nothing: $520k
  // over 5 years, of which 10 days. A lease holds 8 GPUs for the 10 days at $2:
  // $3,840, and half the installed GPU-hours, so half the depreciation.
  const auto o = run("horizon: 10d\n"
                     "cluster: {gpu: H100-SXM, gpus_per_node: 8, nodes_per_rack: 2, racks_per_pod: 1,\n"
                     "          fabric: {switch_cost: 0, optic_cost: 0}}\n"
                     "economics: {node_cost: 60k, energy_price: 0, depreciation_years: 5}\n" +
                     jobs("      - {submit: 0h, gpus: 8, duration: 10d, kind: lease, price_per_gpu_hour: 2}\n"));
  const double depreciation = 520000.0 * 10 / (5 * 365.25);
  EXPECT_NEAR(o.summary("capex"), 520000, 1e-6);
  EXPECT_NEAR(o.summary("depreciation_total"), depreciation, 1e-6);
  EXPECT_NEAR(o.summary("depreciation_lease"), depreciation / 2, 1e-6);
  EXPECT_NEAR(o.summary("depreciation_idle"), depreciation / 2, 1e-6);
  EXPECT_NEAR(o.summary("margin_lease"), 3840 - depreciation / 2, 1e-6);
  EXPECT_NEAR(o.summary("margin_total"), 3840 - depreciation, 1e-6);
  EXPECT_NEAR(o.summary("rental_share_of_depreciation"), 3840 / depreciation, 1e-12);
}

TEST(Operations, ExternalRequestsWithoutAPricePayTheDefaultOne) {
  const auto o = run("horizon: 1d\n" + cluster(2) +
                     jobs("      - {submit: 0h, gpus: 8, duration: 2h, kind: on_demand}\n"
                          "      - {submit: 0h, gpus: 8, duration: 2h, kind: spot}\n"));
  EXPECT_NEAR(o.jobs[0].revenue_usd, 8 * 2 * 2.99, 1e-9);
  EXPECT_NEAR(o.jobs[1].revenue_usd, 8 * 2 * 1.49, 1e-9);
}

TEST(Operations, RandomFailuresOnAMixedWorkloadKeepTheInvariants) {
  // The quickstart's mix (internal jobs, more and smaller leases) with failures
  // 200 times the Llama 3 rate and one hot spare per pod: many failures, every
  // kind of outcome (restarts, leases short, spares, repairs).
  auto s = gwsim::sim::load_scenario(gwsim::test::source_path("examples/quickstart/scenario.yaml"));
  s.horizon_s = 4 * 86400;
  s.failures.random = true;
  for (auto& c : s.failures.classes) c.rate_per_unit_s *= 200;
  s.failures.spares.hot_per_pod = 1;
  auto& leases = std::get<gwsim::workloads::LeaseBookParams>(s.workload.at(1));
  leases.leases_per_week = 30;
  leases.max_gpus = 64;
  const auto r = gwsim::test::run_scenario(s, gwsim::test::temp_dir());
  gwsim::test::expect_invariants(r, s.cluster.gpu_count());
  const auto jobs = gwsim::results::read_jobs(r.h5);
  int failures = 0, lease_failures = 0;
  for (const auto& j : jobs) {
    failures += j.failures;
    if (j.kind == 3) lease_failures += j.failures;
    EXPECT_GE(j.sla_credit_usd, 0);
    EXPECT_LE(j.sla_credit_usd, j.revenue_usd + 1e-9);
    EXPECT_LE(j.useful_s, j.run_s + 1e-6);
  }
  EXPECT_GT(failures, 50);
  EXPECT_GT(lease_failures, 0);
}

TEST(Operations, Llama3EffectiveTrainingTimeMatchesItsClosedForm) {
  // examples/failure-heavy-16k over 200 days: a 16,384-GPU job failing at Llama 3's
  // rate, lambda = 419 per 54 days, checkpointing every I = 1h (W = 2 min write)
  // and paying R = 10 min per restart, with hot spares so restarts are immediate.
  // Each checkpoint cycle of I + W must run without failure, after a restart
  // also the R before it; with Poisson failures the expected wall time per
  // cycle is e^(lambda R) (e^(lambda (I+W)) - 1) / lambda (Daly 2006), so
  //   ETTR = lambda I e^(-lambda R) / (e^(lambda (I+W)) - 1)  = 0.772.
  // Tolerance: the time lost per failure is about U + R with U uniform on
  // [0, I+W]; over lambda T failures (compound Poisson) its sd is
  // sqrt(lambda T E[(U+R)^2]), 0.6% of T here; we allow 4 sd.
  auto s = gwsim::sim::load_scenario(gwsim::test::source_path("examples/failure-heavy-16k/scenario.yaml"));
  s.horizon_s = 200 * 86400.0;
  const auto r = gwsim::test::run_scenario(s, gwsim::test::temp_dir());
  gwsim::test::expect_invariants(r, s.cluster.gpu_count());
  const auto jobs = gwsim::results::read_jobs(r.h5);
  ASSERT_EQ(jobs.size(), 1u);
  const auto& j = jobs[0];
  const double lambda = 419.0 / (54 * 86400), I = 3600, W = 120, R = 600;
  const double T = s.horizon_s - j.start_s;
  const double expected = lambda * I * std::exp(-lambda * R) / std::expm1(lambda * (I + W));
  EXPECT_NEAR(expected, 0.772, 0.001);
  const double Ew2 = (I + W) * (I + W) / 3 + (I + W) * R + R * R;
  const double sd = std::sqrt(lambda * T * Ew2) / T;
  EXPECT_NEAR(j.useful_s / T, expected, 4 * sd);
  EXPECT_NEAR(double(j.failures), lambda * T, 4 * std::sqrt(lambda * T)) << "failures that hit the job";
  EXPECT_DOUBLE_EQ(j.start_s, 0);
  EXPECT_EQ(j.state, uint8_t(JobState::RUNNING_AT_END));
}

namespace {
std::string error_of(const std::string& yaml) {
  try {
    const auto s = gwsim::sim::parse_scenario(yaml, "ops.yaml");
    gwsim::test::run_scenario(s, gwsim::test::temp_dir());
  } catch (const gwsim::Error& e) {
    EXPECT_EQ(e.code(), gwsim::ExitCode::SCENARIO);
    return e.what();
  }
  return "";
}
const std::string TINY = "horizon: 1h\ncluster: {gpu: H100-SXM, gpus_per_node: 8, nodes_per_rack: 2, racks_per_pod: 1}\n";
}  // namespace

TEST(OperationsScenario, DefaultsAreFailuresOffThrottleAndPublishedPrices) {
  const auto s = gwsim::sim::parse_scenario(TINY, "ops.yaml");
  EXPECT_FALSE(s.failures.random);
  EXPECT_TRUE(s.failures.events.empty());
  EXPECT_EQ(s.failures.classes.size(), 19u);
  EXPECT_EQ(s.power.policy, gwsim::sim::PowerPolicy::THROTTLE);
  EXPECT_DOUBLE_EQ(s.economics.depreciation_years, 5);
  EXPECT_EQ(s.economics.sla.size(), 3u);
}

TEST(OperationsScenario, KeysOverrideClassesAddOnesAndScaleRates) {
  const auto s = gwsim::sim::parse_scenario(
      TINY + "failures:\n  enabled: true\n  rate_scale: 2\n"
             "  classes: {hbm: {mtbf: 1000d, repair: 1d}, cosmic_ray: {scope: gpu, mtbf: 500d}}\n",
      "ops.yaml");
  EXPECT_TRUE(s.failures.random);
  const auto& hbm = s.failures.classes[1];
  EXPECT_EQ(hbm.name, "hbm");
  EXPECT_DOUBLE_EQ(hbm.rate_per_unit_s, 2 / (1000 * 86400.0));
  EXPECT_DOUBLE_EQ(hbm.repair_s, 86400);
  EXPECT_EQ(s.failures.classes.back().name, "cosmic_ray");
  EXPECT_DOUBLE_EQ(s.failures.classes.back().rate_per_unit_s, 2 / (500 * 86400.0));
}

TEST(OperationsScenario, BadKeysNameTheirPlace) {
  EXPECT_NE(error_of(TINY + "failures: {enabld: true}\n").find("'failures.enabld'"), std::string::npos);
  EXPECT_NE(error_of(TINY + "failures: {classes: {cosmic_ray: {mtbf: 100d}}}\n").find("scope"), std::string::npos);
  EXPECT_NE(error_of(TINY + "failures: {events: [{at: 1h, cause: meteor, node: 0}]}\n").find("hbm"), std::string::npos)
      << "the cause must be a class name; the message lists them";
  EXPECT_NE(error_of(TINY + "failures: {events: [{at: 1h, cause: gpu, node: 2}]}\n").find("failures.events[0].node"),
            std::string::npos);
  EXPECT_NE(error_of(TINY + "failures: {events: [{at: 1h, cause: leaf_switch, switch: 999}]}\n")
                .find("failures.events[0].switch"),
            std::string::npos)
      << "found when the fabric is built";
  EXPECT_NE(error_of(TINY + "failures: {spares: {hot_per_pod: 2}}\n").find("hot_per_pod"), std::string::npos);
  EXPECT_NE(error_of(TINY + "power: {policy: shed}\n").find("none, throttle, defer"), std::string::npos);
  EXPECT_NE(error_of(TINY + "economics: {tariff: [{from: 0h, to: 10h, price: 0.2}, {from: 9h, to: 12h, price: 0.3}]}\n")
                .find("economics.tariff"),
            std::string::npos);
  EXPECT_NE(error_of(TINY + "economics: {prices: {pretrain: 2}}\n").find("'economics.prices.pretrain'"),
            std::string::npos);
}

TEST(Operations, JobsLargerThanThePoolAreKilledCountedAndNamed) {
  // Three nodes of 8 GPUs, one a hot spare: the pool is 16 GPUs. The jobs of
  // 24 GPUs (the installed count, spare included) and 32 can never start: both
  // are killed at submission with cause larger_than_cluster; the 8-GPU job
  // runs, and one asking a GPU type the cluster lacks is infeasible, not too large.
  const auto o = run("horizon: 1d\n" + cluster(3) + "failures:\n  spares: {hot_per_pod: 1}\n" +
                     jobs("      - {submit: 0h, gpus: 24, duration: 1h, kind: research}\n"
                          "      - {submit: 1h, gpus: 8, duration: 1h, kind: research}\n"
                          "      - {submit: 2h, gpus: 32, duration: 1h, kind: research}\n"
                          "      - {submit: 3h, gpus: 8, duration: 1h, kind: research, gpu_type: B200}\n"));
  EXPECT_EQ(o.summary("jobs_larger_than_cluster"), 2);
  EXPECT_EQ(o.summary("jobs_killed"), 3);
  EXPECT_EQ(o.summary("jobs_completed"), 1);
  const auto kills = o.events("kill");
  EXPECT_EQ(kills, (std::vector<std::tuple<double, int64_t, std::string>>{
                       {0, 0, "larger_than_cluster"}, {2 * H, 0, "larger_than_cluster"}, {3 * H, 0, "infeasible"}}));
  std::vector<uint64_t> too_large;
  for (const auto& j : o.jobs)
    if (j.gpus > 16) too_large.push_back(j.id);
  EXPECT_EQ(o.r.stats.larger_than_cluster, too_large) << "the headline names them by id";
}

TEST(Operations, FailuresAndJobInterruptionsAreCountedApart) {
  // Two nodes, one 16-GPU job on both. Node 0 fails at 1h (repair 1h): the
  // job is interrupted and waits for it. Node 1 fails at 1.5h while the job
  // waits: a failure that interrupts nothing. Two failures, one interruption.
  const auto o = run("horizon: 1d\n" + cluster(2) +
                     "failures:\n  events: [{at: 1h, cause: gpu, node: 0, repair: 1h}, "
                     "{at: 1.5h, cause: hbm, node: 1, repair: 30min}]\n" +
                     jobs("      - {submit: 0h, gpus: 16, duration: 10h, kind: research}\n"));
  EXPECT_EQ(o.summary("failure_events"), 2);
  EXPECT_EQ(o.summary("job_interruptions"), 1);
  EXPECT_EQ(o.summary("interruptions_gpu"), 1);
  EXPECT_EQ(o.jobs[0].failures, 1);
}
