#include "gpu_models/backend.hpp"

#include <algorithm>
#include <fmt/format.h>
#include <stdexcept>
#include <thread>
#include <vector>

namespace gwsim::gpu_models {
namespace {

// Below this many queries a batch runs on the calling thread: starting a
// thread costs tens of microseconds, about 200 evaluations.
constexpr size_t MIN_QUERIES_PER_THREAD = 2048;

void evaluate_range(const formulas::PlanQuery* in, formulas::PlanResult* out, size_t n) {
  // Independent iterations over contiguous arrays, no aliasing: the
  // compiler may vectorise, and each thread streams its own slice.
  for (size_t i = 0; i < n; ++i) formulas::evaluate(in[i], out[i]);
}

class CpuBackend : public Backend {
 public:
  explicit CpuBackend(int threads) : threads_(std::max(1, threads)) {}
  std::string name() const override { return fmt::format("cpu ({} thread{})", threads_, threads_ > 1 ? "s" : ""); }

  void evaluate(Span<const formulas::PlanQuery> in, Span<formulas::PlanResult> out) override {
    if (in.size() != out.size())
      throw std::invalid_argument(fmt::format("evaluate: {} queries but {} results", in.size(), out.size()));
    const size_t n = in.size();
    const size_t workers = std::min<size_t>(threads_, std::max<size_t>(1, n / MIN_QUERIES_PER_THREAD));
    if (workers <= 1) {
      evaluate_range(in.data(), out.data(), n);
      return;
    }
    std::vector<std::thread> pool;
    const size_t chunk = (n + workers - 1) / workers;
    for (size_t w = 1; w < workers; ++w) {
      const size_t lo = w * chunk, hi = std::min(n, lo + chunk);
      pool.emplace_back(evaluate_range, in.data() + lo, out.data() + lo, hi - lo);
    }
    evaluate_range(in.data(), out.data(), std::min(n, chunk));
    for (auto& t : pool) t.join();
  }

 private:
  int threads_;
};

}  // namespace

namespace {
int threads_set = 0;  // set_cpu_threads(); 0: the hardware's count
}  // namespace

int cpu_threads() {
  return threads_set > 0 ? threads_set : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
}

void set_cpu_threads(int n) { threads_set = std::max(1, n); }

std::unique_ptr<Backend> make_cpu_backend(int threads) {
  return std::make_unique<CpuBackend>(threads > 0 ? threads : cpu_threads());
}

std::unique_ptr<Backend> make_backend() {
  if (auto cuda = make_cuda_backend(0)) return cuda;
  return make_cpu_backend();
}

#ifndef GWSIM_HAVE_CUDA
int cuda_device_count() { return 0; }
std::string backend_name() { return "cpu"; }
std::unique_ptr<Backend> make_cuda_backend(int) { return nullptr; }
double cuda_resident_evaluations_per_s(Span<const formulas::PlanQuery>, int) { return 0; }
#endif

}  // namespace gwsim::gpu_models
