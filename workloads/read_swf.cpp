// Format `swf`: the Standard Workload Format of the Parallel Workloads
// Archive (Feitelson et al., JPDC 2014; www.cs.huji.ac.il/labs/parallel/workload/swf.html).
// Lines starting with ';' are header comments ("; MaxProcs: 128",
// "; UnixStartTime: 1041324000", the time of submit time 0); every other
// line holds 18 whitespace-separated
// fields, -1 meaning missing (any other negative value is a bad row):
//   1 job number  2 submit time  3 wait time  4 run time  5 allocated processors
//   6 average CPU time  7 used memory  8 requested processors  9 requested time
//   10 requested memory  11 status  12 user  13 group  14 executable  15 queue
//   16 partition  17 preceding job  18 think time
// Jobs are in submit-time order (checked). A job asks for ceil(processors /
// procs_per_gpu) GPUs (allocated, else requested processors) for its run
// time; its requested time becomes the user's estimate. Jobs without a run
// time are filtered.
#include <cmath>
#include <fmt/format.h>

#include "common/error.hpp"
#include "workloads/trace_reader.hpp"

namespace gwsim::workloads {
namespace {

constexpr size_t SWF_FIELDS = 18;

class SwfReader final : public FormatReader {
 public:
  SwfReader(const std::string& path, const ReadOptions& o) : FormatReader(o), path_(path), in_(path) {
    info.format = "swf";
    info.origin = "swf: " + path;
    if (!(o.procs_per_gpu > 0))
      throw Error(ExitCode::USAGE, fmt::format("procs_per_gpu: expected a number > 0, found {}", o.procs_per_gpu));
  }
  bool ordered() const override { return true; }

  std::optional<JobRequest> next() override {
    return pull_rows(in_, [&](std::string_view line) -> std::optional<JobRequest> {
      line = trim(line);
      if (line.front() == ';') {
        header(line.substr(1));
        --report.rows;  // a header comment is not a data row (a malformed one is a bad row)
        return std::nullopt;
      }
      split_whitespace(line, fields_);
      if (fields_.size() != SWF_FIELDS)
        throw RowError{"fields", fmt::format("{} whitespace-separated fields", SWF_FIELDS),
                       fmt::format("{}", fields_.size())};
      const auto num = [&](int field, const char* name) { return parse_number(fields_[size_t(field - 1)], name); };
      // A value or -1, SWF's one code for "missing"; any other negative is no SWF value.
      const auto value_or_missing = [&](int field, const char* name) {
        const double v = num(field, name);
        if (v < 0 && v != -1) throw RowError{name, "a value >= 0, or -1 (missing)", std::string(fields_[size_t(field - 1)])};
        return v;
      };
      JobRequest r;  // an internal research job
      r.submit_s = num(2, "submit_time (field 2)");
      if (r.submit_s < 0) throw RowError{"submit_time (field 2)", "a time >= 0", fmt::format("{}", r.submit_s)};
      check_order(r.submit_s, last_, "submit_time (field 2)");
      double procs = value_or_missing(5, "allocated_processors (field 5)");
      if (procs < 0) procs = value_or_missing(8, "requested_processors (field 8)");
      if (procs < 1)
        throw RowError{"processors (fields 5 and 8)", "a processor count >= 1 in field 5 or 8",
                       fmt::format("{} and {}", fields_[4], fields_[7])};
      if (max_procs_ > 0 && procs > max_procs_)
        throw RowError{"processors (fields 5 and 8)", fmt::format("at most MaxProcs = {:g} (from the header)", max_procs_),
                       fmt::format("{:g}", procs)};
      r.gpus = whole_gpus(procs / options_.procs_per_gpu, "processors (fields 5 and 8)");
      r.duration_s = value_or_missing(4, "run_time (field 4)");
      const double requested = value_or_missing(9, "requested_time (field 9)");
      r.estimate_s = requested >= 0 ? requested : -1;
      if (fields_[11] != "-1") r.user = std::string(fields_[11]);  // user id (field 12), for estimate: user_history
      if (r.duration_s < 0) {
        filter("run time missing (-1)");
        return std::nullopt;
      }
      return r;
    });
  }

 private:
  // "; Key: value" header fields; the ones that matter to a replay are read.
  void header(std::string_view text) {
    const size_t colon = text.find(':');
    if (colon == std::string_view::npos) return;
    const std::string_view key = trim(text.substr(0, colon));
    const std::string_view value = trim(text.substr(colon + 1));
    try {
      if (key == "MaxProcs") {
        max_procs_ = parse_number(value, "MaxProcs");
      } else if (key == "UnixStartTime") {
        const double origin = parse_number(value, "UnixStartTime");
        check_trace_clock(origin, info.utc_offset_s);
        info.origin_unix_s = origin;
      }
      // TimeZone is deprecated as buggy by the SWF 2.2 definition, and
      // TimeZoneString names a zone (Europe/Stockholm) without a rule set
      // here: hours of the day stay in UTC.
    } catch (const RowError& e) {
      // A malformed header value is an error like any field (or a skipped row).
      throw RowError{"; " + std::string(key), e.expected, e.found};
    }
  }

  std::string path_;
  LineReader in_;
  std::vector<std::string_view> fields_;
  double max_procs_ = -1;
  double last_ = -1e300;
};

}  // namespace

std::unique_ptr<FormatReader> make_swf_reader(const std::vector<std::string>& paths, const ReadOptions& o) {
  return std::make_unique<SwfReader>(one_file(paths, ".swf", "swf"), o);
}

}  // namespace gwsim::workloads
