#pragma once
// The scheduler's compact view of the fleet: free GPUs per node, with
// aggregates per rack and per pod, and the nodes bucketed by their number of
// free GPUs, so a placement decision prunes whole pods and racks at once and
// costs about the number of pods and racks it looks into, not of GPUs.
// Nodes may be down (failed, in repair, or held out of the pool as spares):
// a down node has no free GPUs, so every aggregate and every placement skips it.
#include <cstdint>
#include <set>
#include <utility>
#include <vector>

#include "topology/cluster_spec.hpp"

namespace gwsim::sim {

/// GPUs a job holds, node by node.
struct Allocation {
  std::vector<std::pair<int32_t, int16_t>> parts;  ///< (node, GPUs on it), nodes ascending
  int64_t gpus = 0;
};

class ClusterState {
 public:
  explicit ClusterState(const topology::ClusterSpec& spec);

  const topology::ClusterSpec& spec() const { return spec_; }
  int64_t total_gpus() const { return total_gpus_; }  ///< installed, down nodes included
  int64_t free_gpus() const { return free_gpus_; }    ///< free on nodes that are up
  int64_t node_count() const { return static_cast<int64_t>(free_.size()); }
  int gpus_per_node() const { return spec_.gpus_per_node; }
  int free_on_node(int64_t node) const { return free_[static_cast<size_t>(node)]; }
  int64_t free_nodes() const { return free_nodes_; }

  int64_t pod_count() const { return static_cast<int64_t>(pod_free_gpus_.size()); }
  int64_t nodes_per_pod() const { return spec_.nodes_per_pod(); }
  int64_t free_in_pod(int64_t pod) const { return pod_free_gpus_[static_cast<size_t>(pod)]; }
  int64_t free_nodes_in_pod(int64_t pod) const { return pod_free_nodes_[static_cast<size_t>(pod)]; }

  int64_t rack_count() const { return static_cast<int64_t>(rack_free_gpus_.size()); }
  int nodes_per_rack() const { return spec_.nodes_per_rack; }
  int racks_per_pod() const { return spec_.racks_per_pod; }
  int64_t free_in_rack(int64_t rack) const { return rack_free_gpus_[static_cast<size_t>(rack)]; }
  int64_t free_nodes_in_rack(int64_t rack) const { return rack_free_nodes_[static_cast<size_t>(rack)]; }

  /// Nodes with exactly `k` free GPUs (1 <= k <= gpus_per_node), ascending.
  const std::set<int32_t>& nodes_with_free(int k) const { return buckets_[static_cast<size_t>(k)]; }

  /// Marks the allocation's GPUs busy. Throws Error(INTERNAL) if any is not free.
  void take(const Allocation& a);
  void release(const Allocation& a);

  /// Takes a node out of the pool (failed, in repair, kept as a spare). Downs
  /// nest: a node down for two reasons is up again after two mark_up() calls.
  /// The first mark_down() needs every GPU of the node free (the caller stops
  /// its jobs first); throws Error(INTERNAL) otherwise.
  void mark_down(int64_t node);
  void mark_up(int64_t node);
  bool is_down(int64_t node) const { return down_[static_cast<size_t>(node)] > 0; }
  int64_t down_nodes() const { return down_nodes_; }
  int64_t up_gpus() const { return total_gpus_ - down_nodes_ * spec_.gpus_per_node; }

 private:
  void adjust(int64_t node, int delta);

  topology::ClusterSpec spec_;
  std::vector<int16_t> free_;
  std::vector<uint8_t> down_;  ///< nesting count of mark_down() per node
  std::vector<int64_t> pod_free_gpus_, pod_free_nodes_;
  std::vector<int64_t> rack_free_gpus_, rack_free_nodes_;
  std::vector<std::set<int32_t>> buckets_;  ///< index: free GPUs on the node (0 unused)
  int64_t total_gpus_ = 0;
  int64_t free_gpus_ = 0;
  int64_t free_nodes_ = 0;
  int64_t down_nodes_ = 0;
};

}  // namespace gwsim::sim
