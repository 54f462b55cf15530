// Same question, same answer (docs/reliability.md#reproducibility): the
// datasets of a run do not depend on the cost model's thread count
// (`--threads`), nor on the build (Release against the sanitizer build's
// Debug, when scripts/sanitize.sh names the Release binary as the
// reference). Same seed and different seeds: run_output_test.cpp.
#include <gtest/gtest.h>

#include "cli_support.hpp"
#include "gpu_models/catalog.hpp"
#include "gpu_models/cost_model.hpp"
#include "results/hdf5_reader.hpp"
#include "test_support.hpp"

namespace {

// Three days of internal jobs and token-measured pre-training campaigns on
// 512 GPUs: each campaign's plan comes from the planner, whose batches are
// split over the CPU backend's threads.
const char* PLANNER_SCENARIO = R"(name: planner
seed: 7
horizon: 3d
cluster:
  gpu: H100-SXM
  nodes_per_rack: 4
  racks_per_pod: 16
workload:
  - type: internal_jobs
    arrivals: { per_hour: 4 }
    min_gpus: 1
    max_gpus: 64
  - type: pretrain
    campaigns_per_week: 20
    min_gpus: 64
    max_gpus: 256
    model: llama3-70b
    tokens_min: 1e10
    tokens_max: 1e11
output:
  sample_interval: 1h
)";

std::map<std::string, std::string> run_with(const std::string& binary, const std::string& scenario,
                                            const std::string& dir, const std::string& flags = "") {
  const int rc = gwsim::test::shell(binary + " run " + scenario + " -q -o " + dir + " " + flags + " > /dev/null");
  EXPECT_EQ(rc, 0) << binary << " run " << scenario << " " << flags;
  return rc == 0 ? gwsim::results::dataset_bytes(dir + "/run.h5") : std::map<std::string, std::string>{};
}

}  // namespace

TEST(Reproducibility, ThePlannerSplitsItsSearchesOverThreads) {
  // Otherwise the next test could not tell thread counts apart: the backend
  // gives each thread at least 2048 queries, so a batch needs 2 x 2048 to use
  // two threads (9236 queries at 256 GPUs: four).
  const auto catalog = gwsim::gpu_models::Catalog::builtin();
  const auto* gpu = catalog.find_gpu("H100-SXM");
  const auto* model = catalog.find_model("llama3-70b");
  ASSERT_TRUE(gpu && model);
  for (int gpus : {64, 256}) {
    const auto r = gwsim::gpu_models::search_plans(*model, *gpu, gpus, gwsim::gpu_models::reference_links(*gpu));
    EXPECT_GE(r.searched, 2 * 2048u) << gpus << " GPUs";
  }
}

TEST(Reproducibility, TheThreadCountDoesNotChangeABitOfTheOutput) {
  const std::string dir = gwsim::test::temp_dir();
  gwsim::test::write_text(dir + "/planner.yaml", PLANNER_SCENARIO);
  const auto one = run_with(GWSIM_BINARY, dir + "/planner.yaml", dir + "/t1", "--threads 1");
  const auto many = run_with(GWSIM_BINARY, dir + "/planner.yaml", dir + "/t7", "--threads 7");
  const auto dflt = run_with(GWSIM_BINARY, dir + "/planner.yaml", dir + "/default");
  ASSERT_FALSE(one.empty());
  EXPECT_GT(one.at("/jobs").size(), 0u);
  EXPECT_EQ(gwsim::test::first_difference(one, many), "");
  EXPECT_EQ(gwsim::test::first_difference(one, dflt), "");
}

TEST(Reproducibility, AnotherBuildWritesTheSameBytes) {
  const std::string reference = GWSIM_REFERENCE_BINARY;
  if (reference.empty())
    GTEST_SKIP() << "no reference build: configure with -DGWSIM_REFERENCE_BINARY=<another build's gwsim> "
                    "(scripts/sanitize.sh names build/sim/gwsim)";
  const std::string dir = gwsim::test::temp_dir();
  gwsim::test::write_text(dir + "/planner.yaml", PLANNER_SCENARIO);
  for (const std::string& scenario :
       {gwsim::test::source_path("examples/quickstart/scenario.yaml"), dir + "/planner.yaml"}) {
    const std::string name = std::filesystem::path(scenario).parent_path().filename().string();
    const auto ours = run_with(GWSIM_BINARY, scenario, dir + "/ours-" + name);
    const auto theirs = run_with(reference, scenario, dir + "/reference-" + name);
    ASSERT_FALSE(ours.empty());
    EXPECT_EQ(gwsim::test::first_difference(ours, theirs), "") << scenario << ": this build against " << reference;
  }
}
