// report.html of a run and of a sweep (docs/results.md#report,
// docs/sweeps.md#comparison), on numbers computed by hand. The schedule is
// the one tests/timeline_test.cpp derives: 4 nodes of 8 GPUs in two pods of
// 16 over one day, FIFO first-fit:
//
//   job  GPUs  held      pod  wait
//   0    8     0h-10h    0    0
//   1    4     1h-3h     0    0
//   2    4     2h-7h     0    0
//   3    16    3h-7h     1    0
//   4    4     4h-5h     0    0
//   5    24    7h-8h     0    1.5 h (submitted 5.5h, started 7h)
//
// Pod 0 holds 80 + 8 + 20 + 4 + 24 = 136 GPU-h of its 16 x 24 = 384 (0.3542),
// pod 1 64 GPU-h (0.1667).
#include <gtest/gtest.h>

#include <cmath>
#include <regex>

#include "cli_support.hpp"
#include "results/hdf5_reader.hpp"
#include "results/report_html.hpp"
#include "results/svg_chart.hpp"
#include "sim/sweeps/sweep_compare.hpp"
#include "test_support.hpp"

namespace {

const char* TWO_PODS = R"(
name: two-pods-by-hand
horizon: 1d
cluster:
  gpu: H100-SXM
  gpus_per_node: 8
  nodes_per_rack: 2
  racks_per_pod: 1
  pods_per_hall: 2
  power: {site_budget: 500kW, hall_budget: 300kW}
scheduler: {policy: fifo, placement: first_fit}
output: {sample_interval: 6h}
workload:
  - type: list
    jobs:
      - {submit: 0h, gpus: 8, duration: 10h}
      - {submit: 1h, gpus: 4, duration: 2h}
      - {submit: 2h, gpus: 4, duration: 5h}
      - {submit: 3h, gpus: 16, duration: 4h}
      - {submit: 4h, gpus: 4, duration: 1h}
      - {submit: 5.5h, gpus: 24, duration: 1h}
)";

std::string report_of(const std::string& yaml, const std::string& tag) {
  const std::string dir = gwsim::test::temp_dir(tag);
  const auto r = gwsim::test::run_text(yaml, dir);
  gwsim::results::write_run_report(r.h5, dir + "/report.html", "report test");
  return gwsim::test::read_text(dir + "/report.html");
}

// The <svg> element of one chart.
std::string chart(const std::string& page, const std::string& id) {
  const size_t begin = page.find("<svg id=\"chart-" + id + "\"");
  if (begin == std::string::npos) return "";
  return page.substr(begin, page.find("</svg>", begin) - begin);
}

size_t count(const std::string& text, const std::string& what) {
  size_t n = 0;
  for (size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

}  // namespace

TEST(SvgChart, TicksAreOneTwoOrFiveTimesAPowerOfTen) {
  using gwsim::results::svg::nice_ticks;
  EXPECT_EQ(nice_ticks(0, 0.87), (std::vector<double>{0, 0.2, 0.4, 0.6000000000000001, 0.8, 1}));
  EXPECT_EQ(nice_ticks(0, 14, 8), (std::vector<double>{0, 2, 4, 6, 8, 10, 12, 14}));
  EXPECT_EQ(nice_ticks(-63, 20, 5), (std::vector<double>{-80, -60, -40, -20, 0, 20}));
  EXPECT_EQ(nice_ticks(3, 3).size(), 6u);  // an empty range becomes [3, 4]
}

TEST(SvgChart, TickTextHasTheDecimalsItsStepNeeds) {
  using gwsim::results::svg::format_tick;
  EXPECT_EQ(format_tick(0.25, 0.05), "0.25");
  EXPECT_EQ(format_tick(0.4, 0.2), "0.4");
  EXPECT_EQ(format_tick(2000000, 500000), "2,000,000");
  EXPECT_EQ(format_tick(-120000, 20000), "-120,000");
  EXPECT_EQ(format_tick(1500, 500), "1500");
  EXPECT_EQ(format_tick(-1e-17, 0.2), "0.0");
}

TEST(SvgChart, ALineLandsOnItsTicks) {
  // Plot area: x 88..736, y 56..244. (0, 0) is the bottom-left corner, (10, 1)
  // the top-right one: both axes end on a tick (0..10 by 1, 0..1 by 0.2).
  gwsim::results::svg::LineChart c{"t", "A title", "x (s)", "y (W)", {{"a & b", "#000", {0, 10}, {0, 1}}}, "", ""};
  const std::string s = gwsim::results::svg::render(c);
  EXPECT_NE(s.find("d=\"M88.0 244.0L736.0 56.0\""), std::string::npos) << s;
  EXPECT_NE(s.find(">A title</text>"), std::string::npos);
  EXPECT_NE(s.find(">x (s)</text>"), std::string::npos);
  EXPECT_NE(s.find(">a &amp; b</text>"), std::string::npos) << "the legend, escaped";
  EXPECT_EQ(count(s, "class=\"tick\""), 11u + 6u);
  EXPECT_EQ(s.find("no-data"), std::string::npos);
}

TEST(SvgChart, AChartWithoutDataSaysSo) {
  gwsim::results::svg::LineChart c{"t", "Nothing", "x", "y", {{"a", "#000", {}, {}}}, "", "no node failed"};
  const std::string s = gwsim::results::svg::render(c);
  EXPECT_NE(s.find("class=\"no-data\""), std::string::npos);
  EXPECT_NE(s.find(">no node failed</text>"), std::string::npos);
  EXPECT_EQ(s.find("class=\"series\""), std::string::npos);
  gwsim::results::svg::BarChart b{"b", "No bars", "y", "", "", {}, {}, ""};
  EXPECT_NE(gwsim::results::svg::render(b).find(">no data in this run</text>"), std::string::npos);
}

TEST(RunReport, HoldsEveryChartSelfContained) {
  const std::string page = report_of(TWO_PODS, "report-ids");
  for (const auto& id : gwsim::results::run_report_chart_ids()) {
    SCOPED_TRACE(id);
    EXPECT_FALSE(chart(page, id).empty());
  }
  EXPECT_EQ(gwsim::results::run_report_chart_ids().size(), 8u);
  // Opens offline: no script, no fetched asset (the only URL is SVG's namespace).
  EXPECT_EQ(page.find("<script"), std::string::npos);
  EXPECT_EQ(page.find("<link"), std::string::npos);
  EXPECT_EQ(count(page, "http"), count(page, "http://www.w3.org/2000/svg"));
  EXPECT_NE(page.find("id=\"headline\""), std::string::npos);
}

TEST(RunReport, PodUtilizationIsTheHandComputedShare) {
  const std::string pools = chart(report_of(TWO_PODS, "report-pods"), "pools");
  // y axis 0..0.4 by 0.1; a bar of value v is 188 * v / 0.4 high, from y = 244.
  EXPECT_NE(pools.find("y=\"77.5\" width="), std::string::npos) << pools;   // 136 / 384 = 0.3542
  EXPECT_NE(pools.find("height=\"166.5\""), std::string::npos) << pools;
  EXPECT_NE(pools.find("y=\"165.7\" width="), std::string::npos) << pools;  // 64 / 384 = 0.1667
  EXPECT_NE(pools.find("height=\"78.3\""), std::string::npos) << pools;
  EXPECT_NE(pools.find("2 pods of 16 GPUs"), std::string::npos);
}

TEST(RunReport, WaitsCountEveryJobAndPowerMeetsTheTighterBudget) {
  const std::string page = report_of(TWO_PODS, "report-wait");
  EXPECT_NE(chart(page, "wait").find("all 6 jobs started"), std::string::npos);
  EXPECT_NE(chart(page, "jct").find("6 of 6 jobs completed"), std::string::npos);
  // The hall budget (300 kW x 1 hall, never reached) is below the site's 500 kW.
  const std::string power = chart(page, "power");
  EXPECT_NE(power.find("budget 0.300 MW"), std::string::npos) << power;
  EXPECT_NE(power.find("data-label=\"budget\""), std::string::npos);
  // No failure process: the failures chart says so.
  EXPECT_NE(chart(page, "failures").find("no node failed in this run"), std::string::npos);
}

TEST(RunReport, JobsThatNeverStartedAreCounted) {
  // 16 GPUs; the 32-GPU job can never start and is still queued at the end.
  const std::string page = report_of(R"(
name: one-never-starts
horizon: 1d
cluster: {gpu: H100-SXM, gpus_per_node: 8, nodes_per_rack: 2, racks_per_pod: 1}
workload:
  - type: list
    jobs:
      - {submit: 0h, gpus: 8, duration: 1h}
      - {submit: 0h, gpus: 32, duration: 1h}
)",
                                     "report-never");
  const std::string wait = chart(page, "wait");
  EXPECT_TRUE(wait.find("1 of 2 jobs never started (1 ") != std::string::npos) << wait;
}

TEST(RunReport, SameRunSameBytes) {
  // One simulation per process: the same file twice, and two gwsim runs.
  const std::string dir = gwsim::test::temp_dir("same");
  const auto r = gwsim::test::run_text(TWO_PODS, dir);
  gwsim::results::write_run_report(r.h5, dir + "/a.html", "t");
  gwsim::results::write_run_report(r.h5, dir + "/b.html", "t");
  EXPECT_EQ(gwsim::test::read_text(dir + "/a.html"), gwsim::test::read_text(dir + "/b.html"));
  const std::string scenario = gwsim::test::source_path("examples/quickstart/scenario.yaml");
  ASSERT_EQ(gwsim::test::run_gwsim("run " + scenario + " --set horizon=1d -q -o " + dir + "/1"), 0);
  ASSERT_EQ(gwsim::test::run_gwsim("run " + scenario + " --set horizon=1d -q -o " + dir + "/2"), 0);
  const std::string one = gwsim::test::read_text(dir + "/1/report.html");
  EXPECT_GT(one.size(), 10000u);
  EXPECT_EQ(one, gwsim::test::read_text(dir + "/2/report.html"));
}

TEST(RunReport, GwsimRunWritesItBesideRunH5) {
  const std::string dir = gwsim::test::temp_dir("report-cli");
  ASSERT_EQ(gwsim::test::run_gwsim("run " + gwsim::test::source_path("examples/quickstart/scenario.yaml") +
                                   " --set horizon=1d -q -o " + dir),
            0);
  const std::string page = gwsim::test::read_text(dir + "/report.html");
  EXPECT_NE(page.find("<title>gwsim run: quickstart (seed 42)</title>"), std::string::npos);
  EXPECT_FALSE(chart(page, "utilization").empty());
}

TEST(SweepComparison, StudentTQuantiles) {
  // Tables of Student's t, two-sided 95%.
  EXPECT_NEAR(gwsim::sim::t_quantile_975(1), 12.7062, 1e-4);
  EXPECT_NEAR(gwsim::sim::t_quantile_975(2), 4.3027, 1e-4);
  EXPECT_NEAR(gwsim::sim::t_quantile_975(30), 2.0423, 1e-4);
}

TEST(SweepComparison, DifferencesArePairedOverCommonSeeds) {
  // Seed 4 ran only in the variant: no pair. Differences 2, 1, 3: mean 2,
  // sd 1, half-width t(2) / sqrt(3) = 4.302653 / 1.732051 = 2.484138.
  const auto p = gwsim::sim::paired_difference({{1, 10}, {2, 20}, {3, 30}}, {{1, 12}, {2, 21}, {3, 33}, {4, 100}});
  EXPECT_EQ(p.pairs, 3u);
  EXPECT_DOUBLE_EQ(p.mean, 2);
  ASSERT_TRUE(p.has_ci);
  EXPECT_NEAR(p.half_width, 2.484138, 1e-6);
  const auto one = gwsim::sim::paired_difference({{1, 10}}, {{1, 12}});
  EXPECT_EQ(one.pairs, 1u);
  EXPECT_FALSE(one.has_ci);
}

TEST(SweepComparison, TableShowsWaitsInHours) {
  // Differences 1 h, 1 h, 2 h: mean 1.333 h, sd sqrt(1/3) h, half-width
  // 4.302653 * 0.577350 / 1.732051 = 1.434218 h: [-0.101, +2.768].
  gwsim::sim::SweepComparison c;
  c.variants = {"a=1", "a=2"};
  c.metrics = {"internal_mean_wait"};
  c.units = {"s"};
  c.values = {{{{1, 3600}, {2, 7200}, {3, 10800}}, {{1, 7200}, {2, 10800}, {3, 18000}}}};
  const std::string t = gwsim::sim::format_comparison(c, {0});
  EXPECT_NE(t.find("comparison with the baseline a=1"), std::string::npos) << t;
  EXPECT_NE(t.find("internal_mean_wait (h)"), std::string::npos) << t;
  EXPECT_TRUE(std::regex_search(t, std::regex(R"(a=1 +2\.000 +baseline +3\n)"))) << t;
  EXPECT_TRUE(std::regex_search(t, std::regex(R"(a=2 +3\.333 +\+1\.333 +\[-0\.101, \+2\.768\] +3\n)"))) << t;
}

TEST(SweepComparison, GwsimSweepPrintsItAndWritesTheReport) {
  const std::string dir = gwsim::test::temp_dir("report-sweep");
  std::filesystem::create_directories(dir);
  const std::string out = dir + "/stdout.txt";
  ASSERT_EQ(gwsim::test::shell(std::string(GWSIM_BINARY) + " sweep " +
                               gwsim::test::source_path("examples/quickstart/compare.yaml") +
                               " --set horizon=1d -o " + dir + "/sweep > " + out),
            0);
  const std::string text = gwsim::test::read_text(out);
  EXPECT_NE(text.find("comparison with the baseline cluster.racks_per_pod=16, policy=fifo"), std::string::npos)
      << text;
  EXPECT_NE(text.find("utilization_total (fraction)"), std::string::npos) << text;
  const std::string page = gwsim::test::read_text(dir + "/sweep/report.html");
  EXPECT_FALSE(chart(page, "diff-utilization_total").empty());
  EXPECT_EQ(page.find("<script"), std::string::npos);
}
