// random_fit: a candidate drawn uniformly among all that fit (every node,
// and for a share every GPU of it, that fits), from a generator seeded with
// the run's seed: the same seed gives the same placements. Jobs larger than a
// node get whole free nodes drawn the same way (and a remainder node drawn
// among those with enough free GPUs).
#include <algorithm>
#include <random>

#include "sim/policies/placement.hpp"

namespace gwsim::sim {
namespace {

class RandomFitPlacement final : public Placement {
 public:
  explicit RandomFitPlacement(uint64_t seed) : rng_(seed) {}
  using Placement::place;
  std::optional<Allocation> place(const ClusterState& c, const Demand& d) const override {
    if (d.gpus <= 0) return std::nullopt;
    if (d.gpus <= c.gpus_per_node()) {
      std::vector<Candidate> all;
      for_each_candidate(c, d, [&](const Candidate& k) { all.push_back(k); });
      if (all.empty()) return std::nullopt;
      return allocation_of(c, d, all[draw(all.size())]);
    }
    const int g = c.gpus_per_node();
    const int64_t full = d.gpus / g;
    const int rem = static_cast<int>(d.gpus % g);
    std::vector<int32_t> whole(c.nodes_with_free(g).begin(), c.nodes_with_free(g).end());
    if (static_cast<int64_t>(whole.size()) < full) return std::nullopt;
    // A partial Fisher-Yates shuffle draws `full` distinct whole nodes.
    for (int64_t i = 0; i < full; ++i) std::swap(whole[size_t(i)], whole[size_t(i) + draw(whole.size() - size_t(i))]);
    std::vector<int32_t> taken(whole.begin(), whole.begin() + full);
    std::sort(taken.begin(), taken.end());
    Allocation a;
    a.gpus = d.gpus;
    for (int32_t n : taken) a.parts.emplace_back(n, static_cast<int16_t>(g));
    if (rem > 0) {
      std::vector<int32_t> fit;
      for (int k = rem; k <= g; ++k)
        for (int32_t n : c.nodes_with_free(k))
          if (!std::binary_search(taken.begin(), taken.end(), n)) fit.push_back(n);
      if (fit.empty()) return std::nullopt;
      std::sort(fit.begin(), fit.end());
      a.parts.emplace_back(fit[draw(fit.size())], static_cast<int16_t>(rem));
      std::sort(a.parts.begin(), a.parts.end());
    }
    return a;
  }

 private:
  // Uniform in [0, n): the top 53 bits of a 64-bit Mersenne Twister draw as a
  // double in [0, 1), times n (the same on every platform, unlike
  // std::uniform_int_distribution, whose algorithm the standard leaves open).
  size_t draw(size_t n) const {
    const double u = double(rng_() >> 11) * 0x1.0p-53;
    return std::min(n - 1, static_cast<size_t>(u * double(n)));
  }
  mutable std::mt19937_64 rng_;
};

}  // namespace

std::unique_ptr<Placement> make_random_fit_placement(const PlacementContext& ctx) {
  return std::make_unique<RandomFitPlacement>(ctx.seed);
}

}  // namespace gwsim::sim
