#pragma once
// A small HDF5 file of one table and its companions: what a sweep leaves
// (sweep.h5, docs/sweeps.md). The table is one compound dataset of
// fixed-size columns (numbers, or NUL-terminated strings of a fixed width);
// beside it go 1-D datasets (lookup names, axis values, columns that are
// kept apart because they are not deterministic) and external links to
// other files. results knows nothing of what the columns mean: sim fills
// these structures. Written to "<path>.partial" and renamed when complete,
// without modification times, so the same content gives the same bytes.
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace gwsim::results {

/// One column of a table, or the values of a 1-D dataset.
struct Column {
  enum class Type : uint8_t { FLOAT64, INT64, INT32, UINT32, UINT8, STRING };
  std::string name;
  Type type = Type::FLOAT64;
  std::vector<double> reals;      ///< FLOAT64 values
  std::vector<int64_t> integers;  ///< values of the integer types (range checked when written)
  std::vector<std::string> text;  ///< STRING values
  size_t width = 0;               ///< STRING: bytes per value with the NUL (0: longest + 1); longer values are cut
  std::string unit;               ///< written as attribute "unit" (1-D dataset) or "unit:<name>" (table column)

  size_t size() const;
  static Column real(std::string name, std::vector<double> values, std::string unit = {});
  static Column integer(std::string name, Type type, std::vector<int64_t> values, std::string unit = {});
  static Column strings(std::string name, std::vector<std::string> values, size_t width = 0);
};

/// A 1-D dataset at `path` ("lookup/status", "axes/gpu") with string attributes.
struct Dataset1D {
  std::string path;
  Column values;
  std::vector<std::pair<std::string, std::string>> attributes;
};

/// A soft link to another HDF5 file's object, at `path` in this file. `file`
/// is relative to this file's folder (HDF5 looks there when the working
/// directory does not hold it).
struct ExternalLink {
  std::string path;
  std::string file;
  std::string object = "/";
};

struct TableFile {
  std::vector<std::pair<std::string, std::string>> attributes;  ///< root attributes (strings)
  std::vector<std::pair<std::string, int64_t>> int_attributes;  ///< root attributes (int64)
  std::string table_path = "table";
  std::vector<Column> table;  ///< all of the same length
  std::vector<std::pair<std::string, std::string>> table_attributes;
  std::vector<Dataset1D> datasets;
  std::vector<ExternalLink> links;
};

/// Writes the file (through "<path>.partial", renamed at the end). Throws
/// Error(OUTPUT) naming the file, or Error(INTERNAL) when columns disagree.
void write_table_file(const std::string& path, const TableFile& file);

/// Writes one compound table of `columns` at `table_path` into an open HDF5
/// file (`file`: its hid_t; `path` names it in errors). Run files use it for
/// their tables beside the streamed ones (/finance/..., docs/hdf5-schema.md).
void write_table_into(int64_t file, const std::string& table_path, const std::vector<Column>& columns,
                      const std::vector<std::pair<std::string, std::string>>& attributes, const std::string& path);

/// Every column of a compound table, in order: integer fields come back in
/// `integers` (type INT64), floating-point ones in `reals`, strings in `text`.
std::vector<Column> read_table(const std::string& path, const std::string& dataset);
/// A 1-D dataset of numbers or strings, read the same way.
Column read_dataset(const std::string& path, const std::string& dataset);
/// The named column of `columns`; throws Error(OUTPUT) when absent.
const Column& column(const std::vector<Column>& columns, const std::string& name);

}  // namespace gwsim::results
