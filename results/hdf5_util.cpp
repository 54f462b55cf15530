#include "results/hdf5_util.hpp"

#include <fmt/format.h>
#include <string_view>

#include "common/error.hpp"

namespace gwsim::results {

namespace {

// HDF5's file drivers record a failed system call as "..., errno = 28, error
// message = 'No space left on device', ...": the innermost such entry of the
// error stack is the reason to show.
herr_t find_system_error(unsigned, const H5E_error2_t* e, void* out) {
  constexpr std::string_view KEY = "error message = '";
  const std::string_view desc = e->desc ? e->desc : "";
  const size_t at = desc.find(KEY);
  if (at == std::string_view::npos) return 0;
  const size_t end = desc.find('\'', at + KEY.size());
  *static_cast<std::string*>(out) = std::string(desc.substr(at + KEY.size(), end - at - KEY.size()));
  return 1;  // stop the walk
}

std::string failure_reason() {
  std::string reason;
  H5Ewalk2(H5E_DEFAULT, H5E_WALK_UPWARD, find_system_error, &reason);
  return reason.empty() ? "HDF5 error" : reason;
}

}  // namespace

void init_hdf5() {
  static const bool done = [] {
    H5dont_atexit();  // must come before any other HDF5 call to take effect
    H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);
    return true;
  }();
  (void)done;
}

Handle open_file(const std::string& path) {
  init_hdf5();
  Handle f(H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT), H5Fclose);
  if (!f.ok()) throw Error(ExitCode::OUTPUT, fmt::format("{}: cannot open as HDF5", path));
  return f;
}

void check(herr_t status, const std::string& what, const std::string& path) {
  if (status < 0) throw Error(ExitCode::OUTPUT, fmt::format("{}: cannot {} ({})", path, what, failure_reason()));
}

hid_t check_id(hid_t id, const std::string& what, const std::string& path) {
  if (id < 0) throw Error(ExitCode::OUTPUT, fmt::format("{}: cannot {} ({})", path, what, failure_reason()));
  return id;
}

hid_t string_type(size_t size) {
  hid_t t = H5Tcopy(H5T_C_S1);
  H5Tset_size(t, size == 0 ? 1 : size);
  H5Tset_strpad(t, H5T_STR_NULLTERM);
  return t;
}

void write_string_attr(hid_t obj, const char* name, const std::string& value) {
  hid_t type = string_type(value.size() + 1);
  hid_t space = H5Screate(H5S_SCALAR);
  hid_t attr = H5Acreate2(obj, name, type, space, H5P_DEFAULT, H5P_DEFAULT);
  H5Awrite(attr, type, value.c_str());
  H5Aclose(attr);
  H5Sclose(space);
  H5Tclose(type);
}

hid_t create_group(hid_t parent, const std::string& name, const std::string& path) {
  hid_t gcpl = H5Pcreate(H5P_GROUP_CREATE);
  H5Pset_obj_track_times(gcpl, 0);
  hid_t lcpl = H5Pcreate(H5P_LINK_CREATE);
  H5Pset_create_intermediate_group(lcpl, 1);
  hid_t g = H5Gcreate2(parent, name.c_str(), lcpl, gcpl, H5P_DEFAULT);
  H5Pclose(lcpl);
  H5Pclose(gcpl);
  return check_id(g, "create group " + name, path);
}

}  // namespace gwsim::results
