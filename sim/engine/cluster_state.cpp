#include "sim/engine/cluster_state.hpp"

#include <algorithm>
#include <fmt/format.h>

#include "common/error.hpp"

namespace gwsim::sim {

ClusterState::ClusterState(const topology::ClusterSpec& spec)
    : spec_(spec),
      free_(static_cast<size_t>(spec.node_count()), static_cast<int16_t>(spec.gpus_per_node)),
      down_(static_cast<size_t>(spec.node_count()), 0),
      pod_free_gpus_(static_cast<size_t>(spec.pod_count()), spec.nodes_per_pod() * spec.gpus_per_node),
      pod_free_nodes_(static_cast<size_t>(spec.pod_count()), spec.nodes_per_pod()),
      rack_free_gpus_(static_cast<size_t>(spec.rack_count()), int64_t(spec.nodes_per_rack) * spec.gpus_per_node),
      rack_free_nodes_(static_cast<size_t>(spec.rack_count()), spec.nodes_per_rack),
      buckets_(static_cast<size_t>(spec.gpus_per_node) + 1),
      total_gpus_(spec.gpu_count()),
      free_gpus_(spec.gpu_count()),
      free_nodes_(spec.node_count()),
      used_milli_(static_cast<size_t>(spec.gpu_count()), 0),
      shared_(static_cast<size_t>(spec.node_count()), 0),
      whole_(static_cast<size_t>(spec.node_count()), 0),
      cpu_cap_(static_cast<size_t>(spec.node_count()), spec.cpu_milli_per_node),
      mem_cap_(static_cast<size_t>(spec.node_count()), spec.memory_mib_per_node),
      cpu_used_(static_cast<size_t>(spec.node_count()), 0),
      mem_used_(static_cast<size_t>(spec.node_count()), 0) {
  auto& full = buckets_[static_cast<size_t>(spec.gpus_per_node)];
  for (int64_t n = 0; n < spec.node_count(); ++n) full.insert(full.end(), static_cast<int32_t>(n));
}

void ClusterState::adjust(int64_t node, int delta) {
  auto& f = free_[static_cast<size_t>(node)];
  const int before = f, after = f + delta;
  const int full = spec_.gpus_per_node;
  if (after < 0 || after > full)
    throw Error(ExitCode::INTERNAL, fmt::format("node {} would have {} free GPUs of {}", node, after, full));
  f = static_cast<int16_t>(after);
  if (before > 0) buckets_[static_cast<size_t>(before)].erase(static_cast<int32_t>(node));
  if (after > 0) buckets_[static_cast<size_t>(after)].insert(static_cast<int32_t>(node));
  const size_t rack = static_cast<size_t>(node / spec_.nodes_per_rack);
  const size_t pod = rack / static_cast<size_t>(spec_.racks_per_pod);
  const int node_delta = (after == full) - (before == full);
  rack_free_gpus_[rack] += delta;
  rack_free_nodes_[rack] += node_delta;
  pod_free_gpus_[pod] += delta;
  pod_free_nodes_[pod] += node_delta;
  free_gpus_ += delta;
  free_nodes_ += node_delta;
}

namespace {
void check_single_node(const Allocation& a) {
  if ((a.shared() || a.cpu_milli > 0 || a.memory_mib > 0) && a.parts.size() != 1)
    throw Error(ExitCode::INTERNAL, fmt::format("an allocation with a GPU share, CPU or memory spans {} nodes (expected 1)",
                                                a.parts.size()));
  if (a.shared() && (a.gpu_milli <= 0 || a.parts[0].second != 1 || a.gpus != 1))
    throw Error(ExitCode::INTERNAL, fmt::format("a shared allocation of {} milli on {} GPUs (expected (0, 1000) on 1)",
                                                a.gpu_milli, a.gpus));
}
}  // namespace

void ClusterState::take_share(const Allocation& a, int sign) {
  const int64_t node = a.parts[0].first;
  if (a.gpu < 0 || a.gpu >= spec_.gpus_per_node)
    throw Error(ExitCode::INTERNAL, fmt::format("GPU index {} on node {} (expected 0..{})", a.gpu, node,
                                                spec_.gpus_per_node - 1));
  auto& used = used_milli_[gpu_index(node, a.gpu)];
  const int before = used, after = before + sign * a.gpu_milli;
  if (after < 0 || after > MILLI_PER_GPU)
    throw Error(ExitCode::INTERNAL, fmt::format("GPU {} of node {} would have {} milli of shares used (expected 0..1000)",
                                                a.gpu, node, after));
  auto& shared = shared_[static_cast<size_t>(node)];
  if (before == 0) {  // a free GPU starts carrying shares
    adjust(node, -1);
    if (shared++ == 0) sharing_nodes_.insert(static_cast<int32_t>(node));
  } else if (after == 0) {  // its last share left: the GPU is free again
    adjust(node, 1);
    if (--shared == 0) sharing_nodes_.erase(static_cast<int32_t>(node));
  }
  used = static_cast<int16_t>(after);
}

void ClusterState::take(const Allocation& a) {
  check_single_node(a);
  for (const auto& [node, gpus] : a.parts)
    if (is_down(node)) throw Error(ExitCode::INTERNAL, fmt::format("node {} is down: it cannot be allocated", node));
  if (!a.parts.empty()) {
    const auto n = static_cast<size_t>(a.parts[0].first);
    if (cpu_used_[n] + a.cpu_milli > cpu_cap_[n] || mem_used_[n] + a.memory_mib > mem_cap_[n])
      throw Error(ExitCode::INTERNAL, fmt::format("node {} has {} milli-CPU and {} MiB free, asked {} and {}", n,
                                                  cpu_cap_[n] - cpu_used_[n], mem_cap_[n] - mem_used_[n], a.cpu_milli,
                                                  a.memory_mib));
    cpu_used_[n] += a.cpu_milli;
    mem_used_[n] += a.memory_mib;
  }
  if (a.shared()) take_share(a, 1);
  else
    for (const auto& [node, gpus] : a.parts) {
      adjust(node, -gpus);
      whole_[static_cast<size_t>(node)] = static_cast<int16_t>(whole_[static_cast<size_t>(node)] + gpus);
    }
  for (const auto& [node, gpus] : a.parts) check_node(node);
}

void ClusterState::release(const Allocation& a) {
  check_single_node(a);
  for (const auto& [node, gpus] : a.parts)
    if (is_down(node)) throw Error(ExitCode::INTERNAL, fmt::format("node {} is down: it holds no allocation", node));
  if (!a.parts.empty()) {
    const auto n = static_cast<size_t>(a.parts[0].first);
    cpu_used_[n] -= a.cpu_milli;
    mem_used_[n] -= a.memory_mib;
  }
  if (a.shared()) take_share(a, -1);
  else
    for (const auto& [node, gpus] : a.parts) {
      adjust(node, gpus);
      whole_[static_cast<size_t>(node)] = static_cast<int16_t>(whole_[static_cast<size_t>(node)] - gpus);
    }
  for (const auto& [node, gpus] : a.parts) check_node(node);
}

bool ClusterState::can_take(const Allocation& a) const {
  if (a.parts.empty()) return false;
  if ((a.shared() || a.cpu_milli > 0 || a.memory_mib > 0) && a.parts.size() != 1) return false;
  for (const auto& [node, gpus] : a.parts)
    if (node < 0 || node >= node_count() || is_down(node)) return false;
  const int64_t n = a.parts[0].first;
  if (free_cpu_milli(n) < a.cpu_milli || free_memory_mib(n) < a.memory_mib) return false;
  if (a.shared()) {
    if (a.gpus != 1 || a.parts[0].second != 1 || a.gpu < 0 || a.gpu >= gpus_per_node() || a.gpu_milli <= 0) return false;
    const int used = gpu_used_milli(n, a.gpu);
    return used + a.gpu_milli <= MILLI_PER_GPU && (used > 0 || free_on_node(n) >= 1);
  }
  int64_t sum = 0;
  for (size_t i = 0; i < a.parts.size(); ++i) {
    if (i > 0 && a.parts[i].first <= a.parts[i - 1].first) return false;  // nodes ascending, each once
    if (a.parts[i].second <= 0 || a.parts[i].second > free_on_node(a.parts[i].first)) return false;
    sum += a.parts[i].second;
  }
  return sum == a.gpus;
}

std::vector<int> ClusterState::free_milli_of_node(int64_t node) const {
  std::vector<int> out(static_cast<size_t>(spec_.gpus_per_node), 0);
  int free_left = free_on_node(node);
  for (int g = 0; g < spec_.gpus_per_node; ++g) {
    const int used = gpu_used_milli(node, g);
    if (used > 0) out[static_cast<size_t>(g)] = MILLI_PER_GPU - used;
    else if (free_left > 0) {
      out[static_cast<size_t>(g)] = MILLI_PER_GPU;
      --free_left;
    }
  }
  return out;
}

void ClusterState::check_node(int64_t node) const {
  const auto n = static_cast<size_t>(node);
  const int g = spec_.gpus_per_node;
  int shared = 0;
  for (int i = 0; i < g; ++i) {
    const int used = gpu_used_milli(node, i);
    if (used < 0 || used > MILLI_PER_GPU)
      throw Error(ExitCode::INTERNAL, fmt::format("invariant: GPU {} of node {} has {} milli used (expected 0..1000)", i,
                                                  node, used));
    shared += used > 0;
  }
  if (shared != shared_[n] || sharing_nodes_.count(static_cast<int32_t>(node)) != (shared > 0 ? 1u : 0u))
    throw Error(ExitCode::INTERNAL, fmt::format("invariant: node {} counts {} shared GPUs, its GPUs say {}", node,
                                                shared_[n], shared));
  const int expected_free = is_down(node) ? 0 : g - whole_[n] - shared;
  if (whole_[n] < 0 || free_[n] != expected_free || (is_down(node) && (whole_[n] != 0 || shared != 0)))
    throw Error(ExitCode::INTERNAL, fmt::format("invariant: node {} has {} free, {} whole-held and {} shared GPUs of {}",
                                                node, free_[n], whole_[n], shared, g));
  if (cpu_used_[n] < 0 || cpu_used_[n] > cpu_cap_[n] || mem_used_[n] < 0 || mem_used_[n] > mem_cap_[n])
    throw Error(ExitCode::INTERNAL, fmt::format("invariant: node {} uses {} of {} milli-CPU and {} of {} MiB", node,
                                                cpu_used_[n], cpu_cap_[n], mem_used_[n], mem_cap_[n]));
}

void ClusterState::check() const {
  int64_t free = 0, free_nodes = 0, down = 0;
  std::vector<int64_t> rack_free(rack_free_gpus_.size(), 0), rack_nodes(rack_free_nodes_.size(), 0);
  for (int64_t node = 0; node < node_count(); ++node) {
    check_node(node);
    const int f = free_on_node(node);
    if (f > 0 && !buckets_[static_cast<size_t>(f)].count(static_cast<int32_t>(node)))
      throw Error(ExitCode::INTERNAL, fmt::format("invariant: node {} with {} free GPUs is not in its bucket", node, f));
    free += f;
    free_nodes += f == gpus_per_node();
    down += is_down(node);
    const auto rack = static_cast<size_t>(node / nodes_per_rack());
    rack_free[rack] += f;
    rack_nodes[rack] += f == gpus_per_node();
  }
  size_t bucketed = 0;
  for (size_t k = 1; k < buckets_.size(); ++k) bucketed += buckets_[k].size();
  if (free != free_gpus_ || free_nodes != free_nodes_ || down != down_nodes_ ||
      bucketed != static_cast<size_t>(std::count_if(free_.begin(), free_.end(), [](int16_t f) { return f > 0; })))
    throw Error(ExitCode::INTERNAL, fmt::format("invariant: the cluster counts {} free GPUs, {} free nodes, {} down; "
                                                "its nodes say {}, {}, {}",
                                                free_gpus_, free_nodes_, down_nodes_, free, free_nodes, down));
  for (size_t r = 0; r < rack_free.size(); ++r) {
    if (rack_free[r] != rack_free_gpus_[r] || rack_nodes[r] != rack_free_nodes_[r])
      throw Error(ExitCode::INTERNAL, fmt::format("invariant: rack {} counts {} free GPUs and {} free nodes; its nodes "
                                                  "say {} and {}",
                                                  r, rack_free_gpus_[r], rack_free_nodes_[r], rack_free[r], rack_nodes[r]));
  }
  for (int64_t pod = 0; pod < pod_count(); ++pod) {
    int64_t f = 0, fn = 0;
    for (int64_t r = pod * racks_per_pod(); r < (pod + 1) * racks_per_pod(); ++r) {
      f += rack_free[static_cast<size_t>(r)];
      fn += rack_nodes[static_cast<size_t>(r)];
    }
    if (f != free_in_pod(pod) || fn != free_nodes_in_pod(pod))
      throw Error(ExitCode::INTERNAL, fmt::format("invariant: pod {} counts {} free GPUs and {} free nodes; its racks say "
                                                  "{} and {}",
                                                  pod, free_in_pod(pod), free_nodes_in_pod(pod), f, fn));
  }
}

void ClusterState::mark_down(int64_t node) {
  auto& d = down_[static_cast<size_t>(node)];
  if (d == UINT8_MAX) throw Error(ExitCode::INTERNAL, fmt::format("node {} is down for too many reasons", node));
  if (d++ > 0) return;
  if (free_on_node(node) != spec_.gpus_per_node)
    throw Error(ExitCode::INTERNAL, fmt::format("node {} goes down with {} of its GPUs allocated", node,
                                                spec_.gpus_per_node - free_on_node(node)));
  adjust(node, -spec_.gpus_per_node);  // its GPUs leave every free count and bucket
  down_nodes_++;
}

void ClusterState::mark_up(int64_t node) {
  auto& d = down_[static_cast<size_t>(node)];
  if (d == 0) throw Error(ExitCode::INTERNAL, fmt::format("node {} is not down", node));
  if (--d > 0) return;
  down_nodes_--;
  adjust(node, spec_.gpus_per_node);
}

}  // namespace gwsim::sim
