#pragma once
// Where batched cost-model evaluations run. The CPU backend always exists;
// the CUDA backend exists when gwsim was configured with CUDA and a device is
// present at run time.
#include <string>

namespace gwsim::gpu_models {

/// Number of CUDA devices usable now (0 without CUDA support or without a device).
int cuda_device_count();
/// "cpu" or "cuda:<device name>".
std::string backend_name();

}  // namespace gwsim::gpu_models
