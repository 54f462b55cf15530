#pragma once
// Trace readers: every format reads through one pipeline that streams.
//
//   FormatReader (rows in file order, the format's own clock)
//     -> SortedSource, for formats whose rows are not in arrival order
//        (external merge sort: bounded chunks spill to temporary files)
//     -> TraceReader (clock rebased, ids numbered 0, 1, 2, ... in arrival order)
//
// A reader holds one row (or one sort chunk) at a time, never the trace.
// Malformed rows are errors naming file, line, column, what was expected and
// what was found; with ReadOptions::skip_bad_rows they are counted instead.
// Rows that are valid but are not GPU work to replay (CPU-only jobs, jobs that
// never ran) are filtered and counted by reason. docs/workloads.md lists the
// formats and exactly how each column maps to a JobRequest.
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "workloads/source.hpp"
#include "workloads/text_input.hpp"

namespace gwsim::workloads {

struct ReadOptions {
  bool skip_bad_rows = false;      ///< count malformed rows instead of stopping at the first
  size_t sort_chunk_jobs = 1 << 16;  ///< rows sorted in memory at once (formats not in arrival order)
  std::string temp_dir;            ///< where sort runs spill; empty: $TMPDIR, else /tmp
  double procs_per_gpu = 1;        ///< swf: processors that make one GPU (GPUs = ceil(procs / this))
};

/// What a trace says about itself.
struct TraceInfo {
  std::string format;                  ///< format name ("philly")
  std::string origin;                  ///< where the jobs came from (format and paths)
  std::optional<double> origin_unix_s; ///< wall-clock instant (UTC) of submit_s = 0, when known
  double utc_offset_s = 0;             ///< the trace's local time minus UTC; hours of day are local
  std::string cluster;                 ///< the cluster the jobs ran on, when the trace says (openb node list)
  /// Local wall-clock time (Unix seconds + utc_offset_s) of submit_s = 0, when known.
  std::optional<double> local_origin_s() const {
    return origin_unix_s ? std::optional<double>(*origin_unix_s + utc_offset_s) : std::nullopt;
  }
};

/// Counts of what a reader saw; complete once the stream is exhausted.
struct ReadReport {
  uint64_t rows = 0;             ///< data rows read from all the trace's files (headers, comments and blank lines excluded)
  uint64_t skipped = 0;          ///< malformed rows skipped (skip_bad_rows)
  std::string first_skipped;     ///< the error message of the first skipped row
  std::map<std::string, uint64_t> filtered;  ///< valid rows that are not GPU jobs to replay, by reason
  uint64_t filtered_total() const;
};

/// What every trace reader's requests must satisfy (docs/workloads.md#trace-readers):
/// finite times, prices and work within the ranges a simulation can run, at
/// least one GPU, a GPU share in (0, 1], an inference service's demand in the
/// scenario's ranges. Throws RowError naming the field otherwise.
void check_request_values(const JobRequest& r);

/// What a trace may say about its clock (docs/workloads.md#trace-readers):
/// the Unix time of submit_s = 0 within +-1e12 s, like submit times, and a
/// zone offset within +-18 h (ISO 8601's range). Throws RowError naming the
/// field (`origin_unix_s`, `utc_offset_s`) otherwise. Readers check before
/// they keep the values, so a skipped header row leaves none behind.
void check_trace_clock(std::optional<double> origin_unix_s, double utc_offset_s);

/// A GPU count computed from a trace's numbers (processors, GPU percent),
/// rounded up: a RowError naming `column` unless it is in [1, 1e8] (the
/// largest design gwsim builds), so that no huge value is converted.
int64_t whole_gpus(double gpus, const char* column);

/// One format's reader: requests in file order, submit_s in the format's own
/// clock (Unix seconds for wall-clock formats).
class FormatReader : public Source {
 public:
  explicit FormatReader(const ReadOptions& options) : options_(options) {}
  /// True when the format keeps rows in arrival order (the reader checks it
  /// and reports a row that breaks it); false when the rows must be sorted.
  virtual bool ordered() const = 0;
  /// True when submit times are wall-clock Unix seconds: the trace is then
  /// rebased so that submit_s = 0 is local midnight before its first job.
  virtual bool wall_clock() const { return false; }

  TraceInfo info;
  ReadReport report;

 protected:
  /// Reads rows of `in` until `parse` returns a request (nullopt: filtered
  /// row, parse counts it). Blank lines are skipped; a RowError becomes an
  /// Error naming the file and line, or a skipped row.
  template <class Parse>
  std::optional<JobRequest> pull_rows(LineReader& in, Parse&& parse);
  /// Turns a RowError at a line into an Error(TRACE), or counts it when skipping.
  void bad_row(const std::string& file, int64_t line, const RowError& e);
  void filter(const std::string& reason) { report.filtered[reason]++; }
  /// For ordered formats: a RowError when t is before the previous row's time.
  void check_order(double t, double& last, std::string_view column) const;

  ReadOptions options_;
};

/// A trace opened for reading: the format's reader behind the sorting and
/// rebasing stages. Opening reads the first job (for unsorted formats, that
/// sorts the trace into temporary runs), so info() is complete at once.
class TraceReader final : public Source {
 public:
  TraceReader(std::unique_ptr<FormatReader> format, const ReadOptions& options);
  std::optional<JobRequest> next() override;
  const TraceInfo& info() const { return info_; }
  const ReadReport& report() const { return format_->report; }

 private:
  std::optional<JobRequest> pull();

  FormatReader* format_;           ///< owned by source_ (directly or through the sort)
  std::unique_ptr<Source> source_;
  TraceInfo info_;
  double shift_s_ = 0;             ///< subtracted from every submit time
  std::optional<JobRequest> first_;
  uint64_t next_id_ = 0;
};

/// A trace format the readers know.
struct FormatInfo {
  std::string name;
  std::string description;  ///< one line: files expected, ordering
};
const std::vector<FormatInfo>& trace_formats();
bool is_trace_format(const std::string& name);
/// "philly, itp, swf, ..." (for messages).
std::string trace_format_names();

/// Opens `paths` (files or directories, as each format expects) as a trace of
/// `format`. Throws Error(TRACE) for an unknown format, a missing file, or
/// the first malformed row.
std::unique_ptr<TraceReader> open_trace(const std::string& format, const std::vector<std::string>& paths,
                                        const ReadOptions& options = {});

// The formats' readers (one file each: read_<format>.cpp).
std::unique_ptr<FormatReader> make_philly_reader(const std::vector<std::string>& paths, const ReadOptions& o);
std::unique_ptr<FormatReader> make_itp_reader(const std::vector<std::string>& paths, const ReadOptions& o);
std::unique_ptr<FormatReader> make_swf_reader(const std::vector<std::string>& paths, const ReadOptions& o);
std::unique_ptr<FormatReader> make_pai_reader(const std::vector<std::string>& paths, const ReadOptions& o);
std::unique_ptr<FormatReader> make_openb_reader(const std::vector<std::string>& paths, const ReadOptions& o);
std::unique_ptr<FormatReader> make_helios_reader(const std::vector<std::string>& paths, const ReadOptions& o);
std::unique_ptr<FormatReader> make_gwsim_reader(const std::vector<std::string>& paths, const ReadOptions& o);

/// The one file a single-file format reads from `paths` (a file, or a
/// directory holding exactly one *suffix file); Error(TRACE) otherwise.
std::string one_file(const std::vector<std::string>& paths, const std::string& suffix, const std::string& format);

/// Reads the header line of a CSV file; Error(TRACE) when the file is empty.
CsvHeader read_csv_header(LineReader& in, std::string_view expected);
/// The index of a required column of a header read from `file` at `line`;
/// Error(TRACE) naming the columns found when it is missing.
int require_column(const CsvHeader& h, std::string_view name, const std::string& file, int64_t line);

/// The files a path stands for: the path itself, or the regular files in a
/// directory whose names end in `suffix` (or `suffix`.gz, `suffix`.xz), sorted by name. Throws Error(TRACE)
/// when the path does not exist or a directory holds no such file.
std::vector<std::string> expand_paths(const std::vector<std::string>& paths, const std::string& suffix);

// ---------------------------------------------------------------------------

template <class Parse>
std::optional<JobRequest> FormatReader::pull_rows(LineReader& in, Parse&& parse) {
  std::string_view line;
  while (in.next(line)) {
    if (trim(line).empty()) continue;
    ++report.rows;
    try {
      if (auto r = parse(line)) {
        check_request_values(*r);
        return r;
      }
    } catch (const RowError& e) {
      bad_row(in.path(), in.line_number(), e);
    }
  }
  return std::nullopt;
}

}  // namespace gwsim::workloads
