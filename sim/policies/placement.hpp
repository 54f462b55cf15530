#pragma once
// Placement: which GPUs a job gets. Chosen by name in the scenario
// (scheduler.placement); exact rules in docs/scheduling.md.
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "sim/engine/cluster_state.hpp"

namespace gwsim::sim {

class Placement {
 public:
  virtual ~Placement() = default;
  /// GPUs for a job of demand `d`, or nothing when it does not fit now.
  /// Jobs of at most one node's GPUs get one node (with the CPU and memory
  /// they ask, and for a share one GPU with that much share free); larger
  /// jobs get gpus / gpus_per_node whole free nodes plus, for a remainder,
  /// one more node with enough free GPUs.
  virtual std::optional<Allocation> place(const ClusterState& cluster, const Demand& d) const = 0;
  /// A job of `gpus` whole GPUs that asks no CPU or memory.
  std::optional<Allocation> place(const ClusterState& cluster, int64_t gpus) const { return place(cluster, Demand{gpus}); }
  /// Told of every job at its arrival (fgd learns the workload's shapes from it).
  virtual void observe(const Demand& /*d*/) {}
};

/// What a placement may be built from: the run's seed (random_fit).
struct PlacementContext {
  uint64_t seed = 1;
};

/// The candidate a single-node placement scores: a node, and for a share the GPU on it.
struct Candidate {
  int32_t node = -1;
  int16_t gpu = -1;  ///< shares only
};

/// Every single-node candidate for `d` (which must fit one node), nodes
/// ascending, then GPUs ascending; for a share, one candidate per GPU whose
/// free share fits (free GPUs: only the lowest-numbered one, they are alike).
void for_each_candidate(const ClusterState& c, const Demand& d, const std::function<void(const Candidate&)>& visit);
/// The allocation a candidate stands for.
Allocation allocation_of(const ClusterState& c, const Demand& d, const Candidate& k);
/// A candidate's score, compared lexicographically (lower is better): the
/// rule's value, then a tie-break among a node's GPUs.
using Score = std::pair<double, double>;
/// The candidate with the lowest score (ties: the first in candidate order), as an allocation.
std::optional<Allocation> place_lowest(const ClusterState& c, const Demand& d,
                                       const std::function<Score(const Candidate&)>& score);
/// The tie-break among a node's GPUs for a share: what the share leaves free
/// on the candidate GPU (milli); 0 for whole GPUs.
double share_leftover(const ClusterState& c, const Demand& d, const Candidate& k);
/// Free GPU share of a node in milli: 1000 per free GPU plus the free share of its shared GPUs.
int64_t free_gpu_milli(const ClusterState& c, int64_t node);

/// best_fit's score of a candidate (lower is better): the node's leftover
/// GPU share, CPU and memory after placing, each as a fraction of the node's
/// capacity, summed; then, among a node's GPUs for a share, the chosen
/// GPU's leftover share.
Score best_fit_score(const ClusterState& c, const Demand& d, const Candidate& k);

/// A placement that scores single-node candidates and takes the lowest
/// (place_lowest); jobs larger than a node are placed as pack places them.
class ScoredPlacement : public Placement {
 public:
  using Placement::place;
  std::optional<Allocation> place(const ClusterState& c, const Demand& d) const override;
  virtual Score score(const ClusterState& c, const Demand& d, const Candidate& k) const = 0;
};

/// first_fit: the lowest-numbered nodes that fit (a share: its lowest-numbered GPU that fits).
class FirstFitPlacement final : public Placement {
 public:
  using Placement::place;
  std::optional<Allocation> place(const ClusterState& cluster, const Demand& d) const override;
};

/// pack: fill a unit before the next. A small job goes on the fitting node
/// with the fewest free GPUs (best fit); a multi-node job takes its whole
/// nodes from the racks with the fewest free nodes first.
/// A share, or a job asking CPU or memory, is placed as best_fit places it.
class PackPlacement final : public Placement {
 public:
  using Placement::place;
  std::optional<Allocation> place(const ClusterState& cluster, const Demand& d) const override;
};

/// topology_aware: the smallest unit that holds the whole job: one scale-up
/// domain, else one rack, else one pod, else the fewest pods (largest free
/// first); within a level, the unit with the fewest free nodes that fits
/// (best fit), so large holes stay open for large jobs. A share, or a job
/// asking CPU or memory, is placed as best_fit places it.
class TopologyAwarePlacement final : public Placement {
 public:
  using Placement::place;
  std::optional<Allocation> place(const ClusterState& cluster, const Demand& d) const override;
};

// The placements of the GPU-sharing literature, one file each
// (placement_<name>.cpp); docs/scheduling.md has each one's exact rule.
std::unique_ptr<Placement> make_best_fit_placement(const PlacementContext& ctx);
std::unique_ptr<Placement> make_fgd_placement(const PlacementContext& ctx);
std::unique_ptr<Placement> make_dot_product_placement(const PlacementContext& ctx);
std::unique_ptr<Placement> make_random_fit_placement(const PlacementContext& ctx);

using PlacementFactory = std::function<std::unique_ptr<Placement>(const PlacementContext&)>;
/// Registers a placement under `name` (a library user's, before the scenario
/// is loaded; examples/custom-policy). A built-in name is refused (Error USAGE).
void register_placement(const std::string& name, PlacementFactory factory);
/// The built-in placements, then the registered ones, sorted.
const std::vector<std::string>& placement_names();
/// Throws Error(SCENARIO) listing the valid names when unknown.
std::unique_ptr<Placement> make_placement(const std::string& name, const PlacementContext& ctx = {});

}  // namespace gwsim::sim
