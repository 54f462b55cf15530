// What `gwsim run` leaves behind, seen from outside the process: the same
// scenario and seed give the same bytes in every dataset (two processes), a
// different seed gives other data, and SIGINT or SIGTERM leave a valid file
// marked incomplete with exit code 130.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <nlohmann/json.hpp>
#include <thread>

#include "cli_support.hpp"
#include "common/error.hpp"
#include "common/interrupt.hpp"
#include "results/hdf5_reader.hpp"
#include "test_support.hpp"

namespace {

namespace fs = std::filesystem;
using gwsim::test::read_text;

std::string quickstart_path() { return gwsim::test::source_path("examples/quickstart/scenario.yaml"); }

// The quickstart scenario with one line replaced (the seed, the horizon...).
std::string quickstart_with(const std::string& from, const std::string& to) {
  std::string text = read_text(quickstart_path());
  const auto at = text.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  return text.replace(at, from.size(), to);
}

}  // namespace

TEST(RunOutput, SameScenarioAndSeedGiveTheSameBytesInEveryDataset) {
  const std::string a = gwsim::test::temp_dir("-a"), b = gwsim::test::temp_dir("-b");
  ASSERT_EQ(gwsim::test::run_gwsim("run " + quickstart_path() + " -q -o " + a), 0);
  ASSERT_EQ(gwsim::test::run_gwsim("run " + quickstart_path() + " -q -o " + b), 0);
  const auto da = gwsim::results::dataset_bytes(a + "/run.h5");
  const auto db = gwsim::results::dataset_bytes(b + "/run.h5");
  EXPECT_GT(da.size(), 20u);
  EXPECT_GT(da.at("/jobs").size(), 1000u * 100u) << "the quickstart has over a thousand jobs";
  EXPECT_EQ(gwsim::test::first_difference(da, db), "");
  for (const char* attr : {"scenario_hash", "seed", "schema_version", "gwsim_version", "git_revision", "complete"})
    EXPECT_EQ(gwsim::results::read_root_attribute(a + "/run.h5", attr), gwsim::results::read_root_attribute(b + "/run.h5", attr))
        << attr;
  EXPECT_EQ(read_text(a + "/summary.json"), read_text(b + "/summary.json"));
}

TEST(RunOutput, ADifferentSeedGivesDifferentJobs) {
  const std::string dir = gwsim::test::temp_dir();
  gwsim::test::write_text(dir + "/seed43.yaml", quickstart_with("seed: 42", "seed: 43"));
  ASSERT_EQ(gwsim::test::run_gwsim("run " + quickstart_path() + " -q -o " + dir + "/a"), 0);
  ASSERT_EQ(gwsim::test::run_gwsim("run " + dir + "/seed43.yaml -q -o " + dir + "/b"), 0);
  const auto da = gwsim::results::dataset_bytes(dir + "/a/run.h5");
  const auto db = gwsim::results::dataset_bytes(dir + "/b/run.h5");
  EXPECT_NE(da.at("/jobs"), db.at("/jobs"));
  EXPECT_NE(da.at("/segments"), db.at("/segments"));
  EXPECT_NE(da.at("/timeseries/utilization/internal/value"), db.at("/timeseries/utilization/internal/value"));
  EXPECT_EQ(da.at("/lookup/kind"), db.at("/lookup/kind")) << "lookups do not depend on the seed";
  EXPECT_EQ(gwsim::results::read_root_attribute(dir + "/b/run.h5", "seed"), "43");
}

class Interrupted : public ::testing::TestWithParam<int> {};

TEST_P(Interrupted, LeavesAValidFileMarkedIncompleteAndExits130) {
  const int signal_number = GetParam();
  const std::string dir = gwsim::test::temp_dir(signal_number == SIGINT ? "-int" : "-term");
  // Ten years at ten times the quickstart's arrival rate: minutes of work, so
  // the signal surely comes before the horizon.
  const std::string scenario = dir + "-long.yaml";
  std::string text = quickstart_with("horizon: 14d", "horizon: 3650d");
  const auto rate = text.find("per_hour: ");
  ASSERT_NE(rate, std::string::npos);
  text.insert(rate + std::string("per_hour: ").size(), "4");  // about 8x the rate: "per_hour: 6" becomes "per_hour: 46"
  gwsim::test::write_text(scenario, text);
  const std::string timeline = dir + "/timeline.json";

  const pid_t pid = fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    execl(GWSIM_BINARY, "gwsim", "run", scenario.c_str(), "-q", "-o", dir.c_str(), "--timeline", timeline.c_str(),
          static_cast<char*>(nullptr));
    _exit(127);
  }
  // The run file exists (as run.h5.partial) before the first simulated
  // second; from then on a signal must end in a valid file.
  for (int i = 0; i < 6000 && !fs::exists(dir + "/run.h5.partial"); ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  ASSERT_TRUE(fs::exists(dir + "/run.h5.partial")) << "gwsim did not start";
  std::this_thread::sleep_for(std::chrono::milliseconds(300));  // let it simulate a little
  ASSERT_EQ(kill(pid, signal_number), 0);
  int status = 0;
  ASSERT_EQ(waitpid(pid, &status, 0), pid);
  ASSERT_TRUE(WIFEXITED(status)) << "killed by signal " << (WIFSIGNALED(status) ? WTERMSIG(status) : 0);
  EXPECT_EQ(WEXITSTATUS(status), static_cast<int>(gwsim::ExitCode::INTERRUPTED));

  const std::string h5 = dir + "/run.h5";
  ASSERT_TRUE(fs::exists(h5));
  EXPECT_FALSE(fs::exists(h5 + ".partial"));
  EXPECT_EQ(gwsim::results::read_root_attribute(h5, "complete"), "0");
  const auto summary = nlohmann::json::parse(read_text(dir + "/summary.json"));
  EXPECT_EQ(summary["complete"], false);
  const double end = summary["summary"]["simulated_time"]["value"];
  EXPECT_LT(end, 3650 * 86400.0);

  // What was simulated until the interruption is whole: every job that
  // arrived has its row, ending by the stop; GPUs taken are all given back.
  const auto jobs = gwsim::results::read_jobs(h5);
  EXPECT_EQ(static_cast<double>(jobs.size()), summary["summary"]["jobs"]["value"].get<double>());
  for (const auto& j : jobs) EXPECT_LE(j.end_s, end) << "job " << j.id;
  int64_t in_use = 0;
  const auto names = gwsim::results::read_lookup(h5, "event");
  for (const auto& e : gwsim::results::read_events(h5)) {
    const std::string& type = names.at(e.type);
    in_use += type == "start" ? e.gpus : (type == "finish" || type == "end_of_run" || type == "kill") ? -e.gpus : 0;
    EXPECT_LE(e.time_s, end);
  }
  EXPECT_EQ(in_use, 0);
  const auto util = gwsim::results::read_series(h5, "utilization/internal");
  ASSERT_FALSE(util.time_s.empty());
  EXPECT_EQ(util.time_s.back(), end) << "the last sample is at the stop";
  EXPECT_NO_THROW(nlohmann::json::parse(read_text(timeline))) << "the timeline of an interrupted run is valid JSON too";
}

INSTANTIATE_TEST_SUITE_P(BySignal, Interrupted, ::testing::Values(SIGINT, SIGTERM),
                         [](const auto& info) { return std::string(info.param == SIGINT ? "Sigint" : "Sigterm"); });

TEST(RunOutput, AnInterruptBeforeTheFirstArrivalStopsAtTimeZero) {
  // The flag set before the run: the arrivals actor sees it before handing
  // over the first request (submitted at t = 0), so nothing was simulated.
  const auto scenario = gwsim::sim::parse_scenario(R"(
horizon: 1d
cluster: {gpu: H100-SXM, gpus_per_node: 8, nodes_per_rack: 2, racks_per_pod: 1}
workload:
  - type: list
    jobs:
      - {submit: 0h, gpus: 8, duration: 10h}
)",
                                                   "inline.yaml");
  const std::string dir = gwsim::test::temp_dir();
  gwsim::request_interrupt();
  gwsim::results::RunInfo info;
  gwsim::results::Recorder recorder(dir, info);
  gwsim::sim::Simulation simulation(scenario, recorder);
  const auto stats = simulation.run();
  recorder.finish(!stats.interrupted);
  EXPECT_TRUE(stats.interrupted);
  EXPECT_EQ(stats.end_time_s, 0.0);
  EXPECT_EQ(stats.jobs, 0);
  EXPECT_EQ(gwsim::results::read_root_attribute(dir + "/run.h5", "complete"), "0");
  EXPECT_TRUE(gwsim::results::read_jobs(dir + "/run.h5").empty());
  EXPECT_EQ(gwsim::results::read_series(dir + "/run.h5", "queue_length").time_s, std::vector<double>{0.0});
}
