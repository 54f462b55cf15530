#pragma once
// The physical cluster as a Boost.Graph: vertices are nodes and switches,
// edges are links with bandwidth and latency. Built once from a ClusterSpec;
// analyses (counts, bisection, hop distances) run on it.
#include <boost/graph/adjacency_list.hpp>
#include <cstdint>
#include <vector>

#include "common/error.hpp"
#include "topology/cluster_spec.hpp"

namespace gwsim::topology {

enum class VertexKind : uint8_t { NODE, SWITCH };

struct VertexProps {
  VertexKind kind = VertexKind::NODE;
  int8_t tier = -1;      ///< switch tier (0 leaf, 1 spine, 2 core); -1 for nodes
  int64_t index = 0;     ///< node id, or switch id within its tier
  int64_t group = 0;     ///< pod for nodes, leaves and spines; 0 for the core
};

struct EdgeProps {
  double bandwidth_Bps = 0;  ///< per direction
  double latency_s = 0;
  int8_t tier = 0;           ///< 0: node-leaf, 1: leaf-spine, 2: spine-core
  int32_t cables = 1;        ///< physical links aggregated in this edge
};

using Graph = boost::adjacency_list<boost::vecS, boost::vecS, boost::undirectedS, VertexProps, EdgeProps>;
using Vertex = boost::graph_traits<Graph>::vertex_descriptor;

/// Validates a design; returns every problem found, keyed by its scenario path under `cluster.`.
std::vector<Problem> validate(const ClusterSpec& spec);

class Fabric {
 public:
  /// Builds the graph. Throws Error(INFEASIBLE) when validate() finds problems.
  explicit Fabric(ClusterSpec spec);

  const ClusterSpec& spec() const { return spec_; }
  const Graph& graph() const { return graph_; }

  int64_t node_count() const { return spec_.node_count(); }
  int64_t gpu_count() const { return spec_.gpu_count(); }
  int64_t switch_count(int tier) const { return switches_per_tier_.at(static_cast<size_t>(tier)); }
  int64_t switch_count() const;
  int64_t link_count() const;  ///< physical cables, NIC links included
  Vertex node_vertex(int64_t node) const { return static_cast<Vertex>(node); }
  NodeLocation location(int64_t node) const { return locate(spec_, node); }

  /// Scale-out bandwidth out of one node, per direction.
  double node_uplink_Bps() const { return spec_.fabric.nics_per_node * spec_.fabric.nic_bandwidth_Bps; }
  /// Bandwidth per direction leaving one pod through its top tier (after oversubscription).
  double pod_uplink_Bps() const { return pod_uplink_Bps_; }
  /// Bandwidth per direction leaving one rack through its leaf switches (after oversubscription).
  double rack_uplink_Bps() const { return rack_uplink_Bps_; }

 private:
  ClusterSpec spec_;
  Graph graph_;
  std::vector<int64_t> switches_per_tier_;
  double rack_uplink_Bps_ = 0;
  double pod_uplink_Bps_ = 0;
};

}  // namespace gwsim::topology
