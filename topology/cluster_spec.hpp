#pragma once
// A cluster design as plain data: what an architect writes in a scenario's
// `cluster:` section, after units were parsed (all SI). The hierarchy is
//   site > hall > pod > rack > node > GPU,
// with scale-up domains (NVL8 servers, NVL72 racks) grouping consecutive
// nodes, rows grouping consecutive racks for power, and a scale-out fabric of
// 2 or 3 switch tiers joining the nodes. docs/topology.md is the reference of
// every field: unit, default, valid range, and how the fabric is built from it.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace gwsim::topology {

/// The NVLink-class domain inside which GPUs talk at scale-up bandwidth.
struct ScaleUpSpec {
  int nodes_per_domain = 1;       ///< 1 for an NVL8 server, 18 for a GB200 NVL72 rack of 4-GPU trays
  double bandwidth_Bps = 450e9;   ///< per GPU, per direction (H100 NVLink4: 900 GB/s bidirectional)
  double latency_s = 1e-6;        ///< one hop inside the domain
};

/// What a link is made of: passive copper (DAC, no transceivers, a few metres)
/// or fibre with an optical transceiver at each end.
enum class Cable { COPPER, OPTICAL };

/// One tier of a switched network. Tier 0 is the leaf (top-of-rack or rail)
/// switch that node NICs plug into; tier 1 the spine; tier 2 the core. The
/// top tier has no uplinks, so its uplink fields are unused.
struct TierSpec {
  int switch_radix = 64;             ///< ports per switch, all at this tier's port speed
  double oversubscription = 1.0;     ///< down:up bandwidth at this tier's switches (1 non-blocking, < 1 undersubscribed)
  double link_bandwidth_Bps = 50e9;  ///< each uplink from this tier to the next, per direction (400 Gb/s = 50e9 B/s)
  double latency_s = 1e-6;           ///< one traversal of a switch of this tier
  Cable uplink_cable = Cable::OPTICAL;
  /// Per switch, optics excluded. 51.2 Tb/s class switch, estimate: docs/topology.md#cost-and-power.
  double switch_power_w = 1200;
  /// Per switch. 64 x 800G switch, low end of $150k-250k (luxoptx.com 800G TCO analysis, 2025).
  double switch_cost_usd = 150000;
};

enum class FabricKind { CLOS, RAIL_OPTIMIZED };

/// One switched network: how nodes attach (NICs) and its tiers, leaf first.
struct NetworkSpec {
  FabricKind kind = FabricKind::RAIL_OPTIMIZED;
  int nics_per_node = 8;              ///< NICs per node on this network (one per GPU in rail-optimized designs)
  double nic_bandwidth_Bps = 50e9;    ///< per NIC, per direction (400 Gb/s)
  double nic_latency_s = 1e-6;        ///< one traversal of a NIC (each end of a path pays it)
  Cable nic_cable = Cable::OPTICAL;   ///< NIC-to-leaf links
  std::vector<TierSpec> tiers = {TierSpec{}, TierSpec{}};  ///< 2 or 3 tiers, leaf first
};

/// The scale-out ("back-end") network that jobs use, plus an optional front-end
/// (storage, management, ingest) network, and the optics both use.
struct FabricSpec : NetworkSpec {
  std::optional<NetworkSpec> frontend;  ///< always a Clos; absent: no front-end network is counted
  /// Per optical transceiver, 400G class: <= 10 W (Cisco QDD-400G-FR4 datasheet).
  double optic_power_w = 10;
  /// Per optical transceiver, 400G QSFP-DD: $600-800 (luxoptx.com 800G TCO analysis, 2025).
  double optic_cost_usd = 700;
};

/// Power budgets, 0 meaning unlimited. Rack and row budgets are IT power (the
/// electrical feed of the racks); hall and site budgets are facility power
/// (IT power times PUE, network included), as a grid connection is sized.
struct PowerSpec {
  double rack_budget_w = 0;
  double row_budget_w = 0;
  double hall_budget_w = 0;
  double site_budget_w = 0;
  double pue = 1.2;                  ///< power usage effectiveness (cooling and distribution overhead)
  double node_overhead_w = 0;        ///< CPUs, memory, fans, NICs, scale-up switches per node beyond its GPUs, at full load
};

struct ClusterSpec {
  std::string gpu_type = "H100-SXM";  ///< a name in the gpu_models catalog
  int gpus_per_node = 8;
  int nodes_per_rack = 4;
  int racks_per_row = 0;              ///< racks per power row; 0: one row per pod
  int racks_per_pod = 16;
  int pods_per_hall = 1;
  int halls = 1;
  /// CPU and memory of each node, the further dimensions a job with CPU or
  /// memory asks (openb, PAI) must fit. Defaults: an NVIDIA DGX H100, two
  /// 56-core Xeon Platinum 8480C and 2 TB of memory (NVIDIA DGX H100 datasheet).
  int64_t cpu_milli_per_node = 112000;
  int64_t memory_mib_per_node = 2 * 1024 * 1024;
  ScaleUpSpec scale_up;
  FabricSpec fabric;
  PowerSpec power;

  int64_t nodes_per_pod() const { return int64_t(nodes_per_rack) * racks_per_pod; }
  int64_t nodes_per_hall() const { return nodes_per_pod() * pods_per_hall; }
  int64_t pod_count() const { return int64_t(pods_per_hall) * halls; }
  int64_t rack_count() const { return pod_count() * racks_per_pod; }
  int64_t node_count() const { return rack_count() * nodes_per_rack; }
  int64_t gpu_count() const { return node_count() * gpus_per_node; }
  int64_t domain_count() const { return node_count() / scale_up.nodes_per_domain; }
  int gpus_per_domain() const { return gpus_per_node * scale_up.nodes_per_domain; }
  int64_t racks_per_row_or_pod() const { return racks_per_row > 0 ? racks_per_row : racks_per_pod; }
  int64_t racks_per_hall() const { return int64_t(racks_per_pod) * pods_per_hall; }
  int64_t row_count() const { return halls * (racks_per_hall() / racks_per_row_or_pod()); }
};

/// Where a node sits in the hierarchy. All indices are global (not per parent).
struct NodeLocation {
  int64_t domain = 0;
  int64_t rack = 0;
  int64_t row = 0;
  int64_t pod = 0;
  int64_t hall = 0;
};

inline NodeLocation locate(const ClusterSpec& spec, int64_t node) {
  NodeLocation loc;
  loc.domain = node / spec.scale_up.nodes_per_domain;
  loc.rack = node / spec.nodes_per_rack;
  loc.pod = loc.rack / spec.racks_per_pod;
  loc.hall = loc.pod / spec.pods_per_hall;
  // Rows never straddle halls (validate() checks that they divide a hall's racks).
  loc.row = loc.rack / spec.racks_per_row_or_pod();
  return loc;
}

}  // namespace gwsim::topology
