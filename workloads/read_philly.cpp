// Format `philly`: the Microsoft Philly trace as published by the
// Pollux/AdaptDL artifact (petuum/adaptdl, osdi21-artifact,
// simulator/traces/philly.csv): `timestamp,duration,num_gpus,gpu_time,cluster`.
// Timestamps are wall-clock text and the rows are NOT in arrival order, so
// the pipeline sorts them (trace_sort.hpp). Every row is an internal research
// job with a fixed duration.
#include <cmath>
#include <fmt/format.h>

#include "common/error.hpp"
#include "workloads/trace_reader.hpp"

namespace gwsim::workloads {
namespace {

class PhillyReader final : public FormatReader {
 public:
  PhillyReader(const std::string& path, const ReadOptions& o) : FormatReader(o), in_(path) {
    info.format = "philly";
    info.origin = "philly: " + path;
    const CsvHeader h = read_csv_header(in_, "a CSV header timestamp,duration,num_gpus,gpu_time,cluster");
    timestamp_ = require_column(h, "timestamp", path, 1);
    duration_ = require_column(h, "duration", path, 1);
    gpus_ = require_column(h, "num_gpus", path, 1);
    gpu_time_ = h.find("gpu_time");
  }

  bool ordered() const override { return false; }
  bool wall_clock() const override { return true; }

  std::optional<JobRequest> next() override {
    return pull_rows(in_, [&](std::string_view line) -> std::optional<JobRequest> {
      split_csv(line, fields_);
      JobRequest r;  // an internal research job
      r.submit_s = parse_timestamp(field_at(fields_, timestamp_, "timestamp"), "timestamp");
      r.duration_s = parse_duration(field_at(fields_, duration_, "duration"), "duration");
      r.gpus = parse_count(field_at(fields_, gpus_, "num_gpus"), "num_gpus", 1);
      if (gpu_time_ >= 0) {
        // The published file carries gpu_time = duration * num_gpus; a row that
        // disagrees was edited or shifted by a column.
        const double gpu_time = parse_number(field_at(fields_, gpu_time_, "gpu_time"), "gpu_time");
        const double expect = r.duration_s * static_cast<double>(r.gpus);
        if (std::fabs(gpu_time - expect) > 1e-6 * std::max(1.0, expect))
          throw RowError{"gpu_time", fmt::format("duration * num_gpus = {:g}", expect), fmt::format("{:g}", gpu_time)};
      }
      return r;
    });
  }

 private:
  LineReader in_;
  std::vector<std::string_view> fields_;
  int timestamp_ = -1, duration_ = -1, gpus_ = -1, gpu_time_ = -1;
};

}  // namespace

std::unique_ptr<FormatReader> make_philly_reader(const std::vector<std::string>& paths, const ReadOptions& o) {
  return std::make_unique<PhillyReader>(one_file(paths, ".csv", "philly"), o);
}

}  // namespace gwsim::workloads
