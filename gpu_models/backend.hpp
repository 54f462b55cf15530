#pragma once
// Where batched cost-model evaluations run. The CPU backend always exists
// (threaded, one formula per query from formulas.hpp); the CUDA backend
// exists when gwsim was configured with CUDA and a device is present at run
// time, and runs the same formulas. make_backend() picks CUDA when it can.
#include <cstddef>
#include <memory>
#include <string>

#include "gpu_models/formulas.hpp"

namespace gwsim::gpu_models {

/// A view of contiguous elements (std::span is C++20).
template <class T>
class Span {
 public:
  Span() = default;
  Span(T* data, size_t size) : data_(data), size_(size) {}
  template <class C>
  Span(C& c) : data_(c.data()), size_(c.size()) {}  // NOLINT: implicit from containers, like std::span
  T* data() const { return data_; }
  size_t size() const { return size_; }
  T& operator[](size_t i) const { return data_[i]; }
  T* begin() const { return data_; }
  T* end() const { return data_ + size_; }

 private:
  T* data_ = nullptr;
  size_t size_ = 0;
};

class Backend {
 public:
  virtual ~Backend() = default;
  /// "cpu (2 threads)" or "cuda:<device name>".
  virtual std::string name() const = 0;
  /// out[i] = the estimate of in[i]; in.size() == out.size().
  virtual void evaluate(Span<const formulas::PlanQuery> in, Span<formulas::PlanResult> out) = 0;
};

/// The CPU backend over `threads` threads (batches under 4096 queries run on
/// the calling thread); 0: cpu_threads(). Each query is evaluated on its own,
/// so results never depend on the thread count.
std::unique_ptr<Backend> make_cpu_backend(int threads = 0);
/// Threads the CPU backend uses when not told otherwise (the planner's, the
/// simulation's): set_cpu_threads(), or the hardware's thread count.
int cpu_threads();
/// Sets cpu_threads() for the process (`gwsim run --threads N`); n >= 1.
void set_cpu_threads(int n);
/// The CUDA backend on a device, or nullptr without CUDA support or device.
std::unique_ptr<Backend> make_cuda_backend(int device = 0);
/// CUDA when a device is present, else CPU.
std::unique_ptr<Backend> make_backend();

/// Number of CUDA devices usable now (0 without CUDA support or without a device).
int cuda_device_count();
/// "cpu" or "cuda:<device name>".
std::string backend_name();

/// Evaluations per second of the CUDA kernel with the queries already on the
/// device (`queries` copied once, evaluated `repeat` times); 0 without a device.
double cuda_resident_evaluations_per_s(Span<const formulas::PlanQuery> queries, int repeat);

}  // namespace gwsim::gpu_models
