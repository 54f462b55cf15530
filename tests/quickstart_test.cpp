// The quickstart example, run end to end: the invariants every simulation
// keeps, and that the same seed gives the same datasets.
#include <gtest/gtest.h>

#include "test_support.hpp"

namespace {
gwsim::sim::Scenario quickstart() {
  return gwsim::sim::load_scenario(gwsim::test::source_path("examples/quickstart/scenario.yaml"));
}
}  // namespace

TEST(Quickstart, KeepsTheInvariants) {
  const auto scenario = quickstart();
  const auto r = gwsim::test::run_scenario(scenario, gwsim::test::temp_dir());
  EXPECT_GT(r.stats.jobs, 100);
  EXPECT_GT(r.stats.by_state[0], 100) << "most jobs complete";
  gwsim::test::expect_invariants(r, scenario.cluster.gpu_count());
  const auto jobs = gwsim::results::read_jobs(r.h5);
  bool internal = false, lease = false;
  for (const auto& j : jobs) {
    internal |= j.tenant == 0;
    lease |= j.kind == 3;
  }
  EXPECT_TRUE(internal && lease) << "the mixed workload has internal jobs and external leases";
}

TEST(Quickstart, SameSeedSameJobs) {
  const auto scenario = quickstart();
  const auto a = gwsim::test::run_scenario(scenario, gwsim::test::temp_dir("-a"));
  const auto ja = gwsim::results::read_jobs(a.h5);
  // A second simulation needs a second process (one SimGrid engine per
  // process): re-run through the CLI and compare.
  const std::string dir_b = gwsim::test::temp_dir("-b");
  const std::string cmd = std::string(GWSIM_BINARY) + " run " + scenario.path + " -q -o " + dir_b;
  ASSERT_EQ(std::system(cmd.c_str()), 0) << cmd;
  const auto jb = gwsim::results::read_jobs(dir_b + "/run.h5");
  ASSERT_EQ(ja.size(), jb.size());
  for (size_t i = 0; i < ja.size(); ++i) {
    EXPECT_EQ(ja[i].id, jb[i].id);
    EXPECT_EQ(ja[i].start_s, jb[i].start_s);
    EXPECT_EQ(ja[i].end_s, jb[i].end_s);
    EXPECT_EQ(ja[i].gpus, jb[i].gpus);
  }
}
