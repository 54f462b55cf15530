// The design language of the scenario's `cluster:` section: every key parsed
// into SI, defaults filled, and invalid designs refused with the key and line.
#include <gtest/gtest.h>

#include "common/error.hpp"
#include "sim/scenario/scenario.hpp"
#include "test_support.hpp"

using gwsim::Error;
using gwsim::ExitCode;
using gwsim::sim::parse_scenario;
using namespace gwsim::topology;

namespace {

// Returns the error message of parsing `text`, or "" when it parses.
std::string error_of(const std::string& text) {
  try {
    parse_scenario(text, "design.yaml");
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ExitCode::SCENARIO);
    return e.what();
  }
  return "";
}

const char* FULL = R"(
cluster:
  gpu: H100-SXM
  gpus_per_node: 8
  nodes_per_rack: 2
  racks_per_row: 4
  racks_per_pod: 8
  pods_per_hall: 2
  halls: 2
  scale_up: { nodes_per_domain: 1, bandwidth: 900GBps, latency: 500ns }
  fabric:
    kind: clos
    nics_per_node: 8
    nic_bandwidth: 400Gbps
    nic_latency: 2us
    switch_power: 1kW
    switch_cost: $30k
    optic_power: 15W
    optic_cost: $1.2k
    tiers:
      - { switch_radix: 64, oversubscription: 0.5, link_bandwidth: 800Gbps, cable: copper }
      - { switch_radix: 128, oversubscription: 2, link_bandwidth: 800Gbps, switch_power: 2kW }
      - { switch_radix: 64, latency: 3us, switch_cost: $200k }
    frontend:
      nic_bandwidth: 200Gbps
      tiers:
        - { switch_radix: 32, oversubscription: 3 }
        - { switch_radix: 32 }
  power:
    rack_budget: 30kW
    row_budget: 120kW
    hall_budget: 1.5MW
    site_budget: 0.003GW
    pue: 1.3
    node_overhead: 4.6kW
)";

}  // namespace

TEST(ClusterSection, EveryKeyIsParsedIntoSI) {
  const auto s = parse_scenario(FULL, "full.yaml");
  const ClusterSpec& c = s.cluster;
  EXPECT_EQ(c.racks_per_row, 4);
  EXPECT_EQ(c.row_count(), 2 * 16 / 4);
  EXPECT_DOUBLE_EQ(c.scale_up.bandwidth_Bps, 900e9);
  EXPECT_DOUBLE_EQ(c.scale_up.latency_s, 500e-9);
  EXPECT_EQ(c.fabric.kind, FabricKind::CLOS);
  EXPECT_EQ(c.fabric.nic_cable, Cable::COPPER) << "a Clos leaf is the rack's ToR";
  EXPECT_DOUBLE_EQ(c.fabric.nic_latency_s, 2e-6);
  ASSERT_EQ(c.fabric.tiers.size(), 3u);
  EXPECT_DOUBLE_EQ(c.fabric.tiers[0].oversubscription, 0.5);
  EXPECT_DOUBLE_EQ(c.fabric.tiers[0].link_bandwidth_Bps, 100e9);
  EXPECT_EQ(c.fabric.tiers[0].uplink_cable, Cable::COPPER);
  EXPECT_EQ(c.fabric.tiers[1].uplink_cable, Cable::OPTICAL);
  EXPECT_DOUBLE_EQ(c.fabric.tiers[0].switch_power_w, 1000) << "the network's switch power is the tiers' default";
  EXPECT_DOUBLE_EQ(c.fabric.tiers[1].switch_power_w, 2000);
  EXPECT_DOUBLE_EQ(c.fabric.tiers[2].switch_cost_usd, 200e3);
  EXPECT_DOUBLE_EQ(c.fabric.tiers[2].latency_s, 3e-6);
  EXPECT_DOUBLE_EQ(c.fabric.optic_power_w, 15);
  EXPECT_DOUBLE_EQ(c.fabric.optic_cost_usd, 1200);
  ASSERT_TRUE(c.fabric.frontend.has_value());
  EXPECT_EQ(c.fabric.frontend->kind, FabricKind::CLOS);
  EXPECT_EQ(c.fabric.frontend->nics_per_node, 1);
  EXPECT_DOUBLE_EQ(c.fabric.frontend->nic_bandwidth_Bps, 25e9);
  EXPECT_EQ(c.fabric.frontend->tiers.size(), 2u);
  EXPECT_DOUBLE_EQ(c.power.rack_budget_w, 30e3);
  EXPECT_DOUBLE_EQ(c.power.row_budget_w, 120e3);
  EXPECT_DOUBLE_EQ(c.power.hall_budget_w, 1.5e6);
  EXPECT_DOUBLE_EQ(c.power.site_budget_w, 3e6);
  EXPECT_DOUBLE_EQ(c.power.pue, 1.3);
  EXPECT_DOUBLE_EQ(c.power.node_overhead_w, 4600);
}

TEST(ClusterSection, DefaultsAreARailOptimizedTwoTierFabricWithoutFrontEnd) {
  const auto s = parse_scenario("cluster: {gpu: H100-SXM}\n", "min.yaml");
  EXPECT_EQ(s.cluster.fabric.kind, FabricKind::RAIL_OPTIMIZED);
  EXPECT_EQ(s.cluster.fabric.nic_cable, Cable::OPTICAL);
  EXPECT_EQ(s.cluster.fabric.tiers.size(), 2u);
  EXPECT_FALSE(s.cluster.fabric.frontend.has_value());
  EXPECT_EQ(s.cluster.racks_per_row, 0) << "one row per pod";
}

TEST(ClusterSection, TheTopTierTakesNoUplinkSettings) {
  const std::string msg = error_of(R"(
cluster:
  gpu: H100-SXM
  fabric:
    tiers:
      - { switch_radix: 64 }
      - { switch_radix: 64, oversubscription: 2 }
)");
  EXPECT_NE(msg.find("design.yaml:7"), std::string::npos) << msg;
  EXPECT_NE(msg.find("'cluster.fabric.tiers[1].oversubscription'"), std::string::npos) << msg;
  EXPECT_NE(msg.find("top tier"), std::string::npos) << msg;
}

TEST(ClusterSection, ARadixTooSmallForTheGpusNamesTheKeyAndItsLine) {
  // 64 racks of 4 nodes x 8 NICs on 2 tiers: rail groups of 8 racks, 8 x 8 = 64 leaves for a radix-32 spine.
  const std::string msg = error_of(R"(
cluster:
  gpu: H100-SXM
  nodes_per_rack: 4
  racks_per_pod: 64
  fabric:
    tiers:
      - { switch_radix: 64 }
      - { switch_radix: 32 }
)");
  EXPECT_NE(msg.find("design.yaml:9"), std::string::npos) << msg;
  EXPECT_NE(msg.find("'cluster.fabric.tiers[1].switch_radix'"), std::string::npos) << msg;
  EXPECT_NE(msg.find("64 leaves"), std::string::npos) << msg;
  EXPECT_NE(msg.find("found 32"), std::string::npos) << msg;
}

TEST(ClusterSection, ZeroBandwidthAndBadListsAreRefused) {
  EXPECT_NE(error_of("cluster: {gpu: H100-SXM, fabric: {nic_bandwidth: 0Gbps}}\n").find("'cluster.fabric.nic_bandwidth'"),
            std::string::npos);
  EXPECT_NE(error_of("cluster: {gpu: H100-SXM, scale_up: {bandwidth: 0}}\n").find("'cluster.scale_up.bandwidth'"),
            std::string::npos);
  EXPECT_NE(error_of("cluster: {gpu: H100-SXM, fabric: {tiers: [{switch_radix: 8}]}}\n").find("'cluster.fabric.tiers'"),
            std::string::npos);
  EXPECT_NE(error_of("cluster: {gpu: H100-SXM, fabric: {kind: torus}}\n").find("'cluster.fabric.kind'"), std::string::npos);
  EXPECT_NE(error_of("cluster: {gpu: H100-SXM, fabric: {frontend: {kind: clos}}}\n").find("'cluster.fabric.frontend.kind'"),
            std::string::npos)
      << "the front end is always a Clos";
  EXPECT_NE(error_of("cluster: {gpu: H100-SXM, racks_per_pod: 16, racks_per_row: 5}\n").find("'cluster.racks_per_row'"),
            std::string::npos);
  EXPECT_NE(error_of("cluster: {gpus_per_node: 8}\n").find("'cluster.gpu'"), std::string::npos);
}
