#pragma once
// Small HDF5 helpers shared by the files of results/ (internal, not part of
// the module's interface): handles that close themselves, error checks that
// name the file, fixed-size strings, attributes and groups written without
// modification times (so the same content gives the same bytes).
#include <hdf5.h>

#include <string>

namespace gwsim::results {

/// Owns an HDF5 handle and closes it with the matching function.
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

/// Sets up the HDF5 library once per process, before its first use: errors
/// become exceptions (no HDF5 stack dumps on stderr), and HDF5 installs no
/// exit-time cleanup. A file whose writes failed (a full disk) cannot be
/// closed, and HDF5 1.10's cleanup at exit crashes on it; gwsim closes every
/// file it finishes itself, and removes the ones it abandons.
void init_hdf5();

/// Opens a file read-only; throws Error(OUTPUT) naming it when that fails.
Handle open_file(const std::string& path);

/// Throw Error(OUTPUT) "<path>: cannot <what> (<reason>)" on a negative
/// status or id; the reason is the operating system's when HDF5 recorded one
/// ("No space left on device", "File too large"), else "HDF5 error".
void check(herr_t status, const std::string& what, const std::string& path);
hid_t check_id(hid_t id, const std::string& what, const std::string& path);

/// A NUL-terminated fixed-size string type of `size` bytes (at least 1). Close it with H5Tclose.
hid_t string_type(size_t size);
void write_string_attr(hid_t obj, const char* name, const std::string& value);

template <typename T>
void write_scalar_attr(hid_t obj, const char* name, hid_t type, T value) {
  hid_t space = H5Screate(H5S_SCALAR);
  hid_t attr = H5Acreate2(obj, name, type, space, H5P_DEFAULT, H5P_DEFAULT);
  H5Awrite(attr, type, &value);
  H5Aclose(attr);
  H5Sclose(space);
}

/// Creates a group (and missing parents) without modification times; close it with H5Gclose.
hid_t create_group(hid_t parent, const std::string& name, const std::string& path);

}  // namespace gwsim::results
