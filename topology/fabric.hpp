#pragma once
// The physical cluster as a Boost.Graph: vertices are nodes and switches,
// edges are links with bandwidth and latency. Built once from a ClusterSpec
// by the rules of docs/topology.md#how-the-fabric-is-built; the analyses an
// architect and the scheduler ask for (hop distances, bandwidth a placement
// gets, bisection, failure domains) are answered here as plain numbers.
//
// Vertex ids: nodes first (vertex id == node id), then the back-end switches
// tier by tier, then the front-end switches. Switches of one tier are
// numbered group by group: leaves by leaf group, spines by spine group (pod),
// cores by plane.
#include <boost/graph/adjacency_list.hpp>
#include <cstdint>
#include <vector>

#include "common/error.hpp"
#include "topology/cluster_spec.hpp"

namespace gwsim::topology {

enum class VertexKind : uint8_t { NODE, SWITCH };
/// Which switched network a switch or link belongs to. Jobs use the back end.
enum class Network : uint8_t { BACKEND, FRONTEND };

struct VertexProps {
  VertexKind kind = VertexKind::NODE;
  Network network = Network::BACKEND;  ///< for switches
  int8_t tier = -1;                    ///< switch tier (0 leaf, 1 spine, 2 core); -1 for nodes
  int64_t index = 0;                   ///< node id, or switch index within its tier and network
};

struct EdgeProps {
  double bandwidth_Bps = 0;  ///< per direction, all cables of the edge together
  double latency_s = 0;      ///< NIC latency at a node end plus half the latency of each switch end
  int8_t tier = 0;           ///< 0: node-leaf, 1: leaf-spine, 2: spine-core
  Network network = Network::BACKEND;
  Cable cable = Cable::OPTICAL;
  int32_t cables = 1;        ///< physical links aggregated in this edge
};

using Graph = boost::adjacency_list<boost::vecS, boost::vecS, boost::undirectedS, VertexProps, EdgeProps>;
using Vertex = boost::graph_traits<Graph>::vertex_descriptor;

/// A switch, by network, tier and index within that tier.
struct SwitchId {
  Network network = Network::BACKEND;
  int tier = 0;
  int64_t index = 0;
};

/// How one tier of a network came out of the construction rules.
struct TierLayout {
  int64_t switches = 0;
  int64_t groups = 0;               ///< leaf groups; spine groups (pods, or 1 site-wide); core planes
  int64_t switches_per_group = 0;
  int64_t down_ports_max = 0;       ///< down ports per switch the radix and oversubscription allow (radix at the top)
  int64_t up_ports_max = 0;         ///< radix - down_ports_max (0 at the top)
  int64_t down_ports_used = 0;      ///< over the whole tier
  int64_t uplinks_per_switch = 0;   ///< uplinks each switch uses (0 at the top)
  int64_t parallel_links = 1;       ///< cables from one switch below to one switch of this tier (tiers >= 1)
  double down_Bps = 0;              ///< capacity into this tier from below, whole tier, per direction
  double up_Bps = 0;                ///< capacity of this tier's uplinks, whole tier (0 at the top)
  /// down_Bps / up_Bps; 0 at the top.
  double realized_oversubscription() const { return up_Bps > 0 ? down_Bps / up_Bps : 0.0; }
};

/// The numbers that fix a network's shape (docs/topology.md#how-the-fabric-is-built).
struct NetworkLayout {
  Network network = Network::BACKEND;
  FabricKind kind = FabricKind::CLOS;
  int nics_per_node = 1;
  int64_t racks_per_group = 1;   ///< racks under one leaf group (rail-optimized: several; Clos: one, the ToR)
  int64_t nodes_per_group = 1;
  int64_t groups_per_pod = 1;
  int64_t slices_per_group = 1;  ///< nodes of one slice plug into the same leaves
  int64_t nodes_per_slice = 1;
  int64_t leaves_per_slice = 1;  ///< rail-optimized: one per NIC (the rails)
  int64_t leaf_groups = 0;       ///< over the site
  int64_t spine_groups = 1;      ///< pods with 3 tiers; 1 (site-wide spines) with 2
  std::vector<TierLayout> tiers;
  std::vector<Vertex> first_vertex;  ///< per tier
};

/// What one switch failure takes down (docs/topology.md#failure-domains).
struct FailureDomain {
  SwitchId failed;
  std::vector<int64_t> nodes;        ///< nodes with capacity through the failed switch, ascending
  double capacity_fraction_lost = 0; ///< of each such node's capacity at the failed switch's tier
  bool disconnects = false;          ///< true when those nodes lose all scale-out connectivity
};

/// Validates a design; returns every problem found, keyed by its scenario path under `cluster.`.
std::vector<Problem> validate(const ClusterSpec& spec);

class Fabric {
 public:
  /// Builds the graph. Throws Error(INFEASIBLE) naming the key of the first problem validate() finds.
  explicit Fabric(ClusterSpec spec);

  const ClusterSpec& spec() const { return spec_; }
  const Graph& graph() const { return graph_; }
  const NetworkLayout& layout() const { return backend_; }
  bool has_frontend() const { return frontend_.has_value(); }
  /// The front-end network's layout. Throws Error(INTERNAL) when there is none.
  const NetworkLayout& frontend_layout() const;
  int tier_count() const { return static_cast<int>(backend_.tiers.size()); }

  int64_t node_count() const { return spec_.node_count(); }
  int64_t gpu_count() const { return spec_.gpu_count(); }
  /// Back-end switches of one tier, and of all tiers.
  int64_t switch_count(int tier) const { return backend_.tiers.at(static_cast<size_t>(tier)).switches; }
  int64_t switch_count() const;
  Vertex node_vertex(int64_t node) const { return static_cast<Vertex>(node); }
  Vertex switch_vertex(SwitchId id) const;
  NodeLocation location(int64_t node) const { return locate(spec_, node); }

  // Where a node attaches to the back end. Ids are global over the site.
  int64_t leaf_group_of(int64_t node) const;
  /// Nodes of one slice share their leaf switches: two nodes are two hops apart iff in the same slice.
  int64_t slice_of(int64_t node) const;
  /// The pod with 3 tiers; 0 with 2 (spines are site-wide).
  int64_t spine_group_of(int64_t node) const;
  /// The NIC a GPU of a node uses (GPU g of G uses NIC g * nics / G).
  int nic_of_gpu(int gpu) const { return gpu * spec_.fabric.nics_per_node / spec_.gpus_per_node; }
  SwitchId leaf_of_nic(int64_t node, int nic) const;
  std::vector<SwitchId> leaves_of(int64_t node) const;

  /// Scale-out bandwidth out of one node, per direction.
  double node_uplink_Bps() const { return spec_.fabric.nics_per_node * spec_.fabric.nic_bandwidth_Bps; }
  /// Capacity per direction from one leaf group up to the spines.
  double group_uplink_Bps() const;
  /// Capacity per direction from one pod up to the core; 0 with 2 tiers (no pod level).
  double pod_uplink_Bps() const;
  /// Down:up capacity realised at a tier (0 at the top tier).
  double realized_oversubscription(int tier) const;

  /// Links on the shortest back-end path between two nodes: 0 within a scale-up
  /// domain (traffic stays on NVLink), 2 under shared leaves, 4 through a spine,
  /// 6 through the core.
  int hops(int64_t a, int64_t b) const;
  /// Like hops() for one GPU of each node, each using its own NIC (rail-aware).
  int gpu_hops(int64_t a, int gpu_a, int64_t b, int gpu_b) const;
  /// One-way latency between two nodes along that path (NICs, switches; scale-up latency within a domain).
  double latency_s(int64_t a, int64_t b) const;
  /// One-way latency of a back-end path of `hops` links (0: one scale-up hop).
  double path_latency_s(int hops) const;
  /// The largest hops() between two nodes of a placement.
  int max_hops(const std::vector<int64_t>& nodes) const;
  /// The largest hops() between a node of `a` and a node of `b`.
  int hops_between(const std::vector<int64_t>& a, const std::vector<int64_t>& b) const;
  /// The largest hops() between any two nodes.
  int diameter() const;
  /// Scale-out bandwidth per GPU, per direction, that a placement's cross-node
  /// traffic gets when every node around it is as busy (the worst case that
  /// oversubscription describes): the NIC share, capped by each oversubscribed
  /// tier the placement crosses.
  double scale_out_Bps_per_gpu(const std::vector<int64_t>& nodes) const;
  /// Capacity per direction across the worst even cut (docs/topology.md#bisection).
  double bisection_Bps() const;
  /// Exact maximum flow from one set of nodes to another over the back-end
  /// graph (push-relabel). Costs about V^2 sqrt(E): for designs of up to some
  /// tens of thousands of vertices.
  double max_flow_Bps(const std::vector<int64_t>& from, const std::vector<int64_t>& to) const;
  /// The nodes that lose capacity when a back-end switch fails.
  FailureDomain failure_domain(SwitchId id) const;

 private:
  // 0: same scale-up domain; 1: same slice; 2: same spine group; 3: across the core.
  int level(int64_t a, int64_t b) const;
  int max_level(const std::vector<int64_t>& a, const std::vector<int64_t>& b) const;

  ClusterSpec spec_;
  Graph graph_;
  NetworkLayout backend_;
  std::optional<NetworkLayout> frontend_;
};

}  // namespace gwsim::topology
