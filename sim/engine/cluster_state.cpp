#include "sim/engine/cluster_state.hpp"

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
      free_nodes_(spec.node_count()) {
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

void ClusterState::take(const Allocation& a) {
  for (const auto& [node, gpus] : a.parts) {
    if (is_down(node)) throw Error(ExitCode::INTERNAL, fmt::format("node {} is down: it cannot be allocated", node));
    adjust(node, -gpus);
  }
}

void ClusterState::release(const Allocation& a) {
  for (const auto& [node, gpus] : a.parts) {
    if (is_down(node)) throw Error(ExitCode::INTERNAL, fmt::format("node {} is down: it holds no allocation", node));
    adjust(node, gpus);
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
