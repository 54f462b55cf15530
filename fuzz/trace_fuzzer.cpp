// libFuzzer target: one trace format's reader on arbitrary files
// (harness.hpp), built once per format with GWSIM_FUZZ_FORMAT.
#include "harness.hpp"

#ifndef GWSIM_FUZZ_FORMAT
#error "GWSIM_FUZZ_FORMAT names the trace format"
#endif

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  gwsim::fuzz::fuzz_trace(GWSIM_FUZZ_FORMAT, std::string_view(reinterpret_cast<const char*>(data), size));
  return 0;
}
