#pragma once
// The SimGrid platform compiled from a Fabric through the s4u API (never
// XML). Few, large star zones keep the build near-linear in hosts (see
// "Measured limits of SimGrid 3.32" in docs/architecture.md):
//
//  - NODE granularity (`fabric` fidelity): one host per node, in a star zone
//    per pod (inside a star zone per hall when there are several halls, inside
//    the site zone). A host's route carries its NIC link and the shared uplink
//    of its leaf group; a pod's route to the core carries the pod's shared
//    uplink (3 tiers). Links are split-duplex (each direction its own
//    capacity), sized from the Fabric: these are every link that traffic of
//    different jobs can share.
//  - DOMAIN or RACK granularity (`fleet` fidelity): one host per scale-up
//    domain or rack, in a star zone per hall, each with one link of its
//    nodes' NIC capacity and no shared links (at `fleet` the cost model gives
//    each job its bandwidth; nothing contends).
//
// Cross-node traffic between two nodes under the same leaves (Fabric::hops
// == 2) crosses no shared link; the star route would still count it against
// the leaf group's uplink, so such traffic should not be sent as a SimGrid
// flow (shared_links_between() is empty for it).
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
  /// Builds the zones, hosts and links in `engine`, which must have no
  /// platform yet. `fabric` must outlive the Platform.
  Platform(const Fabric& fabric, simgrid::s4u::Engine& engine, Granularity granularity);

  Granularity granularity() const { return granularity_; }
  size_t host_count() const { return hosts_.size(); }
  /// The host that stands for the allocation unit holding `node`.
  simgrid::s4u::Host* host_of_node(int64_t node) const { return hosts_[static_cast<size_t>(node / nodes_per_host_)]; }
  simgrid::s4u::Host* host(size_t i) const { return hosts_[i]; }
  int64_t nodes_per_host() const { return nodes_per_host_; }
  /// The link between a host and its leaves: its nodes' NICs together.
  simgrid::s4u::Link* host_link(size_t i) const { return host_links_[i]; }

  /// True at NODE granularity: the shared uplinks below exist and carry cross-job contention.
  bool has_shared_links() const { return !group_links_.empty(); }
  /// The shared uplink of a leaf group (Fabric::leaf_group_of); nullptr without shared links.
  simgrid::s4u::Link* group_uplink(int64_t leaf_group) const;
  /// The shared uplink of a pod to the core; nullptr without shared links or with 2 tiers.
  simgrid::s4u::Link* pod_uplink(int64_t pod) const;
  /// A host standing for a whole leaf group's traffic (NODE granularity only):
  /// its route is an unconstrained link and the group's shared uplink, so a
  /// flow between two group hosts contends only on the shared links.
  simgrid::s4u::Host* group_host(int64_t leaf_group) const { return group_hosts_.at(static_cast<size_t>(leaf_group)); }
  /// The shared links the traffic from node `a` to node `b` crosses, in path order
  /// (leaf group uplinks, pod uplinks); empty under the same leaves or without shared links.
  std::vector<simgrid::s4u::Link*> shared_links_between(int64_t a, int64_t b) const;

 private:
  const Fabric& fabric_;
  Granularity granularity_;
  int64_t nodes_per_host_ = 1;
  std::vector<simgrid::s4u::Host*> hosts_;
  std::vector<simgrid::s4u::Link*> host_links_;
  std::vector<simgrid::s4u::Link*> group_links_;
  std::vector<simgrid::s4u::Host*> group_hosts_;
  std::vector<simgrid::s4u::Link*> pod_links_;
};

}  // namespace gwsim::topology
