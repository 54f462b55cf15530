// Format `helios`: the Helios traces (S-Lab-System-Group/HeliosData; Hu et
// al., SC'21), `cluster_log.csv` with the header
// `job_id,user,vc,gpu_num,cpu_num,node_num,state,submit_time,start_time,end_time,duration,queue`,
// and the Acme traces that followed them (InternLM/AcmeTrace; Hu et al.,
// NSDI'24), `trace_seren.csv` / `trace_kalos.csv`, which add `type` (Pretrain,
// SFT, Eval, ...) and write times with a zone ("2023-03-01 00:18:22+08:00").
// The header defines the columns; gpu_num and submit_time are required, and
// duration (seconds), or else start_time and end_time. Rows are not assumed
// to be in submission order. Acme `type` Pretrain becomes a pretraining job,
// SFT a fine-tune, anything else research. CPU-only jobs and jobs without a
// run time are filtered. Times without a zone are taken as written.
#include <fmt/format.h>

#include "common/error.hpp"
#include "workloads/trace_reader.hpp"

namespace gwsim::workloads {
namespace {

JobKind acme_kind(std::string_view type) {
  type = trim(type);
  if (type == "Pretrain" || type == "pretrain") return JobKind::PRETRAIN;
  if (type == "SFT" || type == "sft") return JobKind::FINETUNE;
  return JobKind::RESEARCH;
}

class HeliosReader final : public FormatReader {
 public:
  HeliosReader(const std::string& path, const ReadOptions& o) : FormatReader(o), in_(path) {
    info.format = "helios";
    info.origin = "helios: " + path;
    const CsvHeader h = read_csv_header(in_, "a CSV header with gpu_num, submit_time and duration columns");
    gpus_ = require_column(h, "gpu_num", path, 1);
    submit_ = require_column(h, "submit_time", path, 1);
    duration_ = h.find("duration");
    if (duration_ < 0) {
      start_ = require_column(h, "start_time", path, 1);
      end_ = require_column(h, "end_time", path, 1);
    }
    type_ = h.find("type");
    user_ = h.find("user");
  }

  bool ordered() const override { return false; }
  bool wall_clock() const override { return true; }

  std::optional<JobRequest> next() override {
    return pull_rows(in_, [&](std::string_view line) -> std::optional<JobRequest> {
      split_csv(line, f_);
      JobRequest r;  // an internal job
      r.kind = type_ >= 0 ? acme_kind(field_at(f_, type_, "type")) : JobKind::RESEARCH;
      if (user_ >= 0) r.user = std::string(field_at(f_, user_, "user"));  // for estimate: user_history
      double offset = 0;
      r.submit_s = parse_timestamp(field_at(f_, submit_, "submit_time"), "submit_time", &offset);
      if (!zone_known_) info.utc_offset_s = offset;  // the trace's zone, from its first row
      zone_known_ = true;
      r.gpus = parse_count(field_at(f_, gpus_, "gpu_num"), "gpu_num", 0);
      if (duration_ >= 0) {
        const std::string_view d = field_at(f_, duration_, "duration");
        if (!is_missing(d)) r.duration_s = parse_duration(d, "duration");
      } else {
        const std::string_view s = field_at(f_, start_, "start_time"), e = field_at(f_, end_, "end_time");
        if (!is_missing(s) && !is_missing(e)) {
          r.duration_s = parse_timestamp(e, "end_time") - parse_timestamp(s, "start_time");
          if (r.duration_s < 0) throw RowError{"end_time", "a time after start_time", fmt::format("{}", e)};
        }
      }
      if (r.gpus == 0) {
        filter("no GPUs (CPU-only job)");
        return std::nullopt;
      }
      if (r.duration_s < 0) {
        filter("never ran (no duration)");
        return std::nullopt;
      }
      return r;
    });
  }

 private:
  LineReader in_;
  std::vector<std::string_view> f_;
  int gpus_ = -1, submit_ = -1, duration_ = -1, start_ = -1, end_ = -1, type_ = -1, user_ = -1;
  bool zone_known_ = false;
};

}  // namespace

std::unique_ptr<FormatReader> make_helios_reader(const std::vector<std::string>& paths, const ReadOptions& o) {
  return std::make_unique<HeliosReader>(one_file(paths, ".csv", "helios"), o);
}

}  // namespace gwsim::workloads
