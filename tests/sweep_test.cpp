// Sweep files: axes, ranges and seeds expanded into runs, overrides applied
// to the base scenario's tree, and errors that name the axis and the key.
// No simulation runs here (sweep_run_test.cpp runs sweeps end to end).
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>

#include "common/error.hpp"
#include "sim/scenario/scenario.hpp"
#include "sim/sweeps/sweep.hpp"
#include "test_support.hpp"

using gwsim::Error;
using gwsim::ExitCode;
using gwsim::sim::expand_sweep;
using gwsim::sim::parse_scenario;
using gwsim::sim::parse_sweep;
using gwsim::sim::SweepRun;
using gwsim::sim::SweepSpec;

namespace {

// A valid base, inline: 32 GPUs, one internal source and one lease book.
const char* BASE = R"(base:
  name: tiny
  seed: 5
  horizon: 1d
  cluster:
    gpu: H100-SXM
    gpus_per_node: 8
    nodes_per_rack: 2
    racks_per_pod: 2
  workload:
    - type: internal_jobs
      arrivals: { per_hour: 2 }
      max_gpus: 16
    - type: lease_book
      leases_per_week: 3
      min_gpus: 8
      max_gpus: 16
)";

SweepSpec spec_of(const std::string& rest) { return parse_sweep(std::string(BASE) + rest, "sweep.yaml"); }

gwsim::sim::Scenario scenario_of(const SweepRun& run) { return parse_scenario(run.scenario_text, "run.yaml"); }

// The message of the error that loading and expanding `rest` throws ("" if none).
std::string error_of(const std::string& rest) {
  try {
    expand_sweep(spec_of(rest));
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ExitCode::SCENARIO) << e.what();
    return e.what();
  }
  return "";
}

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

}  // namespace

TEST(Sweep, AxesExpandAsCartesianProductTimesSeeds) {
  const SweepSpec spec = spec_of(R"(seeds: 2
axes:
  cluster.gpus_per_node: [4, 8, 16]
  horizon: [1d, 2d]
)");
  const auto runs = expand_sweep(spec);
  ASSERT_EQ(runs.size(), 3u * 2u * 2u);
  // Run id = ((gpus_per_node index) * 2 + horizon index) * 2 + seed index: the last axis and the seed go fastest.
  const SweepRun& r = runs[7];  // 7 = (1 * 2 + 1) * 2 + 1
  EXPECT_EQ(r.id, 7u);
  EXPECT_EQ(r.position, (std::vector<size_t>{1, 1}));
  EXPECT_EQ(r.seed, 2u);
  const auto s = scenario_of(r);
  EXPECT_EQ(s.cluster.gpus_per_node, 8);
  EXPECT_DOUBLE_EQ(s.horizon_s, 2 * 86400.0);
  EXPECT_EQ(s.seed, 2u);
  EXPECT_EQ(s.cluster.gpu_count(), 8 * 2 * 2);
  EXPECT_EQ(scenario_of(runs[11]).cluster.gpus_per_node, 16);
  EXPECT_EQ(scenario_of(runs[0]).seed, 1u);
  for (size_t i = 0; i < runs.size(); ++i) EXPECT_EQ(runs[i].id, i);
  EXPECT_TRUE(spec.axes[0].numeric);
  EXPECT_EQ(spec.axes[0].numbers, (std::vector<double>{4, 8, 16}));
  EXPECT_FALSE(spec.axes[1].numeric) << "durations with units are text labels";
  EXPECT_EQ(spec.axes[1].labels, (std::vector<std::string>{"1d", "2d"}));
}

TEST(Sweep, SeedsAreACountOrAListOrTheBasesOwn) {
  auto seeds_of = [](const std::string& rest) {
    std::vector<uint64_t> out;
    for (const auto& r : expand_sweep(spec_of(rest))) out.push_back(scenario_of(r).seed);
    return out;
  };
  EXPECT_EQ(seeds_of("seeds: 3\n"), (std::vector<uint64_t>{1, 2, 3}));
  EXPECT_EQ(seeds_of("seeds: [7, 42]\n"), (std::vector<uint64_t>{7, 42}));
  EXPECT_EQ(seeds_of(""), (std::vector<uint64_t>{5})) << "no seeds: one run with the base's seed";
  EXPECT_TRUE(contains(error_of("seeds: [7, 7]\n"), "distinct seeds"));
  EXPECT_TRUE(contains(error_of("seeds: 0\n"), "'seeds'"));
  EXPECT_TRUE(contains(error_of("axes:\n  seed: [1, 2]\n"), "found an axis over 'seed'"));
}

TEST(Sweep, RangesByStepByCountAndLogSpaced) {
  const SweepSpec spec = spec_of(R"(axes:
  scheduler.headroom: {start: 0.1, stop: 0.3, step: 0.1}
  workload[0].arrivals.per_hour: {start: 1, stop: 100, count: 3, scale: log}
  workload[1].leases_per_week: {start: 2, stop: 3, count: 3}
  horizon: {start: 1, stop: 3, step: 1, unit: d}
)");
  ASSERT_EQ(spec.axes.size(), 4u);
  // 0.1 + 2 * 0.1 is 0.30000000000000004 in binary: the range still reaches its stop, printed as 0.3.
  EXPECT_EQ(spec.axes[0].labels, (std::vector<std::string>{"0.1", "0.2", "0.3"}));
  EXPECT_EQ(spec.axes[1].labels, (std::vector<std::string>{"1", "10", "100"}));
  EXPECT_EQ(spec.axes[2].numbers, (std::vector<double>{2, 2.5, 3}));
  EXPECT_EQ(spec.axes[3].labels, (std::vector<std::string>{"1d", "2d", "3d"}));
  EXPECT_EQ(spec.axes[3].numbers, (std::vector<double>{1, 2, 3}));
  EXPECT_EQ(spec.axes[3].unit, "d");
  EXPECT_TRUE(spec.axes[3].numeric) << "a range's numbers fill the column, its unit goes beside";
  const auto runs = expand_sweep(spec);
  ASSERT_EQ(runs.size(), 81u);
  const auto last = scenario_of(runs.back());
  EXPECT_DOUBLE_EQ(last.scheduler.rules.headroom_fraction, 0.3);
  EXPECT_DOUBLE_EQ(std::get<gwsim::workloads::InternalJobsParams>(last.workload[0]).arrivals.per_hour, 100);
  EXPECT_DOUBLE_EQ(std::get<gwsim::workloads::LeaseBookParams>(last.workload[1]).leases_per_week, 3);
  EXPECT_DOUBLE_EQ(last.horizon_s, 3 * 86400.0);
}

TEST(Sweep, ListIndicesAndWholeValuesOverrideTheBase) {
  const SweepSpec spec = spec_of(R"(axes:
  workload[0].arrivals.per_hour: [1, 4]
  scheduler.policy: [[fifo], [priority, spot_reclaim]]
  cluster.power.pue: [1.1]
)");
  const auto runs = expand_sweep(spec);
  ASSERT_EQ(runs.size(), 4u);
  EXPECT_EQ(spec.axes[1].labels, (std::vector<std::string>{"[fifo]", "[priority, spot_reclaim]"}));
  EXPECT_FALSE(spec.axes[1].numeric);
  const auto s = scenario_of(runs[3]);
  EXPECT_DOUBLE_EQ(std::get<gwsim::workloads::InternalJobsParams>(s.workload[0]).arrivals.per_hour, 4);
  EXPECT_EQ(std::get<gwsim::workloads::InternalJobsParams>(s.workload[0]).research.sizes.max_gpus, 16) << "siblings stay";
  EXPECT_EQ(s.scheduler.policy, (std::vector<std::string>{"priority", "spot_reclaim"}));
  EXPECT_DOUBLE_EQ(s.cluster.power.pue, 1.1) << "cluster.power was absent: the override creates it";
  EXPECT_EQ(scenario_of(runs[0]).scheduler.policy, std::vector<std::string>{"fifo"});
  EXPECT_EQ(scenario_of(runs[0]).cluster.gpus_per_node, 8) << "keys no axis names keep the base's value";
}

TEST(Sweep, NamedAxisSetsSeveralKeysTogether) {
  const SweepSpec spec = spec_of(R"(axes:
  rental:
    labels: [open, protected]
    set:
      scheduler.policy: [[fifo], [priority, reserve_internal]]
      scheduler.headroom: [0, 0.3]
  cluster.gpu: {values: [H100-SXM, B200], name: gpu}
  o: {key: "workload[1].min_gpus", values: [12]}
)");
  ASSERT_EQ(spec.axes.size(), 3u);
  EXPECT_EQ(spec.axes[2].name, "o");
  EXPECT_EQ(spec.axes[2].keys, std::vector<std::string>{"workload[1].min_gpus"});
  EXPECT_EQ(spec.axes[0].name, "rental");
  EXPECT_EQ(spec.axes[0].keys, (std::vector<std::string>{"scheduler.policy", "scheduler.headroom"}));
  EXPECT_EQ(spec.axes[1].name, "gpu");
  const auto runs = expand_sweep(spec);
  ASSERT_EQ(runs.size(), 4u);
  const auto s = scenario_of(runs[3]);
  EXPECT_EQ(s.scheduler.policy, (std::vector<std::string>{"priority", "reserve_internal"}));
  EXPECT_DOUBLE_EQ(s.scheduler.rules.headroom_fraction, 0.3);
  EXPECT_EQ(s.cluster.gpu_type, "B200");
  EXPECT_EQ(std::get<gwsim::workloads::LeaseBookParams>(s.workload[1]).min_gpus, 12);
  EXPECT_DOUBLE_EQ(scenario_of(runs[1]).scheduler.rules.headroom_fraction, 0);
  EXPECT_EQ(gwsim::sim::describe_run(spec, runs[3]), "rental=protected, gpu=B200, o=12, seed=5");
  EXPECT_TRUE(contains(error_of("axes:\n  g: {key: cluster.gpu, name: h, values: [B200]}\n"), "either key"));
}

TEST(Sweep, BaseFileIsRelativeToTheSweepFile) {
  namespace fs = std::filesystem;
  const fs::path dir = gwsim::test::temp_dir();
  fs::create_directories(dir / "studies");
  std::ofstream(dir / "base.yaml") << "name: from-file\ncluster: {gpu: H100-SXM, gpus_per_node: 8, nodes_per_rack: 2, racks_per_pod: 1}\n";
  std::ofstream(dir / "studies" / "s.yaml") << "base: ../base.yaml\naxes:\n  cluster.nodes_per_rack: [1, 3]\n";
  const SweepSpec spec = gwsim::sim::load_sweep((dir / "studies" / "s.yaml").string());
  EXPECT_EQ(spec.name, "s") << "the file's stem when name: is absent";
  EXPECT_EQ(fs::path(spec.base_path), (dir / "base.yaml").lexically_normal());
  const auto runs = expand_sweep(spec);
  ASSERT_EQ(runs.size(), 2u);
  EXPECT_EQ(scenario_of(runs[1]).cluster.gpu_count(), 8 * 3);
  EXPECT_EQ(scenario_of(runs[1]).name, "from-file");
}

TEST(Sweep, UnknownKeyIsTheLoadersErrorNamingTheAxis) {
  const std::string msg = error_of("axes:\n  cluster.gpus_per_nod: [4]\n");
  // The axis is on line 19 of the sweep file (the base takes 17 lines, then axes:).
  EXPECT_TRUE(contains(msg, "sweep.yaml:19: axis 'cluster.gpus_per_nod' (cluster.gpus_per_nod = 4): run 0 "
                            "(cluster.gpus_per_nod=4) is not a valid scenario")) << msg;
  EXPECT_TRUE(contains(msg, "'cluster.gpus_per_nod': expected one of the keys")) << msg;
  EXPECT_TRUE(contains(msg, "gpus_per_node")) << "lists the valid keys: " << msg;
  EXPECT_TRUE(contains(msg, "unknown key")) << msg;
}

TEST(Sweep, BadValueNamesTheAxisTheValueAndTheRun) {
  const std::string msg = error_of("seeds: 2\naxes:\n  horizon: [1d]\n  cluster.gpu: [H100-SXM, H999]\n");
  EXPECT_TRUE(contains(msg, "axis 'cluster.gpu' (cluster.gpu = H999)")) << msg;
  EXPECT_TRUE(contains(msg, "run 2 (horizon=1d, cluster.gpu=H999, seed=1)")) << "first run of the bad point: " << msg;
  EXPECT_TRUE(contains(msg, "H999")) << msg;
  EXPECT_TRUE(contains(error_of("axes:\n  workload[0].arrivals.per_hour: [1, -3]\n"),
                       "axis 'workload[0].arrivals.per_hour'"));
}

TEST(Sweep, KeysThatCannotBeSetAreRefusedNamingTheAxis) {
  std::string msg = error_of("axes:\n  workload[5].max_gpus: [1]\n");
  EXPECT_TRUE(contains(msg, "axis 'workload[5].max_gpus'")) << msg;
  EXPECT_TRUE(contains(msg, "2 entries")) << msg;
  msg = error_of("axes:\n  cluster.gpu.model: [x]\n");
  EXPECT_TRUE(contains(msg, "'cluster.gpu': expected a mapping")) << msg;
  EXPECT_TRUE(contains(msg, "found the value 'H100-SXM'")) << msg;
  msg = error_of("axes:\n  cluster.fabric.tiers[0].oversubscription: [2]\n");
  EXPECT_TRUE(contains(msg, "'cluster.fabric.tiers': expected a list in the base scenario (to index it), found nothing"))
      << "defaults are not in the base's tree: " << msg;
  msg = error_of("axes:\n  cluster..gpu: [x]\n");
  EXPECT_TRUE(contains(msg, "key path")) << msg;
  EXPECT_TRUE(contains(error_of("axes:\n  scheduler[0]: [x]\n"), "'scheduler': expected a list")) << msg;
}

TEST(Sweep, MalformedAxesAndRangesAreRefusedWithTheirKey) {
  EXPECT_TRUE(contains(error_of("axes:\n  horizon: {start: 3, stop: 1, step: 1}\n"), "'axes.horizon.step'"));
  EXPECT_TRUE(contains(error_of("axes:\n  horizon: {start: 1, stop: 3, step: 1, count: 3}\n"), "either step or count"));
  EXPECT_TRUE(contains(error_of("axes:\n  horizon: {start: 0, stop: 3, count: 3, scale: log}\n"), "above 0"));
  EXPECT_TRUE(contains(error_of("axes:\n  horizon: {start: 1}\n"), "'axes.horizon.stop'"));
  EXPECT_TRUE(contains(error_of("axes:\n  horizon: {values: [1d], labels: [a, b]}\n"), "1 labels, one per value"));
  EXPECT_TRUE(contains(error_of("axes:\n  horizon: [1d, 1d]\n"), "'1d' twice"));
  EXPECT_TRUE(contains(error_of("axes:\n  horizon: []\n"), "a non-empty list"));
  EXPECT_TRUE(contains(error_of("axes:\n  horizon: 1d\n"), "a list of values, a range"));
  EXPECT_TRUE(contains(error_of("axes:\n  horizon: {values: [1d], strat: 1}\n"), "'axes.horizon.strat'"));
  EXPECT_TRUE(contains(error_of("axes:\n  r:\n    set:\n      horizon: [1d, 2d]\n      seed: [1]\n"),
                       "2 values, as many as for horizon"));
  EXPECT_TRUE(contains(error_of("axes:\n  horizon: [1d]\n  h: {values: [2d], name: horizon}\n"), "used once"));
  EXPECT_TRUE(contains(error_of("axis:\n  horizon: [1d]\n"), "'axis'")) << "strict keys in the sweep file too";
  EXPECT_TRUE(contains(error_of("axes:\n  a: {start: 1, stop: 1000, step: 1}\n  b: {start: 1, stop: 1001, step: 1}\n"),
                       "more than 1000000 runs"));
}

TEST(Sweep, AnInvalidBaseIsReportedAsTheBase) {
  std::string msg;
  try {
    expand_sweep(parse_sweep("base:\n  cluster: {gpu: H100-SXM, bogus: 1}\naxes:\n  horizon: [1d]\n", "s.yaml"));
  } catch (const Error& e) {
    msg = e.what();
  }
  EXPECT_TRUE(contains(msg, "s.yaml: the base scenario is invalid")) << msg;
  EXPECT_TRUE(contains(msg, "'cluster.bogus'")) << msg;
}

TEST(Sweep, SetKeyCreatesMappingsAndLeavesTheRestAlone) {
  YAML::Node root = YAML::Load("a: {b: 1, c: [10, {d: 2}]}\n");
  gwsim::sim::set_key(root, "a.c[1].d", YAML::Node("3"));
  gwsim::sim::set_key(root, "x.y.z", YAML::Node("4"));
  gwsim::sim::set_key(root, "a.c[0]", YAML::Load("[5, 6]"));
  EXPECT_EQ(root["a"]["c"][1]["d"].as<int>(), 3);
  EXPECT_EQ(root["x"]["y"]["z"].as<int>(), 4);
  EXPECT_EQ(root["a"]["c"][0][1].as<int>(), 6);
  EXPECT_EQ(root["a"]["b"].as<int>(), 1);
  EXPECT_EQ(root["a"].size(), 2u) << "no stray keys from lookups";
}

TEST(Sweep, RunTextsAreTheSameEveryTime) {
  const std::string rest = "seeds: 2\naxes:\n  scheduler.policy: [[fifo], [priority, spot_reclaim]]\n";
  const auto a = expand_sweep(spec_of(rest)), b = expand_sweep(spec_of(rest));
  ASSERT_EQ(a.size(), b.size());
  for (size_t i = 0; i < a.size(); ++i) EXPECT_EQ(a[i].scenario_text, b[i].scenario_text);
  EXPECT_TRUE(contains(a[3].scenario_text, "# gwsim sweep 'sweep': scheduler.policy=[priority, spot_reclaim], seed=2\n"))
      << a[3].scenario_text;
}
