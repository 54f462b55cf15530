// A policy registered from outside the simulator drives the decisions.
#include <gtest/gtest.h>

#include <algorithm>

#include "sim/policies/policy_plugin.hpp"
#include "test_support.hpp"

namespace {

// Starts the queued jobs with the fewest GPUs first while they fit.
class SmallestFirst final : public gwsim::sim::Policy {
 public:
  void schedule(gwsim::sim::SchedulingContext& ctx) override {
    auto order = ctx.queue();
    std::stable_sort(order.begin(), order.end(), [](auto* a, auto* b) { return a->req.gpus < b->req.gpus; });
    for (auto* job : order) ctx.start(job);
  }
};

}  // namespace

TEST(CustomPolicy, ARegisteredPolicyDecidesWhatStarts) {
  // A holds all 16 GPUs until 2h. B (16 GPUs) and C (4 GPUs) wait from 1h.
  // smallest_first starts C at 2h; B no longer fits and starts when C ends at 3h.
  // (FIFO would start B at 2h and C at 3h.)
  gwsim::sim::register_policy("smallest_first", [] { return std::make_unique<SmallestFirst>(); });
  const auto r = gwsim::test::run_text(R"(
horizon: 1d
cluster: {gpu: H100-SXM, gpus_per_node: 8, nodes_per_rack: 2, racks_per_pod: 1}
scheduler: {policy: smallest_first}
workload:
  - type: list
    jobs:
      - {submit: 0h, gpus: 16, duration: 2h}
      - {submit: 1h, gpus: 16, duration: 1h}
      - {submit: 1h, gpus: 4, duration: 1h}
)",
                                       gwsim::test::temp_dir());
  gwsim::test::expect_invariants(r, 16);
  auto jobs = gwsim::results::read_jobs(r.h5);
  std::sort(jobs.begin(), jobs.end(), [](auto& a, auto& b) { return a.id < b.id; });
  EXPECT_DOUBLE_EQ(jobs[2].start_s, 2 * 3600.0);
  EXPECT_DOUBLE_EQ(jobs[1].start_s, 3 * 3600.0);
}

TEST(CustomPolicy, UnknownOrCompositeNamesAreScenarioErrors) {
  gwsim::sim::register_policy("mine", [] { return std::make_unique<SmallestFirst>(); });
  const std::string cluster = "cluster: {gpu: H100-SXM, nodes_per_rack: 2, racks_per_pod: 1}\n";
  EXPECT_NO_THROW(gwsim::sim::parse_scenario(cluster + "scheduler: {policy: mine}\n", "s.yaml"));
  try {
    gwsim::sim::parse_scenario(cluster + "scheduler: {policy: [mine, easy_backfill]}\n", "s.yaml");
    FAIL();
  } catch (const gwsim::Error& e) {
    EXPECT_NE(std::string(e.what()).find("stands alone"), std::string::npos) << e.what();
  }
  EXPECT_THROW(gwsim::sim::register_policy("fifo", [] { return std::make_unique<SmallestFirst>(); }), gwsim::Error);
}

namespace {

// Places every job with dot_product instead of the scenario's placement, and
// checks that an allocation that is not what the job asks is refused.
class DotProductChooser final : public gwsim::sim::Policy {
 public:
  static inline int refused = 0;
  void schedule(gwsim::sim::SchedulingContext& ctx) override {
    for (auto* job : ctx.queue()) {
      auto a = ctx.place(*job, *dot_);
      if (!a) continue;
      auto wrong = *a;
      wrong.gpu_milli = gwsim::sim::MILLI_PER_GPU;  // the whole GPU, for a job asking a share
      wrong.gpu = -1;
      if (job->req.gpu_fraction < 1 && !ctx.start(job, wrong)) ++refused;
      EXPECT_TRUE(ctx.start(job, *a));
    }
  }

 private:
  std::unique_ptr<gwsim::sim::Placement> dot_ = gwsim::sim::make_placement("dot_product");
};

const char* SHARED_JOBS = R"(
horizon: 1d
cluster: {gpu: H100-SXM, gpus_per_node: 1, nodes_per_rack: 2, racks_per_pod: 1}
scheduler: {policy: POLICY}
workload:
  - type: list
    jobs:
      - {submit: 0h, gpus: 1, gpu_fraction: 0.5, duration: 1h}
      - {submit: 0h, gpus: 1, gpu_fraction: 0.5, duration: 1h}
      - {submit: 0h, gpus: 1, duration: 1h}
)";

std::vector<gwsim::results::JobRecord> run_shared(const std::string& policy) {
  std::string text = SHARED_JOBS;
  text.replace(text.find("POLICY"), 6, policy);
  const auto r = gwsim::test::run_text(text, gwsim::test::temp_dir());
  auto jobs = gwsim::results::read_jobs(r.h5);
  std::sort(jobs.begin(), jobs.end(), [](auto& a, auto& b) { return a.id < b.id; });
  return jobs;
}

}  // namespace

TEST(CustomPolicy, APolicyMayChooseThePlacement) {
  // Two half-GPU jobs and a whole-GPU one on 2 GPUs. The scenario's
  // first_fit puts both halves on GPU 0 of n0 and the whole job on n1: all
  // start at 0. dot_product sends the second half to the emptier n1, so the
  // whole-GPU job waits until the halves end at 1h.
  // (SharedJobsCount... below runs the first_fit side: one simulation per process.)
  gwsim::sim::register_policy("dot_chooser", [] { return std::make_unique<DotProductChooser>(); });
  const auto dot = run_shared("dot_chooser");
  EXPECT_DOUBLE_EQ(dot[1].start_s, 0.0);
  EXPECT_DOUBLE_EQ(dot[2].start_s, 3600.0);
  EXPECT_EQ(DotProductChooser::refused, 2) << "a whole GPU for a half-GPU job is not what it asks";
}

TEST(CustomPolicy, SharedJobsCountTheirShareInGpuHoursAndUtilization) {
  gwsim::sim::register_policy("start_all", [] { return std::make_unique<SmallestFirst>(); });
  std::string text = SHARED_JOBS;
  text.replace(text.find("POLICY"), 6, "start_all");
  const auto r = gwsim::test::run_text(text, gwsim::test::temp_dir());
  EXPECT_EQ(r.stats.peak_gpus_in_use, 3) << "GPU allocations: two halves and a whole";
  auto jobs = gwsim::results::read_jobs(r.h5);
  std::sort(jobs.begin(), jobs.end(), [](auto& a, auto& b) { return a.id < b.id; });
  EXPECT_DOUBLE_EQ(jobs[0].gpu_hours, 0.5);
  EXPECT_DOUBLE_EQ(jobs[1].gpu_hours, 0.5);
  EXPECT_DOUBLE_EQ(jobs[2].gpu_hours, 1.0);
  EXPECT_DOUBLE_EQ(jobs[2].start_s, 0.0) << "first_fit put both halves on n0's GPU: n1 is free";
  // Utilization integrates the shares: 2 GPU-hours over 2 GPUs in the first hour.
  const auto s = gwsim::results::read_series(r.h5, "utilization/internal");
  double gpu_s = 0, prev = 0;
  for (size_t i = 0; i < s.time_s.size(); ++i) {
    gpu_s += s.value[i] * (s.time_s[i] - prev) * 2;
    prev = s.time_s[i];
  }
  EXPECT_NEAR(gpu_s / 3600.0, 2.0, 1e-9);
  double segment_gpu_h = 0;
  for (const auto& seg : gwsim::results::read_segments(r.h5)) segment_gpu_h += seg.gpu_share * (seg.end_s - seg.start_s) / 3600;
  EXPECT_NEAR(segment_gpu_h, 2.0, 1e-9);
}
