#include "results/hdf5_reader.hpp"

#include <algorithm>
#include <fmt/format.h>
#include <hdf5.h>

#include "common/error.hpp"
#include "results/hdf5_types.hpp"

namespace gwsim::results {
namespace {

// Owns an HDF5 handle and closes it with the matching function.
class Handle {
 public:
  Handle(hid_t id, herr_t (*close)(hid_t)) : id_(id), close_(close) {}
  ~Handle() {
    if (id_ >= 0) close_(id_);
  }
  Handle(Handle&& o) noexcept : id_(o.id_), close_(o.close_) { o.id_ = -1; }
  Handle(const Handle&) = delete;
  Handle& operator=(const Handle&) = delete;
  operator hid_t() const { return id_; }
  bool ok() const { return id_ >= 0; }

 private:
  hid_t id_;
  herr_t (*close_)(hid_t);
};

Handle open_file(const std::string& path) {
  H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);
  Handle f(H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT), H5Fclose);
  if (!f.ok()) throw Error(ExitCode::OUTPUT, fmt::format("{}: cannot open as HDF5", path));
  return f;
}

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

// The schema page's name of an HDF5 type.
std::string type_name(hid_t type) {
  switch (H5Tget_class(type)) {
    case H5T_INTEGER:
      return fmt::format("{}int{}", H5Tget_sign(type) == H5T_SGN_NONE ? "u" : "", 8 * H5Tget_size(type));
    case H5T_FLOAT:
      return fmt::format("float{}", 8 * H5Tget_size(type));
    case H5T_STRING:
      return "string";
    case H5T_COMPOUND:
      return "compound";
    default:
      return "other";
  }
}

std::string attribute_text(hid_t obj, const std::string& name) {
  if (H5Aexists(obj, name.c_str()) <= 0) return {};
  Handle a(H5Aopen(obj, name.c_str(), H5P_DEFAULT), H5Aclose);
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

}  // namespace

std::vector<JobRecord> read_jobs(const std::string& path) {
  Handle t(job_type(false), H5Tclose);
  return read_all<JobRecord>(path, "/jobs", t);
}

std::vector<EventRecord> read_events(const std::string& path) {
  Handle t(event_type(false), H5Tclose);
  return read_all<EventRecord>(path, "/events", t);
}

std::vector<SegmentRecord> read_segments(const std::string& path) {
  Handle t(segment_type(false), H5Tclose);
  return read_all<SegmentRecord>(path, "/segments", t);
}

std::vector<RequestRecord> read_requests(const std::string& path) {
  Handle t(request_type(false), H5Tclose);
  return read_all<RequestRecord>(path, "/requests", t);
}

Series read_series(const std::string& path, const std::string& metric) {
  Series s;
  s.step = read_all<int64_t>(path, "/timeseries/" + metric + "/step", H5T_NATIVE_INT64);
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
               v.unit = attribute_text(d, "unit");
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
  return read_attribute(path, "/", name);
}

std::string read_attribute(const std::string& path, const std::string& object, const std::string& name) {
  Handle f = open_file(path);
  Handle o(H5Oopen(f, object.c_str(), H5P_DEFAULT), H5Oclose);
  if (!o.ok()) throw Error(ExitCode::OUTPUT, fmt::format("{}: no object {}", path, object));
  return attribute_text(o, name);
}

std::vector<std::string> list_series(const std::string& path) {
  std::vector<std::string> out;
  const std::string prefix = "/timeseries/", suffix = "/value";
  for (const auto& o : describe_file(path))
    if (o.dataset && o.path.rfind(prefix, 0) == 0 && o.path.size() > prefix.size() + suffix.size() &&
        o.path.compare(o.path.size() - suffix.size(), suffix.size(), suffix) == 0)
      out.push_back(o.path.substr(prefix.size(), o.path.size() - prefix.size() - suffix.size()));
  return out;
}

std::vector<ObjectInfo> describe_file(const std::string& path) {
  Handle f = open_file(path);
  std::vector<std::string> names = {"/"};
  H5Lvisit(f, H5_INDEX_NAME, H5_ITER_INC,
           [](hid_t, const char* name, const H5L_info_t*, void* data) -> herr_t {
             static_cast<std::vector<std::string>*>(data)->push_back(std::string("/") + name);
             return 0;
           },
           &names);
  std::sort(names.begin(), names.end());
  std::vector<ObjectInfo> out;
  for (const auto& name : names) {
    Handle o(H5Oopen(f, name.c_str(), H5P_DEFAULT), H5Oclose);
    if (!o.ok()) throw Error(ExitCode::OUTPUT, fmt::format("{}: cannot open {}", path, name));
    ObjectInfo info;
    info.path = name;
    info.dataset = H5Iget_type(o) == H5I_DATASET;
    if (info.dataset) {
      Handle type(H5Dget_type(o), H5Tclose);
      info.type = type_name(type);
      if (H5Tget_class(type) == H5T_COMPOUND)
        for (int i = 0; i < H5Tget_nmembers(type); ++i) {
          char* member = H5Tget_member_name(type, static_cast<unsigned>(i));
          Handle mt(H5Tget_member_type(type, static_cast<unsigned>(i)), H5Tclose);
          info.fields.emplace_back(member, type_name(mt));
          H5free_memory(member);
        }
    }
    H5Aiterate2(o, H5_INDEX_NAME, H5_ITER_INC, nullptr,
                [](hid_t obj, const char* attr, const H5A_info_t*, void* data) -> herr_t {
                  Handle a(H5Aopen(obj, attr, H5P_DEFAULT), H5Aclose);
                  Handle t(H5Aget_type(a), H5Tclose);
                  (*static_cast<std::map<std::string, std::string>*>(data))[attr] = type_name(t);
                  return 0;
                },
                &info.attributes);
    out.push_back(std::move(info));
  }
  return out;
}

std::map<std::string, std::string> dataset_bytes(const std::string& path) {
  Handle f = open_file(path);
  std::map<std::string, std::string> out;
  for (const auto& o : describe_file(path)) {
    if (!o.dataset) continue;
    Handle d = open_dataset(f, path, o.path);
    Handle type(H5Dget_type(d), H5Tclose);
    Handle space(H5Dget_space(d), H5Sclose);
    const auto n = static_cast<size_t>(H5Sget_simple_extent_npoints(space));
    std::string bytes(n * H5Tget_size(type), '\0');
    if (n > 0 && H5Dread(d, type, H5S_ALL, H5S_ALL, H5P_DEFAULT, bytes.data()) < 0)
      throw Error(ExitCode::OUTPUT, fmt::format("{}: cannot read {}", path, o.path));
    out[o.path] = std::move(bytes);
  }
  return out;
}

}  // namespace gwsim::results
