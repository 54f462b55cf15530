// libFuzzer target: the scenario loader on arbitrary text (harness.hpp).
#include "harness.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  gwsim::fuzz::fuzz_scenario(std::string_view(reinterpret_cast<const char*>(data), size));
  return 0;
}
