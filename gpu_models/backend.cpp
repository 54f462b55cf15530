#include "gpu_models/backend.hpp"

namespace gwsim::gpu_models {

#ifndef GWSIM_HAVE_CUDA
int cuda_device_count() { return 0; }
std::string backend_name() { return "cpu"; }
#endif

}  // namespace gwsim::gpu_models
