// gwsim as a library: a scheduling policy of your own, plugged into the
// simulator under a name a scenario can select.
//
// "smallest_first" starts the queued jobs with the fewest GPUs first, as long
// as they fit (a greedy shortest-job-first on size): small jobs never wait
// behind large ones, large ones may starve. Run:
//   build/examples/custom-policy/gwsim_custom_policy examples/custom-policy/custom-policy.yaml out/custom
#include <algorithm>
#include <iostream>

#include "common/error.hpp"
#include "results/recorder.hpp"
#include "results/headline.hpp"
#include "sim/policies/policy_plugin.hpp"
#include "sim/scenario/scenario.hpp"
#include "sim/engine/simulation.hpp"

namespace {

class SmallestFirst final : public gwsim::sim::Policy {
 public:
  void schedule(gwsim::sim::SchedulingContext& ctx) override {
    std::vector<gwsim::sim::Job*> order = ctx.queue();  // arrival order
    std::stable_sort(order.begin(), order.end(),
                     [](const gwsim::sim::Job* a, const gwsim::sim::Job* b) { return a->req.gpus < b->req.gpus; });
    for (gwsim::sim::Job* job : order) {
      if (job->req.gpus > ctx.cluster().free_gpus()) break;  // nothing larger fits either
      ctx.start(job);  // false when fragmentation or the power budget says no: try the next
    }
  }
};

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3) {
    std::cerr << "usage: " << argv[0] << " <scenario.yaml> <output dir>\n";
    return static_cast<int>(gwsim::ExitCode::USAGE);
  }
  try {
    // Register before loading: the scenario names the policy (scheduler.policy: smallest_first).
    gwsim::sim::register_policy("smallest_first", [] { return std::make_unique<SmallestFirst>(); });
    const gwsim::sim::Scenario scenario = gwsim::sim::load_scenario(argv[1]);
    gwsim::results::RunInfo info;
    info.scenario_path = scenario.path;
    info.scenario_text = scenario.text;
    info.seed = scenario.seed;
    gwsim::results::Recorder recorder(argv[2], info);
    gwsim::sim::Simulation simulation(scenario, recorder);
    const gwsim::sim::RunStats stats = simulation.run();
    recorder.finish(true);
    const gwsim::results::HeadlineNotes notes{"custom policy: " + scenario.name, stats.larger_than_cluster};
    std::cout << gwsim::results::format_headline(gwsim::results::make_headline(stats.summary, notes));
    return 0;
  } catch (const gwsim::Error& e) {
    std::cerr << "error: " << e.what() << "\n";
    return static_cast<int>(e.code());
  }
}
