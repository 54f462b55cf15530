// A Philly replay end to end: `gwsim replay` on the 400-job slice writes what
// `gwsim run` writes and keeps the simulation's invariants; the same replay
// as a scenario (`type: trace`) gives the same jobs; a malformed trace stops
// the run with exit code 4 and leaves no output.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>

#include "cli_support.hpp"
#include "test_support.hpp"

namespace {

int run_gwsim(const std::string& args) {
  const int status = std::system((std::string(GWSIM_BINARY) + " " + args + " > /dev/null 2>&1").c_str());
  return WEXITSTATUS(status);
}

const std::string SLICE = gwsim::test::source_path("tests/data/philly/philly_slice.csv");

}  // namespace

TEST(Replay, PhillySliceEndToEnd) {
  const std::string dir = gwsim::test::temp_dir();
  ASSERT_EQ(run_gwsim("replay --trace " + SLICE + " --format philly --gpus 64 --gpus-per-node 8 --policy fifo -o " + dir), 0);
  ASSERT_TRUE(std::filesystem::exists(dir + "/summary.json"));
  const auto jobs = gwsim::results::read_jobs(dir + "/run.h5");
  ASSERT_EQ(jobs.size(), 400u);
  double gpu_hours = 0;
  size_t completed = 0;
  for (const auto& j : jobs) {
    gpu_hours += j.gpu_hours;
    completed += j.state == 0;
  }
  // The horizon covers every job's end when run unhindered; on 64 GPUs the
  // slice (1,531 GPU-hours over 10 days) queues little, so all complete.
  EXPECT_EQ(completed, 400u);
  EXPECT_NEAR(gpu_hours, 1530.8647222222, 1e-6);
}

TEST(Replay, ScenarioWithTraceEntryRunsTheSameJobs) {
  const auto scenario = gwsim::sim::load_scenario(gwsim::test::source_path("tests/data/replay_philly.yaml"));
  const auto r = gwsim::test::run_scenario(scenario, gwsim::test::temp_dir());
  gwsim::test::expect_invariants(r, scenario.cluster.gpu_count());
  EXPECT_EQ(r.stats.jobs, 400);
  EXPECT_EQ(r.stats.by_state[0], 400);
}

TEST(Replay, MalformedTraceExitsFourAndLeavesNothing) {
  const std::string dir = gwsim::test::temp_dir();
  std::filesystem::create_directories(dir);
  std::ofstream(dir + "/bad.csv") << "job_id,submission_time,duration,num_gpu\na,10,100,1\nb,20,oops,1\n";
  EXPECT_EQ(run_gwsim("replay --trace " + dir + "/bad.csv --format itp --gpus 16 -o " + dir + "/out"), 4);
  EXPECT_FALSE(std::filesystem::exists(dir + "/out/run.h5"));
  EXPECT_FALSE(std::filesystem::exists(dir + "/out/run.h5.partial"));
  EXPECT_EQ(run_gwsim("replay --trace " + dir + "/bad.csv --format itp --gpus 16 --skip-bad-rows -o " + dir + "/out"), 0);
  EXPECT_EQ(gwsim::results::read_jobs(dir + "/out/run.h5").size(), 1u);
}

TEST(Replay, UsageErrors) {
  EXPECT_EQ(run_gwsim("replay --trace " + SLICE + " --format philly --gpus 60 --gpus-per-node 8 -o /tmp/x"), 2);
  EXPECT_EQ(run_gwsim("replay --trace " + SLICE + " --format philly --gpus 64 --policy nosuch -o /tmp/x"), 2);
  EXPECT_EQ(run_gwsim("replay --trace " + SLICE + " --format csv --gpus 64 -o /tmp/x"), 2);
}

namespace {

std::map<std::string, double> summary_of(const std::string& dir) {
  const auto j = nlohmann::json::parse(gwsim::test::read_text(dir + "/summary.json"));
  std::map<std::string, double> v;
  for (const auto& [k, e] : j["summary"].items()) v[k] = e["value"].get<double>();
  return v;
}

}  // namespace

TEST(Replay, SummaryHasTheResearchersMetrics) {
  const std::string dir = gwsim::test::temp_dir();
  ASSERT_EQ(run_gwsim("replay --trace " + SLICE + " --format philly --gpus 16 --gpus-per-node 8 --policy fifo -q -o " + dir), 0);
  const auto v = summary_of(dir);
  for (const char* key : {"trace_jobs", "trace_jobs_completed", "trace_jobs_never_started", "trace_mean_jct",
                          "trace_median_jct", "trace_p95_jct", "trace_mean_bounded_slowdown", "trace_mean_wait",
                          "trace_p95_wait", "trace_makespan"})
    EXPECT_TRUE(v.count(key)) << key;
  EXPECT_EQ(v.at("trace_jobs"), 400);
  EXPECT_EQ(v.at("trace_jobs_completed"), v.at("jobs_completed"));
  EXPECT_EQ(v.at("trace_jobs_never_started"),
            v.at("jobs_refused") + v.at("jobs_killed") + v.at("jobs_queued_at_end"));
  EXPECT_GE(v.at("trace_mean_bounded_slowdown"), 1);
  EXPECT_LE(v.at("trace_median_jct"), v.at("trace_p95_jct"));
  EXPECT_LE(v.at("trace_mean_wait"), v.at("trace_p95_wait") + 1e-9 + v.at("trace_mean_wait"));
  EXPECT_GT(v.at("trace_makespan"), 0);
  EXPECT_LE(v.at("trace_makespan"), v.at("simulated_time"));
  // The jobs' own records agree: completed JCTs average to trace_mean_jct.
  double jct = 0;
  int n = 0;
  for (const auto& j : gwsim::results::read_jobs(dir + "/run.h5"))
    if (j.state == 0) {
      jct += j.end_s - j.submit_s;
      ++n;
    }
  EXPECT_NEAR(v.at("trace_mean_jct"), jct / n, 1e-6 * jct / n);
}

TEST(Replay, PatienceZeroTriesOnceAndDrops) {
  // 8 GPUs for a slice that needs more at its peaks: with patience 0 a job
  // that does not fit at submission is refused, so none waits.
  const std::string dir = gwsim::test::temp_dir();
  ASSERT_EQ(run_gwsim("replay --trace " + SLICE + " --format philly --gpus 8 --patience 0 -q -o " + dir), 0);
  const auto v = summary_of(dir);
  EXPECT_GT(v.at("jobs_refused"), 0);
  EXPECT_EQ(v.at("trace_mean_wait"), 0) << "every job that started, started at submission";
  EXPECT_EQ(v.at("jobs_queued_at_end"), 0);
  EXPECT_EQ(v.at("trace_jobs_never_started"), v.at("jobs_refused") + v.at("jobs_killed"));
  for (const auto& j : gwsim::results::read_jobs(dir + "/run.h5"))
    if (j.start_s >= 0) EXPECT_EQ(j.start_s, j.submit_s) << "job " << j.id;
  // Without patience the same cluster queues them instead.
  const std::string patient = gwsim::test::temp_dir();
  ASSERT_EQ(run_gwsim("replay --trace " + SLICE + " --format philly --gpus 8 -q -o " + patient), 0);
  EXPECT_EQ(summary_of(patient).at("jobs_refused"), 0);
  EXPECT_GT(summary_of(patient).at("trace_mean_wait"), 0);
}

TEST(Replay, KindTenantAndPlacementReachTheJobs) {
  const std::string dir = gwsim::test::temp_dir();
  ASSERT_EQ(run_gwsim("replay --trace " + SLICE + " --format philly --gpus 64 --kind on_demand --tenant external "
                      "--placement " + std::string("first_fit") + " --max-jobs 20 -q -o " + dir), 0);
  const auto jobs = gwsim::results::read_jobs(dir + "/run.h5");
  ASSERT_EQ(jobs.size(), 20u);
  for (const auto& j : jobs) {
    EXPECT_EQ(j.kind, 4) << "on_demand";
    EXPECT_EQ(j.tenant, 1) << "external";
  }
  EXPECT_GT(summary_of(dir).at("utilization_external"), 0);
  EXPECT_EQ(summary_of(dir).at("utilization_internal"), 0);
}

TEST(Replay, BadPerJobFlagsAreUsageErrors) {
  const std::string base = "replay --trace " + SLICE + " --format philly --gpus 64 -o " + gwsim::test::temp_dir();
  EXPECT_EQ(run_gwsim(base + " --placement nosuch"), 2);
  EXPECT_EQ(run_gwsim(base + " --kind nosuch"), 2);
  EXPECT_EQ(run_gwsim(base + " --tenant nobody"), 2);
  EXPECT_EQ(run_gwsim(base + " --patience soon"), 2);
}

TEST(Replay, QuickClustersOfAnySize) {
  // Above 2,048 GPUs two tiers of 64-port switches cannot reach every rail
  // leaf: the quick cluster becomes a three-tier fat tree.
  for (int gpus : {2048, 4096, 24576}) {
    const std::string dir = gwsim::test::temp_dir();
    ASSERT_EQ(run_gwsim("replay --trace " + SLICE + " --format philly --gpus " + std::to_string(gpus) +
                        " --max-jobs 30 -q -o " + dir),
              0)
        << gpus;
    EXPECT_EQ(summary_of(dir).at("gpus"), gpus);
    EXPECT_EQ(summary_of(dir).at("trace_jobs_completed"), 30) << gpus;
  }
  // NVL72 racks as nodes of 72 GPUs (beyond the old limit of 64 per node).
  const std::string dir = gwsim::test::temp_dir();
  ASSERT_EQ(run_gwsim("replay --trace " + SLICE + " --format philly --gpus 576 --gpus-per-node 72 --gpu GB300 "
                      "--max-jobs 30 -q -o " + dir),
            0);
  EXPECT_EQ(summary_of(dir).at("gpus"), 576);
}
