// The batched backends: the CPU backend gives exactly what the scalar
// formula gives, whatever the threads; the CUDA backend agrees with it to
// 1e-9 relative where a device exists.
#include <gtest/gtest.h>

#include <cmath>
#include <cstddef>

#include "gpu_models/backend.hpp"
#include "gpu_models/cost_model.hpp"

using namespace gwsim::gpu_models;

namespace {

/// A fixed set of queries over models, GPUs and plans, feasible or not.
std::vector<PlanQuery> fixed_queries() {
  const Catalog c = Catalog::builtin();
  std::vector<PlanQuery> out;
  for (const char* model : {"llama3-8b", "llama3-405b", "gpt3-175b", "mixtral-8x7b", "deepseek-v3", "megatron-1.7b"})
    for (const char* gpu : {"A100-SXM-80GB", "H100-SXM", "GB200", "MI300X"}) {
      TrainingQuery q;
      q.model = c.find_model(model);
      q.gpu = c.find_gpu(gpu);
      q.gpus = 512;
      q.links = reference_links(*q.gpu);
      for (int tp : {1, 2, 8})
        for (int pp : {1, 4, 8})
          for (int cp : {1, 2})
            for (int rc = 0; rc < 4; ++rc)
              for (int zero : {0, 1, 3}) {
                Plan& p = q.plan;
                p.tp = tp;
                p.pp = pp;
                p.cp = cp;
                p.dp = 512 / (tp * pp * cp);
                p.ep = q.model->is_moe() && p.dp % 8 == 0 ? 8 : 1;
                p.micro_batch = 1 + rc % 2;
                p.global_batch = p.dp * p.micro_batch * 16;
                p.virtual_stages = pp > 1 ? 2 : 1;
                p.recompute = static_cast<Recompute>(rc);
                p.zero_stage = zero;
                p.flash_attention = rc != 1;
                p.fp8 = zero == 3;
                out.push_back(make_query(q));
              }
    }
  return out;
}

void expect_close(const PlanResult& a, const PlanResult& b, double rel, size_t i) {
  const double* x = &a.step_time_s;
  const double* y = &b.step_time_s;
  const size_t n = offsetof(PlanResult, reason) / sizeof(double);
  for (size_t k = 0; k < n; ++k) {
    const double scale = std::max(std::abs(x[k]), std::abs(y[k]));
    EXPECT_LE(std::abs(x[k] - y[k]), rel * scale) << "query " << i << " field " << k;
  }
  EXPECT_EQ(a.reason, b.reason) << "query " << i;
}

}  // namespace

TEST(CpuBackend, MatchesTheScalarFormulaExactly) {
  const auto queries = fixed_queries();
  ASSERT_GT(queries.size(), 4096u) << "enough to use both threads";
  std::vector<PlanResult> scalar(queries.size()), batched(queries.size());
  for (size_t i = 0; i < queries.size(); ++i) formulas::evaluate(queries[i], scalar[i]);
  make_cpu_backend(2)->evaluate(Span<const PlanQuery>(queries), Span<PlanResult>(batched));
  for (size_t i = 0; i < queries.size(); ++i) expect_close(scalar[i], batched[i], 0.0, i);
}

TEST(CpuBackend, RejectsMismatchedSizes) {
  const auto queries = fixed_queries();
  std::vector<PlanResult> out(3);
  EXPECT_THROW(make_cpu_backend(1)->evaluate(Span<const PlanQuery>(queries), Span<PlanResult>(out)),
               std::invalid_argument);
}

TEST(CudaBackend, AgreesWithCpuToOneInABillion) {
  auto cuda = make_cuda_backend(0);
  if (!cuda) {
#ifdef GWSIM_HAVE_CUDA
    GTEST_SKIP() << "built with CUDA but no CUDA device is present: the CUDA backend was not compared";
#else
    GTEST_SKIP() << "built without CUDA (GWSIM_CUDA=OFF or no nvcc): the CUDA backend was not compared";
#endif
  }
  const auto queries = fixed_queries();
  std::vector<PlanResult> cpu(queries.size()), gpu(queries.size());
  make_cpu_backend(2)->evaluate(Span<const PlanQuery>(queries), Span<PlanResult>(cpu));
  cuda->evaluate(Span<const PlanQuery>(queries), Span<PlanResult>(gpu));
  for (size_t i = 0; i < queries.size(); ++i) expect_close(cpu[i], gpu[i], 1e-9, i);
}

TEST(Backend, MakeBackendFallsBackToTheCpu) {
  auto b = make_backend();
  ASSERT_NE(b, nullptr);
  if (cuda_device_count() == 0) EXPECT_EQ(b->name().rfind("cpu", 0), 0u) << b->name();
  else EXPECT_EQ(b->name().rfind("cuda:", 0), 0u) << b->name();
}
