// The synthetic generators: deterministic per seed, streaming in arrival
// order, closed forms of their rate and demand curves, the calibration
// against Philly and ITP, and their scenario keys.
#include <gtest/gtest.h>

#include <cmath>

#include "common/error.hpp"
#include "sim/scenario/scenario.hpp"
#include "test_support.hpp"
#include "workloads/generators.hpp"
#include "workloads/source_config.hpp"
#include "workloads/trace_stats.hpp"

using namespace gwsim;
using namespace gwsim::workloads;

namespace {

std::vector<JobRequest> drain(Source& s) {
  std::vector<JobRequest> out;
  while (auto r = s.next()) out.push_back(*r);
  return out;
}

const char* CLUSTER = R"(
name: gen
seed: 5
horizon: 7d
cluster: {gpu: H100-SXM, gpus_per_node: 8, nodes_per_rack: 4, racks_per_pod: 4}
)";

sim::Scenario with_workload(const std::string& workload) {
  return sim::parse_scenario(std::string(CLUSTER) + "workload:\n" + workload, "gen.yaml");
}

std::string error_of(const std::string& workload) {
  try {
    with_workload(workload);
  } catch (const Error& e) {
    return e.what();
  }
  return "";
}

}  // namespace

TEST(Generators, SameSeedSameStreamInArrivalOrder) {
  const double week = 7 * 86400.0;
  for (const auto& config : std::vector<SourceConfig>{InternalJobsParams{}, PretrainParams{}, LeaseBookParams{},
                                                      OnDemandParams{}, SpotParams{}}) {
    auto a = drain(*make_source(config, week, 42, 0));
    auto b = drain(*make_source(config, week, 42, 0));
    auto c = drain(*make_source(config, week, 43, 0));
    auto d = drain(*make_source(config, week, 42, 1));
    ASSERT_EQ(a.size(), b.size()) << source_type_name(config);
    for (size_t i = 0; i < a.size(); ++i) {
      EXPECT_EQ(a[i].submit_s, b[i].submit_s);
      EXPECT_EQ(a[i].gpus, b[i].gpus);
      EXPECT_EQ(a[i].duration_s, b[i].duration_s);
      EXPECT_EQ(a[i].work_tokens, b[i].work_tokens);
      if (i) {
        EXPECT_LE(a[i - 1].submit_s, a[i].submit_s);
      }
      EXPECT_LT(a[i].submit_s, week);
    }
    if (a.size() > 3) {
      EXPECT_TRUE(c.size() != a.size() || c[0].submit_s != a[0].submit_s) << "another seed, other draws";
      EXPECT_TRUE(d.size() != a.size() || d[0].submit_s != a[0].submit_s) << "another workload entry, other draws";
    }
  }
}

TEST(Generators, DailyAndWeeklyCycleClosedForm) {
  // 1 + a cos(2 pi (h - peak) / 24), times the weekend factor on days 5 and 6.
  EXPECT_DOUBLE_EQ(daily_weekly_factor(14 * 3600, 0.4, 14, 0.5), 1.4);
  EXPECT_NEAR(daily_weekly_factor(2 * 3600, 0.4, 14, 0.5), 0.6, 1e-12);
  EXPECT_NEAR(daily_weekly_factor(5 * 86400 + 14 * 3600, 0.4, 14, 0.5), 0.7, 1e-12);  // Saturday
  EXPECT_NEAR(daily_weekly_factor(7 * 86400 + 14 * 3600, 0.4, 14, 0.5), 1.4, 1e-12);  // Monday again
  ArrivalCycle c{36, 0.4, 14, 0.5, {}};
  EXPECT_DOUBLE_EQ(c.rate_at(14 * 3600), 36 * 1.4 / 3600);
  EXPECT_DOUBLE_EQ(c.max_rate(), 36 * 1.4 / 3600);
}

TEST(Generators, HourlyProfileRate) {
  ArrivalCycle c{10, 0, 0, 0.5, std::vector<double>(24, 1.0)};
  c.hourly[3] = 3.4;  // mean (23 + 3.4) / 24 = 1.1
  EXPECT_NEAR(c.rate_at(3 * 3600 + 10), 10 * 3.4 / 1.1 / 3600, 1e-15);
  EXPECT_NEAR(c.rate_at(4 * 3600), 10 * 1.0 / 1.1 / 3600, 1e-15);
  EXPECT_NEAR(c.rate_at(6 * 86400 + 3 * 3600), 0.5 * 10 * 3.4 / 1.1 / 3600, 1e-15);  // Sunday
  EXPECT_NEAR(c.max_rate(), 10 * 3.4 / 1.1 / 3600, 1e-15);
}

TEST(Generators, ArrivalCountFollowsTheRate) {
  // Expected arrivals over 4 weeks: per_hour * 24 * (5 + 2 w) * 4 (the cosine averages out over a day).
  InternalJobsParams p;
  p.arrivals = {10, 0.5, 14, 0.5, {}};
  const auto jobs = drain(*make_source(p, 28 * 86400.0, 7, 0));
  const double expected = 10 * 24 * (5 + 2 * 0.5) * 4;
  EXPECT_NEAR(double(jobs.size()), expected, 4 * std::sqrt(expected));
}

TEST(Generators, InferenceDemandClosedForms) {
  InferenceDemand d;
  d.mean_tokens_per_s = 1000;
  d.diurnal_amplitude = 0.5;
  d.peak_hour = 12;
  d.weekend_factor = 0.5;
  d.growth_per_week = 1.0;  // doubles every week
  d.prompt_tokens_median = 100;
  d.prompt_tokens_sigma = 0;
  d.output_tokens_median = 300;
  d.output_tokens_sigma = 0;
  d.price_usd_per_million_prompt_tokens = 1;
  d.price_usd_per_million_output_tokens = 2;
  EXPECT_DOUBLE_EQ(d.tokens_per_s(12 * 3600), 1500 * std::pow(2.0, 0.5 / 7));
  EXPECT_NEAR(d.tokens_per_s(7 * 86400 + 12 * 3600), 3000 * std::pow(2.0, 0.5 / 7), 1e-9);
  const double t = 12 * 3600;
  EXPECT_NEAR(d.requests_per_s(t), d.tokens_per_s(t) / 400, 1e-12);
  EXPECT_NEAR(d.output_tokens_per_s(t), d.tokens_per_s(t) * 0.75, 1e-9);
  EXPECT_NEAR(d.revenue_usd_per_s(t), d.tokens_per_s(t) * (0.25 * 1 + 0.75 * 2) / 1e6, 1e-15);
  d.prompt_tokens_sigma = 1;
  EXPECT_NEAR(d.mean_prompt_tokens(), 100 * std::exp(0.5), 1e-9);
}

TEST(Generators, InferenceServicesAreRequestsWithTheirCurve) {
  InferenceParams p;
  InferenceServiceParams s;
  s.model = "llama3-8b";
  s.demand.gpus_per_replica = 2;
  s.demand.min_replicas = 3;
  s.start_s = 3600;
  s.demand.mean_tokens_per_s = 5e4;
  p.services.push_back(s);
  const auto jobs = drain(*make_source(p, 86400, 1, 0));
  ASSERT_EQ(jobs.size(), 1u);
  EXPECT_EQ(jobs[0].kind, JobKind::INFERENCE);
  EXPECT_EQ(jobs[0].tenant, Tenant::EXTERNAL);
  EXPECT_EQ(jobs[0].gpus, 6);
  EXPECT_DOUBLE_EQ(jobs[0].submit_s, 3600);
  EXPECT_DOUBLE_EQ(jobs[0].duration_s, 86400 - 3600) << "runs to the end of the run";
  ASSERT_TRUE(jobs[0].demand);
  EXPECT_DOUBLE_EQ(jobs[0].demand->mean_tokens_per_s, 5e4);
}

TEST(Generators, RentalsAndLeasesFollowTheirRules) {
  OnDemandParams od;
  od.arrivals.per_hour = 20;
  for (const auto& j : drain(*make_source(od, 7 * 86400.0, 3, 0))) {
    EXPECT_EQ(j.kind, JobKind::ON_DEMAND);
    EXPECT_EQ(std::fmod(j.duration_s, 3600.0), 0) << "rented by the hour";
    EXPECT_GE(j.gpus, 8);
    EXPECT_DOUBLE_EQ(j.price_usd_per_gpu_hour, 2.69);
    EXPECT_DOUBLE_EQ(j.patience_s, 3600);
  }
  LeaseBookParams lb;
  lb.leases_per_week = 50;
  lb.price_usd_per_gpu_hour = 2.2;
  lb.price_usd_per_gpu_hour_longest = 1.1;
  lb.term_min_s = 7 * 86400.0;
  lb.term_max_s = 28 * 86400.0;
  for (const auto& j : drain(*make_source(lb, 7 * 86400.0, 3, 0))) {
    // Log-linear in the term: price / 2.2 = (1/2)^(log(term / 7d) / log 4).
    const double u = std::log(j.duration_s / lb.term_min_s) / std::log(4.0);
    EXPECT_NEAR(j.price_usd_per_gpu_hour, 2.2 * std::pow(0.5, u), 1e-9);
  }
}

TEST(Generators, QuantileDurationsPassThroughTheirKnots) {
  DurationModel d;
  d.quantiles = {{0, 10}, {0.5, 100}, {1, 1000}};
  d.min_s = 1;
  d.max_s = 1e6;
  Rng rng(1, "test");
  int below_100 = 0;
  const int n = 20000;
  for (int i = 0; i < n; ++i) {
    const double v = d.draw(rng);
    EXPECT_GE(v, 10);
    EXPECT_LE(v, 1000);
    below_100 += v < 100;
  }
  EXPECT_NEAR(below_100 / double(n), 0.5, 0.02);
}

// The defaults reproduce the traces they were calibrated on (the table in
// docs/workloads.md#calibration is printed by bench/calibration).
TEST(Generators, DefaultsReproducePhillyAndItp) {
  InternalJobsParams p;
  const auto jobs = drain(*make_source(p, 109 * 86400.0, 1, 0));
  TraceStats research, finetune;
  for (const auto& j : jobs) (j.kind == JobKind::RESEARCH ? research : finetune).add(j);
  // Philly: p10 61 s, p50 1144 s, p90 11266 s, p99 254884 s; 93.2 % on one GPU.
  EXPECT_NEAR(research.durations().percentile(50) / 1144, 1, 0.05);
  EXPECT_NEAR(research.durations().percentile(90) / 11266, 1, 0.1);
  EXPECT_NEAR(double(research.by_gpus().at(1)) / double(research.jobs()), 0.9317, 0.01);
  // ITP: p50 10537 s, p90 28787 s; 83.2 % on one GPU, 10.1 % on eight.
  EXPECT_NEAR(finetune.durations().percentile(50) / 10537, 1, 0.05);
  EXPECT_NEAR(finetune.durations().percentile(90) / 28787, 1, 0.1);
  EXPECT_NEAR(double(finetune.by_gpus().at(8)) / double(finetune.jobs()), 0.1011, 0.01);
  // Multi-GPU jobs run longer: GPU-hours per job within 20 % (Philly 11.89, ITP 23.54).
  EXPECT_NEAR(research.gpu_hours() / double(research.jobs()) / 11.89, 1, 0.2);
  EXPECT_NEAR(finetune.gpu_hours() / double(finetune.jobs()) / 23.54, 1, 0.2);
  // Philly arrival rate: 82,247 jobs in 108.9 days.
  EXPECT_NEAR(double(jobs.size()) / 109, 82247 / 108.9, 0.05 * 82247 / 108.9);
}

TEST(GeneratorKeys, EveryGeneratorParsesFromTheScenario) {
  const auto s = with_workload(R"(
  - type: internal_jobs
    arrivals: {per_hour: 3}
    sizes: {1: 0.5, 8: 0.5}
    multi_gpu_durations: {duration_median: 10h, duration_sigma: 0.5}
    duration_quantiles: {p0: 1min, p50: 1h, p100: 2d}
    finetune: {min_gpus: 8, max_gpus: 64, duration_median: 6h, duration_sigma: 1}
    finetune_fraction: 0.2
  - type: on_demand
    arrivals: {per_hour: 1}
    min_gpus: 8
    max_gpus: 32
    price_per_gpu_hour: $3
    patience: 30min
  - type: spot
    size_decay: 0.5
    price_per_gpu_hour: 0.9
  - type: lease_book
    term_min: 7d
    term_max: 365d
    price_per_gpu_hour_longest: 1.94
  - type: pretrain
    campaigns_per_week: 1
  - type: inference
    services:
      - {model: llama3-70b, mean_tokens_per_s: 2e5, growth_per_week: 0.02, ttft_slo: 500ms, gpus_per_replica: 8}
)");
  ASSERT_EQ(s.workload.size(), 6u);
  const auto& ij = std::get<InternalJobsParams>(s.workload[0]);
  EXPECT_EQ(ij.research.sizes.weights.size(), 2u);
  EXPECT_DOUBLE_EQ(ij.research.durations.quantiles[1].second, 3600);
  ASSERT_TRUE(ij.research.multi_durations);
  EXPECT_DOUBLE_EQ(ij.research.multi_durations->median_s, 10 * 3600);
  EXPECT_TRUE(ij.research.multi_durations->quantiles.empty());
  EXPECT_FALSE(ij.finetune.multi_durations) << "run times given without multi_gpu_durations: for every job";
  EXPECT_TRUE(ij.finetune.durations.quantiles.empty()) << "median/sigma given: lognormal";
  EXPECT_DOUBLE_EQ(ij.finetune.durations.median_s, 6 * 3600);
  EXPECT_EQ(ij.finetune.sizes.min_gpus, 8);
  EXPECT_EQ(ij.arrivals.hourly.size(), 24u) << "per_hour alone keeps the calibrated hourly profile";
  const auto& od = std::get<OnDemandParams>(s.workload[1]);
  EXPECT_DOUBLE_EQ(od.price_usd_per_gpu_hour, 3);
  EXPECT_DOUBLE_EQ(od.patience_s, 1800);
  EXPECT_TRUE(std::get<SpotParams>(s.workload[2]).sizes.weights.empty());
  EXPECT_DOUBLE_EQ(std::get<LeaseBookParams>(s.workload[3]).term_max_s, 365 * 86400.0);
  const auto& inf = std::get<InferenceParams>(s.workload[5]);
  EXPECT_DOUBLE_EQ(inf.services[0].demand.mean_tokens_per_s, 2e5);
  EXPECT_DOUBLE_EQ(inf.services[0].demand.ttft_slo_s, 0.5);
}

TEST(GeneratorKeys, BadKeysNameLineAndWhatWasExpected) {
  std::string msg = error_of("  - {type: internal_jobs, sizes: {1: 1}, size_decay: 0.5}\n");
  EXPECT_NE(msg.find("either 'sizes' or 'size_decay'"), std::string::npos) << msg;
  msg = error_of("  - type: internal_jobs\n    duration_quantiles: {p0: 1s, p50: 1h}\n");
  EXPECT_NE(msg.find("gen.yaml:8"), std::string::npos) << msg;
  EXPECT_NE(msg.find("percentiles that include p0 and p100"), std::string::npos) << msg;
  msg = error_of("  - type: internal_jobs\n    duration_quantiles: {p0: 1h, p50: 1s, p100: 2h}\n");
  EXPECT_NE(msg.find("durations that grow with the percentile"), std::string::npos) << msg;
  msg = error_of("  - type: inference\n    services: [{model: gpt5}]\n");
  EXPECT_NE(msg.find("a model from the catalog"), std::string::npos) << msg;
  msg = error_of("  - {type: internal_jobs, arrivals: {hourly: [1, 2], peak_hour: 3}}\n");
  EXPECT_NE(msg.find("either 'hourly' or 'diurnal_amplitude'/'peak_hour'"), std::string::npos) << msg;
  msg = error_of("  - {type: internal_jobs, arrivals: {hourly: [1, 2]}}\n");
  EXPECT_NE(msg.find("24 relative rates"), std::string::npos) << msg;
  msg = error_of("  - {type: spot, price: 1}\n");
  EXPECT_NE(msg.find("'workload[0].price'"), std::string::npos) << msg;
}

TEST(GeneratorKeys, TraceEntriesResolvePathsAgainstTheScenario) {
  const std::string scenario_path = test::source_path("tests/data/replay_philly.yaml");
  const auto s = sim::load_scenario(scenario_path);
  const auto& t = std::get<TraceConfig>(s.workload.at(0));
  EXPECT_EQ(t.format, "philly");
  EXPECT_EQ(t.paths.at(0), test::source_path("tests/data/philly/philly_slice.csv"));
  std::string msg = error_of("  - {type: trace, format: philly, path: missing.csv}\n");
  EXPECT_NE(msg.find("'workload[0].path': expected an existing file"), std::string::npos) << msg;
  msg = error_of("  - {type: trace, format: csv, path: x}\n");
  EXPECT_NE(msg.find("a job trace format (philly, itp"), std::string::npos) << msg;
}
