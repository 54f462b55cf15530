// Fabric and SimGrid platform build time and peak memory for the reference
// designs (docs/topology.md#benchmark). Run without arguments: each row runs
// in a child process of its own (peak RSS is per process), and the table is
// printed with the goals of issue 3. With arguments, measures one row:
//   topology_bench <scenario.yaml> <node|domain|rack>
#include <sys/resource.h>

#include <chrono>
#include <cstdio>
#include <fmt/format.h>
#include <simgrid/s4u/Engine.hpp>
#include <string>
#include <vector>
#include <xbt/log.h>

#include "sim/scenario/scenario.hpp"
#include "topology/platform.hpp"

namespace {

using Clock = std::chrono::steady_clock;
double seconds_since(Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); }

int measure(const std::string& path, const std::string& granularity_name) {
  using namespace gwsim;
  const sim::Scenario sc = sim::load_scenario(path);
  const auto granularity = granularity_name == "node"     ? topology::Granularity::NODE
                           : granularity_name == "domain" ? topology::Granularity::DOMAIN
                                                          : topology::Granularity::RACK;
  int argc = 1;
  char arg0[] = "topology_bench";
  char* argv[] = {arg0, nullptr};
  xbt_log_control_set("root.thresh:warning");
  simgrid::s4u::Engine engine(&argc, argv);
  const auto t0 = Clock::now();
  const topology::Fabric fabric(sc.cluster);
  const double fabric_s = seconds_since(t0);
  const auto t1 = Clock::now();
  const topology::Platform platform(fabric, engine, granularity);
  const double platform_s = seconds_since(t1);
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  // One line for the parent: GPUs, vertices, edges, hosts, fabric s, platform s, peak RSS KiB.
  std::printf("%lld %zu %zu %zu %.3f %.3f %ld\n", static_cast<long long>(fabric.gpu_count()),
              boost::num_vertices(fabric.graph()), boost::num_edges(fabric.graph()), platform.host_count(), fabric_s,
              platform_s, usage.ru_maxrss);
  return 0;
}

struct Row {
  const char* design;
  const char* scenario;
  const char* granularity;
  double goal_s;        // 0: no goal
  double goal_rss_gib;  // 0: no goal
};

}  // namespace

int main(int argc, char** argv) {
  if (argc == 3) return measure(argv[1], argv[2]);
  const std::string src = GWSIM_SOURCE_DIR;
  const std::vector<Row> rows = {
      {"24k H100, 3-tier Clos", "examples/cluster-24k-h100/scenario.yaml", "node", 1, 0},
      {"100k GB200 NVL72, rail", "examples/cluster-100k-gb200/scenario.yaml", "domain", 0, 0},
      {"100k GB200 NVL72, rail", "examples/cluster-100k-gb200/scenario.yaml", "node", 0, 0},
      {"1 GW campus, 640k H200", "examples/campus-1gw/scenario.yaml", "domain", 10, 4},
      {"1 GW campus, 640k H200", "examples/campus-1gw/scenario.yaml", "node", 0, 0},
  };
  std::printf("%-24s %-7s %9s %10s %10s %8s %9s %11s %9s %10s  %s\n", "design", "host =", "GPUs", "vertices", "edges",
              "SG hosts", "fabric s", "platform s", "total s", "peak MiB", "goal");
  for (const Row& r : rows) {
    const std::string cmd = fmt::format("'/proc/{}/exe' '{}/{}' {}", getpid(), src, r.scenario, r.granularity);
    FILE* p = popen(cmd.c_str(), "r");
    long long gpus = 0;
    size_t vertices = 0, edges = 0, hosts = 0;
    double fabric_s = 0, platform_s = 0;
    long rss_kib = 0;
    const int got = p ? std::fscanf(p, "%lld %zu %zu %zu %lf %lf %ld", &gpus, &vertices, &edges, &hosts, &fabric_s,
                                    &platform_s, &rss_kib)
                      : 0;
    if (p) pclose(p);
    if (got != 7) {
      std::printf("%-24s %-7s failed: %s\n", r.design, r.granularity, cmd.c_str());
      continue;
    }
    const double total = fabric_s + platform_s, gib = rss_kib / 1024.0 / 1024.0;
    std::string goal = "-";
    if (r.goal_s > 0) {
      goal = fmt::format("<= {:g} s", r.goal_s);
      if (r.goal_rss_gib > 0) goal += fmt::format(", <= {:g} GiB", r.goal_rss_gib);
      const bool met = total <= r.goal_s && (r.goal_rss_gib <= 0 || gib <= r.goal_rss_gib);
      goal += met ? ": met" : ": MISSED";
    }
    std::printf("%-24s %-7s %9lld %10zu %10zu %8zu %9.3f %11.3f %9.3f %10.1f  %s\n", r.design, r.granularity, gpus,
                vertices, edges, hosts, fabric_s, platform_s, total, rss_kib / 1024.0, goal.c_str());
  }
  return 0;
}
