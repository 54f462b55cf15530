// `gwsim topo <scenario.yaml> [--json] [--dot] [--between A B] [--max-flow]`:
// the analyses of a cluster design (docs/topology.md#gwsim-topo).
#include <cmath>
#include <fmt/format.h>
#include <iostream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "common/units.hpp"
#include "sim/cli/commands.hpp"
#include "sim/scenario/scenario.hpp"
#include "topology/analysis.hpp"

namespace gwsim::sim {

namespace {

using topology::DesignReport;
using topology::Fabric;
using topology::Network;

// Largest graph --dot accepts: beyond this Graphviz output is unreadable.
constexpr size_t MAX_DOT_VERTICES = 5000;

std::string count(int64_t v) {
  std::string digits = std::to_string(v < 0 ? -v : v), out;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return v < 0 ? "-" + out : out;
}

std::string bw(double Bps) { return fmt::format("{} ({})", units::format_si(Bps, "B/s"), units::format_si(Bps * 8, "b/s")); }
std::string latency(double s) { return fmt::format("{:.3g} us", s * 1e6); }
std::string usd(double v) { return fmt::format("${}", units::format_si(v, "")); }

// "0-15,32,40-47" into node ids, each checked against the design.
std::vector<int64_t> parse_nodes(const std::string& text, int64_t node_count, const char* option) {
  std::vector<int64_t> out;
  std::stringstream ss(text);
  std::string item;
  auto bad = [&](const std::string& why) {
    throw Error(ExitCode::USAGE, fmt::format("{} '{}': {} (expected node ids such as 0-15,32, below {})", option, text,
                                             why, node_count));
  };
  while (std::getline(ss, item, ',')) {
    const size_t dash = item.find('-', 1);
    try {
      size_t used = 0;
      const int64_t first = std::stoll(item.substr(0, dash), &used);
      const int64_t last = dash == std::string::npos ? first : std::stoll(item.substr(dash + 1));
      if (first < 0 || last < first || last >= node_count) bad(fmt::format("'{}' is out of range", item));
      for (int64_t x = first; x <= last; ++x) out.push_back(x);
    } catch (const std::logic_error&) {
      bad(fmt::format("'{}' is not a node id or range", item));
    }
  }
  if (out.empty()) bad("no nodes");
  return out;
}

struct Between {
  std::vector<int64_t> a, b;
  int hops = 0;
  double latency_s = 0;
  double scale_out_Bps_per_gpu = 0;
  double max_flow_Bps = -1;  // < 0: not computed
};

std::string describe_design(const topology::ClusterSpec& s, const Fabric& f) {
  auto network = [&](const topology::NetworkSpec& n, const topology::NetworkLayout& l) {
    return fmt::format("{}, {} tiers, {} x {} NICs per node", n.kind == topology::FabricKind::CLOS ? "Clos" : "rail-optimized",
                       n.tiers.size(), n.nics_per_node, units::format_si(n.nic_bandwidth_Bps * 8, "b/s")) +
           fmt::format("; leaf groups of {} rack(s), {} leaves each", l.racks_per_group,
                       l.slices_per_group * l.leaves_per_slice);
  };
  std::string out;
  out += fmt::format("  GPU                {} x {} per node\n", s.gpu_type, s.gpus_per_node);
  out += fmt::format("  hierarchy          {} nodes per rack, {} racks per pod ({} per row), {} pods per hall, {} hall(s)\n",
                     s.nodes_per_rack, s.racks_per_pod, s.racks_per_row_or_pod(), s.pods_per_hall, s.halls);
  out += fmt::format("  scale-up domain    {} node(s), {} GPUs, {} per GPU\n", s.scale_up.nodes_per_domain,
                     s.gpus_per_domain(), units::format_si(s.scale_up.bandwidth_Bps, "B/s"));
  out += fmt::format("  back-end network   {}\n", network(s.fabric, f.layout()));
  if (f.has_frontend()) out += fmt::format("  front-end network  {}\n", network(*s.fabric.frontend, f.frontend_layout()));
  return out;
}

std::string format_text(const Scenario& sc, const Fabric& f, const DesignReport& r, const Between* between,
                        double halves_max_flow) {
  std::string o;
  o += fmt::format("gwsim topo: {} ({})\n\nDesign\n", sc.name, sc.path);
  o += describe_design(sc.cluster, f);
  o += "\nCounts\n";
  o += fmt::format("  GPUs {}  nodes {}  racks {}  rows {}  pods {}  halls {}  scale-up domains {}\n", count(r.gpus),
                   count(r.nodes), count(r.racks), count(r.rows), count(r.pods), count(r.halls), count(r.domains));
  o += fmt::format("  switches {}  links {}  optical transceivers {}\n", count(r.switches), count(r.links), count(r.optics));

  o += "\nSwitch tiers (oversubscription: down:up capacity at the tier's switches)\n";
  o += fmt::format("  {:<10} {:<6} {:>9} {:>6} {:>11} {:>10} {:>8} {:>9} {:>12} {:>12}\n", "network", "tier", "switches",
                   "radix", "down ports", "up/switch", "asked", "realised", "links below", "optics below");
  for (const auto& t : r.tiers) {
    const bool top = t.uplinks_per_switch == 0;
    o += fmt::format("  {:<10} {:<6} {:>9} {:>6} {:>11} {:>10} {:>8} {:>9} {:>12} {:>12}\n",
                     t.network == Network::BACKEND ? "back-end" : "front-end", t.name, count(t.switches), t.radix,
                     count(t.down_ports_used), top ? "-" : count(t.uplinks_per_switch),
                     top ? "-" : fmt::format("{:g}", t.requested_oversubscription),
                     top ? "-" : fmt::format("{:.3g}", t.realized_oversubscription), count(t.links_below),
                     count(t.optics_below));
  }

  o += "\nBack-end bandwidth\n";
  o += fmt::format("  scale-out per node     {}\n", bw(r.node_uplink_Bps));
  o += fmt::format("  scale-out per GPU      {}\n", bw(r.scale_out_Bps_per_gpu));
  o += fmt::format("  bisection              {}, {} per GPU\n", bw(r.bisection_Bps), units::format_si(r.bisection_Bps_per_gpu, "B/s"));
  if (halves_max_flow >= 0)
    o += fmt::format("  max-flow, node halves  {} (exact, push-relabel on the graph)\n", bw(halves_max_flow));
  o += fmt::format("  diameter               {} hops\n", r.diameter_hops);

  o += "\nDistances from node 0 (hops: links on the back-end path; 0 inside a scale-up domain)\n";
  o += fmt::format("  {:<44} {:>8} {:>5} {:>10} {:>20}\n", "relation", "node", "hops", "latency", "scale-out per GPU");
  for (const auto& d : r.distances)
    o += fmt::format("  {:<44} {:>8} {:>5} {:>10} {:>20}\n", d.relation, count(d.b), d.hops,
                     latency(d.latency_s), units::format_si(d.scale_out_Bps_per_gpu, "B/s"));
  if (between) {
    o += fmt::format("\nBetween the two placements ({} and {} nodes)\n", between->a.size(), between->b.size());
    o += fmt::format("  hops (farthest pair)   {}\n", between->hops);
    o += fmt::format("  latency (that pair)    {}\n", latency(between->latency_s));
    o += fmt::format("  scale-out per GPU      {} (both placements as one job)\n",
                     units::format_si(between->scale_out_Bps_per_gpu, "B/s"));
    if (between->max_flow_Bps >= 0) o += fmt::format("  max-flow A to B        {}\n", bw(between->max_flow_Bps));
  }

  o += "\nFailure domains (one switch of the tier fails)\n";
  o += fmt::format("  {:<6} {:>9} {:>9} {:>15} {:>12}\n", "tier", "nodes", "GPUs", "capacity lost", "disconnects");
  for (const auto& fr : r.failures)
    o += fmt::format("  {:<6} {:>9} {:>9} {:>14.3g}% {:>12}\n", topology::tier_name(fr.tier), count(fr.nodes),
                     count(fr.gpus), 100 * fr.capacity_fraction_lost, fr.disconnects ? "yes" : "no");

  const double gpus = static_cast<double>(r.gpus);
  o += "\nNetwork power and capital cost (both networks; docs/topology.md#cost-and-power for sources)\n";
  o += fmt::format("  switches   {:>10}  {:>10}\n", units::format_si(r.switch_power_w, "W"), usd(r.switch_cost_usd));
  o += fmt::format("  optics     {:>10}  {:>10}\n", units::format_si(r.optic_power_w, "W"), usd(r.optic_cost_usd));
  o += fmt::format("  total      {:>10}  {:>10}   per GPU: {}, {}\n", units::format_si(r.network_power_w, "W"),
                   usd(r.network_cost_usd), units::format_si(r.network_power_w / gpus, "W"),
                   usd(r.network_cost_usd / gpus));

  const auto& p = sc.cluster.power;
  o += "\nPower at full load\n";
  o += fmt::format("  per GPU {} ({} TDP), per node {} (with {} overhead)\n", units::format_si(r.gpu_power_w, "W"),
                   sc.cluster.gpu_type, units::format_si(r.node_power_w, "W"), units::format_si(p.node_overhead_w, "W"));
  o += fmt::format("  IT {} (network included), facility {} at PUE {:g}\n", units::format_si(r.it_power_w, "W"),
                   units::format_si(r.facility_power_w, "W"), p.pue);
  if (!r.power_domains.empty()) {
    o += fmt::format("  {:<6} {:>8} {:>11} {:>9} {:>15} {:>11} {:>10}\n", "level", "domains", "budget", "counts",
                     "GPUs installed", "demand", "GPUs fed");
    for (const auto& d : r.power_domains)
      o += fmt::format("  {:<6} {:>8} {:>11} {:>9} {:>15} {:>11} {:>10}\n", d.level, count(d.domains),
                       units::format_si(d.budget_w, "W"), d.facility ? "facility" : "IT", count(d.gpus_installed),
                       units::format_si(d.demand_w, "W"), count(d.gpus_fed));
  }
  o += fmt::format("  GPUs that can run at full load within the budgets: {} of {}{}\n", count(r.gpus_powered),
                   count(r.gpus), r.binding_level.empty() ? "" : fmt::format(" (bound by the {} budget)", r.binding_level));
  return o;
}

nlohmann::ordered_json to_json(const Scenario& sc, const DesignReport& r, const Between* between, double halves_max_flow) {
  using J = nlohmann::ordered_json;
  J j;
  j["name"] = sc.name;
  j["scenario"] = sc.path;
  j["gpu"] = sc.cluster.gpu_type;
  j["counts"] = {{"gpus", r.gpus}, {"nodes", r.nodes}, {"racks", r.racks}, {"rows", r.rows}, {"pods", r.pods},
                 {"halls", r.halls}, {"scale_up_domains", r.domains}, {"switches", r.switches}, {"links", r.links},
                 {"optics", r.optics}};
  J tiers = J::array();
  for (const auto& t : r.tiers)
    tiers.push_back({{"network", t.network == Network::BACKEND ? "backend" : "frontend"},
                     {"tier", t.tier},
                     {"name", t.name},
                     {"switches", t.switches},
                     {"radix", t.radix},
                     {"down_ports_used", t.down_ports_used},
                     {"uplinks_per_switch", t.uplinks_per_switch},
                     {"requested_oversubscription", t.requested_oversubscription},
                     {"realized_oversubscription", t.realized_oversubscription},
                     {"links_below", t.links_below},
                     {"optics_below", t.optics_below},
                     {"switch_power_w", t.switch_power_w},
                     {"switch_cost_usd", t.switch_cost_usd}});
  j["tiers"] = tiers;
  j["bandwidth"] = {{"node_uplink_Bps", r.node_uplink_Bps},
                    {"scale_out_Bps_per_gpu", r.scale_out_Bps_per_gpu},
                    {"bisection_Bps", r.bisection_Bps},
                    {"bisection_Bps_per_gpu", r.bisection_Bps_per_gpu},
                    {"diameter_hops", r.diameter_hops}};
  if (halves_max_flow >= 0) j["bandwidth"]["max_flow_halves_Bps"] = halves_max_flow;
  J dist = J::array();
  for (const auto& d : r.distances)
    dist.push_back({{"relation", d.relation}, {"a", d.a}, {"b", d.b}, {"hops", d.hops}, {"latency_s", d.latency_s},
                    {"scale_out_Bps_per_gpu", d.scale_out_Bps_per_gpu}});
  j["distances"] = dist;
  if (between) {
    j["between"] = {{"nodes_a", between->a.size()}, {"nodes_b", between->b.size()}, {"hops", between->hops},
                    {"latency_s", between->latency_s}, {"scale_out_Bps_per_gpu", between->scale_out_Bps_per_gpu}};
    if (between->max_flow_Bps >= 0) j["between"]["max_flow_Bps"] = between->max_flow_Bps;
  }
  J failures = J::array();
  for (const auto& f : r.failures)
    failures.push_back({{"tier", f.tier}, {"nodes", f.nodes}, {"gpus", f.gpus},
                        {"capacity_fraction_lost", f.capacity_fraction_lost}, {"disconnects", f.disconnects}});
  j["failures"] = failures;
  j["network"] = {{"switch_power_w", r.switch_power_w}, {"optic_power_w", r.optic_power_w},
                  {"power_w", r.network_power_w},       {"switch_cost_usd", r.switch_cost_usd},
                  {"optic_cost_usd", r.optic_cost_usd}, {"cost_usd", r.network_cost_usd}};
  J domains = J::array();
  for (const auto& d : r.power_domains)
    domains.push_back({{"level", d.level}, {"domains", d.domains}, {"budget_w", d.budget_w}, {"facility", d.facility},
                       {"gpus_installed", d.gpus_installed}, {"demand_w", d.demand_w}, {"gpus_fed", d.gpus_fed}});
  j["power"] = {{"gpu_power_w", r.gpu_power_w}, {"node_power_w", r.node_power_w}, {"it_power_w", r.it_power_w},
                {"facility_power_w", r.facility_power_w}, {"pue", sc.cluster.power.pue}, {"domains", domains},
                {"gpus_powered", r.gpus_powered}, {"binding_level", r.binding_level}};
  return j;
}

}  // namespace

void add_topo_command(CLI::App& app, CommandFn& out) {
  struct Args {
    std::string scenario;
    bool json = false;
    bool dot = false;
    bool max_flow = false;
    std::vector<std::string> between;
  };
  auto args = std::make_shared<Args>();
  CLI::App* cmd = app.add_subcommand(
      "topo", "Print the analyses of a scenario's cluster design: counts, oversubscription, bisection, distances, "
              "failure domains, network power and cost, power domains (docs/topology.md#gwsim-topo)");
  cmd->add_option("scenario", args->scenario, "Scenario file (YAML or JSON); the whole file is validated, its cluster: section analysed")->required();
  auto* json = cmd->add_flag("--json", args->json, "Print the analyses as JSON instead of text");
  cmd->add_flag("--dot", args->dot, "Print the fabric as a Graphviz graph instead (designs of at most 5000 vertices)")
      ->excludes(json);
  cmd->add_option("--between", args->between,
                  "Two placements, as node ids and ranges (--between 0-15 4096-4111): hops, latency and bandwidth between them")
      ->expected(2);
  cmd->add_flag("--max-flow", args->max_flow,
                "Also compute exact max-flows on the graph (between the node halves, and between --between's "
                "placements); slow on the largest designs");
  cmd->callback([args, &out] {
    out = [args] {
      const Scenario sc = load_scenario(args->scenario);
      const Fabric fabric(sc.cluster);
      if (args->dot) {
        const size_t vertices = boost::num_vertices(fabric.graph());
        if (vertices > MAX_DOT_VERTICES)
          throw Error(ExitCode::USAGE, fmt::format("--dot is for small designs: {} has {} vertices (at most {})",
                                                   sc.path, vertices, MAX_DOT_VERTICES));
        topology::write_dot(fabric, std::cout);
        return 0;
      }
      const DesignReport report = topology::analyze(fabric, sc.catalog.find_gpu(sc.cluster.gpu_type)->tdp_w);
      double halves = -1;
      if (args->max_flow && fabric.node_count() > 1) {
        std::vector<int64_t> first, second;
        for (int64_t n = 0; n < fabric.node_count(); ++n) (n < fabric.node_count() / 2 ? first : second).push_back(n);
        halves = fabric.max_flow_Bps(first, second);
      }
      std::unique_ptr<Between> between;
      if (!args->between.empty()) {
        between = std::make_unique<Between>();
        between->a = parse_nodes(args->between[0], fabric.node_count(), "--between");
        between->b = parse_nodes(args->between[1], fabric.node_count(), "--between");
        between->hops = fabric.hops_between(between->a, between->b);
        between->latency_s = fabric.path_latency_s(between->hops);
        std::vector<int64_t> both = between->a;
        both.insert(both.end(), between->b.begin(), between->b.end());
        between->scale_out_Bps_per_gpu = fabric.scale_out_Bps_per_gpu(both);
        if (args->max_flow) between->max_flow_Bps = fabric.max_flow_Bps(between->a, between->b);
      }
      if (args->json)
        std::cout << to_json(sc, report, between.get(), halves).dump(2) << "\n";
      else
        std::cout << format_text(sc, fabric, report, between.get(), halves);
      return 0;
    };
  });
}

}  // namespace gwsim::sim
