// `gwsim estimate`, run as a user runs it: JSON with the promised keys, the
// planner, infeasible plans exit 6 with the reason, bad flags exit 2.
#include <gtest/gtest.h>

#include <array>
#include <cstdio>
#include <map>
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
                      "--tokens 500 --concurrency 25 --json");
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

TEST(EstimateCli, ListsTodaysAcceleratorsAndEstimatesOnThem) {
  const CliRun list = gwsim("estimate --list --json");
  ASSERT_EQ(list.rc, 0) << list.out;
  const auto j = nlohmann::json::parse(list.out);
  std::map<std::string, nlohmann::json> by_name;
  for (const auto& g : j["gpus"]) by_name[g["name"].get<std::string>()] = g;
  for (const char* name : {"H800", "H20", "Ascend-910B", "Ascend-910C", "B300", "GB300", "MI325X", "MI355X"}) {
    ASSERT_TRUE(by_name.count(name)) << name;
    EXPECT_TRUE(by_name[name].contains("estimates")) << name;
  }
  EXPECT_EQ(by_name["Ascend-910C"]["scaleup_gpus"], 384);
  EXPECT_DOUBLE_EQ(by_name["GB300"]["peak_fp4_flops"].get<double>(), 15e15);
  // Llama 3 8B on one CloudMatrix-class node of eight 910C, and on eight H20.
  for (const char* gpu : {"Ascend-910C", "H20"}) {
    const CliRun r = gwsim(std::string("estimate --model llama3-8b --gpu ") + gpu + " --gpus 8 --json");
    ASSERT_EQ(r.rc, 0) << gpu << ": " << r.out;
    EXPECT_TRUE(nlohmann::json::parse(r.out)["feasible"].get<bool>()) << gpu;
  }
}

TEST(EstimateCli, OutputTokensAreTokensAndTheOldSpellingSaysSo) {
  // -o/--output is a directory in every other command; estimate's output tokens are --tokens.
  const CliRun ok = gwsim("estimate --inference --model llama3-70b --gpu H100-SXM --tp 2 --fp8 --fp8-kv --tokens 100 --json");
  ASSERT_EQ(ok.rc, 0) << ok.out;
  const CliRun old = gwsim("estimate --inference --model llama3-70b --gpu H100-SXM --tp 2 --fp8 --fp8-kv --output 100");
  EXPECT_EQ(old.rc, 2) << old.out;
  EXPECT_NE(old.out.find("--tokens 100"), std::string::npos) << old.out;
  EXPECT_EQ(gwsim("estimate --help").out.find("--output"), std::string::npos) << "the old spelling is not advertised";
}
