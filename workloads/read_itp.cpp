// Format `itp`: Microsoft ITP clusters as published with ElasticFlow
// (microsoft/elasticflow-traces, data/raw-traces):
// `job_id,submission_time,duration,num_gpu`, one file per cluster, each in
// arrival order (checked), the last line without a newline. A directory or a
// list of files is one trace: the files are merged by submission time (ties
// in the order the files are given, directories by file name). Times are
// seconds since the start of collection; every row is an internal research job.
#include <fmt/format.h>

#include "common/error.hpp"
#include "workloads/trace_reader.hpp"

namespace gwsim::workloads {
namespace {

class ItpReader;

/// One cluster file; rows parsed and checked into the parent's report.
class ItpFile final : public Source {
 public:
  ItpFile(const std::string& path, ItpReader& parent);
  std::optional<JobRequest> next() override;

 private:
  ItpReader& parent_;
  LineReader in_;
  std::vector<std::string_view> fields_;
  int submit_ = -1, duration_ = -1, gpus_ = -1;
  double last_ = -1e300;
};

class ItpReader final : public FormatReader {
 public:
  ItpReader(const std::vector<std::string>& files, const ReadOptions& o) : FormatReader(o) {
    info.format = "itp";
    info.origin = fmt::format("itp: {} file{}", files.size(), files.size() == 1 ? "" : "s");
    std::vector<std::unique_ptr<Source>> sources;
    for (const auto& f : files) sources.push_back(std::make_unique<ItpFile>(f, *this));
    merged_ = std::make_unique<MergedSource>(std::move(sources));
  }
  bool ordered() const override { return true; }
  std::optional<JobRequest> next() override { return merged_->next(); }

 private:
  friend class ItpFile;
  std::unique_ptr<MergedSource> merged_;
};

ItpFile::ItpFile(const std::string& path, ItpReader& parent) : parent_(parent), in_(path) {
  const CsvHeader h = read_csv_header(in_, "a CSV header job_id,submission_time,duration,num_gpu");
  submit_ = require_column(h, "submission_time", path, 1);
  duration_ = require_column(h, "duration", path, 1);
  gpus_ = require_column(h, "num_gpu", path, 1);
}

std::optional<JobRequest> ItpFile::next() {
  return parent_.pull_rows(in_, [&](std::string_view line) -> std::optional<JobRequest> {
    split_csv(line, fields_);
    JobRequest r;  // an internal research job
    r.submit_s = parse_number(field_at(fields_, submit_, "submission_time"), "submission_time");
    parent_.check_order(r.submit_s, last_, "submission_time");
    r.duration_s = parse_duration(field_at(fields_, duration_, "duration"), "duration");
    r.gpus = parse_count(field_at(fields_, gpus_, "num_gpu"), "num_gpu", 1);
    return r;
  });
}

}  // namespace

std::unique_ptr<FormatReader> make_itp_reader(const std::vector<std::string>& paths, const ReadOptions& o) {
  return std::make_unique<ItpReader>(expand_paths(paths, ".csv"), o);
}

}  // namespace gwsim::workloads
