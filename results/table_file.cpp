#include "results/table_file.hpp"

#include <hdf5.h>

#include <algorithm>
#include <cstring>
#include <filesystem>
#include <fmt/format.h>
#include <limits>

#include "common/error.hpp"
#include "results/hdf5_util.hpp"

namespace gwsim::results {
namespace {

constexpr hsize_t CHUNK_ROWS = 1024;
constexpr unsigned DEFLATE_LEVEL = 4;

// Bytes of one value in memory and in the file (the same: packed rows).
size_t value_bytes(const Column& c) {
  switch (c.type) {
    case Column::Type::FLOAT64:
    case Column::Type::INT64: return 8;
    case Column::Type::INT32:
    case Column::Type::UINT32: return 4;
    case Column::Type::UINT8: return 1;
    case Column::Type::STRING: return c.width;
  }
  return 0;
}

// The HDF5 type of a column's values: little-endian in the file, native in memory.
hid_t value_type(const Column& c, bool file) {
  switch (c.type) {
    case Column::Type::FLOAT64: return H5Tcopy(file ? H5T_IEEE_F64LE : H5T_NATIVE_DOUBLE);
    case Column::Type::INT64: return H5Tcopy(file ? H5T_STD_I64LE : H5T_NATIVE_INT64);
    case Column::Type::INT32: return H5Tcopy(file ? H5T_STD_I32LE : H5T_NATIVE_INT32);
    case Column::Type::UINT32: return H5Tcopy(file ? H5T_STD_U32LE : H5T_NATIVE_UINT32);
    case Column::Type::UINT8: return H5Tcopy(file ? H5T_STD_U8LE : H5T_NATIVE_UINT8);
    case Column::Type::STRING: return string_type(c.width);
  }
  return -1;
}

// Fixes a string column's width and checks integer ranges.
Column settled(Column c, const std::string& path) {
  if (c.type == Column::Type::STRING) {
    if (c.width == 0) {
      c.width = 1;
      for (const auto& s : c.text) c.width = std::max(c.width, s.size() + 1);
    }
    return c;
  }
  auto fits = [&](int64_t lo, int64_t hi) {
    for (int64_t v : c.integers)
      if (v < lo || v > hi)
        throw Error(ExitCode::INTERNAL, fmt::format("{}: value {} of column {} is out of its type's range", path, v, c.name));
  };
  if (c.type == Column::Type::INT32) fits(std::numeric_limits<int32_t>::min(), std::numeric_limits<int32_t>::max());
  if (c.type == Column::Type::UINT32) fits(0, std::numeric_limits<uint32_t>::max());
  if (c.type == Column::Type::UINT8) fits(0, 255);
  return c;
}

// Copies value `row` of `c` into `out` (value_bytes(c) bytes, native layout).
void put(const Column& c, size_t row, char* out) {
  switch (c.type) {
    case Column::Type::FLOAT64: std::memcpy(out, &c.reals[row], 8); break;
    case Column::Type::INT64: std::memcpy(out, &c.integers[row], 8); break;
    case Column::Type::INT32: {
      const auto v = static_cast<int32_t>(c.integers[row]);
      std::memcpy(out, &v, 4);
      break;
    }
    case Column::Type::UINT32: {
      const auto v = static_cast<uint32_t>(c.integers[row]);
      std::memcpy(out, &v, 4);
      break;
    }
    case Column::Type::UINT8: *out = static_cast<char>(static_cast<uint8_t>(c.integers[row])); break;
    case Column::Type::STRING: {
      std::memset(out, 0, c.width);
      const std::string& s = c.text[row];
      std::memcpy(out, s.data(), std::min(s.size(), c.width - 1));
      break;
    }
  }
}

hid_t dataset_create_plist(hsize_t rows) {
  hid_t dcpl = H5Pcreate(H5P_DATASET_CREATE);
  H5Pset_obj_track_times(dcpl, 0);
  if (rows > 0) {
    const hsize_t chunk = std::min(rows, CHUNK_ROWS);
    H5Pset_chunk(dcpl, 1, &chunk);
    H5Pset_shuffle(dcpl);
    H5Pset_deflate(dcpl, DEFLATE_LEVEL);
  }
  return dcpl;
}

// Writes `rows` rows of `row_bytes` each from `data` as dataset `name` of
// file type `file_type` (memory type `mem_type`).
hid_t write_rows(hid_t file, const std::string& name, hid_t file_type, hid_t mem_type, size_t rows,
                 const void* data, const std::string& path) {
  const hsize_t dims = rows;
  Handle space(H5Screate_simple(1, &dims, nullptr), H5Sclose);
  Handle dcpl(dataset_create_plist(dims), H5Pclose);
  Handle lcpl(H5Pcreate(H5P_LINK_CREATE), H5Pclose);
  H5Pset_create_intermediate_group(lcpl, 1);
  hid_t d = check_id(H5Dcreate2(file, name.c_str(), file_type, space, lcpl, dcpl, H5P_DEFAULT),
                     "create dataset " + name, path);
  if (rows > 0) check(H5Dwrite(d, mem_type, H5S_ALL, H5S_ALL, H5P_DEFAULT, data), "write " + name, path);
  return d;
}

void write_table(hid_t file, const TableFile& tf, const std::string& path) {
  std::vector<Column> cols;
  for (const auto& c : tf.table) cols.push_back(settled(c, path));
  const size_t rows = cols.empty() ? 0 : cols.front().size();
  size_t row_bytes = 0;
  for (const auto& c : cols) {
    if (c.size() != rows)
      throw Error(ExitCode::INTERNAL, fmt::format("{}: column {} has {} rows, {} has {}", path, c.name, c.size(),
                                                  cols.front().name, rows));
    row_bytes += value_bytes(c);
  }
  Handle file_type(H5Tcreate(H5T_COMPOUND, std::max<size_t>(row_bytes, 1)), H5Tclose);
  Handle mem_type(H5Tcreate(H5T_COMPOUND, std::max<size_t>(row_bytes, 1)), H5Tclose);
  size_t offset = 0;
  for (const auto& c : cols) {
    Handle ft(value_type(c, true), H5Tclose), mt(value_type(c, false), H5Tclose);
    check(H5Tinsert(file_type, c.name.c_str(), offset, ft), "add column " + c.name, path);
    check(H5Tinsert(mem_type, c.name.c_str(), offset, mt), "add column " + c.name, path);
    offset += value_bytes(c);
  }
  std::vector<char> buf(rows * row_bytes);
  for (size_t r = 0; r < rows; ++r) {
    size_t at = r * row_bytes;
    for (const auto& c : cols) {
      put(c, r, buf.data() + at);
      at += value_bytes(c);
    }
  }
  Handle d(write_rows(file, tf.table_path, file_type, mem_type, rows, buf.data(), path), H5Dclose);
  for (const auto& [name, value] : tf.table_attributes) write_string_attr(d, name.c_str(), value);
  for (const auto& c : cols)
    if (!c.unit.empty()) write_string_attr(d, ("unit:" + c.name).c_str(), c.unit);
}

void write_dataset(hid_t file, const Dataset1D& ds, const std::string& path) {
  const Column c = settled(ds.values, path);
  const size_t n = c.size(), w = value_bytes(c);
  std::vector<char> buf(n * w);
  for (size_t r = 0; r < n; ++r) put(c, r, buf.data() + r * w);
  Handle ft(value_type(c, true), H5Tclose), mt(value_type(c, false), H5Tclose);
  Handle d(write_rows(file, ds.path, ft, mt, n, buf.data(), path), H5Dclose);
  if (!c.unit.empty()) write_string_attr(d, "unit", c.unit);
  for (const auto& [name, value] : ds.attributes) write_string_attr(d, name.c_str(), value);
}

// Reads field `name` (or the whole dataset when `name` is empty) of dataset
// `d` whose element type is `type` into a column.
Column read_values(hid_t d, hid_t type, const std::string& name, size_t rows, const std::string& where) {
  Column c;
  c.name = name;
  auto mem_for = [&](hid_t value) -> Handle {
    if (name.empty()) return Handle(H5Tcopy(value), H5Tclose);
    Handle t(H5Tcreate(H5T_COMPOUND, H5Tget_size(value)), H5Tclose);
    H5Tinsert(t, name.c_str(), 0, value);
    return t;
  };
  auto read_into = [&](hid_t value, void* data) {
    Handle mt = mem_for(value);
    if (rows > 0 && H5Dread(d, mt, H5S_ALL, H5S_ALL, H5P_DEFAULT, data) < 0)
      throw Error(ExitCode::OUTPUT, fmt::format("{}: cannot read '{}'", where, name));
  };
  switch (H5Tget_class(type)) {
    case H5T_INTEGER:
      c.type = Column::Type::INT64;
      c.integers.resize(rows);
      read_into(H5T_NATIVE_INT64, c.integers.data());
      break;
    case H5T_FLOAT:
      c.type = Column::Type::FLOAT64;
      c.reals.resize(rows);
      read_into(H5T_NATIVE_DOUBLE, c.reals.data());
      break;
    case H5T_STRING: {
      c.type = Column::Type::STRING;
      c.width = H5Tget_size(type);
      Handle text(string_type(c.width), H5Tclose);
      std::vector<char> buf(rows * c.width);
      read_into(text, buf.data());
      for (size_t r = 0; r < rows; ++r) c.text.emplace_back(std::string(buf.data() + r * c.width, c.width).c_str());
      break;
    }
    default:
      throw Error(ExitCode::OUTPUT, fmt::format("{}: field '{}' is neither a number nor a string", where, name));
  }
  return c;
}

Handle open_1d(hid_t file, const std::string& path, const std::string& dataset, size_t& rows) {
  Handle d(H5Dopen2(file, dataset.c_str(), H5P_DEFAULT), H5Dclose);
  if (!d.ok()) throw Error(ExitCode::OUTPUT, fmt::format("{}: no dataset {}", path, dataset));
  Handle space(H5Dget_space(d), H5Sclose);
  rows = static_cast<size_t>(H5Sget_simple_extent_npoints(space));
  return d;
}

}  // namespace

size_t Column::size() const {
  switch (type) {
    case Type::FLOAT64: return reals.size();
    case Type::STRING: return text.size();
    default: return integers.size();
  }
}

Column Column::real(std::string name, std::vector<double> values, std::string unit) {
  return Column{std::move(name), Type::FLOAT64, std::move(values), {}, {}, 0, std::move(unit)};
}

Column Column::integer(std::string name, Type type, std::vector<int64_t> values, std::string unit) {
  return Column{std::move(name), type, {}, std::move(values), {}, 0, std::move(unit)};
}

Column Column::strings(std::string name, std::vector<std::string> values, size_t width) {
  return Column{std::move(name), Type::STRING, {}, {}, std::move(values), width, {}};
}

void write_table_into(int64_t file, const std::string& table_path, const std::vector<Column>& columns,
                      const std::vector<std::pair<std::string, std::string>>& attributes, const std::string& path) {
  TableFile tf;
  tf.table_path = table_path;
  tf.table = columns;
  tf.table_attributes = attributes;
  write_table(static_cast<hid_t>(file), tf, path);
}

void write_table_file(const std::string& path, const TableFile& tf) {
  namespace fs = std::filesystem;
  const std::string partial = path + ".partial";
  init_hdf5();  // errors become exceptions with a path, not HDF5 stack dumps
  try {
    Handle fapl(H5Pcreate(H5P_FILE_ACCESS), H5Pclose);
    // 1.8+ object format: dense attribute storage, so long texts (a sweep file) fit in attributes.
    H5Pset_libver_bounds(fapl, H5F_LIBVER_V18, H5F_LIBVER_LATEST);
    Handle fcpl(H5Pcreate(H5P_FILE_CREATE), H5Pclose);
    H5Pset_obj_track_times(fcpl, 0);
    Handle file(check_id(H5Fcreate(partial.c_str(), H5F_ACC_TRUNC, fcpl, fapl), "create the file", partial),
                H5Fclose);
    for (const auto& [name, value] : tf.attributes) write_string_attr(file, name.c_str(), value);
    for (const auto& [name, value] : tf.int_attributes) write_scalar_attr(file, name.c_str(), H5T_STD_I64LE, value);
    write_table(file, tf, partial);
    for (const auto& ds : tf.datasets) write_dataset(file, ds, partial);
    Handle lcpl(H5Pcreate(H5P_LINK_CREATE), H5Pclose);
    H5Pset_create_intermediate_group(lcpl, 1);
    for (const auto& link : tf.links)
      check(H5Lcreate_external(link.file.c_str(), link.object.c_str(), file, link.path.c_str(), lcpl, H5P_DEFAULT),
            "create the link " + link.path, partial);
    check(H5Fflush(file, H5F_SCOPE_GLOBAL), "flush the file", partial);
  } catch (const Error&) {
    std::error_code ec;
    fs::remove(partial, ec);  // no half-written file is left behind
    throw;
  }
  std::error_code ec;
  fs::rename(partial, path, ec);
  if (ec) throw Error(ExitCode::OUTPUT, fmt::format("{}: cannot move {} into place ({})", path, partial, ec.message()));
}

std::vector<Column> read_table(const std::string& path, const std::string& dataset) {
  Handle file = open_file(path);
  size_t rows = 0;
  Handle d = open_1d(file, path, dataset, rows);
  Handle type(H5Dget_type(d), H5Tclose);
  if (H5Tget_class(type) != H5T_COMPOUND)
    throw Error(ExitCode::OUTPUT, fmt::format("{}: {} is not a table (compound dataset)", path, dataset));
  std::vector<Column> out;
  const int n = H5Tget_nmembers(type);
  for (int i = 0; i < n; ++i) {
    char* name = H5Tget_member_name(type, static_cast<unsigned>(i));
    std::string field(name);
    H5free_memory(name);
    Handle member(H5Tget_member_type(type, static_cast<unsigned>(i)), H5Tclose);
    out.push_back(read_values(d, member, field, rows, path + ":" + dataset));
    const std::string unit_attr = "unit:" + field;
    if (H5Aexists(d, unit_attr.c_str()) > 0) {
      Handle a(H5Aopen(d, unit_attr.c_str(), H5P_DEFAULT), H5Aclose);
      Handle at(H5Aget_type(a), H5Tclose);
      std::string buf(H5Tget_size(at), '\0');
      H5Aread(a, at, buf.data());
      out.back().unit = buf.c_str();
    }
  }
  return out;
}

Column read_dataset(const std::string& path, const std::string& dataset) {
  Handle file = open_file(path);
  size_t rows = 0;
  Handle d = open_1d(file, path, dataset, rows);
  Handle type(H5Dget_type(d), H5Tclose);
  Column c = read_values(d, type, "", rows, path + ":" + dataset);
  c.name = dataset;
  return c;
}

const Column& column(const std::vector<Column>& columns, const std::string& name) {
  for (const auto& c : columns)
    if (c.name == name) return c;
  throw Error(ExitCode::OUTPUT, fmt::format("no column '{}' in the table", name));
}

}  // namespace gwsim::results
