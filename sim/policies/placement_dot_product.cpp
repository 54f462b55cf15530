// dot_product: Tetris' alignment score (Grandl et al., "Multi-Resource
// Packing for Cluster Schedulers", SIGCOMM'14, section 3.2): the node whose
// free-resource vector is best aligned with the job's demand vector, both
// normalized by the node's capacity over (GPU, CPU, memory), i.e. the
// largest demand . free. Among a node's GPUs, a share goes to the one it
// leaves least free (best fit). Jobs larger than a node are placed as pack
// places them.
#include "sim/policies/placement.hpp"

namespace gwsim::sim {
namespace {

class DotProductPlacement final : public ScoredPlacement {
 public:
  Score score(const ClusterState& c, const Demand& d, const Candidate& k) const override {
    const int64_t n = k.node;
    const double gpu_cap = double(c.gpus_per_node()) * MILLI_PER_GPU;
    const double gpu_asked = (d.shared() ? d.gpu_milli : double(d.gpus) * MILLI_PER_GPU) / gpu_cap;
    const double cpu_cap = double(c.cpu_capacity_milli(n)), mem_cap = double(c.memory_capacity_mib(n));
    const double dot = gpu_asked * (double(free_gpu_milli(c, n)) / gpu_cap) +
                       (double(d.cpu_milli) / cpu_cap) * (double(c.free_cpu_milli(n)) / cpu_cap) +
                       (double(d.memory_mib) / mem_cap) * (double(c.free_memory_mib(n)) / mem_cap);
    return Score{-dot, share_leftover(c, d, k)};
  }
};

}  // namespace

std::unique_ptr<Placement> make_dot_product_placement(const PlacementContext&) {
  return std::make_unique<DotProductPlacement>();
}

}  // namespace gwsim::sim
