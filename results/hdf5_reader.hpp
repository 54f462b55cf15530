#pragma once
// Reading a run's HDF5 file back (tests, sweeps merging runs, library users).
#include <string>
#include <vector>

#include "results/records.hpp"

namespace gwsim::results {

struct Series {
  std::vector<double> time_s;
  std::vector<double> value;
};

/// Throw Error(OUTPUT) naming the file and dataset when something is missing.
std::vector<JobRecord> read_jobs(const std::string& path);
std::vector<EventRecord> read_events(const std::string& path);
Series read_series(const std::string& path, const std::string& metric);
std::vector<SummaryValue> read_summary(const std::string& path);
std::vector<std::string> read_lookup(const std::string& path, const std::string& field);
/// A root attribute as text (numbers formatted); empty when absent.
std::string read_root_attribute(const std::string& path, const std::string& name);

}  // namespace gwsim::results
