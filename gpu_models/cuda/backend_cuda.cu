// The CUDA backend: the formulas of formulas.hpp, one thread per query.
// Built only when CUDA is enabled at configure time; linked against the
// static CUDA runtime, so a machine without a driver or a device gets 0
// devices and make_backend() falls back to the CPU. Compiled with
// --fmad=false (gpu_models/CMakeLists.txt) so results match the CPU's to
// rounding.
#include <cuda_runtime.h>

#include <stdexcept>
#include <string>

#include "gpu_models/backend.hpp"

namespace gwsim::gpu_models {
namespace {

constexpr int THREADS_PER_BLOCK = 128;

__global__ void evaluate_kernel(const formulas::PlanQuery* in, formulas::PlanResult* out, size_t n) {
  const size_t i = static_cast<size_t>(blockIdx.x) * blockDim.x + threadIdx.x;
  if (i < n) formulas::evaluate(in[i], out[i]);
}

void check(cudaError_t status, const char* what) {
  if (status != cudaSuccess)
    throw std::runtime_error(std::string("CUDA backend: ") + what + ": " + cudaGetErrorString(status));
}

unsigned blocks_for(size_t n) { return static_cast<unsigned>((n + THREADS_PER_BLOCK - 1) / THREADS_PER_BLOCK); }

/// Device buffers that grow to the largest batch seen.
class DeviceBuffers {
 public:
  ~DeviceBuffers() {
    cudaFree(in_);
    cudaFree(out_);
  }
  void reserve(size_t n) {
    if (n <= capacity_) return;
    cudaFree(in_);
    cudaFree(out_);
    in_ = nullptr;
    out_ = nullptr;
    check(cudaMalloc(&in_, n * sizeof(formulas::PlanQuery)), "cudaMalloc (queries)");
    check(cudaMalloc(&out_, n * sizeof(formulas::PlanResult)), "cudaMalloc (results)");
    capacity_ = n;
  }
  formulas::PlanQuery* in() const { return in_; }
  formulas::PlanResult* out() const { return out_; }

 private:
  formulas::PlanQuery* in_ = nullptr;
  formulas::PlanResult* out_ = nullptr;
  size_t capacity_ = 0;
};

class CudaBackend : public Backend {
 public:
  explicit CudaBackend(int device) : device_(device) {
    cudaDeviceProp prop{};
    check(cudaGetDeviceProperties(&prop, device), "cudaGetDeviceProperties");
    name_ = std::string("cuda:") + prop.name;
  }
  std::string name() const override { return name_; }

  void evaluate(Span<const formulas::PlanQuery> in, Span<formulas::PlanResult> out) override {
    if (in.size() != out.size())
      throw std::invalid_argument("evaluate: " + std::to_string(in.size()) + " queries but " +
                                  std::to_string(out.size()) + " results");
    if (in.size() == 0) return;
    check(cudaSetDevice(device_), "cudaSetDevice");
    buffers_.reserve(in.size());
    check(cudaMemcpy(buffers_.in(), in.data(), in.size() * sizeof(formulas::PlanQuery), cudaMemcpyHostToDevice),
          "copy queries to the device");
    evaluate_kernel<<<blocks_for(in.size()), THREADS_PER_BLOCK>>>(buffers_.in(), buffers_.out(), in.size());
    check(cudaGetLastError(), "kernel launch");
    check(cudaMemcpy(out.data(), buffers_.out(), out.size() * sizeof(formulas::PlanResult), cudaMemcpyDeviceToHost),
          "copy results to the host");
  }

 private:
  int device_;
  std::string name_;
  DeviceBuffers buffers_;
};

}  // namespace

int cuda_device_count() {
  int n = 0;
  if (cudaGetDeviceCount(&n) != cudaSuccess) {
    cudaGetLastError();  // clear the sticky "no driver" error
    return 0;
  }
  return n;
}

std::string backend_name() {
  if (cuda_device_count() == 0) return "cpu";
  cudaDeviceProp prop{};
  cudaGetDeviceProperties(&prop, 0);
  return std::string("cuda:") + prop.name;
}

std::unique_ptr<Backend> make_cuda_backend(int device) {
  if (device < 0 || device >= cuda_device_count()) return nullptr;
  return std::make_unique<CudaBackend>(device);
}

double cuda_resident_evaluations_per_s(Span<const formulas::PlanQuery> queries, int repeat) {
  if (cuda_device_count() == 0 || queries.size() == 0 || repeat < 1) return 0;
  check(cudaSetDevice(0), "cudaSetDevice");
  DeviceBuffers buffers;
  buffers.reserve(queries.size());
  check(cudaMemcpy(buffers.in(), queries.data(), queries.size() * sizeof(formulas::PlanQuery), cudaMemcpyHostToDevice),
        "copy queries to the device");
  const unsigned blocks = blocks_for(queries.size());
  evaluate_kernel<<<blocks, THREADS_PER_BLOCK>>>(buffers.in(), buffers.out(), queries.size());  // warm-up
  check(cudaDeviceSynchronize(), "warm-up kernel");
  cudaEvent_t start, stop;
  check(cudaEventCreate(&start), "cudaEventCreate");
  check(cudaEventCreate(&stop), "cudaEventCreate");
  check(cudaEventRecord(start), "cudaEventRecord");
  for (int r = 0; r < repeat; ++r)
    evaluate_kernel<<<blocks, THREADS_PER_BLOCK>>>(buffers.in(), buffers.out(), queries.size());
  check(cudaEventRecord(stop), "cudaEventRecord");
  check(cudaEventSynchronize(stop), "kernel timing");
  float ms = 0;
  check(cudaEventElapsedTime(&ms, start, stop), "cudaEventElapsedTime");
  cudaEventDestroy(start);
  cudaEventDestroy(stop);
  return ms > 0 ? double(queries.size()) * repeat / (ms * 1e-3) : 0;
}

}  // namespace gwsim::gpu_models
