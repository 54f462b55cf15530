// The power model without SimGrid: fleet power by state, throttling and
// deferral under a budget, and exact energy and cost, all by hand.
// H100 SXM: TDP 700 W, idle 70 W, so a training GPU (u = 0.9) adds 567 W.
#include <gtest/gtest.h>

#include <cmath>

#include "sim/operations/power.hpp"

using namespace gwsim::sim;
using gwsim::workloads::JobKind;

namespace {

constexpr double TDP = 700, IDLE = 70, DYN = 0.9 * 630;  // 567 W

// `racks` racks of one 8-GPU node; no node overhead, PUE 1, no network unless given.
gwsim::topology::ClusterSpec racks_of_one_node(int racks) {
  gwsim::topology::ClusterSpec s;
  s.gpus_per_node = 8;
  s.nodes_per_rack = 1;
  s.racks_per_pod = racks;
  s.power.pue = 1.0;
  s.power.node_overhead_w = 0;
  return s;
}

Allocation node(int32_t n, int16_t gpus = 8) { return Allocation{{{n, gpus}}, gpus}; }

PowerModel model(const gwsim::topology::ClusterSpec& s, PowerPolicy policy = PowerPolicy::THROTTLE,
                 double network_w = 0, Tariff tariff = Tariff(0.1)) {
  PowerConfig c;
  c.policy = policy;
  return PowerModel(s, TDP, IDLE, network_w, c, 2, std::move(tariff));
}

}  // namespace

TEST(PowerModel, IdleFleetDrawsOverheadIdleGpusAndNetworkTimesPue) {
  auto s = racks_of_one_node(2);
  s.power.pue = 1.25;
  s.power.node_overhead_w = 1000;
  auto p = model(s, PowerPolicy::THROTTLE, 500);
  EXPECT_DOUBLE_EQ(p.it_power_w(), 2 * (1000 + 8 * IDLE) + 500);
  EXPECT_DOUBLE_EQ(p.facility_power_w(), 1.25 * (2 * (1000 + 8 * IDLE) + 500));
  p.set_node_powered(1, false);  // a down node or a cold spare draws nothing
  EXPECT_DOUBLE_EQ(p.it_power_w(), 1000 + 8 * IDLE + 500);
  EXPECT_DOUBLE_EQ(p.dynamic_w(JobKind::PRETRAIN), DYN);
  EXPECT_DOUBLE_EQ(p.dynamic_w(JobKind::INFERENCE), 0.6 * 630);
}

TEST(PowerModel, ALoadAddsItsDynamicPowerAndBooksItsGpusToItsBucket) {
  auto s = racks_of_one_node(2);
  s.power.node_overhead_w = 800;  // 100 W per GPU slot
  auto p = model(s);
  p.add_load(1, node(0, 4), DYN, 0);
  EXPECT_DOUBLE_EQ(p.it_power_w(), 2 * (800 + 8 * IDLE) + 4 * DYN);
  EXPECT_DOUBLE_EQ(p.gpu_power_w(1), IDLE + DYN);
  EXPECT_DOUBLE_EQ(p.bucket_power_w(0), 4 * (IDLE + 100 + DYN));
  EXPECT_DOUBLE_EQ(p.bucket_power_w(0) + p.bucket_power_w(1), p.facility_power_w());
  p.remove_load(1);
  EXPECT_DOUBLE_EQ(p.it_power_w(), 2 * (800 + 8 * IDLE));
}

TEST(PowerModel, ThrottleCapsEveryGpuOfTheSiteUniformlyToItsBudget) {
  // 16 GPUs idle 1,120 W; two 8-GPU training loads ask 9,072 W more. Site budget
  // 1,120 + 4,536 W: x = 4,536 / 9,072 = 0.5, the jobs run at 0.5^(1/3).
  auto s = racks_of_one_node(2);
  s.power.site_budget_w = 16 * IDLE + 8 * DYN;
  auto p = model(s);
  p.add_load(1, node(0), DYN, 0);
  EXPECT_TRUE(p.rebalance().empty()) << "one load fits exactly";
  EXPECT_FALSE(p.at_cap());
  p.add_load(2, node(1), DYN, 0);
  EXPECT_EQ(p.rebalance(), (std::vector<uint64_t>{1, 2}));
  EXPECT_DOUBLE_EQ(p.throttle(1), 0.5);
  EXPECT_NEAR(p.rate_factor(2), std::cbrt(0.5), 1e-15);
  EXPECT_DOUBLE_EQ(p.gpu_power_w(1), IDLE + 0.5 * DYN);
  EXPECT_NEAR(p.facility_power_w(), s.power.site_budget_w, 1e-9);
  EXPECT_TRUE(p.at_cap());
  EXPECT_FALSE(p.over_budget());
  p.remove_load(2);
  EXPECT_EQ(p.rebalance(), (std::vector<uint64_t>{1}));
  EXPECT_DOUBLE_EQ(p.throttle(1), 1);
  EXPECT_FALSE(p.at_cap());
}

TEST(PowerModel, ThrottleStopsAtTheMinimumPowerLimitAndReportsTheBudgetBroken) {
  // Budget 2,000 W for 1,120 W idle plus 9,072 W: x would be 0.097, but a GPU
  // cannot be capped below 200 W: x = (200 - 70) / 567.
  auto s = racks_of_one_node(2);
  s.power.site_budget_w = 2000;
  auto p = model(s);
  p.add_load(1, node(0), DYN, 0);
  p.add_load(2, node(1), DYN, 0);
  p.rebalance();
  EXPECT_DOUBLE_EQ(p.throttle(1), (200 - IDLE) / DYN);
  EXPECT_TRUE(p.over_budget());
}

TEST(PowerModel, ARackBudgetThrottlesOnlyThatRack) {
  auto s = racks_of_one_node(2);
  s.power.rack_budget_w = 8 * IDLE + 0.75 * 8 * DYN;  // IT power
  auto p = model(s);
  p.add_load(1, node(0), DYN, 0);
  p.add_load(2, node(1, 4), DYN, 0);  // rack 1 is under its budget
  EXPECT_EQ(p.rebalance(), (std::vector<uint64_t>{1}));
  EXPECT_DOUBLE_EQ(p.throttle(1), 0.75);
  EXPECT_DOUBLE_EQ(p.throttle(2), 1);
}

TEST(PowerModel, DeferAdmitsOnlyWhatFitsUnthrottled) {
  auto s = racks_of_one_node(2);
  s.power.site_budget_w = 16 * IDLE + 8 * DYN;
  auto p = model(s, PowerPolicy::DEFER);
  EXPECT_TRUE(p.fits(node(0), DYN));
  p.add_load(1, node(0), DYN, 0);
  EXPECT_FALSE(p.fits(node(1), DYN));
  EXPECT_TRUE(p.fits(node(1, 1), 0)) << "a load drawing no dynamic power always fits";
  p.add_load(2, node(1), DYN, 0);  // forced in anyway: defer never throttles
  EXPECT_TRUE(p.rebalance().empty());
  EXPECT_DOUBLE_EQ(p.throttle(2), 1);
  EXPECT_TRUE(p.over_budget());
}

TEST(PowerModel, HallAndSiteBudgetsAreFacilityPower) {
  auto s = racks_of_one_node(2);
  s.power.pue = 1.5;
  s.power.site_budget_w = 1.5 * (16 * IDLE + 8 * DYN);  // the same IT power as above, as facility power
  auto p = model(s);
  p.add_load(1, node(0), DYN, 0);
  p.add_load(2, node(1), DYN, 0);
  p.rebalance();
  EXPECT_DOUBLE_EQ(p.throttle(1), 0.5);
}

TEST(PowerModel, EnergyAndCostIntegrateExactlyOverSegmentsAndTariffPeriods) {
  // 1,120 W idle for 10h, then 1,120 + 4,536 W for 26h; 0.10 $/kWh, 0.20 from 17h to 21h.
  auto s = racks_of_one_node(2);
  auto p = model(s, PowerPolicy::THROTTLE, 0, Tariff(0.10, {{17 * 3600.0, 21 * 3600.0, 0.20}}));
  p.advance(10 * 3600);
  p.add_load(1, node(0), DYN, 0);
  p.advance(36 * 3600);
  const double idle_kw = 16 * IDLE / 1000, busy_kw = idle_kw + 8 * DYN / 1000;
  EXPECT_NEAR(p.totals().site_energy_j, (idle_kw * 10 + busy_kw * 26) * 3.6e6, 1e-6);
  // Busy from 10h to 36h: peak hours 17-21 of day one only.
  EXPECT_NEAR(p.totals().site_energy_cost_usd, idle_kw * 10 * 0.10 + busy_kw * (22 * 0.10 + 4 * 0.20), 1e-9);
  EXPECT_NEAR(p.totals().bucket_energy_j[0] + p.totals().bucket_energy_j[1], p.totals().site_energy_j, 1e-6);
  EXPECT_NEAR(p.totals().bucket_energy_j[0], 8 * (IDLE + DYN) * 26 * 3600, 1e-6);
  EXPECT_DOUBLE_EQ(p.totals().peak_facility_w, busy_kw * 1000);
}
