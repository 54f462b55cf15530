#pragma once
// Reading a run's HDF5 file back (tests, sweeps merging runs, library users).
#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "results/records.hpp"

namespace gwsim::results {

struct Series {
  std::vector<int64_t> step;
  std::vector<double> time_s;
  std::vector<double> value;
};

/// One object of a file as docs/hdf5-schema.md describes it. Types are
/// written as the schema page writes them: uint8 ... int64, float64, string,
/// compound.
struct ObjectInfo {
  std::string path;       ///< "/" for the root, "/jobs", "/timeseries/queue_length/value"
  bool dataset = false;   ///< false: a group
  std::string type;       ///< element type of a dataset; empty for groups
  std::vector<std::pair<std::string, std::string>> fields;  ///< compound fields (name, type), in order
  std::map<std::string, std::string> attributes;             ///< attribute name -> type
};

/// Throw Error(OUTPUT) naming the file and dataset when something is missing.
std::vector<JobRecord> read_jobs(const std::string& path);
std::vector<EventRecord> read_events(const std::string& path);
std::vector<SegmentRecord> read_segments(const std::string& path);
std::vector<RequestRecord> read_requests(const std::string& path);
Series read_series(const std::string& path, const std::string& metric);
std::vector<SummaryValue> read_summary(const std::string& path);
std::vector<std::string> read_lookup(const std::string& path, const std::string& field);
/// A root attribute as text (numbers formatted); empty when absent.
std::string read_root_attribute(const std::string& path, const std::string& name);
/// An attribute of any object ("/timeseries/queue_length", "unit") as text; empty when absent.
std::string read_attribute(const std::string& path, const std::string& object, const std::string& name);
/// Names of the time series in the file ("utilization/internal", ...), sorted.
std::vector<std::string> list_series(const std::string& path);

/// Every group and dataset of the file with its type, fields and attributes, sorted by path.
std::vector<ObjectInfo> describe_file(const std::string& path);
/// Every dataset's stored bytes (in its file type), keyed by path: equal maps
/// mean equal datasets, whatever the file's attributes (start wall time) say.
std::map<std::string, std::string> dataset_bytes(const std::string& path);

}  // namespace gwsim::results
