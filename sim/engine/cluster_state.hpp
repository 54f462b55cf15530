#pragma once
// The scheduler's compact view of the fleet: free GPUs per node, with
// aggregates per rack and per pod, and the nodes bucketed by their number of
// free GPUs, so a placement decision prunes whole pods and racks at once and
// costs about the number of pods and racks it looks into, not of GPUs.
// Nodes may be down (failed, in repair, or held out of the pool as spares):
// a down node has no free GPUs, so every aggregate and every placement skips it.
//
// GPU sharing: a job may hold a share of one GPU (in thousandths, "milli",
// as openb counts it). A GPU that carries shares is neither free nor whole-
// held: the free counts above count only GPUs with nothing on them, so
// whole-GPU placements never see a shared GPU. Each node also has CPU
// (milli-cores) and memory (MiB) capacities that single-node jobs asking
// for them must fit. Invariants, checked after every take and release on the
// nodes they touch (and over the whole state by check()): 0 <= used share
// <= 1000 on every GPU, whole-held + shared + free GPUs = the node's GPUs,
// 0 <= used CPU <= capacity, 0 <= used memory <= capacity.
#include <cstdint>
#include <set>
#include <utility>
#include <vector>

#include "topology/cluster_spec.hpp"

namespace gwsim::sim {

inline constexpr int MILLI_PER_GPU = 1000;

/// GPUs a job holds, node by node.
struct Allocation {
  std::vector<std::pair<int32_t, int16_t>> parts;  ///< (node, GPUs on it), nodes ascending
  int64_t gpus = 0;
  /// A share of one GPU: parts is one (node, 1), `gpu` the GPU's index on the
  /// node (0 .. gpus_per_node - 1) and gpu_milli < 1000 the share. Whole-GPU
  /// allocations keep gpu = -1 and gpu_milli = 1000.
  int16_t gpu = -1;
  int16_t gpu_milli = MILLI_PER_GPU;
  /// CPU and memory taken on the node (single-node allocations only; 0: none asked).
  int64_t cpu_milli = 0;
  int64_t memory_mib = 0;

  bool shared() const { return gpu_milli < MILLI_PER_GPU; }
  /// GPUs held as a number that counts shares: 0.46 for a share of 460 milli.
  double gpu_share() const { return shared() ? gpu_milli / double(MILLI_PER_GPU) : static_cast<double>(gpus); }
  /// The same in milli-GPUs (exact): 460 for that share, 8000 for 8 GPUs.
  int64_t gpu_milli_held() const { return shared() ? gpu_milli : gpus * MILLI_PER_GPU; }
};

/// What a job asks of the cluster, as a placement sees it.
struct Demand {
  int64_t gpus = 1;
  int32_t gpu_milli = MILLI_PER_GPU;  ///< < 1000: a share of one GPU (then gpus == 1)
  int64_t cpu_milli = 0;              ///< per job, on its node; 0: not asked
  int64_t memory_mib = 0;             ///< per job, on its node; 0: not asked
  bool shared() const { return gpu_milli < MILLI_PER_GPU; }
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

  // GPU sharing and the CPU and memory dimensions.
  /// Share (milli) used on GPU `gpu` of `node` by shared allocations (0: none).
  int gpu_used_milli(int64_t node, int gpu) const { return used_milli_[gpu_index(node, gpu)]; }
  /// GPUs of the node that carry shares (0 < used < 1000, or exactly 1000 of shares).
  int shared_gpus_on_node(int64_t node) const { return shared_[static_cast<size_t>(node)]; }
  /// Free share of every GPU of the node: 1000 for a free GPU, 1000 - used for a
  /// shared one, 0 for a GPU held whole (or a down node). Whole-held GPUs are
  /// the highest-numbered indices without shares: indices only name shared GPUs.
  std::vector<int> free_milli_of_node(int64_t node) const;
  int64_t cpu_capacity_milli(int64_t node) const { return cpu_cap_[static_cast<size_t>(node)]; }
  int64_t memory_capacity_mib(int64_t node) const { return mem_cap_[static_cast<size_t>(node)]; }
  int64_t free_cpu_milli(int64_t node) const { return cpu_cap_[static_cast<size_t>(node)] - cpu_used_[static_cast<size_t>(node)]; }
  int64_t free_memory_mib(int64_t node) const { return mem_cap_[static_cast<size_t>(node)] - mem_used_[static_cast<size_t>(node)]; }
  /// Nodes whose GPUs carry shares, ascending (where a shared job may join others).
  const std::set<int32_t>& nodes_with_shares() const { return sharing_nodes_; }
  /// Whether the node is up and has the CPU and memory `d` asks.
  bool fits_cpu_memory(int64_t node, const Demand& d) const {
    return !is_down(node) && free_cpu_milli(node) >= d.cpu_milli && free_memory_mib(node) >= d.memory_mib;
  }
  /// Whether `a` could be taken now (every GPU, share, CPU and memory it names is free).
  bool can_take(const Allocation& a) const;
  /// Recomputes every count and aggregate from the per-GPU state and checks
  /// the invariants above; throws Error(INTERNAL) naming the first broken one.
  void check() const;

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
  size_t gpu_index(int64_t node, int gpu) const { return static_cast<size_t>(node * spec_.gpus_per_node + gpu); }
  void take_share(const Allocation& a, int sign);
  void check_node(int64_t node) const;

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
  std::vector<int16_t> used_milli_;  ///< per GPU (node * gpus_per_node + index): shares taken
  std::vector<int16_t> shared_;      ///< per node: GPUs with shares
  std::vector<int16_t> whole_;       ///< per node: GPUs held whole
  std::vector<int64_t> cpu_cap_, mem_cap_, cpu_used_, mem_used_;
  std::set<int32_t> sharing_nodes_;
};

}  // namespace gwsim::sim
