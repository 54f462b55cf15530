// The headline `gwsim run` prints: its formats (hand-checked strings), its
// groups, what it hides, and the quickstart's headline as printed: at most
// 30 lines, never an exponent.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>

#include "cli_support.hpp"
#include "results/headline.hpp"
#include "results/progress.hpp"
#include "results/summary_table.hpp"
#include "test_support.hpp"

using namespace gwsim::results;

namespace {

const HeadlineGroup* group(const Headline& h, const std::string& title) {
  for (const auto& g : h.groups)
    if (g.title == title) return &g;
  return nullptr;
}

std::string row(const Headline& h, const std::string& title, const std::string& label) {
  if (const HeadlineGroup* g = group(h, title))
    for (const auto& r : g->rows)
      if (r.label == label) return r.value;
  return "<none>";
}

bool has_exponent(const std::string& s) {
  return s.find("e+") != std::string::npos || s.find("e-") != std::string::npos ||
         s.find("E+") != std::string::npos || s.find("E-") != std::string::npos;
}

}  // namespace

TEST(HeadlineFormat, DurationsInSecondsMinutesHoursDays) {
  EXPECT_EQ(format_duration(45), "45 s");
  EXPECT_EQ(format_duration(392.095), "6.5 min");     // 392.095 / 60
  EXPECT_EQ(format_duration(3590), "59.8 min");
  EXPECT_EQ(format_duration(5621), "1.6 h");          // 5621 / 3600 = 1.56
  EXPECT_EQ(format_duration(9359.48), "2.6 h");       // 9359.48 / 3600
  EXPECT_EQ(format_duration(51846.4), "14.4 h");
  EXPECT_EQ(format_duration(47 * 3600.0), "47.0 h");  // below 48 h, still hours
  EXPECT_EQ(format_duration(1209600), "14 d");        // whole days print whole
  EXPECT_EQ(format_duration(140458), "39.0 h");       // 140458 / 3600 = 39.02: below 48 h
  EXPECT_EQ(format_duration(302400), "3.5 d");
  EXPECT_EQ(format_duration(0), "0 s");
}

TEST(HeadlineFormat, MoneyInDollarsThousandsMillionsBillions) {
  EXPECT_EQ(format_usd(0), "$0");
  EXPECT_EQ(format_usd(950), "$950");
  EXPECT_EQ(format_usd(105919.38), "$105.9k");
  EXPECT_EQ(format_usd(-68548.6), "-$68.5k");
  EXPECT_EQ(format_usd(2.16736e7), "$21.7M");
  EXPECT_EQ(format_usd(7.70196e8), "$770.2M");
  EXPECT_EQ(format_usd(999.96e3), "$1.0M") << "rounding up crosses into the next unit";
  EXPECT_EQ(format_usd(1.25e9), "$1.25B");
  EXPECT_EQ(format_usd(3.2e12), "$3,200B");
}

TEST(HeadlineFormat, CountsEnergyPowerPercent) {
  EXPECT_EQ(format_count(1774), "1,774");
  EXPECT_EQ(format_count(2.96688e6), "2,966,880");
  EXPECT_EQ(format_count(-1234), "-1,234");
  EXPECT_EQ(format_count(512), "512");
  EXPECT_EQ(format_large_count(1.64395e11), "164.4 billion");
  EXPECT_EQ(format_large_count(2.5e6), "2.5 million");
  EXPECT_EQ(format_large_count(999999), "999,999");
  EXPECT_EQ(format_energy_mwh(0.85), "850 kWh");
  EXPECT_EQ(format_energy_mwh(44.1058), "44.1 MWh");
  EXPECT_EQ(format_energy_mwh(102.698), "103 MWh");
  EXPECT_EQ(format_energy_mwh(33319.8), "33,320 MWh");
  EXPECT_EQ(format_power_mw(0.305648), "306 kW");
  EXPECT_EQ(format_power_mw(1.2602), "1.26 MW");
  EXPECT_EQ(format_power_mw(25.7097), "25.7 MW");
  EXPECT_EQ(format_percent(0.615264), "61.5%");
  EXPECT_EQ(format_percent(std::nan("")), "n/a");
}

TEST(HeadlineFormat, NeverAnExponent) {
  for (double x = 1e-12; x < 1e21; x *= 7.3) {
    for (double v : {x, -x}) {
      for (const std::string& s : {format_count(v), format_large_count(v), format_duration(v), format_usd(v),
                                   format_energy_mwh(v), format_power_mw(v), format_percent(v),
                                   format_summary_value(v)})
        EXPECT_FALSE(has_exponent(s)) << v << " -> " << s;
    }
  }
  EXPECT_EQ(format_summary_value(1209600), "1209600");
  EXPECT_EQ(format_summary_value(0.6152641), "0.615264");
  EXPECT_EQ(format_summary_value(2.16736e7 + 0.5), "21673600");  // six significant digits, no exponent
  EXPECT_EQ(format_summary_value(2.5e-7), "0.00000025");
}

TEST(Headline, GroupsTheQuickstartSummary) {
  // The quickstart's values (examples/quickstart/expected-output.txt with --full-summary).
  const std::vector<SummaryValue> summary = {
      {"simulated_time", 1209600, "s"},       {"gpus", 512, "GPU"},
      {"jobs", 1774, "jobs"},                 {"jobs_completed", 1741, "jobs"},
      {"jobs_refused", 1, "jobs"},            {"jobs_running_at_end", 32, "jobs"},
      {"internal_mean_wait", 9359.48, "s"},   {"internal_p95_wait", 51846.4, "s"},
      {"external_mean_wait", 7345.09, "s"},   {"utilization_internal", 0.335402, "fraction"},
      {"utilization_external", 0.279862, "fraction"}, {"utilization_total", 0.615264, "fraction"},
      {"gpu_hours_internal", 57700, "GPU-h"}, {"gpu_hours_external", 48145.2, "GPU-h"},
      {"revenue_lease", 105919, "USD"},       {"revenue_total", 105919, "USD"},
      {"refused_revenue", 8022.6, "USD"},     {"energy_total", 102.698, "MWh"},
      {"site_power_mean", 0.305648, "MW"},    {"site_power_peak", 0.435313, "MW"},
      {"energy_internal", 44.1058, "MWh"},    {"margin_internal", -59299.5, "USD"},
      {"energy_lease", 33.1624, "MWh"},       {"margin_lease", 56734.4, "USD"},
      {"energy_on_demand", 0, "MWh"},         {"margin_on_demand", 0, "USD"},
      {"energy_idle", 25.4294, "MWh"},        {"margin_idle", -65983.4, "USD"},
      {"capex", 2.16736e7, "USD"},            {"energy_cost_total", 8318.51, "USD"},
      {"depreciation_total", 166149, "USD"},  {"margin_total", -68548.6, "USD"},
      {"rental_share_of_depreciation", 0.637495, "fraction"},
  };
  const Headline h = make_headline(summary, {"gwsim run: quickstart (seed 42)", {}});
  std::vector<std::string> titles;
  for (const auto& g : h.groups) titles.push_back(g.title);
  EXPECT_EQ(titles, (std::vector<std::string>{"Fleet and demand", "Internal work", "Rented", "Money", "Power"}))
      << "no failure happened: the group is hidden";
  EXPECT_EQ(row(h, "Fleet and demand", "simulated"), "14 d on 512 GPUs");
  EXPECT_EQ(row(h, "Fleet and demand", "jobs"), "1,774 submitted: 1,741 completed, 32 running at end, 1 refused");
  EXPECT_EQ(row(h, "Fleet and demand", "utilization"), "61.5% (internal 33.5%, rented 28.0%)");
  EXPECT_EQ(row(h, "Fleet and demand", "preempted"), "<none>") << "nothing was preempted";
  EXPECT_EQ(row(h, "Internal work", "wait"), "mean 2.6 h, p95 14.4 h");
  EXPECT_EQ(row(h, "Internal work", "pretraining"), "<none>");
  EXPECT_EQ(row(h, "Rented", "GPU-hours"), "48,145");
  EXPECT_EQ(row(h, "Rented", "revenue"), "$105.9k, all lease");
  EXPECT_EQ(row(h, "Rented", "refused"), "$8.0k of requests not placed");
  EXPECT_EQ(row(h, "Rented", "API tokens"), "<none>");
  EXPECT_EQ(row(h, "Money", "capex"), "$21.7M");
  EXPECT_EQ(row(h, "Money", "costs"), "energy $8.3k, depreciation $166.1k");
  EXPECT_EQ(row(h, "Money", "margin"), "-$68.5k (internal -$59.3k, lease $56.7k, idle -$66.0k)")
      << "classes with a zero margin (on_demand) are left out";
  EXPECT_EQ(row(h, "Money", "rentals cover"), "63.7% of depreciation");
  EXPECT_EQ(row(h, "Power", "energy"), "103 MWh (internal 44.1 MWh, lease 33.2 MWh, idle 25.4 MWh)");
  EXPECT_EQ(row(h, "Power", "site power"), "mean 306 kW, peak 435 kW");
  EXPECT_EQ(row(h, "Power", "at power cap"), "<none>");

  const std::string text = format_headline(h);
  EXPECT_EQ(text.substr(0, text.find('\n')), "== gwsim run: quickstart (seed 42) ==");
  EXPECT_NE(text.find("Money\n  capex "), std::string::npos) << text;
  EXPECT_FALSE(has_exponent(text)) << text;
}

TEST(Headline, HidesGroupsWithNothingToSay) {
  const Headline h = make_headline({{"simulated_time", 86400, "s"}, {"gpus", 8, "GPU"}, {"jobs", 0, "jobs"},
                                    {"revenue_total", 0, "USD"}, {"failure_events", 0, "events"},
                                    {"job_interruptions", 0, "events"}, {"utilization_total", 0, "fraction"}},
                                   {"empty", {}});
  ASSERT_EQ(h.groups.size(), 1u);
  EXPECT_EQ(h.groups[0].title, "Fleet and demand");
  EXPECT_EQ(row(h, "Fleet and demand", "simulated"), "24.0 h on 8 GPUs") << "below 48 h, hours";
  EXPECT_EQ(row(h, "Fleet and demand", "jobs"), "<none>") << "no job";
  EXPECT_EQ(row(h, "Fleet and demand", "utilization"), "0.0%");
}

TEST(Headline, FailuresAndInterruptionsAreTwoCounts) {
  // failure-heavy-16k's counts: 418 failures interrupted the one job 401 times
  // (a failure of a spare or of a node already down interrupts nothing).
  const Headline h = make_headline({{"simulated_time", 4665600, "s"},
                                    {"gpus", 17408, "GPU"},
                                    {"failure_events", 418, "events"},
                                    {"job_interruptions", 401, "events"},
                                    {"interruptions_gpu", 147, "jobs"},
                                    {"interruptions_hbm", 62, "jobs"},
                                    {"interruptions_software_bug", 46, "jobs"},
                                    {"interruptions_network_link", 38, "jobs"},
                                    {"interruptions_host_maintenance", 31, "jobs"},
                                    {"interruptions_nic", 7, "jobs"},
                                    {"lost_gpu_hours_failures", 2.96688e6, "GPU-h"},
                                    {"failed_node_gpu_hours", 167541, "GPU-h"}},
                                   {"failures", {}});
  EXPECT_EQ(row(h, "Failures", "failures"), "418 failures (hardware and software)");
  EXPECT_EQ(row(h, "Failures", "jobs interrupted"),
            "401 times (gpu 147, hbm 62, software_bug 46, network_link 38, 2 more causes)");
  EXPECT_EQ(row(h, "Failures", "work lost"), "2,966,880 GPU-h");
  EXPECT_EQ(row(h, "Failures", "nodes down"), "167,541 GPU-h");
}

TEST(Headline, NamesJobsLargerThanTheCluster) {
  const std::vector<SummaryValue> s = {{"simulated_time", 3600, "s"}, {"gpus", 16, "GPU"}, {"jobs", 9, "jobs"},
                                       {"jobs_completed", 2, "jobs"}, {"jobs_killed", 7, "jobs"},
                                       {"jobs_larger_than_cluster", 7, "jobs"}};
  EXPECT_EQ(row(make_headline(s, {"t", {3, 4, 5, 8, 9}}), "Fleet and demand", "too large"),
            "7 jobs larger than the cluster, killed at submission (jobs 3, 4, 5, 8, 9, ...)");
  const std::vector<SummaryValue> one = {{"simulated_time", 3600, "s"}, {"jobs_larger_than_cluster", 1, "jobs"}};
  EXPECT_EQ(row(make_headline(one, {"t", {12}}), "Fleet and demand", "too large"),
            "1 job larger than the cluster, killed at submission (job 12)");
}

TEST(Headline, TheQuickstartPrintsAtMostThirtyLines) {
  const std::string dir = gwsim::test::temp_dir();
  const std::string out_file = dir + "-stdout.txt";
  ASSERT_EQ(gwsim::test::shell(std::string(GWSIM_BINARY) + " run " +
                               gwsim::test::source_path("examples/quickstart/scenario.yaml") + " -o " + dir + " > " +
                               out_file),
            0);
  const std::string out = gwsim::test::read_text(out_file);
  const auto lines = std::count(out.begin(), out.end(), '\n');
  EXPECT_LE(lines, 30) << out;
  EXPECT_GE(lines, 15) << out;
  EXPECT_FALSE(has_exponent(out)) << out;
  for (const char* g : {"Fleet and demand\n", "Internal work\n", "Rented\n", "Money\n", "Power\n"})
    EXPECT_NE(out.find(g), std::string::npos) << g << " in\n" << out;
  EXPECT_EQ(out.find("Failures\n"), std::string::npos) << "the quickstart has no failure model";
  EXPECT_EQ(out.rfind("output: ", std::string::npos), out.rfind('\n', out.size() - 2) + 1) << "last line: " << out;

  // --full-summary prints every value summary.json has, one per line.
  ASSERT_EQ(gwsim::test::shell(std::string(GWSIM_BINARY) + " run " +
                               gwsim::test::source_path("examples/quickstart/scenario.yaml") + " --full-summary -o " +
                               dir + "-full > " + out_file),
            0);
  const std::string full = gwsim::test::read_text(out_file);
  EXPECT_GT(std::count(full.begin(), full.end(), '\n'), 60) << full;
  EXPECT_NE(full.find("\nmargin_total "), std::string::npos) << full;
  EXPECT_NE(full.find("\njobs_larger_than_cluster "), std::string::npos) << full;
  EXPECT_FALSE(has_exponent(full)) << full;
}

TEST(ProgressLine, ShowsAtMostOncePerWallSecond) {
  gwsim::results::ProgressLine p(14 * 86400.0);
  EXPECT_FALSE(p.update(3600, 0.5)) << "nothing in the first second: short runs print nothing";
  EXPECT_FALSE(p.shown());
  // 3.2 d simulated in 1.0 s of wall time: 276,480 simulated seconds per second.
  EXPECT_EQ(p.update(3.2 * 86400, 1.0).value_or("<none>"), "simulated 3.2 d of 14 d (22.9%), 276,480x real time");
  EXPECT_TRUE(p.shown());
  EXPECT_FALSE(p.update(4 * 86400, 1.9)) << "0.9 s after the last line";
  EXPECT_EQ(p.update(7 * 86400, 2.0).value_or("<none>"), "simulated 7 d of 14 d (50.0%), 302,400x real time");
}

TEST(ProgressLine, NeverReachesAPipe) {
  // stderr is a file here, not a terminal: a run prints no progress, whatever its length.
  const std::string dir = gwsim::test::temp_dir();
  ASSERT_EQ(gwsim::test::shell(std::string(GWSIM_BINARY) + " run " +
                               gwsim::test::source_path("examples/quickstart/scenario.yaml") + " -o " + dir +
                               " > /dev/null 2> " + dir + "-stderr.txt"),
            0);
  // No progress text and no carriage return (a sanitizer build may print its
  // own warnings on stderr: those are not gwsim's).
  const std::string err = gwsim::test::read_text(dir + "-stderr.txt");
  EXPECT_EQ(err.find("simulated "), std::string::npos) << err;
  EXPECT_EQ(err.find('\r'), std::string::npos) << err;
}
