// A Philly replay end to end: `gwsim replay` on the 400-job slice writes what
// `gwsim run` writes and keeps the simulation's invariants; the same replay
// as a scenario (`type: trace`) gives the same jobs; a malformed trace stops
// the run with exit code 4 and leaves no output.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

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
