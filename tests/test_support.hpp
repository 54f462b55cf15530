#pragma once
// Helpers shared by the tests: temporary directories, running a scenario
// given as text, and the invariants every simulation in the suite must keep.
#include <gtest/gtest.h>

#include <filesystem>
#include <string>

#include "common/error.hpp"
#include "results/hdf5_reader.hpp"
#include "results/recorder.hpp"
#include "sim/scenario/scenario.hpp"
#include "sim/engine/simulation.hpp"

namespace gwsim::test {

/// A fresh directory named for the running test, under the build tree's
/// test-tmp/ (so two build trees running their suites at once never collide).
inline std::string temp_dir(const std::string& tag = "") {
  const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
  std::string name = std::string(info->test_suite_name()) + "." + info->name() + tag;
  for (char& c : name)
    if (c == '/') c = '_';
  auto dir = std::filesystem::path(GWSIM_TEST_TMP) / name;
  std::filesystem::remove_all(dir);
  return dir.string();
}

inline std::string source_path(const std::string& rel) { return std::string(GWSIM_SOURCE_DIR) + "/" + rel; }

/// The error message of parsing scenario `text` as `file` (expected to be a
/// SCENARIO error), or "" when it parses.
inline std::string scenario_error(const std::string& text, const std::string& file) {
  try {
    sim::parse_scenario(text, file);
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ExitCode::SCENARIO);
    return e.what();
  }
  return "";
}

struct RunResult {
  sim::RunStats stats;
  std::string h5;
};

/// Runs a scenario (already parsed) to completion into `dir`.
inline RunResult run_scenario(const sim::Scenario& scenario, const std::string& dir) {
  results::RunInfo info;
  info.scenario_path = scenario.path;
  info.scenario_text = scenario.text;
  info.seed = scenario.seed;
  results::Recorder recorder(dir, info);
  sim::Simulation simulation(scenario, recorder);
  RunResult r{simulation.run(), recorder.h5_path()};
  recorder.finish(true);
  return r;
}

inline RunResult run_text(const std::string& yaml, const std::string& dir) {
  return run_scenario(sim::parse_scenario(yaml, "inline.yaml"), dir);
}

/// The invariants asserted on every simulation in the test suite:
///  - no instant uses more GPUs than exist (replaying /events in order: start and
///    replace take GPUs; finish, end_of_run, preempt, fail and kill give them back);
///  - every job ends in exactly one final state, once;
///  - GPU-hours held by jobs equal the integral of the utilization series
///    and the sum over /segments.
inline void expect_invariants(const RunResult& r, int64_t total_gpus) {
  const auto jobs = results::read_jobs(r.h5);
  const auto events = results::read_events(r.h5);
  const auto event_names = results::read_lookup(r.h5, "event");
  std::set<uint64_t> ids;
  double gpu_hours = 0;
  for (const auto& j : jobs) {
    EXPECT_TRUE(ids.insert(j.id).second) << "job " << j.id << " has two rows";
    EXPECT_LT(j.state, results::JOB_STATE_COUNT) << "job " << j.id;
    EXPECT_GE(j.end_s, j.submit_s) << "job " << j.id;
    gpu_hours += j.gpu_hours;
  }
  EXPECT_EQ(static_cast<int64_t>(jobs.size()), r.stats.jobs);
  int64_t in_use = 0, peak = 0;
  double last_t = 0;
  for (const auto& e : events) {
    EXPECT_GE(e.time_s, last_t) << "events out of order";
    last_t = e.time_s;
    const std::string& type = event_names.at(e.type);
    if (type == "start" || type == "replace") in_use += e.gpus;
    else if (type == "finish" || type == "end_of_run" || type == "preempt" || type == "fail" || type == "kill")
      in_use -= e.gpus;
    EXPECT_LE(in_use, total_gpus) << "at t=" << e.time_s;
    EXPECT_GE(in_use, 0) << "at t=" << e.time_s;
    peak = std::max(peak, in_use);
  }
  EXPECT_EQ(in_use, 0) << "GPUs still held after the end of the run";
  EXPECT_EQ(peak, r.stats.peak_gpus_in_use);
  double series_gpu_s = 0;
  for (const char* tenant : {"utilization/internal", "utilization/external"}) {
    const auto s = results::read_series(r.h5, tenant);
    double prev = 0;
    for (size_t i = 0; i < s.time_s.size(); ++i) {
      series_gpu_s += s.value[i] * (s.time_s[i] - prev) * static_cast<double>(total_gpus);
      prev = s.time_s[i];
    }
  }
  EXPECT_NEAR(gpu_hours, series_gpu_s / 3600.0, 1e-6 * std::max(1.0, gpu_hours));
  EXPECT_NEAR(gpu_hours, r.stats.gpu_hours_in_segments, 1e-6 * std::max(1.0, gpu_hours));
  double segment_gpu_s = 0;
  for (const auto& seg : results::read_segments(r.h5)) {
    EXPECT_LE(seg.start_s, seg.end_s) << "segment of job " << seg.job;
    EXPECT_TRUE(ids.count(seg.job)) << "segment of job " << seg.job << ", which has no /jobs row";
    segment_gpu_s += seg.gpu_share * (seg.end_s - seg.start_s);
    EXPECT_TRUE(seg.gpu_share == static_cast<double>(seg.gpus) || (seg.gpus == 1 && seg.gpu_share < 1))
        << "segment of job " << seg.job << ": a share is of one GPU";
  }
  EXPECT_NEAR(gpu_hours, segment_gpu_s / 3600.0, 1e-6 * std::max(1.0, gpu_hours)) << "/segments and /jobs disagree";
}

}  // namespace gwsim::test
