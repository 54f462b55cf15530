#include "topology/platform.hpp"

#include <fmt/format.h>
#include <simgrid/s4u/Engine.hpp>
#include <simgrid/s4u/Host.hpp>
#include <simgrid/s4u/Link.hpp>
#include <simgrid/s4u/NetZone.hpp>

namespace gwsim::topology {

namespace sg = simgrid::s4u;

namespace {

// A host's speed is informative: execution time comes from the cost model.
constexpr double HOST_SPEED_FLOPS = 1e9;
// Far above any link of a real fabric (1 EB/s): a link that never binds.
constexpr double UNCONSTRAINED_BPS = 1e18;

// A star zone under `parent`, with the gateway router through which the
// parent routes to it. A zone that holds hosts keeps its gateway beside them;
// a zone that holds child zones keeps it in a child zone of its own
// ("<name>-core"): SimGrid 3.32 routes from a child zone to a router only when
// the router also sits in a child zone.
struct Zone {
  sg::NetZone* zone;
  simgrid::kernel::routing::NetPoint* gateway;
};
Zone make_zone(const std::string& name, sg::NetZone* parent, bool holds_zones) {
  sg::NetZone* z = sg::create_star_zone(name);
  if (parent) z->set_parent(parent);
  sg::NetZone* home = z;
  if (holds_zones) {
    home = sg::create_star_zone(name + "-core");
    home->set_parent(z);
  }
  auto* gw = home->create_router(name + "-gw");
  home->add_route(gw, nullptr, nullptr, nullptr, {}, true);
  if (holds_zones) {
    home->seal();
    z->add_route(home->get_netpoint(), nullptr, gw, nullptr, {}, true);
  }
  return {z, gw};
}

sg::Link* duplex(sg::NetZone* zone, const std::string& name, double bandwidth_Bps, double latency_s) {
  return zone->create_split_duplex_link(name, bandwidth_Bps)->set_latency(latency_s);
}

}  // namespace

Platform::Platform(const Fabric& fabric, sg::Engine& /*engine*/, Granularity granularity)
    : fabric_(fabric), granularity_(granularity) {
  const ClusterSpec& spec = fabric.spec();
  const auto& tiers = spec.fabric.tiers;
  switch (granularity) {
    case Granularity::NODE: nodes_per_host_ = 1; break;
    case Granularity::DOMAIN: nodes_per_host_ = spec.scale_up.nodes_per_domain; break;
    case Granularity::RACK: nodes_per_host_ = spec.nodes_per_rack; break;
  }
  // Latencies add up along a path to the Fabric's: NIC and half a leaf on the
  // host link, half of each switch on an uplink.
  const double host_latency = spec.fabric.nic_latency_s + tiers[0].latency_s / 2;
  const double host_bw = fabric.node_uplink_Bps() * static_cast<double>(nodes_per_host_);
  const int64_t host_count = spec.node_count() / nodes_per_host_;
  hosts_.reserve(static_cast<size_t>(host_count));
  host_links_.reserve(static_cast<size_t>(host_count));
  const char* unit = granularity == Granularity::NODE ? "node" : granularity == Granularity::DOMAIN ? "domain" : "rack";
  auto add_host = [&](sg::NetZone* zone, int64_t h, const std::vector<sg::LinkInRoute>& shared, bool split) {
    sg::Host* host = zone->create_host(fmt::format("{}-{}", unit, h), HOST_SPEED_FLOPS);
    host->set_core_count(static_cast<int>(spec.gpus_per_node * nodes_per_host_));
    sg::Link* link = split ? duplex(zone, fmt::format("{}-{}-nic", unit, h), host_bw, host_latency)
                           : zone->create_link(fmt::format("{}-{}-nic", unit, h), host_bw)->set_latency(host_latency);
    std::vector<sg::LinkInRoute> route{split ? sg::LinkInRoute(link, sg::LinkInRoute::Direction::UP) : sg::LinkInRoute(link)};
    route.insert(route.end(), shared.begin(), shared.end());
    zone->add_route(host->get_netpoint(), nullptr, nullptr, nullptr, route, true);
    hosts_.push_back(host);
    host_links_.push_back(link);
  };

  const bool hall_zones = spec.halls > 1;
  const bool pod_zones = granularity == Granularity::NODE;
  const Zone site = make_zone("site", nullptr, hall_zones || pod_zones);
  auto hall_zone = [&](int64_t hall) {
    if (!hall_zones) return site;
    const Zone z = make_zone(fmt::format("hall-{}", hall), site.zone, pod_zones);
    site.zone->add_route(z.zone->get_netpoint(), nullptr, z.gateway, nullptr, {}, true);
    return z;
  };

  if (granularity != Granularity::NODE) {
    // Fleet: hosts straight in their hall's zone, no shared links.
    const int64_t hosts_per_hall = spec.nodes_per_hall() / nodes_per_host_;
    for (int64_t hall = 0; hall < spec.halls; ++hall) {
      const Zone z = hall_zone(hall);
      for (int64_t h = hall * hosts_per_hall; h < (hall + 1) * hosts_per_hall; ++h) add_host(z.zone, h, {}, false);
      if (hall_zones) z.zone->seal();
    }
    site.zone->seal();
    return;
  }

  const NetworkLayout& L = fabric.layout();
  const bool core = fabric.tier_count() == 3;
  const double group_up_latency = tiers[0].latency_s / 2 + tiers[1].latency_s / 2;
  group_links_.reserve(static_cast<size_t>(L.leaf_groups));
  group_hosts_.reserve(static_cast<size_t>(L.leaf_groups));
  for (int64_t hall = 0; hall < spec.halls; ++hall) {
    const Zone hz = hall_zone(hall);
    for (int64_t pod = hall * spec.pods_per_hall; pod < (hall + 1) * spec.pods_per_hall; ++pod) {
      const Zone pz = make_zone(fmt::format("pod-{}", pod), hz.zone, false);
      for (int64_t g = pod * L.groups_per_pod; g < (pod + 1) * L.groups_per_pod; ++g) {
        sg::Link* up = duplex(pz.zone, fmt::format("group-{}-up", g), fabric.group_uplink_Bps(), group_up_latency);
        group_links_.push_back(up);
        const std::vector<sg::LinkInRoute> shared{sg::LinkInRoute(up, sg::LinkInRoute::Direction::UP)};
        // The group's aggregate endpoint: a host behind an unconstrained link,
        // so flows standing for a whole group's traffic contend only on the
        // shared uplinks (no node NIC caps them).
        sg::Host* gateway = pz.zone->create_host(fmt::format("group-{}", g), HOST_SPEED_FLOPS);
        sg::Link* open = pz.zone->create_link(fmt::format("group-{}-aggregate", g), UNCONSTRAINED_BPS)->set_latency(0);
        std::vector<sg::LinkInRoute> group_route{sg::LinkInRoute(open)};
        group_route.insert(group_route.end(), shared.begin(), shared.end());
        pz.zone->add_route(gateway->get_netpoint(), nullptr, nullptr, nullptr, group_route, true);
        group_hosts_.push_back(gateway);
        for (int64_t node = g / L.groups_per_pod * spec.nodes_per_pod() + g % L.groups_per_pod * L.nodes_per_group,
                     end = node + L.nodes_per_group;
             node < end; ++node)
          add_host(pz.zone, node, shared, true);
      }
      pz.zone->seal();
      std::vector<sg::LinkInRoute> pod_route;
      if (core) {
        sg::Link* up = duplex(hz.zone, fmt::format("pod-{}-up", pod), fabric.pod_uplink_Bps(),
                              tiers[1].latency_s / 2 + tiers[2].latency_s / 2);
        pod_links_.push_back(up);
        pod_route.emplace_back(up, sg::LinkInRoute::Direction::UP);
      }
      hz.zone->add_route(pz.zone->get_netpoint(), nullptr, pz.gateway, nullptr, pod_route, true);
    }
    if (hall_zones) hz.zone->seal();
  }
  site.zone->seal();
}

sg::Link* Platform::group_uplink(int64_t leaf_group) const {
  return group_links_.empty() ? nullptr : group_links_.at(static_cast<size_t>(leaf_group));
}

sg::Link* Platform::pod_uplink(int64_t pod) const {
  return pod_links_.empty() ? nullptr : pod_links_.at(static_cast<size_t>(pod));
}

std::vector<sg::Link*> Platform::shared_links_between(int64_t a, int64_t b) const {
  std::vector<sg::Link*> out;
  if (!has_shared_links() || fabric_.hops(a, b) <= 2) return out;
  out.push_back(group_uplink(fabric_.leaf_group_of(a)));
  if (fabric_.hops(a, b) == 6) {
    out.push_back(pod_uplink(fabric_.spine_group_of(a)));
    out.push_back(pod_uplink(fabric_.spine_group_of(b)));
  }
  out.push_back(group_uplink(fabric_.leaf_group_of(b)));
  return out;
}

}  // namespace gwsim::topology
