// best_fit: the single node (and, for a share, the GPU) that leaves the least
// free capacity over GPU, CPU and memory, each normalized by the node's
// capacity: the multi-resource best fit the FGD paper compares against
// (Weng et al., ATC'23, section 6.1, "Best-fit"). Jobs larger than a node
// are placed as pack places them.
#include "sim/policies/placement.hpp"

namespace gwsim::sim {

Score best_fit_score(const ClusterState& c, const Demand& d, const Candidate& k) {
  const int64_t n = k.node;
  const double gpu_asked = d.shared() ? d.gpu_milli : double(d.gpus) * MILLI_PER_GPU;
  const double gpu_left = (double(free_gpu_milli(c, n)) - gpu_asked) / (double(c.gpus_per_node()) * MILLI_PER_GPU);
  const double cpu_left = double(c.free_cpu_milli(n) - d.cpu_milli) / double(c.cpu_capacity_milli(n));
  const double mem_left = double(c.free_memory_mib(n) - d.memory_mib) / double(c.memory_capacity_mib(n));
  return {gpu_left + cpu_left + mem_left, share_leftover(c, d, k)};
}

namespace {

class BestFitPlacement final : public ScoredPlacement {
 public:
  Score score(const ClusterState& c, const Demand& d, const Candidate& k) const override {
    return best_fit_score(c, d, k);
  }
};

}  // namespace

std::unique_ptr<Placement> make_best_fit_placement(const PlacementContext&) {
  return std::make_unique<BestFitPlacement>();
}

}  // namespace gwsim::sim
