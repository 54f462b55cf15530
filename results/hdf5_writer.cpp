#include "results/hdf5_writer.hpp"

#include <hdf5.h>

#include <fmt/format.h>

#include "common/error.hpp"
#include "gwsim_version.hpp"
#include "results/hdf5_types.hpp"
#include "results/hdf5_util.hpp"

namespace gwsim::results {
namespace {

constexpr hsize_t CHUNK_ROWS = 4096;
constexpr unsigned DEFLATE_LEVEL = 4;

}  // namespace

Hdf5Writer::Hdf5Writer(const std::string& path) : path_(path) {
  init_hdf5();  // errors become exceptions with a path, not HDF5 stack dumps
  hid_t fapl = H5Pcreate(H5P_FILE_ACCESS);
  // 1.8+ object format: dense attribute storage, so the scenario text may exceed 64 KiB.
  H5Pset_libver_bounds(fapl, H5F_LIBVER_V18, H5F_LIBVER_LATEST);
  hid_t fcpl = H5Pcreate(H5P_FILE_CREATE);
  H5Pset_obj_track_times(fcpl, 0);
  file_ = H5Fcreate(path.c_str(), H5F_ACC_TRUNC, fcpl, fapl);
  H5Pclose(fapl);
  H5Pclose(fcpl);
  check_id(file_, "create the file", path);

  jobs_ = create_compound("jobs", job_type);
  events_ = create_compound("events", event_type);
  segments_ = create_compound("segments", segment_type);
  H5Gclose(create_group(file_, "timeseries", path_));
  H5Gclose(create_group(file_, "lookup", path_));
}

Hdf5Writer::~Hdf5Writer() {
  try {
    close(false);
  } catch (...) {
  }
}

Hdf5Writer::Table Hdf5Writer::create_table(int64_t parent, const char* name, int64_t file_type, int64_t mem_type,
                                           bool owns_mem_type) {
  hsize_t dims = 0, maxdims = H5S_UNLIMITED, chunk = CHUNK_ROWS;
  hid_t space = H5Screate_simple(1, &dims, &maxdims);
  hid_t dcpl = H5Pcreate(H5P_DATASET_CREATE);
  H5Pset_chunk(dcpl, 1, &chunk);
  H5Pset_shuffle(dcpl);
  H5Pset_deflate(dcpl, DEFLATE_LEVEL);
  H5Pset_obj_track_times(dcpl, 0);
  Table t;
  t.dataset = check_id(H5Dcreate2(parent, name, file_type, space, H5P_DEFAULT, dcpl, H5P_DEFAULT),
                       fmt::format("create dataset {}", name), path_);
  t.mem_type = mem_type;
  t.owns_mem_type = owns_mem_type;
  H5Pclose(dcpl);
  H5Sclose(space);
  return t;
}

Hdf5Writer::Table Hdf5Writer::create_compound(const char* name, int64_t (*type)(bool file)) {
  const hid_t file_type = type(true);
  Table t = create_table(file_, name, file_type, type(false), true);
  H5Tclose(file_type);
  return t;
}

void Hdf5Writer::append(Table& t, const void* rows, size_t n) {
  if (n == 0) return;
  hsize_t new_size = t.rows + n, start = t.rows, count = n;
  check(H5Dset_extent(t.dataset, &new_size), "extend a table", path_);
  // The spaces close after check(): closing them first would clear HDF5's
  // error stack, which holds the system's reason for a failed write.
  const Handle fspace(H5Dget_space(t.dataset), H5Sclose);
  H5Sselect_hyperslab(fspace, H5S_SELECT_SET, &start, nullptr, &count, nullptr);
  const Handle mspace(H5Screate_simple(1, &count, nullptr), H5Sclose);
  check(H5Dwrite(t.dataset, t.mem_type, mspace, fspace, H5P_DEFAULT, rows), "write rows", path_);
  t.rows = new_size;
}

void Hdf5Writer::write_run_info(const RunInfo& info) {
  write_string_attr(file_, "gwsim_version", VERSION);
  write_string_attr(file_, "git_revision", GIT_REVISION);
  write_scalar_attr(file_, "schema_version", H5T_NATIVE_INT, SCHEMA_VERSION);
  write_string_attr(file_, "scenario_path", info.scenario_path);
  write_string_attr(file_, "scenario_text", info.scenario_text);
  write_string_attr(file_, "scenario_hash", scenario_hash(info.scenario_text));
  write_scalar_attr(file_, "seed", H5T_NATIVE_UINT64, info.seed);
  write_string_attr(file_, "simgrid_version", info.simgrid_version);
  write_string_attr(file_, "start_wall_time", info.start_wall_time);
}

void Hdf5Writer::write_lookup(const std::string& field, const std::vector<std::string>& names) {
  size_t width = 1;
  for (const auto& n : names) width = std::max(width, n.size() + 1);
  std::vector<char> buf(width * names.size(), '\0');
  for (size_t i = 0; i < names.size(); ++i) names[i].copy(buf.data() + i * width, names[i].size());
  hid_t type = string_type(width);
  hsize_t dims = names.size();
  hid_t space = H5Screate_simple(1, &dims, nullptr);
  hid_t dcpl = H5Pcreate(H5P_DATASET_CREATE);
  H5Pset_obj_track_times(dcpl, 0);
  hid_t d = check_id(H5Dcreate2(file_, ("lookup/" + field).c_str(), type, space, H5P_DEFAULT, dcpl, H5P_DEFAULT),
                     "create lookup " + field, path_);
  if (!names.empty()) H5Dwrite(d, type, H5S_ALL, H5S_ALL, H5P_DEFAULT, buf.data());
  H5Dclose(d);
  H5Pclose(dcpl);
  H5Sclose(space);
  H5Tclose(type);
}

void Hdf5Writer::append_jobs(const JobRecord* rows, size_t n) { append(jobs_, rows, n); }
void Hdf5Writer::append_events(const EventRecord* rows, size_t n) { append(events_, rows, n); }
void Hdf5Writer::append_segments(const SegmentRecord* rows, size_t n) { append(segments_, rows, n); }

void Hdf5Writer::create_requests() {
  if (!has_requests()) requests_ = create_compound("requests", request_type);
}

void Hdf5Writer::append_requests(const RequestRecord* rows, size_t n) {
  if (!has_requests()) throw Error(ExitCode::INTERNAL, "requests recorded before Recorder::enable_requests()");
  append(requests_, rows, n);
}

// H5MD's time-dependent data element: step, time and value datasets of equal
// length in one group, units as attributes (https://www.nongnu.org/h5md/h5md.html).
int Hdf5Writer::create_series(const std::string& metric, const std::string& unit, Sampling sampling,
                              const std::map<std::string, std::string>& attributes) {
  hid_t g = create_group(file_, "timeseries/" + metric, path_);
  SeriesTables s;
  s.step = create_table(g, "step", H5T_STD_I64LE, H5T_NATIVE_INT64, false);
  s.time = create_table(g, "time", H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, false);
  s.value = create_table(g, "value", H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, false);
  write_string_attr(s.time.dataset, "unit", "s");
  write_string_attr(s.value.dataset, "unit", unit);
  write_string_attr(g, "sampling", sampling == Sampling::INTERVAL_MEAN ? "interval_mean" : "instant");
  for (const auto& [name, value] : attributes) write_string_attr(g, name.c_str(), value);
  H5Gclose(g);
  series_.push_back(s);
  return static_cast<int>(series_.size() - 1);
}

void Hdf5Writer::append_series(int id, const double* time_s, const double* value, size_t n) {
  SeriesTables& s = series_.at(static_cast<size_t>(id));
  steps_.resize(n);
  for (size_t i = 0; i < n; ++i) steps_[i] = static_cast<int64_t>(s.step.rows + i);
  append(s.step, steps_.data(), n);
  append(s.time, time_s, n);
  append(s.value, value, n);
}

void Hdf5Writer::write_summary(const std::vector<SummaryValue>& values) {
  hid_t g = create_group(file_, "summary", path_);
  hid_t dcpl = H5Pcreate(H5P_DATASET_CREATE);
  H5Pset_obj_track_times(dcpl, 0);
  for (const auto& v : values) {
    hid_t space = H5Screate(H5S_SCALAR);
    hid_t d = check_id(H5Dcreate2(g, v.name.c_str(), H5T_IEEE_F64LE, space, H5P_DEFAULT, dcpl, H5P_DEFAULT),
                       "create summary " + v.name, path_);
    H5Dwrite(d, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, &v.value);
    write_string_attr(d, "unit", v.unit);
    H5Dclose(d);
    H5Sclose(space);
  }
  H5Pclose(dcpl);
  H5Gclose(g);
}

void Hdf5Writer::flush() { check(H5Fflush(file_, H5F_SCOPE_GLOBAL), "write the file", path_); }

void Hdf5Writer::write_table(const std::string& table_path, const std::vector<Column>& columns,
                             const std::vector<std::pair<std::string, std::string>>& attributes) {
  write_table_into(file_, table_path, columns, attributes, path_);
}

void Hdf5Writer::close(bool complete) {
  if (file_ < 0) return;
  write_scalar_attr(file_, "complete", H5T_NATIVE_UINT8, static_cast<uint8_t>(complete ? 1 : 0));
  auto close_table = [](Table& t) {
    if (t.dataset >= 0) H5Dclose(t.dataset);
    if (t.owns_mem_type) H5Tclose(t.mem_type);
    t = Table{};
  };
  for (Table* t : {&jobs_, &events_, &segments_, &requests_}) close_table(*t);
  for (auto& s : series_)
    for (Table* t : {&s.step, &s.time, &s.value}) close_table(*t);
  const herr_t st = H5Fclose(file_);
  file_ = -1;
  check(st, "close the file", path_);
}

}  // namespace gwsim::results
