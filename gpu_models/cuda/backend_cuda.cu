// CUDA side of backend selection: built only when CUDA is enabled at configure
// time. Linked against the static CUDA runtime, so a machine without a driver
// or a device gets 0 devices and the CPU backend.
#include <cuda_runtime.h>

#include <string>

#include "gpu_models/backend.hpp"

namespace gwsim::gpu_models {

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

}  // namespace gwsim::gpu_models
