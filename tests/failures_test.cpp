// The failure model without SimGrid: published rates, the fleet-level Poisson
// process against its own statistics (tolerances from Poisson variance) and
// spare nodes, checked by hand. (Switch failure domains are the topology's,
// tested in topology_test.)
#include <gtest/gtest.h>

#include <cmath>
#include <map>

#include "common/error.hpp"
#include "sim/operations/failures.hpp"

using namespace gwsim::sim;

namespace {

constexpr double DAY = 86400;

const FailureClass& by_name(const std::vector<FailureClass>& classes, const std::string& name) {
  for (const auto& c : classes)
    if (c.name == name) return c;
  throw std::runtime_error("no class " + name);
}

// Expected events of a class over the Llama 3 reference (16,384 GPUs, 2,048 nodes, 54 days).
double llama3_count(const FailureClass& c) {
  using R = Llama3Reference;
  const double units = c.scope == FailureScope::NODE ? R::NODES : R::GPUS;
  return c.rate_per_unit_s * units * R::SECONDS;
}

gwsim::topology::ClusterSpec pod_of(int nodes_per_rack, int racks_per_pod, gwsim::topology::FabricKind kind) {
  gwsim::topology::ClusterSpec s;
  s.gpus_per_node = 8;
  s.nodes_per_rack = nodes_per_rack;
  s.racks_per_pod = racks_per_pod;
  s.pods_per_hall = 2;
  s.fabric.kind = kind;
  s.fabric.nics_per_node = 8;
  s.fabric.tiers = {gwsim::topology::TierSpec{}, gwsim::topology::TierSpec{}};  // radix 64, non-blocking: 32 down ports
  return s;
}

}  // namespace

TEST(Failures, DefaultClassesAreTheLlama3TableOverItsGpusNodesAndDays) {
  const auto classes = default_failure_classes();
  double total = 0;
  for (const auto& c : classes)
    if (c.scope != FailureScope::SWITCH) total += llama3_count(c);
  EXPECT_NEAR(total, Llama3Reference::UNEXPECTED_INTERRUPTIONS, 1e-9);
  EXPECT_NEAR(llama3_count(by_name(classes, "gpu")), 148, 1e-9);
  EXPECT_NEAR(llama3_count(by_name(classes, "hbm")), 72, 1e-9);
  EXPECT_NEAR(llama3_count(by_name(classes, "software_bug")), 54, 1e-9);
  EXPECT_NEAR(llama3_count(by_name(classes, "network_link")), 35, 1e-9);
  EXPECT_NEAR(llama3_count(by_name(classes, "host_maintenance")), 32, 1e-9);
  // Per GPU, a faulty GPU every 16,384 x 54 / 148 = 5,978 days.
  EXPECT_NEAR(1 / by_name(classes, "gpu").rate_per_unit_s / DAY, 16384.0 * 54 / 148, 1e-6);
  // Singh et al.: 2% of switches fail within 3 months.
  EXPECT_NEAR(1 - std::exp(-by_name(classes, "leaf_switch").rate_per_unit_s * 91.25 * DAY), 0.02, 1e-12);
  for (const auto& c : classes) EXPECT_FALSE(c.source.empty()) << c.name;
}

TEST(Failures, FleetProcessCountsStayWithinPoissonVariance) {
  // The Llama 3 fleet with 512 leaf switches over 54 days, fixed seed.
  const FleetUnits units{16384, 2048, 512};
  FailureProcess p(default_failure_classes(), units, 42);
  const double T = 54 * DAY;
  std::map<int, int64_t> per_class;
  int64_t n = 0, first_half_nodes = 0, node_events = 0;
  double last = 0, repair_sum = 0;
  int64_t repairs = 0;
  while (true) {
    const auto e = p.next();
    ASSERT_TRUE(e);
    EXPECT_GT(e->time_s, last);
    last = e->time_s;
    if (e->time_s >= T) break;
    ++n;
    per_class[e->cls]++;
    const auto& c = p.classes()[size_t(e->cls)];
    ASSERT_GE(e->unit, 0);
    ASSERT_LT(e->unit, units.of(c.scope));
    if (c.scope == FailureScope::NODE) {
      node_events++;
      if (e->unit < units.nodes / 2) first_half_nodes++;
    }
    if (c.name == "gpu") {
      repair_sum += e->repair_s;
      repairs++;
    }
  }
  const double expected = p.total_rate_per_s() * T;  // 419 + the leaf switches' 512 x 2% x 54/91.25
  EXPECT_NEAR(expected, 419 + 512 * -std::log(0.98) * 54 / 91.25, 1e-6);
  EXPECT_NEAR(double(n), expected, 4 * std::sqrt(expected));
  // One class: faulty GPUs, expected 148.
  const double gpu_expected = 148;
  EXPECT_NEAR(double(per_class[0]), gpu_expected, 4 * std::sqrt(gpu_expected));
  // Targets uniform: half the node events in the first half of the nodes (binomial, sd sqrt(n)/2).
  EXPECT_NEAR(double(first_half_nodes), node_events / 2.0, 4 * std::sqrt(double(node_events)) / 2);
  // Repairs exponential around 72h: the mean of m draws has sd 72h / sqrt(m).
  EXPECT_NEAR(repair_sum / double(repairs), 72 * 3600.0, 4 * 72 * 3600.0 / std::sqrt(double(repairs)));
}

TEST(Failures, SameSeedSameEventsOtherSeedOthers) {
  const FleetUnits units{1024, 128, 16};
  FailureProcess a(default_failure_classes(), units, 1), b(default_failure_classes(), units, 1),
      c(default_failure_classes(), units, 2);
  bool differs = false;
  for (int i = 0; i < 50; ++i) {
    const auto ea = a.next(), eb = b.next(), ec = c.next();
    EXPECT_EQ(ea->time_s, eb->time_s);
    EXPECT_EQ(ea->unit, eb->unit);
    differs |= ea->time_s != ec->time_s;
  }
  EXPECT_TRUE(differs);
}

TEST(Failures, NoRateNoEvents) {
  auto classes = default_failure_classes();
  for (auto& c : classes) c.rate_per_unit_s = 0;
  FailureProcess p(classes, FleetUnits{8, 1, 1}, 1);
  EXPECT_FALSE(p.next());
}

TEST(Failures, HotSpareReplacesAFailedNodeAndTheRepairedNodeBecomesTheSpare) {
  // One pod of 8 nodes: node 6 a hot spare, node 7 a cold one.
  auto spec = pod_of(8, 1, gwsim::topology::FabricKind::RAIL_OPTIMIZED);
  spec.pods_per_hall = 1;
  FleetHealth h(spec, SpareConfig{1, 1, 3600});
  using S = FleetHealth::State;
  EXPECT_EQ(h.initial_spares(), (std::vector<int32_t>{6, 7}));
  EXPECT_EQ(h.state(6), S::HOT_SPARE);
  EXPECT_EQ(h.state(7), S::COLD_SPARE);

  auto f = h.fail(2);
  EXPECT_EQ(f.before, S::POOL);
  EXPECT_EQ(f.replacement, 6);
  EXPECT_TRUE(f.replacement_hot);
  EXPECT_EQ(h.state(6), S::POOL);
  EXPECT_EQ(h.hot_spares(0), 0);
  EXPECT_EQ(h.down_nodes(), 1);

  // No hot spare left: the cold one is sent, and arrives later.
  f = h.fail(3);
  EXPECT_EQ(f.replacement, 7);
  EXPECT_FALSE(f.replacement_hot);
  EXPECT_EQ(h.state(7), S::ARRIVING);
  EXPECT_TRUE(h.arrived(7));
  EXPECT_EQ(h.state(7), S::POOL);

  // Repaired nodes refill the spares they drew on.
  EXPECT_EQ(h.repair(2), S::HOT_SPARE);
  EXPECT_EQ(h.repair(3), S::COLD_SPARE);
  EXPECT_EQ(h.hot_spares(0), 1);
  EXPECT_EQ(h.cold_spares(0), 1);
  EXPECT_EQ(h.down_nodes(), 0);
  EXPECT_EQ(h.fail(0).replacement, 2) << "the repaired node is the next hot spare";
}

TEST(Failures, NodesWithoutSparesReturnToThePoolAndNestedFailuresNeedEveryRepair) {
  auto spec = pod_of(8, 1, gwsim::topology::FabricKind::RAIL_OPTIMIZED);
  spec.pods_per_hall = 1;
  FleetHealth h(spec, SpareConfig{});
  using S = FleetHealth::State;
  EXPECT_EQ(h.fail(4).replacement, -1);
  EXPECT_EQ(h.fail(4).before, S::DOWN) << "a switch failure on a node already down";
  EXPECT_EQ(h.repair(4), S::DOWN);
  EXPECT_EQ(h.repair(4), S::POOL);
  EXPECT_THROW(h.repair(4), gwsim::Error);
}

TEST(Failures, AFailedSpareIsNotReplacedAndReturnsToTheShelf) {
  auto spec = pod_of(8, 1, gwsim::topology::FabricKind::RAIL_OPTIMIZED);
  spec.pods_per_hall = 1;
  FleetHealth h(spec, SpareConfig{1, 0, 0});
  using S = FleetHealth::State;
  const auto f = h.fail(7);
  EXPECT_EQ(f.before, S::HOT_SPARE);
  EXPECT_EQ(f.replacement, -1);
  EXPECT_EQ(h.fail(0).replacement, -1) << "the pod's only spare is down";
  EXPECT_EQ(h.repair(7), S::HOT_SPARE);
  EXPECT_THROW(FleetHealth(spec, SpareConfig{5, 3, 0}), gwsim::Error) << "8 spares leave no pool";
}
