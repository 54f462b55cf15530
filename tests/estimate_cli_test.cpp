// `gwsim estimate`, run as a user runs it: JSON with the promised keys, the
// planner, infeasible plans exit 6 with the reason, bad flags exit 2.
#include <gtest/gtest.h>

#include <array>
#include <cstdio>
#include <memory>
#include <nlohmann/json.hpp>
#include <sys/wait.h>

namespace {

struct CliRun {
  int rc;
  std::string out;
};

CliRun gwsim(const std::string& args) {
  const std::string cmd = std::string(GWSIM_BINARY) + " " + args + " 2>&1";
  FILE* p = popen(cmd.c_str(), "r");
  std::string out;
  std::array<char, 4096> buf{};
  size_t n;
  while ((n = fread(buf.data(), 1, buf.size(), p)) > 0) out.append(buf.data(), n);
  const int status = pclose(p);
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, out};
}

}  // namespace

TEST(EstimateCli, JsonHasTheKeysTheIssueAsksFor) {
  const CliRun r = gwsim("estimate --model llama3-70b --gpu H100-SXM --gpus 64 --tp 8 --pp 2 --recompute full --json");
  ASSERT_EQ(r.rc, 0) << r.out;
  const auto j = nlohmann::json::parse(r.out);
  for (const char* key : {"step_time_s", "achieved_tflops_per_gpu", "mfu", "memory_per_gpu_bytes", "feasible"})
    EXPECT_TRUE(j.contains(key)) << key;
  EXPECT_TRUE(j["feasible"].get<bool>());
  EXPECT_EQ(j["plan"]["dp"], 4);
  EXPECT_GT(j["step_time_s"].get<double>(), 0);
  EXPECT_LT(j["memory_per_gpu_bytes"].get<double>(), 80e9);
}

TEST(EstimateCli, CustomModelByShape) {
  const CliRun r = gwsim("estimate --layers 24 --hidden 2304 --heads 24 --vocab 51200 --seq 2048 --gpu A100-SXM-80GB "
                      "--gpus 32 --micro-batch 16 --global-batch 512 --recompute full --no-flash --json");
  ASSERT_EQ(r.rc, 0) << r.out;
  EXPECT_EQ(nlohmann::json::parse(r.out)["model"], "custom");
}

TEST(EstimateCli, PlanSearchPrintsRankedPlans) {
  const CliRun r = gwsim("estimate --model llama3-8b --gpus 64 --plan-search --top 3 --json");
  ASSERT_EQ(r.rc, 0) << r.out;
  const auto j = nlohmann::json::parse(r.out);
  EXPECT_GT(j["searched"].get<int>(), 1000);
  ASSERT_EQ(j["plans"].size(), 3u);
  EXPECT_GE(j["plans"][0]["tokens_per_s"].get<double>(), j["plans"][2]["tokens_per_s"].get<double>());
}

TEST(EstimateCli, InfeasiblePlanExitsSixWithTheReason) {
  const CliRun r = gwsim("estimate --model llama3-405b --gpu H100-SXM --gpus 8 --tp 8");
  EXPECT_EQ(r.rc, 6) << r.out;
  EXPECT_NE(r.out.find("infeasible: needs"), std::string::npos) << r.out;
}

TEST(EstimateCli, UnknownModelIsAUsageError) {
  const CliRun r = gwsim("estimate --model gpt-5");
  EXPECT_EQ(r.rc, 2) << r.out;
  EXPECT_NE(r.out.find("--model: expected a model from the catalog"), std::string::npos) << r.out;
}

TEST(EstimateCli, InferenceUnderALoad) {
  const CliRun r = gwsim("estimate --inference --model llama3-70b --gpu H100-SXM --tp 2 --fp8 --fp8-kv --prompt 5000 "
                      "--output 500 --concurrency 25 --json");
  ASSERT_EQ(r.rc, 0) << r.out;
  const auto j = nlohmann::json::parse(r.out);
  EXPECT_GT(j["serving"]["ttft_s"].get<double>(), j["prefill_s"].get<double>());
  EXPECT_GT(j["serving"]["output_tokens_per_s"].get<double>(), 0);
}

TEST(EstimateCli, ValidateMegatronPrintsEveryRow) {
  const CliRun r = gwsim("estimate --validate megatron");
  ASSERT_EQ(r.rc, 0) << r.out;
  for (const char* row : {"GPT 1.7B on 32 A100", "GPT 1008B on 3072 A100"})
    EXPECT_NE(r.out.find(row), std::string::npos) << row;
}
