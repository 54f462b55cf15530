#include "results/hdf5_types.hpp"

#include <cstdint>
#include <type_traits>

#include "results/records.hpp"

namespace gwsim::results {
namespace {

// The HDF5 type of a field's C++ type: little-endian in the file, native in memory.
template <typename T>
hid_t type_of(bool file) {
  if constexpr (std::is_same_v<T, double>) return file ? H5T_IEEE_F64LE : H5T_NATIVE_DOUBLE;
  else if constexpr (std::is_same_v<T, uint64_t>) return file ? H5T_STD_U64LE : H5T_NATIVE_UINT64;
  else if constexpr (std::is_same_v<T, int64_t>) return file ? H5T_STD_I64LE : H5T_NATIVE_INT64;
  else if constexpr (std::is_same_v<T, uint32_t>) return file ? H5T_STD_U32LE : H5T_NATIVE_UINT32;
  else if constexpr (std::is_same_v<T, int32_t>) return file ? H5T_STD_I32LE : H5T_NATIVE_INT32;
  else if constexpr (std::is_same_v<T, uint8_t>) return file ? H5T_STD_U8LE : H5T_NATIVE_UINT8;
  else static_assert(sizeof(T) == 0, "no HDF5 type for this field");
}

// Builds a compound type field by field; the file type is packed so no
// padding bytes (whose content is undefined) reach the file.
class Compound {
 public:
  Compound(size_t size, bool file) : file_(file), type_(H5Tcreate(H5T_COMPOUND, size)) {}
  template <typename T>
  void add(const char* name, size_t offset) {
    H5Tinsert(type_, name, offset, type_of<T>(file_));
  }
  hid_t done() {
    if (file_) H5Tpack(type_);
    return type_;
  }

 private:
  bool file_;
  hid_t type_;
};

}  // namespace

#define GW_FIELD(S, name) c.add<decltype(S::name)>(#name, HOFFSET(S, name))

hid_t job_type(bool file) {
  Compound c(sizeof(JobRecord), file);
  GW_FIELD(JobRecord, id);
  GW_FIELD(JobRecord, source);
  GW_FIELD(JobRecord, tenant);
  GW_FIELD(JobRecord, kind);
  GW_FIELD(JobRecord, state);
  GW_FIELD(JobRecord, gpu_type);
  GW_FIELD(JobRecord, gpus);
  GW_FIELD(JobRecord, submit_s);
  GW_FIELD(JobRecord, start_s);
  GW_FIELD(JobRecord, end_s);
  GW_FIELD(JobRecord, wait_s);
  GW_FIELD(JobRecord, run_s);
  GW_FIELD(JobRecord, preemptions);
  GW_FIELD(JobRecord, failures);
  GW_FIELD(JobRecord, gpu_hours);
  GW_FIELD(JobRecord, energy_j);
  GW_FIELD(JobRecord, revenue_usd);
  GW_FIELD(JobRecord, useful_s);
  GW_FIELD(JobRecord, sla_credit_usd);
  return c.done();
}

hid_t event_type(bool file) {
  Compound c(sizeof(EventRecord), file);
  GW_FIELD(EventRecord, time_s);
  GW_FIELD(EventRecord, job);
  GW_FIELD(EventRecord, type);
  GW_FIELD(EventRecord, cause);
  GW_FIELD(EventRecord, gpus);
  return c.done();
}

hid_t segment_type(bool file) {
  Compound c(sizeof(SegmentRecord), file);
  GW_FIELD(SegmentRecord, job);
  GW_FIELD(SegmentRecord, start_s);
  GW_FIELD(SegmentRecord, end_s);
  GW_FIELD(SegmentRecord, gpus);
  GW_FIELD(SegmentRecord, pod);
  GW_FIELD(SegmentRecord, first_node);
  GW_FIELD(SegmentRecord, nodes);
  GW_FIELD(SegmentRecord, tenant);
  GW_FIELD(SegmentRecord, kind);
  GW_FIELD(SegmentRecord, energy_j);
  GW_FIELD(SegmentRecord, revenue_usd);
  GW_FIELD(SegmentRecord, gpu_share);
  return c.done();
}

hid_t request_type(bool file) {
  Compound c(sizeof(RequestRecord), file);
  GW_FIELD(RequestRecord, id);
  GW_FIELD(RequestRecord, service);
  GW_FIELD(RequestRecord, replica);
  GW_FIELD(RequestRecord, outcome);
  GW_FIELD(RequestRecord, arrival_s);
  GW_FIELD(RequestRecord, queue_s);
  GW_FIELD(RequestRecord, ttft_s);
  GW_FIELD(RequestRecord, latency_s);
  GW_FIELD(RequestRecord, prompt_tokens);
  GW_FIELD(RequestRecord, output_tokens);
  return c.done();
}

#undef GW_FIELD

}  // namespace gwsim::results
