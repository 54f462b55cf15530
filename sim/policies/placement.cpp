#include "sim/policies/placement.hpp"

#include <algorithm>
#include <fmt/format.h>
#include <fmt/ranges.h>
#include <map>

#include "common/error.hpp"

namespace gwsim::sim {
namespace {

Allocation one_node(int32_t node, int64_t gpus) {
  Allocation a;
  a.gpus = gpus;
  a.parts.emplace_back(node, static_cast<int16_t>(gpus));
  return a;
}

// The lowest-numbered node with at least `gpus` free (first fit), or the one
// with the fewest free GPUs that still fits (best fit); -1 if none. Nodes in
// `exclude` (ascending) are skipped: they are all fully free.
int32_t find_node(const ClusterState& c, int64_t gpus, bool best_fit, const std::vector<int32_t>& exclude = {}) {
  int32_t found = -1;
  for (int k = static_cast<int>(gpus); k <= c.gpus_per_node(); ++k) {
    const auto& bucket = c.nodes_with_free(k);
    auto it = bucket.begin();
    if (k == c.gpus_per_node())
      while (it != bucket.end() && std::binary_search(exclude.begin(), exclude.end(), *it)) ++it;
    if (it == bucket.end()) continue;
    if (best_fit) return *it;
    if (found < 0 || *it < found) found = *it;
  }
  return found;
}

// Completes a multi-node allocation from chosen whole nodes plus a remainder node.
std::optional<Allocation> finish(const ClusterState& c, int64_t gpus, std::vector<int32_t> nodes, bool best_fit,
                                 int32_t remainder_node = -1) {
  const int g = c.gpus_per_node();
  const int rem = static_cast<int>(gpus % g);
  std::sort(nodes.begin(), nodes.end());
  Allocation a;
  a.gpus = gpus;
  if (rem > 0) {
    if (remainder_node < 0) remainder_node = find_node(c, rem, best_fit, nodes);
    if (remainder_node < 0) return std::nullopt;
  }
  for (int32_t n : nodes) a.parts.emplace_back(n, static_cast<int16_t>(g));
  if (rem > 0) {
    a.parts.emplace_back(remainder_node, static_cast<int16_t>(rem));
    std::sort(a.parts.begin(), a.parts.end());
  }
  return a;
}

// Whole free nodes of one rack, ascending.
void free_nodes_of_rack(const ClusterState& c, int64_t rack, std::vector<int32_t>& out, int64_t limit) {
  const int64_t first = rack * c.nodes_per_rack();
  for (int64_t n = first; n < first + c.nodes_per_rack() && static_cast<int64_t>(out.size()) < limit; ++n)
    if (c.free_on_node(n) == c.gpus_per_node()) out.push_back(static_cast<int32_t>(n));
}

// Takes whole free nodes from the given racks in order until `need` are found.
void take_from_racks(const ClusterState& c, const std::vector<int64_t>& racks, int64_t need, std::vector<int32_t>& out) {
  for (int64_t r : racks) {
    if (static_cast<int64_t>(out.size()) >= need) break;
    free_nodes_of_rack(c, r, out, need);
  }
}

// Racks of a pod range that have free nodes, fewest free nodes first (packing order).
// Ties keep rack order. A rack's free nodes are a small count (1 to
// nodes_per_rack), so this is a counting sort: one pass, no comparisons
// (a million-GPU fleet has 250,000 racks to order per placement).
std::vector<int64_t> racks_by_fullness(const ClusterState& c, int64_t pod_begin, int64_t pod_end) {
  std::vector<std::vector<int64_t>> by_free(static_cast<size_t>(c.nodes_per_rack()) + 1);
  for (int64_t pod = pod_begin; pod < pod_end; ++pod) {
    if (c.free_nodes_in_pod(pod) == 0) continue;
    for (int64_t r = pod * c.racks_per_pod(); r < (pod + 1) * c.racks_per_pod(); ++r)
      if (const int64_t f = c.free_nodes_in_rack(r); f > 0) by_free[static_cast<size_t>(f)].push_back(r);
  }
  std::vector<int64_t> racks;
  for (const auto& bucket : by_free) racks.insert(racks.end(), bucket.begin(), bucket.end());
  return racks;
}

// What every placement does first: refuse what cannot fit, and put a job of at
// most one node's GPUs on a single node. True when that decided the answer.
bool place_trivial(const ClusterState& c, int64_t gpus, bool best_fit, std::optional<Allocation>& out) {
  if (gpus <= 0 || gpus > c.free_gpus() || (gpus > c.gpus_per_node() && c.free_nodes() < gpus / c.gpus_per_node())) {
    out = std::nullopt;
    return true;
  }
  if (gpus > c.gpus_per_node()) return false;
  const int32_t n = find_node(c, gpus, best_fit);
  out = n < 0 ? std::nullopt : std::optional<Allocation>(one_node(n, gpus));
  return true;
}

// Whole GPUs and no CPU or memory asked: the original GPU-count placements,
// whose outputs stay as they were before GPU sharing.
bool gpus_only(const Demand& d) { return !d.shared() && d.cpu_milli == 0 && d.memory_mib == 0; }

}  // namespace

void for_each_candidate(const ClusterState& c, const Demand& d, const std::function<void(const Candidate&)>& visit) {
  if (d.gpus <= 0 || d.gpus > c.gpus_per_node()) return;
  for (int64_t n = 0; n < c.node_count(); ++n) {
    if (!c.fits_cpu_memory(n, d)) continue;
    const auto node = static_cast<int32_t>(n);
    if (!d.shared()) {
      if (c.free_on_node(n) >= d.gpus) visit(Candidate{node, -1});
      continue;
    }
    if (c.free_on_node(n) == 0 && c.shared_gpus_on_node(n) == 0) continue;
    bool free_seen = false;
    for (int g = 0; g < c.gpus_per_node(); ++g) {
      const int used = c.gpu_used_milli(n, g);
      if (used > 0 ? MILLI_PER_GPU - used >= d.gpu_milli : (!free_seen && c.free_on_node(n) > 0)) {
        if (used == 0) free_seen = true;
        visit(Candidate{node, static_cast<int16_t>(g)});
      }
    }
  }
}

Allocation allocation_of(const ClusterState& c, const Demand& d, const Candidate& k) {
  (void)c;
  Allocation a = one_node(k.node, d.gpus);
  if (d.shared()) {
    a.gpu = k.gpu;
    a.gpu_milli = static_cast<int16_t>(d.gpu_milli);
  }
  a.cpu_milli = d.cpu_milli;
  a.memory_mib = d.memory_mib;
  return a;
}

std::optional<Allocation> place_lowest(const ClusterState& c, const Demand& d,
                                       const std::function<Score(const Candidate&)>& score) {
  Candidate best;
  Score best_score{0, 0};
  for_each_candidate(c, d, [&](const Candidate& k) {
    const Score s = score(k);
    if (best.node < 0 || s < best_score) {
      best = k;
      best_score = s;
    }
  });
  if (best.node < 0) return std::nullopt;
  return allocation_of(c, d, best);
}

double share_leftover(const ClusterState& c, const Demand& d, const Candidate& k) {
  return d.shared() ? double(MILLI_PER_GPU - c.gpu_used_milli(k.node, k.gpu) - d.gpu_milli) : 0.0;
}

int64_t free_gpu_milli(const ClusterState& c, int64_t node) {
  int64_t f = int64_t(c.free_on_node(node)) * MILLI_PER_GPU;
  if (c.shared_gpus_on_node(node) > 0)
    for (int g = 0; g < c.gpus_per_node(); ++g)
      if (const int used = c.gpu_used_milli(node, g); used > 0) f += MILLI_PER_GPU - used;
  return f;
}

std::optional<Allocation> FirstFitPlacement::place(const ClusterState& c, const Demand& d) const {
  if (!gpus_only(d) && d.gpus <= c.gpus_per_node()) return place_lowest(c, d, [](const Candidate&) { return Score{0, 0}; });
  const int64_t gpus = d.gpus;
  if (std::optional<Allocation> a; place_trivial(c, gpus, false, a)) return a;
  const int g = c.gpus_per_node();
  const int64_t full = gpus / g;
  const auto& free_nodes = c.nodes_with_free(g);
  std::vector<int32_t> nodes(free_nodes.begin(), std::next(free_nodes.begin(), full));
  return finish(c, gpus, std::move(nodes), false);
}

std::optional<Allocation> PackPlacement::place(const ClusterState& c, const Demand& d) const {
  if (!gpus_only(d) && d.gpus <= c.gpus_per_node())
    return place_lowest(c, d, [&](const Candidate& k) { return best_fit_score(c, d, k); });
  const int64_t gpus = d.gpus;
  if (std::optional<Allocation> a; place_trivial(c, gpus, true, a)) return a;
  const int64_t full = gpus / c.gpus_per_node();
  std::vector<int32_t> nodes;
  take_from_racks(c, racks_by_fullness(c, 0, c.pod_count()), full, nodes);
  return finish(c, gpus, std::move(nodes), true);
}

std::optional<Allocation> TopologyAwarePlacement::place(const ClusterState& c, const Demand& d) const {
  if (!gpus_only(d) && d.gpus <= c.gpus_per_node())
    return place_lowest(c, d, [&](const Candidate& k) { return best_fit_score(c, d, k); });
  const int64_t gpus = d.gpus;
  if (std::optional<Allocation> a; place_trivial(c, gpus, true, a)) return a;
  const int g = c.gpus_per_node();
  const int64_t full = gpus / g;
  const int rem = static_cast<int>(gpus % g);
  const int64_t need = full + (rem > 0 ? 1 : 0);  // nodes spanned
  const int per_domain = c.spec().scale_up.nodes_per_domain;

  // One scale-up domain, else one rack: best fit over the racks of pods that could hold it.
  for (const int unit : {per_domain, c.nodes_per_rack()}) {
    if (need > unit) continue;
    // A unit never has fewer free GPUs than the job takes: the first unit
    // with exactly that many is the best fit (later ones only tie), and the
    // search stops there. When the unit is the whole rack, the rack's free
    // GPUs are the unit's, so a rack that cannot beat the best is skipped
    // unread. Both only save work: the unit chosen is the same.
    const bool unit_is_rack = unit == c.nodes_per_rack();
    int64_t best_first = -1, best_free = INT64_MAX;
    for (int64_t pod = 0; pod < c.pod_count() && best_free > gpus; ++pod) {
      if (c.free_nodes_in_pod(pod) < full || c.free_in_pod(pod) < gpus) continue;
      for (int64_t r = pod * c.racks_per_pod(); r < (pod + 1) * c.racks_per_pod() && best_free > gpus; ++r) {
        if (c.free_nodes_in_rack(r) < full || c.free_in_rack(r) < gpus) continue;
        if (unit_is_rack && c.free_in_rack(r) >= best_free) continue;
        for (int64_t first = r * c.nodes_per_rack(); first < (r + 1) * c.nodes_per_rack() && best_free > gpus;
             first += unit) {
          int64_t whole = 0, partial_ok = rem == 0, free_gpus = 0;
          for (int64_t n = first; n < first + unit; ++n) {
            const int f = c.free_on_node(n);
            free_gpus += f;
            if (f == g) ++whole;
            else if (f >= rem) partial_ok = 1;
          }
          const bool fits = whole >= need || (whole >= full && partial_ok);
          if (fits && free_gpus < best_free) {
            best_free = free_gpus;
            best_first = first;
          }
        }
      }
    }
    if (best_first >= 0) {
      std::vector<int32_t> nodes;
      int32_t rem_node = -1;
      // Remainder on a partly used node of the unit when there is one (keeps whole nodes whole).
      for (int64_t n = best_first; n < best_first + unit && rem > 0 && rem_node < 0; ++n)
        if (c.free_on_node(n) >= rem && c.free_on_node(n) < g) rem_node = static_cast<int32_t>(n);
      for (int64_t n = best_first; n < best_first + unit && static_cast<int64_t>(nodes.size()) < full; ++n)
        if (c.free_on_node(n) == g && n != rem_node) nodes.push_back(static_cast<int32_t>(n));
      if (rem > 0 && rem_node < 0)
        for (int64_t n = best_first; n < best_first + unit && rem_node < 0; ++n)
          if (c.free_on_node(n) == g && !std::binary_search(nodes.begin(), nodes.end(), static_cast<int32_t>(n)))
            rem_node = static_cast<int32_t>(n);
      return finish(c, gpus, std::move(nodes), true, rem_node);
    }
  }
  // One pod: the fitting pod with the fewest free nodes; inside, pack its racks.
  int64_t best_pod = -1;
  for (int64_t pod = 0; pod < c.pod_count(); ++pod)
    if (c.free_nodes_in_pod(pod) >= need && (best_pod < 0 || c.free_nodes_in_pod(pod) < c.free_nodes_in_pod(best_pod)))
      best_pod = pod;
  std::vector<int32_t> nodes;
  if (best_pod >= 0) {
    take_from_racks(c, racks_by_fullness(c, best_pod, best_pod + 1), full, nodes);
    if (auto a = finish(c, gpus, nodes, true)) return a;
    nodes.clear();
  }
  // Several pods: the emptiest pods first, so the job spans as few as possible.
  std::vector<int64_t> pods;
  for (int64_t pod = 0; pod < c.pod_count(); ++pod)
    if (c.free_nodes_in_pod(pod) > 0) pods.push_back(pod);
  std::stable_sort(pods.begin(), pods.end(),
                   [&](int64_t a, int64_t b) { return c.free_nodes_in_pod(a) > c.free_nodes_in_pod(b); });
  for (int64_t pod : pods) {
    if (static_cast<int64_t>(nodes.size()) >= full) break;
    take_from_racks(c, racks_by_fullness(c, pod, pod + 1), full, nodes);
  }
  if (static_cast<int64_t>(nodes.size()) < full) return std::nullopt;
  return finish(c, gpus, std::move(nodes), true);
}

std::optional<Allocation> ScoredPlacement::place(const ClusterState& c, const Demand& d) const {
  if (d.gpus > c.gpus_per_node()) return PackPlacement().place(c, d);
  return place_lowest(c, d, [&](const Candidate& k) { return score(c, d, k); });
}

namespace {
struct Registry {
  std::map<std::string, PlacementFactory> factories;
  std::vector<std::string> names;
};

// The built-in placements, in the order the docs list them: a new one is its
// file, its make_*_placement declaration and one line here.
Registry& registry() {
  static Registry r = [] {
    Registry x;
    const std::vector<std::pair<std::string, PlacementFactory>> builtin = {
        {"first_fit", [](const PlacementContext&) { return std::make_unique<FirstFitPlacement>(); }},
        {"pack", [](const PlacementContext&) { return std::make_unique<PackPlacement>(); }},
        {"topology_aware", [](const PlacementContext&) { return std::make_unique<TopologyAwarePlacement>(); }},
        {"best_fit", make_best_fit_placement},
        {"fgd", make_fgd_placement},
        {"dot_product", make_dot_product_placement},
        {"random_fit", make_random_fit_placement},
    };
    for (const auto& [name, f] : builtin) {
      x.factories[name] = f;
      x.names.push_back(name);
    }
    return x;
  }();
  return r;
}
constexpr size_t BUILTIN_PLACEMENTS = 7;
}  // namespace

void register_placement(const std::string& name, PlacementFactory factory) {
  Registry& r = registry();
  const auto builtin_end = r.names.begin() + BUILTIN_PLACEMENTS;
  if (std::find(r.names.begin(), builtin_end, name) != builtin_end)
    throw Error(ExitCode::USAGE, fmt::format("register_placement: '{}' is a built-in placement", name));
  if (!r.factories.count(name)) {
    r.names.push_back(name);
    std::sort(r.names.begin() + BUILTIN_PLACEMENTS, r.names.end());
  }
  r.factories[name] = std::move(factory);
}

const std::vector<std::string>& placement_names() { return registry().names; }

std::unique_ptr<Placement> make_placement(const std::string& name, const PlacementContext& ctx) {
  const Registry& r = registry();
  if (auto it = r.factories.find(name); it != r.factories.end()) return it->second(ctx);
  throw Error(ExitCode::SCENARIO,
              fmt::format("unknown placement '{}' (expected one of {})", name, fmt::join(placement_names(), ", ")));
}

}  // namespace gwsim::sim
