// fgd: fragmentation gradient descent (Weng et al., "Beware of
// Fragmentation: Scheduling GPU-Sharing Workloads with Fragmentation
// Gradient Descent", USENIX ATC'23, sections 4 and 5).
//
// The fragmentation of node n for a job shape m, F_n(m), is the free GPU
// share of n that m cannot use:
//   - all of n's free GPU share when m cannot run on n at all (not enough
//     CPU, memory, or GPUs: a share m needs one GPU with that much free, a
//     job of k whole GPUs needs k free GPUs) or asks no GPU;
//   - otherwise the free share of the GPUs whose free share is below what m
//     asks of one GPU (its share, or a whole GPU).
// With the target workload M as shapes m of popularity p_m, the node's
// expected fragmentation is F_n(M) = sum_m p_m F_n(m). FGD places a job on the
// node and GPU that minimize the growth F_n'(M) - F_n(M) caused by placing
// it (ties: the GPU the share leaves least free, then the lowest node and GPU).
//
// The target workload is learned online: the shapes of the jobs that have
// arrived so far (observe() is called at each arrival), the most popular
// MAX_SHAPES of them, renormalized. Jobs larger than a node are placed as
// pack places them.
#include <algorithm>
#include <map>
#include <tuple>

#include "sim/policies/placement.hpp"

namespace gwsim::sim {
namespace {

constexpr size_t MAX_SHAPES = 64;  // bounds a decision's cost; shapes beyond are rare (their mass is dropped)

using ShapeKey = std::tuple<int64_t, int32_t, int64_t, int64_t>;  // gpus, gpu_milli, cpu_milli, memory_mib

struct NodeView {
  std::vector<int> free_milli;  // per GPU
  int64_t cpu = 0, mem = 0;
};

double fragmentation(const NodeView& v, const Demand& m) {
  int64_t total = 0, free_whole = 0, best_one = 0;
  for (int f : v.free_milli) {
    total += f;
    free_whole += f == MILLI_PER_GPU;
    best_one = std::max<int64_t>(best_one, f);
  }
  const bool fits = m.gpus > 0 && v.cpu >= m.cpu_milli && v.mem >= m.memory_mib &&
                    (m.shared() ? best_one >= m.gpu_milli : free_whole >= m.gpus);
  if (!fits) return double(total);
  const int per_gpu = m.shared() ? m.gpu_milli : MILLI_PER_GPU;
  int64_t frag = 0;
  for (int f : v.free_milli)
    if (f < per_gpu) frag += f;
  return double(frag);
}

class FgdPlacement final : public Placement {
 public:
  using Placement::place;

  void observe(const Demand& d) override {
    ++counts_[ShapeKey{d.gpus, d.gpu_milli, d.cpu_milli, d.memory_mib}];
    dirty_ = true;
  }

  std::optional<Allocation> place(const ClusterState& c, const Demand& d) const override {
    if (d.gpus > c.gpus_per_node()) return pack_.place(c, d);
    const auto& shapes = workload(d);
    auto expected = [&](const NodeView& v) {
      double f = 0;
      for (const auto& [m, p] : shapes) f += p * fragmentation(v, m);
      return f;
    };
    int32_t seen = -1;
    NodeView before;
    double f_before = 0;
    return place_lowest(c, d, [&](const Candidate& k) {
      if (k.node != seen) {
        seen = k.node;
        before = NodeView{c.free_milli_of_node(k.node), c.free_cpu_milli(k.node), c.free_memory_mib(k.node)};
        f_before = expected(before);
      }
      NodeView after = before;
      after.cpu -= d.cpu_milli;
      after.mem -= d.memory_mib;
      if (d.shared()) {
        after.free_milli[size_t(k.gpu)] -= d.gpu_milli;
      } else {
        int64_t left = d.gpus;
        for (int& f : after.free_milli)
          if (left > 0 && f == MILLI_PER_GPU) {
            f = 0;
            --left;
          }
      }
      const double on_gpu = d.shared() ? double(after.free_milli[size_t(k.gpu)]) : 0.0;
      return Score{expected(after) - f_before, on_gpu};
    });
  }

 private:
  // The target workload: popularity of the observed shapes (the job being
  // placed alone when nothing was observed yet).
  const std::vector<std::pair<Demand, double>>& workload(const Demand& d) const {
    if (counts_.empty()) {
      single_ = {{d, 1.0}};
      return single_;
    }
    if (!dirty_) return shapes_;
    std::vector<std::pair<ShapeKey, int64_t>> by_count(counts_.begin(), counts_.end());
    std::stable_sort(by_count.begin(), by_count.end(), [](const auto& a, const auto& b) { return a.second > b.second; });
    if (by_count.size() > MAX_SHAPES) by_count.resize(MAX_SHAPES);
    int64_t total = 0;
    for (const auto& [key, n] : by_count) total += n;
    shapes_.clear();
    for (const auto& [key, n] : by_count) {
      const auto& [gpus, milli, cpu, mem] = key;
      shapes_.emplace_back(Demand{gpus, milli, cpu, mem}, double(n) / double(total));
    }
    dirty_ = false;
    return shapes_;
  }

  PackPlacement pack_;
  std::map<ShapeKey, int64_t> counts_;
  mutable std::vector<std::pair<Demand, double>> shapes_, single_;
  mutable bool dirty_ = false;
};

}  // namespace

std::unique_ptr<Placement> make_fgd_placement(const PlacementContext&) { return std::make_unique<FgdPlacement>(); }

}  // namespace gwsim::sim
