#include "results/hdf5_reader.hpp"

#include <fmt/format.h>
#include <hdf5.h>

#include "common/error.hpp"
#include "results/hdf5_types.hpp"
#include "results/hdf5_util.hpp"

namespace gwsim::results {
namespace {

Handle open_dataset(hid_t file, const std::string& path, const std::string& name) {
  Handle d(H5Dopen2(file, name.c_str(), H5P_DEFAULT), H5Dclose);
  if (!d.ok()) throw Error(ExitCode::OUTPUT, fmt::format("{}: no dataset {}", path, name));
  return d;
}

template <typename T>
std::vector<T> read_all(const std::string& path, const std::string& name, hid_t mem_type) {
  Handle f = open_file(path);
  Handle d = open_dataset(f, path, name);
  Handle space(H5Dget_space(d), H5Sclose);
  hssize_t n = H5Sget_simple_extent_npoints(space);
  std::vector<T> out(static_cast<size_t>(n));
  if (n > 0 && H5Dread(d, mem_type, H5S_ALL, H5S_ALL, H5P_DEFAULT, out.data()) < 0)
    throw Error(ExitCode::OUTPUT, fmt::format("{}: cannot read {}", path, name));
  return out;
}

}  // namespace

std::vector<JobRecord> read_jobs(const std::string& path) {
  Handle t(job_type(false), H5Tclose);
  return read_all<JobRecord>(path, "/jobs", t);
}

std::vector<EventRecord> read_events(const std::string& path) {
  Handle t(event_type(false), H5Tclose);
  return read_all<EventRecord>(path, "/events", t);
}

Series read_series(const std::string& path, const std::string& metric) {
  Series s;
  s.time_s = read_all<double>(path, "/timeseries/" + metric + "/time", H5T_NATIVE_DOUBLE);
  s.value = read_all<double>(path, "/timeseries/" + metric + "/value", H5T_NATIVE_DOUBLE);
  return s;
}

std::vector<SummaryValue> read_summary(const std::string& path) {
  Handle f = open_file(path);
  Handle g(H5Gopen2(f, "/summary", H5P_DEFAULT), H5Gclose);
  if (!g.ok()) throw Error(ExitCode::OUTPUT, fmt::format("{}: no group /summary", path));
  std::vector<SummaryValue> out;
  H5Literate(g, H5_INDEX_NAME, H5_ITER_INC, nullptr,
             [](hid_t group, const char* name, const H5L_info_t*, void* data) -> herr_t {
               auto* vec = static_cast<std::vector<SummaryValue>*>(data);
               SummaryValue v;
               v.name = name;
               Handle d(H5Dopen2(group, name, H5P_DEFAULT), H5Dclose);
               H5Dread(d, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, &v.value);
               Handle a(H5Aopen(d, "unit", H5P_DEFAULT), H5Aclose);
               if (a.ok()) {
                 Handle type(H5Aget_type(a), H5Tclose);
                 std::string buf(H5Tget_size(type), '\0');
                 H5Aread(a, type, buf.data());
                 v.unit = buf.c_str();
               }
               vec->push_back(std::move(v));
               return 0;
             },
             &out);
  return out;
}

std::vector<std::string> read_lookup(const std::string& path, const std::string& field) {
  Handle f = open_file(path);
  Handle d = open_dataset(f, path, "/lookup/" + field);
  Handle type(H5Dget_type(d), H5Tclose);
  Handle space(H5Dget_space(d), H5Sclose);
  const size_t width = H5Tget_size(type);
  const auto n = static_cast<size_t>(H5Sget_simple_extent_npoints(space));
  std::vector<char> buf(width * n);
  if (n > 0) H5Dread(d, type, H5S_ALL, H5S_ALL, H5P_DEFAULT, buf.data());
  std::vector<std::string> out;
  for (size_t i = 0; i < n; ++i) out.emplace_back(std::string(buf.data() + i * width, width).c_str());
  return out;
}

std::string read_root_attribute(const std::string& path, const std::string& name) {
  Handle f = open_file(path);
  if (H5Aexists(f, name.c_str()) <= 0) return {};
  Handle a(H5Aopen(f, name.c_str(), H5P_DEFAULT), H5Aclose);
  Handle type(H5Aget_type(a), H5Tclose);
  if (H5Tget_class(type) == H5T_STRING) {
    std::string buf(H5Tget_size(type), '\0');
    H5Aread(a, type, buf.data());
    return buf.c_str();
  }
  if (H5Tget_class(type) == H5T_FLOAT) {
    double v = 0;
    H5Aread(a, H5T_NATIVE_DOUBLE, &v);
    return fmt::format("{}", v);
  }
  if (H5Tget_sign(type) == H5T_SGN_NONE) {
    unsigned long long v = 0;
    H5Aread(a, H5T_NATIVE_ULLONG, &v);
    return fmt::format("{}", v);
  }
  long long v = 0;
  H5Aread(a, H5T_NATIVE_LLONG, &v);
  return fmt::format("{}", v);
}

}  // namespace gwsim::results
