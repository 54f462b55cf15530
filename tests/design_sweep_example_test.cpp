// examples/design-sweep: its sweep file checks out as 90 runs, and one seed
// of it runs end to end and plots one point per design.
#include <gtest/gtest.h>

#include <filesystem>

#include "sim/sweeps/sweep.hpp"
#include "sweep_support.hpp"

namespace {
const std::string EXAMPLE = gwsim::test::source_path("examples/design-sweep");
}  // namespace

TEST(DesignSweepExample, ExpandsToEighteenDesignsTimesFiveSeeds) {
  const auto spec = gwsim::sim::load_sweep(EXAMPLE + "/sweep.yaml");
  ASSERT_EQ(spec.axes.size(), 3u);
  EXPECT_EQ(spec.axes[0].labels, (std::vector<std::string>{"H100-SXM", "B200", "MI300X"}));
  EXPECT_EQ(spec.axes[1].numbers, (std::vector<double>{1, 4}));
  EXPECT_EQ(spec.axes[2].labels, (std::vector<std::string>{"first_come", "backfill", "protect_internal"}));
  const auto runs = gwsim::sim::expand_sweep(spec);  // loads every run's scenario
  EXPECT_EQ(runs.size(), 3u * 2u * 3u * 5u);
}

TEST(DesignSweepExample, OneSeedRunsAndPlotsEveryDesign) {
  const std::string dir = gwsim::test::temp_dir();
  // The example with one seed: 18 runs.
  std::string text = gwsim::test::read_text(EXAMPLE + "/sweep.yaml");
  text.replace(text.find("base: base.yaml"), 15, "base: " + EXAMPLE + "/base.yaml");
  text.replace(text.find("seeds: 5"), 8, "seeds: [1]");
  gwsim::test::write_text(dir + "/sweep.yaml", text);
  ASSERT_EQ(gwsim::test::run_gwsim("sweep " + dir + "/sweep.yaml -q -o " + dir + "/out"), 0);
  const auto t = gwsim::test::read_runs(dir + "/out");
  ASSERT_EQ(t.rows(), 18u);
  EXPECT_EQ(t["status"].integers, std::vector<int64_t>(18, 0));
  for (size_t r = 0; r < t.rows(); ++r) {
    EXPECT_GE(t["revenue_total"].reals[r], 0);
    EXPECT_GE(t["internal_mean_wait"].reals[r], 0);
  }

  const std::string python = gwsim::test::debian_python();
  if (python.empty()) GTEST_SKIP() << "Debian's /usr/bin/python3 with h5py, numpy, pandas and matplotlib is absent";
  const std::string png = dir + "/plot.png", log = dir + "/plot.txt";
  ASSERT_EQ(gwsim::test::shell(python + " " + EXAMPLE + "/plot.py " + dir + "/out/sweep.h5 --marker rental -o " + png +
                               " > " + log + " 2>&1"),
            0)
      << gwsim::test::read_text(log);
  EXPECT_GT(std::filesystem::file_size(png), 10000u);
  const std::string out = gwsim::test::read_text(log);
  size_t designs = 0;
  for (size_t at = out.find("\ngpu="); at != std::string::npos; at = out.find("\ngpu=", at + 1)) ++designs;
  EXPECT_EQ(designs, 18u) << out;
  EXPECT_NE(out.find("gpu=B200, oversubscription=4, rental=protect_internal"), std::string::npos) << out;
}
