// The operations models at gigawatt scale (docs/operations.md#cost-at-scale),
// on the 640,000-GPU campus of examples/campus-1gw:
//  - the fleet failure process: events drawn per second;
//  - the power model under a binding site budget: a job ends and another
//    starts (remove, add, rebalance) with 80,000 single-node jobs running,
//    and how many running jobs see their throttle change per event, for the
//    default 1% throttle step and for exact caps.
#include <chrono>
#include <cstdio>
#include <fmt/format.h>

#include "common/rng.hpp"
#include "sim/operations/failures.hpp"
#include "sim/operations/power.hpp"
#include "sim/scenario/scenario.hpp"

namespace {

using Clock = std::chrono::steady_clock;
double seconds_since(Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); }

using namespace gwsim;

void failure_process(const topology::ClusterSpec& spec) {
  const int64_t n = 2'000'000;
  sim::FailureProcess p(sim::default_failure_classes(), sim::FleetUnits{spec.gpu_count(), spec.node_count(), 20000}, 1);
  const auto t0 = Clock::now();
  double last = 0;
  for (int64_t i = 0; i < n; ++i) last = p.next()->time_s;
  const double s = seconds_since(t0);
  fmt::print("| failure process, {} GPUs | {:.3g} events/h of simulated time | {:.3g} events/s drawn |\n",
             spec.gpu_count(), p.total_rate_per_s() * 3600, double(n) / s);
  (void)last;
}

void power_churn(topology::ClusterSpec spec, double step, int events) {
  const double tdp = 700, idle = 70, dyn = 0.9 * 630;
  const int64_t nodes = spec.node_count();
  // A site budget that binds with every node busy: 90% of full-load facility power.
  spec.power.rack_budget_w = spec.power.row_budget_w = spec.power.hall_budget_w = 0;
  spec.power.site_budget_w = 0.9 * spec.power.pue * double(nodes) * (spec.power.node_overhead_w + 8 * (idle + dyn));
  sim::PowerConfig c;
  c.throttle_step = step;
  sim::PowerModel m(spec, tdp, idle, 0, c, 2, sim::Tariff(0.08));
  auto one_node = [](int64_t n) { return sim::Allocation{{{int32_t(n), int16_t(8)}}, 8}; };
  for (int64_t n = 0; n < nodes; ++n) m.add_load(uint64_t(n), one_node(n), dyn, 0);
  m.rebalance();
  Rng rng(1, "bench");
  int64_t changed = 0;
  uint64_t next_key = uint64_t(nodes);
  const auto t0 = Clock::now();
  std::vector<uint64_t> key_of(static_cast<size_t>(nodes));
  for (int64_t n = 0; n < nodes; ++n) key_of[size_t(n)] = uint64_t(n);
  for (int i = 0; i < events; ++i) {
    // One job ends; a little later another starts on its node (two decision points).
    const int64_t n = rng.uniform_int(0, nodes - 1);
    m.advance(2.0 * i);
    m.remove_load(key_of[size_t(n)]);
    changed += int64_t(m.rebalance().size());
    m.advance(2.0 * i + 1);
    key_of[size_t(n)] = next_key++;
    m.add_load(key_of[size_t(n)], one_node(n), dyn, 0);
    changed += int64_t(m.rebalance().size());
  }
  const double s = seconds_since(t0);
  fmt::print("| power model, {} single-node jobs, site cap, step {} | {:.3g} jobs re-rated per event | {:.3g} events/s |\n",
             nodes, step, double(changed) / (2.0 * events), 2.0 * events / s);
}

}  // namespace

int main() {
  const sim::Scenario sc = sim::load_scenario(std::string(GWSIM_SOURCE_DIR) + "/examples/campus-1gw/scenario.yaml");
  fmt::print("| what | load | speed |\n|---|---|---|\n");
  failure_process(sc.cluster);
  power_churn(sc.cluster, 0.01, 20000);
  power_churn(sc.cluster, 0.0, 100);  // every event re-rates every job: few events
  return 0;
}
