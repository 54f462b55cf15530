// Speed of the training cost model: plan evaluations per second on the CPU
// backend (1 thread and all threads) and, when a device is present, on the
// CUDA backend (data resident on the device, and with the copies), and the
// planner's time to search the plans for one job. Prints tables; wall time
// lives here, never in tests. Run: build/bench/cost_model_bench
#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include "gpu_models/backend.hpp"
#include "gpu_models/cost_model.hpp"

using namespace gwsim::gpu_models;
using Clock = std::chrono::steady_clock;

namespace {

double seconds_since(Clock::time_point t0) { return std::chrono::duration<double>(Clock::now() - t0).count(); }

/// CPU seconds used by this process so far, all threads (user + system).
double cpu_seconds() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return u.ru_utime.tv_sec + u.ru_utime.tv_usec * 1e-6 + u.ru_stime.tv_sec + u.ru_stime.tv_usec * 1e-6;
}

std::string load_average() {
  std::ifstream in("/proc/loadavg");
  std::string one;
  in >> one;
  return one.empty() ? "unknown" : one;
}

/// A realistic mix: every plan the planner would try for several jobs.
std::vector<PlanQuery> sample_queries(const Catalog& catalog, size_t want) {
  struct Job {
    const char* model;
    const char* gpu;
    int gpus;
  };
  const Job jobs[] = {{"llama3-70b", "H100-SXM", 1024}, {"llama3-405b", "H100-SXM", 8192},
                      {"gpt3-175b", "A100-SXM-80GB", 1024}, {"mixtral-8x7b", "H200", 256},
                      {"deepseek-v3", "H100-SXM", 2048}, {"llama3-8b", "B200", 64}};
  std::vector<PlanQuery> out;
  while (out.size() < want) {
    for (const Job& j : jobs) {
      const ModelSpec& m = *catalog.find_model(j.model);
      const GpuSpec& g = *catalog.find_gpu(j.gpu);
      TrainingQuery q;
      q.model = &m;
      q.gpu = &g;
      q.gpus = j.gpus;
      q.links = reference_links(g);
      for (int tp : {1, 2, 4, 8})
        for (int pp : {1, 2, 4, 8, 16})
          for (int mb : {1, 2, 4})
            for (int rc = 0; rc < 4; ++rc) {
              if (j.gpus % (tp * pp) != 0) continue;
              q.plan.tp = tp;
              q.plan.pp = pp;
              q.plan.dp = j.gpus / (tp * pp);
              q.plan.micro_batch = mb;
              q.plan.global_batch = q.plan.dp * mb * 8;
              q.plan.recompute = static_cast<Recompute>(rc);
              out.push_back(make_query(q));
            }
    }
  }
  out.resize(want);
  return out;
}

struct Rate {
  double per_wall_s;  ///< evaluations per second of wall time
  double per_cpu_s;   ///< evaluations per CPU-second (what one core does when no one else runs)
};

Rate rate_of(Backend& backend, const std::vector<PlanQuery>& in, std::vector<PlanResult>& out, int repeat) {
  backend.evaluate(Span<const PlanQuery>(in), Span<PlanResult>(out));  // warm-up
  const double c0 = cpu_seconds();
  const auto t0 = Clock::now();
  for (int r = 0; r < repeat; ++r) backend.evaluate(Span<const PlanQuery>(in), Span<PlanResult>(out));
  const double wall = seconds_since(t0), cpu = cpu_seconds() - c0;
  return {double(in.size()) * repeat / wall, double(in.size()) * repeat / cpu};
}

}  // namespace

int main() {
  const Catalog catalog = Catalog::builtin();
  const size_t n = 1 << 20;
  const std::vector<PlanQuery> queries = sample_queries(catalog, n);
  std::vector<PlanResult> results(n);
  const int hw = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));

  std::printf("Plan evaluations per second (%zu queries of %zu bytes in, %zu out; %d hardware threads; load average %s)\n",
              n, sizeof(PlanQuery), sizeof(PlanResult), hw, load_average().c_str());
  std::printf("%-34s %14s %10s %16s\n", "backend", "evals/s wall", "ns/eval", "evals/CPU-s");
  auto one = make_cpu_backend(1);
  const Rate cpu1 = rate_of(*one, queries, results, 5);
  std::printf("%-34s %14.3e %10.1f %16.3e\n", one->name().c_str(), cpu1.per_wall_s, 1e9 / cpu1.per_wall_s, cpu1.per_cpu_s);
  auto all = make_cpu_backend(hw);
  const Rate cpun = rate_of(*all, queries, results, 5);
  std::printf("%-34s %14.3e %10.1f %16.3e\n", all->name().c_str(), cpun.per_wall_s, 1e9 / cpun.per_wall_s, cpun.per_cpu_s);
  std::printf("%-34s %14.3e   (%d cores x evals/CPU-s: the rate on an otherwise idle machine)\n", "cpu, idle-machine capacity",
              hw * cpun.per_cpu_s, hw);
  if (auto cuda = make_cuda_backend(0)) {
    const double resident = cuda_resident_evaluations_per_s(Span<const PlanQuery>(queries), 20);
    std::printf("%-34s %14.3e %10.3f   %.0fx the CPU backend\n", (cuda->name() + " (data on device)").c_str(), resident,
                1e9 / resident, resident / cpun.per_wall_s);
    const Rate copies = rate_of(*cuda, queries, results, 5);
    std::printf("%-34s %14.3e %10.3f   %.0fx the CPU backend\n", (cuda->name() + " (with copies)").c_str(),
                copies.per_wall_s, 1e9 / copies.per_wall_s, copies.per_wall_s / cpun.per_wall_s);
  } else {
    std::printf("%-34s %14s\n", "cuda", "no device: skipped");
  }

  std::printf("\nPlanner: plans searched for one job (CPU, best of 5)\n");
  std::printf("%-14s %-14s %7s %10s %9s %10s  %s\n", "model", "gpu", "gpus", "searched", "feasible", "ms", "best plan");
  struct Job {
    const char* model;
    const char* gpu;
    int gpus;
  };
  for (const Job& j : {Job{"llama3-8b", "H100-SXM", 64}, Job{"llama3-70b", "H100-SXM", 1024},
                       Job{"llama3-405b", "H100-SXM", 16384}, Job{"gpt3-175b", "A100-SXM-80GB", 1024},
                       Job{"mixtral-8x7b", "H200", 512}, Job{"deepseek-v3", "H100-SXM", 2048},
                       Job{"llama3-405b", "GB200", 9216}}) {
    const ModelSpec& m = *catalog.find_model(j.model);
    const GpuSpec& g = *catalog.find_gpu(j.gpu);
    double best_s = 1e9;
    PlanSearchResult r;
    for (int rep = 0; rep < 5; ++rep) {
      const auto t0 = Clock::now();
      r = search_plans(m, g, j.gpus, reference_links(g), {}, 1);
      best_s = std::min(best_s, seconds_since(t0));
    }
    std::printf("%-14s %-14s %7d %10zu %9zu %10.2f  %s\n", j.model, j.gpu, j.gpus, r.searched, r.feasible, best_s * 1e3,
                r.best.empty() ? "none fits"
                               : (std::to_string(r.best.front().estimate.mfu * 100).substr(0, 4) + "% MFU").c_str());
  }
  return 0;
}
