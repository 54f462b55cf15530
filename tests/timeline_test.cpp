// /segments and the Perfetto timeline of a FIFO, first-fit schedule computed
// by hand on 32 GPUs: 4 nodes of 8, two pods of 2 nodes (pod 0: nodes 0-1).
//
//   job  submit  GPUs  segment   nodes    pod  lane  why
//   0    0h      8     0h-10h    0        0    0     the first slice of pod 0
//   1    1h      4     1h-3h     1        0    1     node 0 is full; lane 0 busy
//   2    2h      4     2h-7h     1        0    2     the other half of node 1
//   3    3h      16    3h-7h     2, 3     1    0     the two lowest fully free nodes
//   4    4h      4     4h-5h     1        0    1     job 1 gave back lane 1 (and node 1's GPUs) at 3h
//   5    5.5h    24    7h-8h     1, 2, 3  0    1     needs 3 free nodes: waits for jobs 2 and 3 to end at 7h
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "cli_support.hpp"
#include "results/timeline.hpp"
#include "test_support.hpp"

namespace {

const char* TWO_PODS = R"(
name: two-pods-by-hand
horizon: 1d
cluster: {gpu: H100-SXM, gpus_per_node: 8, nodes_per_rack: 2, racks_per_pod: 1, pods_per_hall: 2}
scheduler: {policy: fifo, placement: first_fit}
output: {sample_interval: 6h}   # no sample coincides with an event
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

constexpr double H = 3600;
constexpr int64_t US_PER_H = 3600LL * 1000000;

struct Expected {
  double start_h, end_h;
  int64_t gpus;
  int32_t first_node, nodes, pod, lane;
};
const Expected EXPECTED[] = {{0, 10, 8, 0, 1, 0, 0},  {1, 3, 4, 1, 1, 0, 1}, {2, 7, 4, 1, 1, 0, 2},
                             {3, 7, 16, 2, 2, 1, 0}, {4, 5, 4, 1, 1, 0, 1}, {7, 8, 24, 1, 3, 0, 1}};

}  // namespace

TEST(Timeline, SegmentsMatchTheHandComputedSchedule) {
  const auto r = gwsim::test::run_text(TWO_PODS, gwsim::test::temp_dir());
  auto segments = gwsim::results::read_segments(r.h5);
  std::sort(segments.begin(), segments.end(), [](auto& a, auto& b) { return a.job < b.job; });
  ASSERT_EQ(segments.size(), 6u);
  for (size_t i = 0; i < 6; ++i) {
    SCOPED_TRACE("job " + std::to_string(i));
    const Expected& e = EXPECTED[i];
    EXPECT_EQ(segments[i].job, i);
    EXPECT_DOUBLE_EQ(segments[i].start_s, e.start_h * H);
    EXPECT_DOUBLE_EQ(segments[i].end_s, e.end_h * H);
    EXPECT_EQ(segments[i].gpus, e.gpus);
    EXPECT_EQ(segments[i].first_node, e.first_node);
    EXPECT_EQ(segments[i].nodes, e.nodes);
    EXPECT_EQ(segments[i].pod, e.pod);
    EXPECT_EQ(segments[i].tenant, 0);
  }
  gwsim::test::expect_invariants(r, 32);
}

TEST(Timeline, APodIsAProcessItsLanesThreadsAndEachSegmentASlice) {
  const std::string dir = gwsim::test::temp_dir();
  const auto r = gwsim::test::run_text(TWO_PODS, dir);
  const std::string path = dir + "/timeline.json";
  gwsim::results::write_timeline(r.h5, path);
  EXPECT_FALSE(std::filesystem::exists(path + ".partial"));
  const auto trace = nlohmann::json::parse(gwsim::test::read_text(path));
  ASSERT_TRUE(trace.contains("traceEvents"));

  std::map<uint64_t, nlohmann::json> slices;
  std::map<std::pair<int, int>, std::string> thread_names;
  std::map<int, std::string> process_names;
  std::map<std::string, std::vector<std::pair<int64_t, double>>> counters;
  for (const auto& e : trace["traceEvents"]) {
    const std::string ph = e["ph"];
    if (ph == "X") slices[e["args"]["job"].get<uint64_t>()] = e;
    else if (ph == "M" && e["name"] == "thread_name") thread_names[{e["pid"], e["tid"]}] = e["args"]["name"];
    else if (ph == "M" && e["name"] == "process_name") process_names[e["pid"]] = e["args"]["name"];
    else if (ph == "C") counters[e["name"]].emplace_back(e["ts"].get<int64_t>(), e["args"].begin().value().get<double>());
  }
  ASSERT_EQ(slices.size(), 6u);
  for (uint64_t job = 0; job < 6; ++job) {
    SCOPED_TRACE("job " + std::to_string(job));
    const Expected& want = EXPECTED[job];
    const auto& e = slices.at(job);
    EXPECT_EQ(e["name"], "job " + std::to_string(job));
    EXPECT_EQ(e["pid"], want.pod + 1) << "pod N is process N + 1 (process 0 holds the site's counters)";
    EXPECT_EQ(e["tid"], want.lane + 1);
    EXPECT_EQ(e["ts"].get<double>(), want.start_h * US_PER_H);
    EXPECT_EQ(e["dur"].get<double>(), (want.end_h - want.start_h) * US_PER_H);
    EXPECT_EQ(e["cat"], "internal");
    EXPECT_EQ(e["args"]["gpus"], want.gpus);
  }
  EXPECT_EQ(process_names, (std::map<int, std::string>{{0, "site"}, {1, "pod 0"}, {2, "pod 1"}}));
  EXPECT_EQ(thread_names, (std::map<std::pair<int, int>, std::string>{
                              {{1, 1}, "lane 0"}, {{1, 2}, "lane 1"}, {{1, 3}, "lane 2"}, {{2, 1}, "lane 0"}}));

  // Utilization is an interval mean: the value sampled at 6h covers [0h, 6h)
  // and is drawn from 0h. GPU-hours in [0h, 6h): job 0 8 x 6, job 1 4 x 2,
  // job 2 4 x 4, job 3 16 x 3, job 4 4 x 1 = 124 of 32 x 6 = 192.
  const auto& util = counters.at("utilization/internal");
  ASSERT_EQ(util.size(), 4u) << "samples at 6h, 12h, 18h and the 24h horizon";
  EXPECT_EQ(util[0].first, 0);
  EXPECT_DOUBLE_EQ(util[0].second, 124.0 / 192.0);
  // [6h, 12h): job 0 8 x 4, job 2 4 x 1, job 3 16 x 1, job 5 24 x 1 = 76
  EXPECT_EQ(util[1].first, 6 * US_PER_H);
  EXPECT_DOUBLE_EQ(util[1].second, 76.0 / 192.0);
  // The queue length is an instant value, drawn from its sample time: at 6h job 5 waits.
  const auto& queue = counters.at("queue_length");
  EXPECT_EQ(queue[0], std::make_pair(6 * US_PER_H, 1.0));
  EXPECT_EQ(queue[1], std::make_pair(12 * US_PER_H, 0.0));
}

TEST(Timeline, SegmentRevenueSumsToTheJobsRevenue) {
  // A lease from 1h, 8 GPUs at $2.50 per GPU-hour, still running at the 4h
  // horizon: one segment [1h, 4h] earning 8 x 3 x 2.5 = $60.
  const auto r = gwsim::test::run_text(R"(
horizon: 4h
cluster: {gpu: H100-SXM, gpus_per_node: 8, nodes_per_rack: 2, racks_per_pod: 1}
workload:
  - type: list
    jobs:
      - {submit: 1h, gpus: 8, duration: 5h, kind: lease, price_per_gpu_hour: 2.5}
)",
                                       gwsim::test::temp_dir());
  const auto segments = gwsim::results::read_segments(r.h5);
  const auto jobs = gwsim::results::read_jobs(r.h5);
  ASSERT_EQ(segments.size(), 1u);
  ASSERT_EQ(jobs.size(), 1u);
  EXPECT_DOUBLE_EQ(segments[0].start_s, 1 * H);
  EXPECT_DOUBLE_EQ(segments[0].end_s, 4 * H);
  EXPECT_DOUBLE_EQ(segments[0].revenue_usd, 60.0);
  EXPECT_DOUBLE_EQ(jobs[0].revenue_usd, 60.0);
  EXPECT_EQ(segments[0].tenant, 1);
  EXPECT_EQ(segments[0].kind, 3);
}

TEST(Timeline, TheRunCommandWritesItWithTimeline) {
  const std::string dir = gwsim::test::temp_dir();
  const std::string scenario = gwsim::test::source_path("examples/quickstart/scenario.yaml");
  ASSERT_EQ(gwsim::test::run_gwsim("run " + scenario + " -q -o " + dir + " --timeline " + dir + "/t.json"), 0);
  const auto trace = nlohmann::json::parse(gwsim::test::read_text(dir + "/t.json"));
  // Slices on one lane never overlap (Perfetto needs slices of a thread to nest).
  std::map<std::pair<int, int>, std::vector<std::pair<int64_t, int64_t>>> lanes;
  size_t slices = 0;
  for (const auto& e : trace["traceEvents"])
    if (e["ph"] == "X") {
      lanes[{e["pid"], e["tid"]}].emplace_back(e["ts"], e["ts"].get<int64_t>() + e["dur"].get<int64_t>());
      ++slices;
    }
  EXPECT_EQ(slices, gwsim::results::read_segments(dir + "/run.h5").size());
  for (auto& [lane, spans] : lanes) {
    std::sort(spans.begin(), spans.end());
    for (size_t i = 1; i < spans.size(); ++i)
      EXPECT_LE(spans[i - 1].second, spans[i].first) << "pid " << lane.first << " tid " << lane.second;
  }
}
