#pragma once
// A cluster design as plain data: what an architect writes in a scenario's
// `cluster:` section, after units were parsed (all SI). The hierarchy is
//   site > hall > pod > rack > node > GPU,
// with scale-up domains (NVL8 servers, NVL72 racks) grouping consecutive
// nodes, and a scale-out fabric of 2 or 3 switch tiers joining the nodes.
#include <cstdint>
#include <string>
#include <vector>

namespace gwsim::topology {

/// The NVLink-class domain inside which GPUs talk at scale-up bandwidth.
struct ScaleUpSpec {
  int nodes_per_domain = 1;       ///< 1 for an NVL8 server, 18 for a GB200 NVL72 rack of 4-GPU trays
  double bandwidth_Bps = 450e9;   ///< per GPU, per direction (H100 NVLink4: 900 GB/s bidirectional)
  double latency_s = 1e-6;        ///< one hop inside the domain
};

/// One tier of the scale-out fabric. Tier 0 is the leaf (top-of-rack or rail)
/// switch that node NICs plug into; tier 1 the spine; tier 2 the core.
struct TierSpec {
  double link_bandwidth_Bps = 50e9;  ///< each link from this tier to the one above (400 Gb/s = 50e9 B/s)
  double latency_s = 1e-6;           ///< per switch hop at this tier
  double oversubscription = 1.0;     ///< downlink : uplink capacity at this tier's switches (1 = non-blocking)
  int switch_radix = 64;             ///< ports per switch
};

enum class FabricKind { CLOS, RAIL_OPTIMIZED };

struct FabricSpec {
  FabricKind kind = FabricKind::RAIL_OPTIMIZED;
  int nics_per_node = 8;              ///< scale-out NICs per node (one per GPU in rail-optimized designs)
  double nic_bandwidth_Bps = 50e9;    ///< per NIC (400 Gb/s)
  double nic_latency_s = 1e-6;
  std::vector<TierSpec> tiers;        ///< 2 or 3 tiers, leaf first
  bool frontend = false;              ///< a separate front-end (storage/management) network
  double frontend_bandwidth_Bps = 0;  ///< per node, when frontend is true
  double switch_power_w = 1500;       ///< per switch; 51.2T-class switch (NVIDIA Spectrum-4 SN5600 datasheet, ~1.5 kW with optics off)
  double switch_cost_usd = 40000;     ///< per switch (see docs/models.md for the source)
  double optic_power_w = 15;          ///< per optical transceiver, 400G/800G class
  double optic_cost_usd = 1000;       ///< per optical transceiver
};

/// Power budgets in watts of facility power (IT power times PUE). 0 means unlimited.
struct PowerSpec {
  double rack_budget_w = 0;
  double hall_budget_w = 0;
  double site_budget_w = 0;
  double pue = 1.2;                  ///< power usage effectiveness (cooling and distribution overhead)
  double node_overhead_w = 0;        ///< CPUs, memory, fans, NICs per node beyond its GPUs
};

struct ClusterSpec {
  std::string gpu_type = "H100-SXM";  ///< a name in the gpu_models catalog
  int gpus_per_node = 8;
  int nodes_per_rack = 4;
  int racks_per_pod = 16;
  int pods_per_hall = 1;
  int halls = 1;
  ScaleUpSpec scale_up;
  FabricSpec fabric;
  PowerSpec power;

  int64_t nodes_per_pod() const { return int64_t(nodes_per_rack) * racks_per_pod; }
  int64_t pod_count() const { return int64_t(pods_per_hall) * halls; }
  int64_t rack_count() const { return pod_count() * racks_per_pod; }
  int64_t node_count() const { return rack_count() * nodes_per_rack; }
  int64_t gpu_count() const { return node_count() * gpus_per_node; }
  int64_t domain_count() const { return node_count() / scale_up.nodes_per_domain; }
  int gpus_per_domain() const { return gpus_per_node * scale_up.nodes_per_domain; }
};

/// Where a node sits in the hierarchy. All indices are global (not per parent).
struct NodeLocation {
  int64_t domain = 0;
  int64_t rack = 0;
  int64_t pod = 0;
  int64_t hall = 0;
};

inline NodeLocation locate(const ClusterSpec& spec, int64_t node) {
  NodeLocation loc;
  loc.domain = node / spec.scale_up.nodes_per_domain;
  loc.rack = node / spec.nodes_per_rack;
  loc.pod = loc.rack / spec.racks_per_pod;
  loc.hall = loc.pod / spec.pods_per_hall;
  return loc;
}

}  // namespace gwsim::topology
