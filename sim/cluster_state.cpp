#include "sim/cluster_state.hpp"

#include <fmt/format.h>

#include "common/error.hpp"

namespace gwsim::sim {

ClusterState::ClusterState(const topology::ClusterSpec& spec)
    : spec_(spec),
      free_(static_cast<size_t>(spec.node_count()), static_cast<int16_t>(spec.gpus_per_node)),
      pod_free_gpus_(static_cast<size_t>(spec.pod_count()), spec.nodes_per_pod() * spec.gpus_per_node),
      pod_free_nodes_(static_cast<size_t>(spec.pod_count()), spec.nodes_per_pod()),
      total_gpus_(spec.gpu_count()),
      free_gpus_(spec.gpu_count()),
      free_nodes_(spec.node_count()) {}

void ClusterState::adjust(int64_t node, int delta) {
  auto& f = free_[static_cast<size_t>(node)];
  const int before = f, after = f + delta;
  if (after < 0 || after > spec_.gpus_per_node)
    throw Error(ExitCode::INTERNAL, fmt::format("node {} would have {} free GPUs of {}", node, after, spec_.gpus_per_node));
  f = static_cast<int16_t>(after);
  const size_t pod = static_cast<size_t>(node / spec_.nodes_per_pod());
  pod_free_gpus_[pod] += delta;
  free_gpus_ += delta;
  const int full = spec_.gpus_per_node;
  const int node_delta = (after == full) - (before == full);
  pod_free_nodes_[pod] += node_delta;
  free_nodes_ += node_delta;
}

void ClusterState::take(const Allocation& a) {
  for (const auto& [node, gpus] : a.parts) adjust(node, -gpus);
}

void ClusterState::release(const Allocation& a) {
  for (const auto& [node, gpus] : a.parts) adjust(node, gpus);
}

}  // namespace gwsim::sim
