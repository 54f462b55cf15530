#include "topology/platform.hpp"

#include <fmt/format.h>
#include <simgrid/s4u/Engine.hpp>
#include <simgrid/s4u/Host.hpp>
#include <simgrid/s4u/Link.hpp>
#include <simgrid/s4u/NetZone.hpp>

namespace gwsim::topology {

namespace sg = simgrid::s4u;

Platform::Platform(const Fabric& fabric, sg::Engine& /*engine*/, Granularity granularity) : granularity_(granularity) {
  const ClusterSpec& spec = fabric.spec();
  switch (granularity) {
    case Granularity::NODE: nodes_per_host_ = 1; break;
    case Granularity::DOMAIN: nodes_per_host_ = spec.scale_up.nodes_per_domain; break;
    case Granularity::RACK: nodes_per_host_ = spec.nodes_per_rack; break;
  }
  const int64_t hosts_per_pod = spec.nodes_per_pod() / nodes_per_host_;
  const double host_bw = fabric.node_uplink_Bps() * static_cast<double>(nodes_per_host_);
  const double latency = spec.fabric.nic_latency_s + spec.fabric.tiers[0].latency_s;

  sg::NetZone* site = sg::create_star_zone("site");
  hosts_.reserve(static_cast<size_t>(spec.pod_count() * hosts_per_pod));
  for (int64_t pod = 0; pod < spec.pod_count(); ++pod) {
    sg::NetZone* zone = sg::create_star_zone(fmt::format("pod{}", pod));
    zone->set_parent(site);
    auto* gateway = zone->create_router(fmt::format("pod{}-gw", pod));
    zone->add_route(gateway, nullptr, nullptr, nullptr, {}, true);
    for (int64_t h = 0; h < hosts_per_pod; ++h) {
      const int64_t first_node = pod * spec.nodes_per_pod() + h * nodes_per_host_;
      // A host computes at the aggregate dense BF16 rate of its GPUs; its speed
      // is informative (execution time comes from the cost model).
      sg::Host* host = zone->create_host(fmt::format("n{}", first_node), 1e9);
      host->set_core_count(static_cast<int>(spec.gpus_per_node * nodes_per_host_));
      sg::Link* up = zone->create_link(fmt::format("n{}-up", first_node), host_bw)->set_latency(latency);
      zone->add_route(host->get_netpoint(), nullptr, nullptr, nullptr, {sg::LinkInRoute(up)}, true);
      hosts_.push_back(host);
    }
    zone->seal();
    sg::Link* pod_up = site->create_link(fmt::format("pod{}-up", pod), fabric.pod_uplink_Bps())
                           ->set_latency(spec.fabric.tiers.back().latency_s);
    site->add_route(zone->get_netpoint(), nullptr, gateway, nullptr, {sg::LinkInRoute(pod_up)}, true);
    pod_links_.push_back(pod_up);
  }
  site->seal();
}

}  // namespace gwsim::topology
