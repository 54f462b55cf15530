#pragma once
// The SimGrid platform compiled from a Fabric through the s4u API (never
// XML). Few, large zones keep the build near-linear (see "Measured limits of
// SimGrid 3.32" in docs/architecture.md): a star zone per pod whose hosts are
// allocation units (a node, a scale-up domain or a rack, as the fidelity
// asks), each with its uplink link, inside a star zone for the site whose
// routes carry each pod's uplink.
#include <cstdint>
#include <vector>

#include "topology/fabric.hpp"

namespace simgrid::s4u {
class Engine;
class Host;
class Link;
class NetZone;
}  // namespace simgrid::s4u

namespace gwsim::topology {

/// What one SimGrid host stands for.
enum class Granularity { NODE, DOMAIN, RACK };

class Platform {
 public:
  /// Builds the zones, hosts and links in `engine`, which must have no platform yet.
  Platform(const Fabric& fabric, simgrid::s4u::Engine& engine, Granularity granularity);

  Granularity granularity() const { return granularity_; }
  size_t host_count() const { return hosts_.size(); }
  /// The host that stands for the allocation unit holding `node`.
  simgrid::s4u::Host* host_of_node(int64_t node) const { return hosts_[static_cast<size_t>(node / nodes_per_host_)]; }
  simgrid::s4u::Host* host(size_t i) const { return hosts_[i]; }
  int64_t nodes_per_host() const { return nodes_per_host_; }
  /// The shared uplink of a pod (where cross-pod traffic contends).
  simgrid::s4u::Link* pod_uplink(int64_t pod) const { return pod_links_[static_cast<size_t>(pod)]; }

 private:
  Granularity granularity_;
  int64_t nodes_per_host_ = 1;
  std::vector<simgrid::s4u::Host*> hosts_;
  std::vector<simgrid::s4u::Link*> pod_links_;
};

}  // namespace gwsim::topology
