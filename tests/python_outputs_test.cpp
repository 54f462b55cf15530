// The Python side of a run's output, run with Debian's /usr/bin/python3:
// scripts/plot_run.py draws the standard figures, and the snippet in
// docs/results.md turns /jobs into a pandas DataFrame with names for codes.
// Skipped (with a message) where that Python or its h5py, numpy, pandas or
// matplotlib are missing.
#include <gtest/gtest.h>

#include "cli_support.hpp"
#include "results/hdf5_reader.hpp"
#include "test_support.hpp"

namespace {

namespace fs = std::filesystem;

std::string quickstart_path() { return gwsim::test::source_path("examples/quickstart/scenario.yaml"); }

// A PNG that is more than a blank canvas: the signature, a plausible size
// and enough compressed bytes that something was drawn.
void expect_figure(const std::string& path) {
  SCOPED_TRACE(path);
  ASSERT_TRUE(fs::exists(path));
  const std::string bytes = gwsim::test::read_text(path);
  ASSERT_GT(bytes.size(), 24u);
  EXPECT_EQ(bytes.substr(0, 8), std::string("\x89PNG\r\n\x1a\n", 8));
  auto be32 = [&](size_t at) {
    return (uint32_t(uint8_t(bytes[at])) << 24) | (uint32_t(uint8_t(bytes[at + 1])) << 16) |
           (uint32_t(uint8_t(bytes[at + 2])) << 8) | uint32_t(uint8_t(bytes[at + 3]));
  };
  EXPECT_GE(be32(16), 600u) << "width";
  EXPECT_GE(be32(20), 400u) << "height";
  EXPECT_GT(bytes.size(), 15000u) << "a blank figure of that size compresses to a few kB";
}

// The fenced python block after the `<!-- snippet: NAME` marker of a docs page.
std::string snippet(const std::string& page, const std::string& name) {
  const std::string text = gwsim::test::read_text(gwsim::test::source_path(page));
  const auto marker = text.find("<!-- snippet: " + name);
  EXPECT_NE(marker, std::string::npos) << page << ": no snippet " << name;
  const auto open = text.find("```python\n", marker);
  const auto close = text.find("\n```", open + 10);
  EXPECT_TRUE(open != std::string::npos && close != std::string::npos) << page << ": snippet " << name << " has no python block";
  return text.substr(open + 10, close - open - 10 + 1);
}

}  // namespace

TEST(PythonOutputs, PlotScriptDrawsTheStandardFigures) {
  const std::string python = gwsim::test::debian_python();
  if (python.empty()) GTEST_SKIP() << "/usr/bin/python3 with h5py, numpy, pandas and matplotlib is missing (scripts/setup.sh)";
  const std::string dir = gwsim::test::temp_dir();
  ASSERT_EQ(gwsim::test::run_gwsim("run " + quickstart_path() + " -q -o " + dir + "/run"), 0);
  const std::string plot = python + " " + gwsim::test::source_path("scripts/plot_run.py");
  ASSERT_EQ(gwsim::test::shell(plot + " " + dir + "/run -o " + dir + "/plots > " + dir + "/plots.txt"), 0);
  // The quickstart has leases (revenue), about a thousand jobs (a Gantt view) and,
  // like every run, the power model's site power series.
  for (const char* png : {"utilization.png", "queueing_delay_cdf.png", "jct_cdf.png", "revenue.png", "gantt.png",
                          "power.png"})
    expect_figure(dir + "/plots/" + png);
  EXPECT_NE(gwsim::test::read_text(dir + "/plots.txt").find(dir + "/plots/gantt.png"), std::string::npos)
      << "the script prints the paths it wrote";

  // Two runs overlaid: one figure each, and a Gantt view per run.
  ASSERT_EQ(gwsim::test::shell(plot + " " + dir + "/run " + dir + "/run/run.h5 --label a --label b -o " + dir +
                               "/both > /dev/null"),
            0);
  for (const char* png : {"utilization.png", "jct_cdf.png", "gantt-a.png", "gantt-b.png"}) expect_figure(dir + "/both/" + png);

  EXPECT_NE(gwsim::test::shell(plot + " " + dir + "/no-such-run -o " + dir + "/x 2> /dev/null"), 0);
}

TEST(PythonOutputs, DocsSnippetGivesTheJobsAsADataFrameWithNames) {
  const std::string python = gwsim::test::debian_python();
  if (python.empty()) GTEST_SKIP() << "/usr/bin/python3 with h5py, numpy, pandas and matplotlib is missing (scripts/setup.sh)";
  // The snippet opens out/quickstart/run.h5, as scripts/quickstart.sh leaves it.
  const std::string dir = gwsim::test::temp_dir();
  ASSERT_EQ(gwsim::test::run_gwsim("run " + quickstart_path() + " -q -o " + dir + "/out/quickstart"), 0);
  const auto jobs = gwsim::results::read_jobs(dir + "/out/quickstart/run.h5");
  size_t internal = 0, leases = 0;
  for (const auto& j : jobs) {
    internal += j.tenant == 0;
    leases += j.kind == 3;
  }
  ASSERT_GT(leases, 0u);
  const std::string checks = "\n# checks appended by tests/python_outputs_test.cpp\n"
                             "assert len(jobs) == " + std::to_string(jobs.size()) + "\n"
                             "assert (jobs['tenant'] == 'internal').sum() == " + std::to_string(internal) + "\n"
                             "assert (jobs['kind'] == 'lease').sum() == " + std::to_string(leases) + "\n"
                             "assert list(jobs['state'].cat.categories)[:2] == ['completed', 'refused']\n"
                             "assert jobs['gpu_type'].iloc[0] == 'H100-SXM'\n"
                             "print('snippet ok')\n";
  gwsim::test::write_text(dir + "/snippet.py", snippet("docs/results.md", "jobs-dataframe") + checks);
  ASSERT_EQ(gwsim::test::shell("cd " + dir + " && " + python + " snippet.py > snippet.txt 2>&1"), 0)
      << gwsim::test::read_text(dir + "/snippet.txt");
  const std::string out = gwsim::test::read_text(dir + "/snippet.txt");
  EXPECT_NE(out.find("snippet ok"), std::string::npos) << out;
  EXPECT_NE(out.find("external"), std::string::npos) << "the printed table names the tenants: " << out;
}

TEST(PythonOutputs, PowerSeriesGetAFigureAndNoRevenueGivesNoRevenueFigure) {
  const std::string python = gwsim::test::debian_python();
  if (python.empty()) GTEST_SKIP() << "/usr/bin/python3 with h5py, numpy, pandas and matplotlib is missing (scripts/setup.sh)";
  // A run file made directly through the Recorder: two internal jobs, no
  // revenue, and a site power series as a power model would write it.
  const std::string dir = gwsim::test::temp_dir();
  {
    gwsim::results::Recorder rec(dir + "/run", gwsim::results::RunInfo{});
    rec.set_lookup("tenant", {"internal", "external"});
    rec.set_lookup("state", gwsim::results::job_state_names());
    const int util = rec.series("utilization/internal", "fraction", gwsim::results::Sampling::INTERVAL_MEAN);
    const int power = rec.series("power/site", "W", gwsim::results::Sampling::INTERVAL_MEAN);
    for (uint64_t id = 0; id < 2; ++id) {
      gwsim::results::JobRecord j;
      j.id = id;
      j.gpus = 8;
      j.submit_s = 100.0 * static_cast<double>(id);
      j.start_s = j.submit_s + 600;
      j.end_s = j.start_s + 3600;
      rec.job(j);
      rec.segment({id, j.start_s, j.end_s, 8, 0, 0, 1, 0, 2, 0.0, 0.0});
    }
    for (int k = 1; k <= 24; ++k) {
      rec.sample(util, 600.0 * k, k % 3 / 3.0);
      rec.sample(power, 600.0 * k, 1e6 * (10 + k % 5));
    }
    rec.summary({{"simulated_time", 14400, "s"}});
    rec.finish(true);
  }
  const std::string plot = python + " " + gwsim::test::source_path("scripts/plot_run.py");
  ASSERT_EQ(gwsim::test::shell(plot + " " + dir + "/run -o " + dir + "/plots > /dev/null"), 0);
  expect_figure(dir + "/plots/power.png");
  EXPECT_FALSE(fs::exists(dir + "/plots/revenue.png")) << "nothing earned, no revenue figure";
  expect_figure(dir + "/plots/gantt.png");
}
