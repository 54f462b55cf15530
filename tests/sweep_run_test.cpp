// `gwsim sweep` end to end on this machine: a tiny sweep of 2 axes x 2
// seeds, resuming after deleted runs, a changed sweep and an interrupt, and
// a failed run recorded without stopping the others.
#include <gtest/gtest.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fmt/format.h>
#include <thread>

#include "sim/scenario/scenario.hpp"
#include "sweep_support.hpp"

namespace fs = std::filesystem;
using gwsim::test::read_runs;
using gwsim::test::reused_flags;

namespace {

int sweep(const std::string& args) { return gwsim::test::run_gwsim("sweep " + args + " 2>&1"); }

}  // namespace

TEST(SweepRun, TwoAxesTimesTwoSeedsFillTheRunsTable) {
  const std::string dir = gwsim::test::temp_dir();
  const std::string file = gwsim::test::write_tiny_sweep(dir);
  const std::string out = dir + "/out";
  ASSERT_EQ(sweep(file + " -o " + out + " --jobs 2"), 0);

  const auto t = read_runs(out);
  ASSERT_EQ(t.rows(), 8u);
  EXPECT_EQ(t["run"].integers, (std::vector<int64_t>{0, 1, 2, 3, 4, 5, 6, 7}));
  EXPECT_EQ(t["workload[0].arrivals.per_hour"].reals, (std::vector<double>{1, 1, 1, 1, 4, 4, 4, 4}));
  EXPECT_EQ(t["scheduler.policy"].integers, (std::vector<int64_t>{0, 0, 1, 1, 0, 0, 1, 1}));
  EXPECT_EQ(gwsim::results::read_dataset(out + "/sweep.h5", "axes/scheduler.policy").text,
            (std::vector<std::string>{"[fifo]", "[priority, easy_backfill, reserve_internal]"}));
  EXPECT_EQ(t["seed"].integers, (std::vector<int64_t>{1, 2, 1, 2, 1, 2, 1, 2}));
  EXPECT_EQ(t["status"].integers, std::vector<int64_t>(8, 0));
  EXPECT_EQ(t["exit_code"].integers, std::vector<int64_t>(8, 0));
  EXPECT_EQ(t["run_file"].text[5], "runs/0005/run.h5");
  EXPECT_EQ(gwsim::results::read_dataset(out + "/sweep.h5", "lookup/status").text,
            (std::vector<std::string>{"ok", "failed", "not_run"}));
  EXPECT_EQ(t["revenue_total"].unit, "USD");
  gwsim::test::expect_summaries_in_table(out, t);
  EXPECT_EQ(reused_flags(out), std::vector<int64_t>(8, 0));
  for (double w : gwsim::results::read_dataset(out + "/sweep.h5", "nondeterministic/wall_time_s").reals) EXPECT_GT(w, 0);

  // Each run's scenario is the base with its overrides, and runs again by hand to the same summary.
  const auto s = gwsim::sim::load_scenario(out + "/runs/0006/scenario.yaml");
  EXPECT_EQ(s.scheduler.policy, (std::vector<std::string>{"priority", "easy_backfill", "reserve_internal"}));
  EXPECT_DOUBLE_EQ(std::get<gwsim::workloads::InternalJobsParams>(s.workload[0]).arrivals.per_hour, 4);
  EXPECT_EQ(s.seed, 1u);
  ASSERT_EQ(gwsim::test::run_gwsim("run " + out + "/runs/0006/scenario.yaml -q -o " + dir + "/by-hand"), 0);
  for (const auto& v : gwsim::results::read_summary(dir + "/by-hand/run.h5"))
    EXPECT_EQ(t[v.name].reals[6], v.value) << v.name;
}

TEST(SweepRun, ResumeRunsOnlyWhatIsMissingOrChanged) {
  const std::string dir = gwsim::test::temp_dir();
  const std::string file = gwsim::test::write_tiny_sweep(dir);
  const std::string out = dir + "/out";
  ASSERT_EQ(sweep(file + " -q -o " + out), 0);
  const auto first = read_runs(out);

  ASSERT_EQ(sweep(file + " -q -o " + out), 0);
  EXPECT_EQ(reused_flags(out), std::vector<int64_t>(8, 1)) << "nothing to do the second time";

  fs::remove_all(out + "/runs/0002");
  fs::remove(out + "/runs/0005/run.h5");
  ASSERT_EQ(sweep(file + " -q -o " + out), 0);
  EXPECT_EQ(reused_flags(out), (std::vector<int64_t>{1, 1, 0, 1, 1, 0, 1, 1}));
  gwsim::test::expect_same_table(first, read_runs(out));

  // A changed axis value changes those runs' scenario text: they run again, the others stay.
  std::string changed = gwsim::test::TINY_SWEEP;
  changed.replace(changed.find("[1, 4]"), 6, "[1, 5]");
  gwsim::test::write_text(file, changed);
  ASSERT_EQ(sweep(file + " -q -o " + out), 0);
  EXPECT_EQ(reused_flags(out), (std::vector<int64_t>{1, 1, 1, 1, 0, 0, 0, 0}));
  EXPECT_EQ(read_runs(out)["workload[0].arrivals.per_hour"].reals[7], 5);
}

TEST(SweepRun, AFailedRunIsRecordedAndTheOthersRun) {
  const std::string dir = gwsim::test::temp_dir();
  const std::string file = gwsim::test::write_tiny_sweep(dir);
  const std::string out = dir + "/out";
  // Run 3 cannot write its output: a directory stands where its file goes.
  fs::create_directories(out + "/runs/0003/run.h5.partial/blocked");
  EXPECT_EQ(sweep(file + " -q -o " + out), static_cast<int>(gwsim::ExitCode::RUNS_FAILED));

  auto t = read_runs(out);
  ASSERT_EQ(t.rows(), 8u);
  EXPECT_EQ(t["status"].integers, (std::vector<int64_t>{0, 0, 0, 1, 0, 0, 0, 0}));
  EXPECT_EQ(t["exit_code"].integers[3], static_cast<int>(gwsim::ExitCode::OUTPUT));
  EXPECT_NE(t["error"].text[3].find("run.h5.partial: cannot create the file"), std::string::npos) << t["error"].text[3];
  EXPECT_EQ(t["error"].text[2], "");
  EXPECT_TRUE(std::isnan(t["revenue_total"].reals[3])) << "a failed run has no summary";
  EXPECT_EQ(t["run_file"].text[3], "");
  gwsim::test::expect_summaries_in_table(out, t);

  // Failed runs are tried again on the next invocation.
  fs::remove_all(out + "/runs/0003/run.h5.partial");
  ASSERT_EQ(sweep(file + " -q -o " + out), 0);
  t = read_runs(out);
  EXPECT_EQ(t["status"].integers, std::vector<int64_t>(8, 0));
  EXPECT_EQ(reused_flags(out), (std::vector<int64_t>{1, 1, 1, 0, 1, 1, 1, 1}));
}

TEST(SweepRun, AnInterruptedSweepKeepsFinishedRunsAndResumes) {
  const std::string dir = gwsim::test::temp_dir();
  const std::string file = gwsim::test::write_tiny_sweep(dir);
  const std::string out = dir + "/out";
  // One run at a time, so that the interrupt lands with runs still to go.
  const std::vector<std::string> args = {GWSIM_BINARY, "sweep", file, "-q", "-o", out, "--jobs", "1"};
  std::vector<char*> argv;
  for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  pid_t pid = 0;
  ASSERT_EQ(posix_spawn(&pid, GWSIM_BINARY, nullptr, nullptr, argv.data(), environ), 0);
  // Interrupt once the first run is complete (or the sweep is over).
  int status = 0;
  bool exited = false;
  for (int i = 0; i < 6000 && !fs::exists(out + "/runs/0000/run.h5"); ++i) {
    if (waitpid(pid, &status, WNOHANG) == pid) {
      exited = true;
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  if (!exited) {
    kill(pid, SIGINT);
    ASSERT_EQ(waitpid(pid, &status, 0), pid);
  }
  ASSERT_TRUE(WIFEXITED(status));
  const int rc = WEXITSTATUS(status);
  auto t = read_runs(out);
  ASSERT_EQ(t.rows(), 8u);
  const auto& status_codes = t["status"].integers;
  const auto ok = static_cast<size_t>(std::count(status_codes.begin(), status_codes.end(), 0));
  const auto not_run = static_cast<size_t>(std::count(status_codes.begin(), status_codes.end(), 2));
  EXPECT_EQ(ok + not_run, 8u) << "an interrupted run is not a failed one";
  EXPECT_EQ(t["status"].integers[0], 0) << "the first run finished before the interrupt";
  if (rc == static_cast<int>(gwsim::ExitCode::INTERRUPTED)) {
    EXPECT_GT(not_run, 0u);
    EXPECT_EQ(gwsim::results::read_root_attribute(out + "/sweep.h5", "complete"), "0");
  } else {
    EXPECT_EQ(rc, 0) << "the sweep ended before the interrupt";
    EXPECT_EQ(ok, 8u);
  }
  for (size_t r = 0; r < 8; ++r)  // what finished is complete; what did not left no run.h5
    EXPECT_EQ(fs::exists(out + "/" + fmt::format("runs/{:04}/run.h5", r)), t["status"].integers[r] == 0) << r;

  ASSERT_EQ(sweep(file + " -q -o " + out), 0);
  const auto reused = reused_flags(out);
  t = read_runs(out);
  EXPECT_EQ(t["status"].integers, std::vector<int64_t>(8, 0));
  EXPECT_EQ(static_cast<size_t>(std::count(reused.begin(), reused.end(), 1)), ok)
      << "the runs that finished before the interrupt are not run again";
}

TEST(SweepRun, AnInvalidSweepRunsNothing) {
  const std::string dir = gwsim::test::temp_dir();
  std::string bad = gwsim::test::TINY_SWEEP;
  bad += "  cluster.gpus_per_nod: [4]\n";
  const std::string file = gwsim::test::write_tiny_sweep(dir, bad);
  const std::string out = dir + "/out";
  const std::string log = dir + "/log.txt";
  EXPECT_EQ(gwsim::test::shell(std::string(GWSIM_BINARY) + " sweep " + file + " -o " + out + " > " + log + " 2>&1"),
            static_cast<int>(gwsim::ExitCode::SCENARIO));
  const std::string msg = gwsim::test::read_text(log);
  EXPECT_NE(msg.find("sweep.yaml:7: axis 'cluster.gpus_per_nod'"), std::string::npos) << msg;
  EXPECT_FALSE(fs::exists(out)) << "nothing is written before every run is checked";
}
