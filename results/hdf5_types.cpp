#include "results/hdf5_types.hpp"

#include "results/records.hpp"

namespace gwsim::results {

hid_t job_type(bool file) {
  const hid_t u64 = file ? H5T_STD_U64LE : H5T_NATIVE_UINT64;
  const hid_t u32 = file ? H5T_STD_U32LE : H5T_NATIVE_UINT32;
  const hid_t u8 = file ? H5T_STD_U8LE : H5T_NATIVE_UINT8;
  const hid_t i64 = file ? H5T_STD_I64LE : H5T_NATIVE_INT64;
  const hid_t i32 = file ? H5T_STD_I32LE : H5T_NATIVE_INT32;
  const hid_t f64 = file ? H5T_IEEE_F64LE : H5T_NATIVE_DOUBLE;
  hid_t t = H5Tcreate(H5T_COMPOUND, sizeof(JobRecord));
#define GW_FIELD(name, type) H5Tinsert(t, #name, HOFFSET(JobRecord, name), type)
  GW_FIELD(id, u64);
  GW_FIELD(source, u32);
  GW_FIELD(tenant, u8);
  GW_FIELD(kind, u8);
  GW_FIELD(state, u8);
  GW_FIELD(gpu_type, u8);
  GW_FIELD(gpus, i64);
  GW_FIELD(submit_s, f64);
  GW_FIELD(start_s, f64);
  GW_FIELD(end_s, f64);
  GW_FIELD(wait_s, f64);
  GW_FIELD(run_s, f64);
  GW_FIELD(preemptions, i32);
  GW_FIELD(failures, i32);
  GW_FIELD(gpu_hours, f64);
  GW_FIELD(energy_j, f64);
  GW_FIELD(revenue_usd, f64);
  GW_FIELD(useful_s, f64);
  GW_FIELD(sla_credit_usd, f64);
#undef GW_FIELD
  if (file) H5Tpack(t);
  return t;
}

hid_t event_type(bool file) {
  hid_t t = H5Tcreate(H5T_COMPOUND, sizeof(EventRecord));
  H5Tinsert(t, "time_s", HOFFSET(EventRecord, time_s), file ? H5T_IEEE_F64LE : H5T_NATIVE_DOUBLE);
  H5Tinsert(t, "job", HOFFSET(EventRecord, job), file ? H5T_STD_U64LE : H5T_NATIVE_UINT64);
  H5Tinsert(t, "type", HOFFSET(EventRecord, type), file ? H5T_STD_U8LE : H5T_NATIVE_UINT8);
  H5Tinsert(t, "cause", HOFFSET(EventRecord, cause), file ? H5T_STD_U8LE : H5T_NATIVE_UINT8);
  H5Tinsert(t, "gpus", HOFFSET(EventRecord, gpus), file ? H5T_STD_I64LE : H5T_NATIVE_INT64);
  if (file) H5Tpack(t);
  return t;
}

}  // namespace gwsim::results
