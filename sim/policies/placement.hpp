#pragma once
// Placement: which GPUs a job gets. Chosen by name in the scenario
// (scheduler.placement); exact rules in docs/scheduling.md.
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "sim/engine/cluster_state.hpp"

namespace gwsim::sim {

class Placement {
 public:
  virtual ~Placement() = default;
  /// GPUs for a job of `gpus` GPUs, or nothing when it does not fit now.
  /// Jobs of at most one node's GPUs get one node; larger jobs get
  /// gpus / gpus_per_node whole free nodes plus, for a remainder, one more
  /// node with enough free GPUs.
  virtual std::optional<Allocation> place(const ClusterState& cluster, int64_t gpus) const = 0;
};

/// first_fit: the lowest-numbered nodes that fit.
class FirstFitPlacement final : public Placement {
 public:
  std::optional<Allocation> place(const ClusterState& cluster, int64_t gpus) const override;
};

/// pack: fill a unit before the next. A small job goes on the fitting node
/// with the fewest free GPUs (best fit); a multi-node job takes its whole
/// nodes from the racks with the fewest free nodes first.
class PackPlacement final : public Placement {
 public:
  std::optional<Allocation> place(const ClusterState& cluster, int64_t gpus) const override;
};

/// topology_aware: the smallest unit that holds the whole job: one scale-up
/// domain, else one rack, else one pod, else the fewest pods (largest free
/// first); within a level, the unit with the fewest free nodes that fits
/// (best fit), so large holes stay open for large jobs.
class TopologyAwarePlacement final : public Placement {
 public:
  std::optional<Allocation> place(const ClusterState& cluster, int64_t gpus) const override;
};

const std::vector<std::string>& placement_names();
/// Throws Error(SCENARIO) listing the valid names when unknown.
std::unique_ptr<Placement> make_placement(const std::string& name);

}  // namespace gwsim::sim
