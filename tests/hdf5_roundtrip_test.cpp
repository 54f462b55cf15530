#include <gtest/gtest.h>

#include <filesystem>

#include "common/error.hpp"
#include "results/hdf5_reader.hpp"
#include "results/recorder.hpp"
#include "test_support.hpp"

using namespace gwsim::results;

TEST(Hdf5RoundTrip, EveryFieldComesBackExactly) {
  const std::string dir = gwsim::test::temp_dir();
  RunInfo info;
  info.scenario_text = "name: roundtrip\n";
  info.seed = 99;
  info.simgrid_version = "3.32.0";
  std::vector<JobRecord> rows;
  {
    Recorder rec(dir, info);
    rec.set_lookup("tenant", {"internal", "external"});
    // More rows than one block, so appends across blocks are exercised.
    for (uint64_t i = 0; i < 20000; ++i) {
      JobRecord r;
      r.id = i;
      r.source = static_cast<uint32_t>(i % 3);
      r.tenant = static_cast<uint8_t>(i % 2);
      r.kind = static_cast<uint8_t>(i % 7);
      r.state = static_cast<uint8_t>(i % 5);
      r.gpus = static_cast<int64_t>(i * 8);
      r.submit_s = 0.5 * static_cast<double>(i);
      r.start_s = r.submit_s + 1.25;
      r.end_s = r.start_s + 1e6 / 3.0;
      r.wait_s = 1.25;
      r.run_s = 1e6 / 3.0;
      r.preemptions = static_cast<int32_t>(i % 4);
      r.failures = -1;
      r.gpu_hours = static_cast<double>(i) / 7.0;
      r.energy_j = 1e12;
      r.revenue_usd = 2.5;
      rows.push_back(r);
      rec.job(r);
    }
    int s = rec.series("power/site", "W");
    rec.sample(s, 1.0, 1e9);
    rec.sample(s, 2.0, 1.1e9);
    rec.series("utilization/internal", "fraction", Sampling::INTERVAL_MEAN);
    rec.segment(SegmentRecord{42, 1.5, 2.5, 16, 3, 97, 2, 1, 3, 7e9, 80.0});
    rec.summary({{"jobs", 20000, "jobs"}, {"revenue", 5.5, "USD"}});
    rec.finish(true);
  }
  const std::string h5 = dir + "/run.h5";
  ASSERT_TRUE(std::filesystem::exists(h5));
  EXPECT_FALSE(std::filesystem::exists(h5 + ".partial"));
  const auto back = read_jobs(h5);
  ASSERT_EQ(back.size(), rows.size());
  for (size_t i = 0; i < rows.size(); ++i) {
    EXPECT_EQ(back[i].id, rows[i].id);
    EXPECT_EQ(back[i].source, rows[i].source);
    EXPECT_EQ(back[i].tenant, rows[i].tenant);
    EXPECT_EQ(back[i].kind, rows[i].kind);
    EXPECT_EQ(back[i].state, rows[i].state);
    EXPECT_EQ(back[i].gpus, rows[i].gpus);
    EXPECT_EQ(back[i].submit_s, rows[i].submit_s);
    EXPECT_EQ(back[i].start_s, rows[i].start_s);
    EXPECT_EQ(back[i].end_s, rows[i].end_s);
    EXPECT_EQ(back[i].wait_s, rows[i].wait_s);
    EXPECT_EQ(back[i].run_s, rows[i].run_s);
    EXPECT_EQ(back[i].energy_j, rows[i].energy_j);
    EXPECT_EQ(back[i].preemptions, rows[i].preemptions);
    EXPECT_EQ(back[i].failures, rows[i].failures);
    EXPECT_EQ(back[i].gpu_hours, rows[i].gpu_hours);
    EXPECT_EQ(back[i].revenue_usd, rows[i].revenue_usd);
  }
  const auto series = read_series(h5, "power/site");
  EXPECT_EQ(series.step, (std::vector<int64_t>{0, 1}));
  EXPECT_EQ(series.time_s, (std::vector<double>{1.0, 2.0}));
  EXPECT_EQ(read_attribute(h5, "/timeseries/power/site", "sampling"), "instant");
  EXPECT_EQ(read_attribute(h5, "/timeseries/power/site/value", "unit"), "W");
  EXPECT_EQ(read_attribute(h5, "/timeseries/utilization/internal", "sampling"), "interval_mean");
  EXPECT_TRUE(read_series(h5, "utilization/internal").time_s.empty());
  EXPECT_EQ(list_series(h5), (std::vector<std::string>{"power/site", "utilization/internal"}));
  const auto segments = read_segments(h5);
  ASSERT_EQ(segments.size(), 1u);
  EXPECT_EQ(segments[0].job, 42u);
  EXPECT_EQ(segments[0].start_s, 1.5);
  EXPECT_EQ(segments[0].end_s, 2.5);
  EXPECT_EQ(segments[0].gpus, 16);
  EXPECT_EQ(segments[0].pod, 3);
  EXPECT_EQ(segments[0].first_node, 97);
  EXPECT_EQ(segments[0].nodes, 2);
  EXPECT_EQ(segments[0].tenant, 1);
  EXPECT_EQ(segments[0].kind, 3);
  EXPECT_EQ(segments[0].energy_j, 7e9);
  EXPECT_EQ(segments[0].revenue_usd, 80.0);
  EXPECT_THROW(read_requests(h5), gwsim::Error) << "no /requests unless enabled";
  EXPECT_EQ(series.value, (std::vector<double>{1e9, 1.1e9}));
  const auto summary = read_summary(h5);
  ASSERT_EQ(summary.size(), 2u);
  EXPECT_EQ(summary[0].name, "jobs");
  EXPECT_EQ(summary[1].unit, "USD");
  EXPECT_EQ(read_lookup(h5, "tenant"), (std::vector<std::string>{"internal", "external"}));
  EXPECT_EQ(read_root_attribute(h5, "scenario_text"), "name: roundtrip\n");
  EXPECT_EQ(read_root_attribute(h5, "seed"), "99");
  EXPECT_EQ(read_root_attribute(h5, "schema_version"), "3");
  EXPECT_EQ(read_root_attribute(h5, "complete"), "1");
  EXPECT_TRUE(std::filesystem::exists(dir + "/summary.json"));
}

TEST(Hdf5RoundTrip, RequestsBeforeEnablingThemAreABug) {
  Recorder rec(gwsim::test::temp_dir(), RunInfo{});
  try {
    rec.request(RequestRecord{});
    FAIL() << "expected an error";
  } catch (const gwsim::Error& e) {
    EXPECT_EQ(e.code(), gwsim::ExitCode::INTERNAL);
  }
}

TEST(Hdf5RoundTrip, AbandonedRunLeavesNoFileBehind) {
  const std::string dir = gwsim::test::temp_dir();
  {
    Recorder rec(dir, RunInfo{});
    rec.job(JobRecord{});
  }  // destroyed without finish(): the run failed
  EXPECT_FALSE(std::filesystem::exists(dir + "/run.h5"));
  EXPECT_FALSE(std::filesystem::exists(dir + "/run.h5.partial"));
  EXPECT_FALSE(std::filesystem::exists(dir)) << "the directory the run created is removed again";
}

TEST(Hdf5RoundTrip, UnwritableDirectoryFailsBeforeTheRun) {
  try {
    Recorder rec("/proc/gwsim-cannot-write-here", RunInfo{});
    FAIL() << "expected an error";
  } catch (const gwsim::Error& e) {
    EXPECT_EQ(e.code(), gwsim::ExitCode::OUTPUT);
    EXPECT_NE(std::string(e.what()).find("/proc/gwsim-cannot-write-here"), std::string::npos);
  }
}
