#pragma once
// What follows from a design: counts, bandwidths, distances, failure domains,
// network power and capital cost, and the GPUs each power domain can feed.
// Plain numbers for `gwsim topo` and for studies; the formulas are in
// docs/topology.md#analyses.
#include <cstdint>
#include <ostream>
#include <string>
#include <vector>

#include "topology/fabric.hpp"

namespace gwsim::topology {

/// One tier of one network.
struct TierReport {
  Network network = Network::BACKEND;
  int tier = 0;
  std::string name;                   ///< leaf, spine, core
  int64_t switches = 0;
  int radix = 0;
  int64_t down_ports_used = 0;
  int64_t uplinks_per_switch = 0;
  double requested_oversubscription = 0;  ///< 0 at the top tier
  double realized_oversubscription = 0;   ///< 0 at the top tier
  int64_t links_below = 0;            ///< cables from the tier below (NIC links for leaves)
  int64_t optics_below = 0;           ///< transceivers on those cables
  double switch_power_w = 0;          ///< all switches of the tier
  double switch_cost_usd = 0;
};

/// One representative pair of nodes and what lies between them.
struct DistanceRow {
  std::string relation;  ///< "same scale-up domain", "same leaves", ...
  int64_t a = 0, b = 0;  ///< node ids
  int hops = 0;
  double latency_s = 0;
  double scale_out_Bps_per_gpu = 0;  ///< for a placement of both nodes
};

/// What one switch failure of a tier takes down.
struct FailureRow {
  int tier = 0;
  int64_t nodes = 0;
  int64_t gpus = 0;
  double capacity_fraction_lost = 0;
  bool disconnects = false;
};

/// One level of power domains.
struct PowerDomainRow {
  std::string level;              ///< rack, row, hall, site
  int64_t domains = 0;
  double budget_w = 0;            ///< per domain; 0 unlimited
  bool facility = false;          ///< the budget includes PUE (hall, site) or is IT power (rack, row)
  int64_t gpus_installed = 0;     ///< per domain
  double demand_w = 0;            ///< per domain at full load, counted like the budget
  int64_t gpus_fed = 0;           ///< per domain, within the budget (whole nodes)
};

struct DesignReport {
  // Counts
  int64_t gpus = 0, nodes = 0, racks = 0, rows = 0, pods = 0, halls = 0, domains = 0;
  std::vector<TierReport> tiers;  ///< back end first, then front end
  int64_t switches = 0;           ///< both networks
  int64_t links = 0;              ///< cables, both networks, NIC links included
  int64_t optics = 0;             ///< transceivers, both networks
  // Back-end bandwidth and distances
  double node_uplink_Bps = 0;
  double scale_out_Bps_per_gpu = 0;   ///< NIC share
  double bisection_Bps = 0;
  double bisection_Bps_per_gpu = 0;   ///< bisection / (GPUs / 2)
  int diameter_hops = 0;
  std::vector<DistanceRow> distances;
  std::vector<FailureRow> failures;   ///< one per back-end tier
  // Network power and cost (both networks)
  double switch_power_w = 0, optic_power_w = 0, network_power_w = 0;
  double switch_cost_usd = 0, optic_cost_usd = 0, network_cost_usd = 0;
  // Power
  double gpu_power_w = 0;              ///< per GPU, as given by the caller
  double node_power_w = 0;             ///< per node at full load: GPUs + overhead
  double it_power_w = 0;               ///< all nodes + network at full load
  double facility_power_w = 0;         ///< it_power_w * PUE
  std::vector<PowerDomainRow> power_domains;  ///< only levels with a budget
  int64_t gpus_powered = 0;            ///< GPUs the tightest level lets run at full load
  std::string binding_level;           ///< that level; empty when no budget binds
};

/// Analyses a design. `gpu_power_w` is the power of one GPU at full load (its
/// TDP from the gpu_models catalog, passed in by the caller).
DesignReport analyze(const Fabric& fabric, double gpu_power_w);

/// Graphviz export of the whole graph (both networks): nodes as boxes,
/// switches as ellipses by tier, edges labelled with cables and bandwidth.
void write_dot(const Fabric& fabric, std::ostream& out);

/// Name of a tier: leaf, spine, core.
const char* tier_name(int tier);

}  // namespace gwsim::topology
