#include "sim/scheduler.hpp"

#include <algorithm>
#include <fmt/format.h>

#include "common/error.hpp"

namespace gwsim::sim {

std::optional<Allocation> FirstFitPlacement::place(const ClusterState& c, int64_t gpus) const {
  if (gpus <= 0 || gpus > c.free_gpus()) return std::nullopt;
  const int g = c.gpus_per_node();
  const int64_t per_pod = c.nodes_per_pod();
  Allocation a;
  a.gpus = gpus;
  if (gpus <= g) {
    for (int64_t pod = 0; pod < c.pod_count(); ++pod) {
      if (c.free_in_pod(pod) < gpus) continue;
      for (int64_t n = pod * per_pod; n < (pod + 1) * per_pod; ++n)
        if (c.free_on_node(n) >= gpus) {
          a.parts.emplace_back(static_cast<int32_t>(n), static_cast<int16_t>(gpus));
          return a;
        }
    }
    return std::nullopt;
  }
  const int64_t full = gpus / g;
  const int rem = static_cast<int>(gpus % g);
  if (c.free_nodes() < full) return std::nullopt;
  std::vector<int32_t> nodes;
  nodes.reserve(static_cast<size_t>(full));
  for (int64_t pod = 0; pod < c.pod_count() && static_cast<int64_t>(nodes.size()) < full; ++pod) {
    if (c.free_nodes_in_pod(pod) == 0) continue;
    for (int64_t n = pod * per_pod; n < (pod + 1) * per_pod && static_cast<int64_t>(nodes.size()) < full; ++n)
      if (c.free_on_node(n) == g) nodes.push_back(static_cast<int32_t>(n));
  }
  if (static_cast<int64_t>(nodes.size()) < full) return std::nullopt;
  int32_t rem_node = -1;
  if (rem > 0) {
    size_t k = 0;  // nodes is ascending: skip the ones already chosen
    for (int64_t pod = 0; pod < c.pod_count() && rem_node < 0; ++pod) {
      if (c.free_in_pod(pod) < rem) continue;
      for (int64_t n = pod * per_pod; n < (pod + 1) * per_pod; ++n) {
        while (k < nodes.size() && nodes[k] < n) ++k;
        if (k < nodes.size() && nodes[k] == n) continue;
        if (c.free_on_node(n) >= rem) {
          rem_node = static_cast<int32_t>(n);
          break;
        }
      }
    }
    if (rem_node < 0) return std::nullopt;
  }
  for (int32_t n : nodes) a.parts.emplace_back(n, static_cast<int16_t>(g));
  if (rem_node >= 0) {
    a.parts.emplace_back(rem_node, static_cast<int16_t>(rem));
    std::sort(a.parts.begin(), a.parts.end());
  }
  return a;
}

std::vector<Job*> FifoPolicy::schedule(std::deque<Job*>& queue, ClusterState& cluster, const Placement& placement,
                                       double /*now*/) {
  std::vector<Job*> started;
  while (!queue.empty()) {
    Job* head = queue.front();
    auto alloc = placement.place(cluster, head->req.gpus);
    if (!alloc) break;
    cluster.take(*alloc);
    head->alloc = std::move(*alloc);
    queue.pop_front();
    started.push_back(head);
  }
  return started;
}

std::unique_ptr<Placement> make_placement(const std::string& name) {
  if (name == "first_fit") return std::make_unique<FirstFitPlacement>();
  throw Error(ExitCode::SCENARIO, fmt::format("unknown placement '{}' (expected first_fit)", name));
}

std::unique_ptr<Policy> make_policy(const std::string& name) {
  if (name == "fifo") return std::make_unique<FifoPolicy>();
  throw Error(ExitCode::SCENARIO, fmt::format("unknown policy '{}' (expected fifo)", name));
}

Scheduler::Scheduler(ClusterState& cluster, std::unique_ptr<Policy> policy, std::unique_ptr<Placement> placement)
    : cluster_(cluster), policy_(std::move(policy)), placement_(std::move(placement)) {}

void Scheduler::enqueue(Job* job, double now) {
  job->phase = JobPhase::QUEUED;
  job->queued_since_s = now;
  queue_.push_back(job);
}

bool Scheduler::remove(Job* job) {
  auto it = std::find(queue_.begin(), queue_.end(), job);
  if (it == queue_.end()) return false;
  queue_.erase(it);
  return true;
}

void Scheduler::release(Job* job) {
  cluster_.release(job->alloc);
  job->alloc = Allocation{};
}

std::vector<Job*> Scheduler::schedule(double now) { return policy_->schedule(queue_, cluster_, *placement_, now); }

}  // namespace gwsim::sim
