#include "workloads/trace_reader.hpp"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <limits>
#include <fmt/format.h>

#include "common/error.hpp"
#include "workloads/trace_sort.hpp"

namespace gwsim::workloads {

namespace fs = std::filesystem;

namespace {

constexpr double MAX_TRACE_S = 1e12;            // 30,000 years: any time in a trace
constexpr double MAX_UTC_OFFSET_S = 18 * 3600.0;  // ISO 8601's widest zone offset

void check_in(double v, double lo, double hi, const char* field) {
  if (!(v >= lo && v <= hi))  // also refuses NaN
    throw RowError{field, fmt::format("a value in [{:g}, {:g}]", lo, hi), fmt::format("{}", v)};
}

}  // namespace

int64_t whole_gpus(double gpus, const char* column) {
  const double whole = std::ceil(gpus - 1e-9);
  if (!(whole >= 1 && whole <= 1e8))
    throw RowError{column, "between 1 and 1e8 GPUs", fmt::format("{:g} GPUs", gpus)};
  return static_cast<int64_t>(whole);
}

void check_trace_clock(std::optional<double> origin_unix_s, double utc_offset_s) {
  if (origin_unix_s) check_in(*origin_unix_s, -MAX_TRACE_S, MAX_TRACE_S, "origin_unix_s");
  check_in(utc_offset_s, -MAX_UTC_OFFSET_S, MAX_UTC_OFFSET_S, "utc_offset_s");
}

void check_request_values(const JobRequest& r) {
  constexpr double INF = std::numeric_limits<double>::infinity();
  constexpr double MAX_FINITE = std::numeric_limits<double>::max();  // below it every number is finite
  constexpr double MAX_S = MAX_TRACE_S;
  check_in(r.submit_s, -MAX_S, MAX_S, "submit_s");
  if (r.gpus < 1) throw RowError{"gpus", "at least 1 GPU", fmt::format("{}", r.gpus)};
  if (r.duration_s < 0) {
    if (!(r.work_tokens > 0 && r.work_tokens < INF))
      throw RowError{"duration_s", "a duration >= 0 s, or work_tokens > 0 with duration_s < 0",
                     fmt::format("duration_s {} and work_tokens {}", r.duration_s, r.work_tokens)};
  } else {
    check_in(r.duration_s, 0, MAX_S, "duration_s");
    check_in(r.work_tokens, 0, MAX_FINITE, "work_tokens");
  }
  // Negative means "none" for these; -inf is refused like any infinity.
  check_in(r.deadline_s, -MAX_S, MAX_S, "deadline_s");
  check_in(r.patience_s, -MAX_S, MAX_S, "patience_s");
  check_in(r.estimate_s, -MAX_S, MAX_S, "estimate_s");
  check_in(r.price_usd_per_gpu_hour, 0, 1e6, "price_usd_per_gpu_hour");
  if (!(r.gpu_fraction > 0 && r.gpu_fraction <= 1))
    throw RowError{"gpu_fraction", "a share of a GPU in (0, 1]", fmt::format("{}", r.gpu_fraction)};
  if (r.cpu_milli < 0 || r.memory_mib < 0)
    throw RowError{"cpu_milli/memory_mib", "values >= 0", fmt::format("{} and {}", r.cpu_milli, r.memory_mib)};
  if (r.kind == JobKind::INFERENCE && !r.demand)
    throw RowError{"demand", "the demand of an inference service", "none"};
  if (const InferenceDemand* d = r.demand.get()) {
    check_in(d->mean_tokens_per_s, 0, 1e12, "demand.mean_tokens_per_s");
    check_in(d->diurnal_amplitude, 0, 1, "demand.diurnal_amplitude");
    check_in(d->peak_hour, 0, 24, "demand.peak_hour");
    check_in(d->weekend_factor, 0, 10, "demand.weekend_factor");
    check_in(d->growth_per_week, -0.99, 10, "demand.growth_per_week");
    check_in(d->prompt_tokens_median, 1, 1e7, "demand.prompt_tokens_median");
    check_in(d->prompt_tokens_sigma, 0, 5, "demand.prompt_tokens_sigma");
    check_in(d->output_tokens_median, 1, 1e7, "demand.output_tokens_median");
    check_in(d->output_tokens_sigma, 0, 5, "demand.output_tokens_sigma");
    check_in(d->price_usd_per_million_prompt_tokens, 0, 1e4, "demand.price_usd_per_million_prompt_tokens");
    check_in(d->price_usd_per_million_output_tokens, 0, 1e4, "demand.price_usd_per_million_output_tokens");
    check_in(d->ttft_slo_s, 0, 3600, "demand.ttft_slo_s");
    check_in(d->tpot_slo_s, 0, 3600, "demand.tpot_slo_s");
  }
}


uint64_t ReadReport::filtered_total() const {
  uint64_t n = 0;
  for (const auto& [reason, count] : filtered) n += count;
  return n;
}

void FormatReader::bad_row(const std::string& file, int64_t line, const RowError& e) {
  const std::string message = describe(Where{file, static_cast<int>(line), e.column}, e.expected, e.found);
  if (!options_.skip_bad_rows)
    throw Error(ExitCode::TRACE, message + " (pass --skip-bad-rows, or skip_bad_rows: true, to skip such rows)");
  if (report.skipped++ == 0) report.first_skipped = message;
}

void FormatReader::check_order(double t, double& last, std::string_view column) const {
  if (t < last)
    throw RowError{std::string(column),
                   fmt::format("a time >= {} (the previous row's: rows of a {} trace are in arrival order)", last,
                               info.format),
                   fmt::format("{}", t)};
  last = t;
}

// ---------------------------------------------------------------------------

TraceReader::TraceReader(std::unique_ptr<FormatReader> format, const ReadOptions& options) : format_(format.get()) {
  if (format->ordered())
    source_ = std::move(format);
  else
    source_ = std::make_unique<SortedSource>(std::move(format), options.sort_chunk_jobs, options.temp_dir);
  first_ = source_->next();
  if (!first_) {
    // An empty replay would run and report zeros: say why nothing came out.
    const ReadReport& rep = format_->report;
    std::string why;
    for (const auto& [reason, count] : rep.filtered) why += fmt::format("; {} filtered: {}", count, reason);
    if (rep.skipped) why += fmt::format("; {} malformed skipped, the first: {}", rep.skipped, rep.first_skipped);
    throw Error(ExitCode::TRACE, fmt::format("{}: expected a trace with at least one job, found none ({} data rows{})",
                                             format_->info.origin, rep.rows, why));
  }
  info_ = format_->info;  // after the first row: some formats learn their time zone from it
  if (format_->wall_clock()) {
    // Rebase wall-clock times to local midnight before the first job, so
    // hours of the day and the weekly cycle keep their meaning.
    constexpr double DAY_S = 86400.0;
    const double first = first_ ? first_->submit_s : 0.0;
    shift_s_ = std::floor((first + info_.utc_offset_s) / DAY_S) * DAY_S - info_.utc_offset_s;
    info_.origin_unix_s = shift_s_;
  }
}

std::optional<JobRequest> TraceReader::pull() {
  if (first_) {
    std::optional<JobRequest> r = std::move(first_);
    first_.reset();
    return r;
  }
  return source_->next();
}

std::optional<JobRequest> TraceReader::next() {
  auto r = pull();
  if (!r) return r;
  r->submit_s -= shift_s_;
  r->id = next_id_++;
  r->source = 0;
  return r;
}

// ---------------------------------------------------------------------------

const std::vector<FormatInfo>& trace_formats() {
  static const std::vector<FormatInfo> formats = {
      {"philly", "Microsoft Philly (Pollux/AdaptDL CSV: timestamp,duration,num_gpus,gpu_time,cluster); unsorted, "
                 "sorted on read"},
      {"itp", "Microsoft ITP (ElasticFlow CSV: job_id,submission_time,duration,num_gpu); a directory or list of "
              "files, each in arrival order, merged"},
      {"swf", "Parallel Workloads Archive Standard Workload Format (18 fields, ';' header comments)"},
      {"pai", "Alibaba GPU 2020: a directory with pai_job_table.csv and pai_task_table.csv and their .header files, "
              "both sorted by job_name"},
      {"openb", "Alibaba GPU 2023 openb pod list (gpu_milli, gpu_spec), with its node list when found beside it"},
      {"helios", "Helios and Acme cluster_log.csv / trace_*.csv (header-defined columns)"},
      {"gwsim", "gwsim Protobuf trace (gwsim_trace.proto, length-delimited, in arrival order)"},
      {"chakra", "MLCommons Chakra execution traces of one job (one .et file per rank); `gwsim trace step` only"},
  };
  return formats;
}

bool is_trace_format(const std::string& name) {
  for (const auto& f : trace_formats())
    if (f.name == name) return true;
  return false;
}

std::string trace_format_names() {
  std::string out;
  for (const auto& f : trace_formats()) out += (out.empty() ? "" : ", ") + f.name;
  return out;
}

std::string one_file(const std::vector<std::string>& paths, const std::string& suffix, const std::string& format) {
  const auto files = expand_paths(paths, suffix);
  if (files.size() != 1)
    throw Error(ExitCode::TRACE, fmt::format("format {}: expected one *{} file, found {}", format, suffix, files.size()));
  return files[0];
}

CsvHeader read_csv_header(LineReader& in, std::string_view expected) {
  std::string_view line;
  if (!in.next(line))
    throw Error(ExitCode::TRACE, describe(Where{in.path(), 1, "header"}, expected, "an empty file"));
  std::vector<std::string_view> fields;
  split_csv(line, fields);
  return CsvHeader(fields);
}

int require_column(const CsvHeader& h, std::string_view name, const std::string& file, int64_t line) {
  try {
    return h.require(name);
  } catch (const RowError& e) {
    throw Error(ExitCode::TRACE, describe(Where{file, static_cast<int>(line), "header"}, e.expected, e.found));
  }
}

std::vector<std::string> expand_paths(const std::vector<std::string>& paths, const std::string& suffix) {
  std::vector<std::string> out;
  for (const auto& p : paths) {
    std::error_code ec;
    if (fs::is_directory(p, ec)) {
      std::vector<std::string> found;
      for (const auto& e : fs::directory_iterator(p, ec)) {
        const std::string name = e.path().filename().string();
        if (e.is_regular_file() && has_trace_suffix(name, suffix)) found.push_back(e.path().string());
      }
      if (found.empty())
        throw Error(ExitCode::TRACE, describe(Where{p, 0, ""}, fmt::format("a directory with *{0} files (or *{0}.gz, *{0}.xz)", suffix),
                                              "none"));
      std::sort(found.begin(), found.end());
      out.insert(out.end(), found.begin(), found.end());
    } else if (fs::exists(p, ec)) {
      out.push_back(p);
    } else {
      throw Error(ExitCode::TRACE, fmt::format("{}: no such file or directory", p));
    }
  }
  if (out.empty()) throw Error(ExitCode::TRACE, "no trace file given");
  return out;
}

std::unique_ptr<TraceReader> open_trace(const std::string& format, const std::vector<std::string>& paths,
                                        const ReadOptions& options) {
  std::unique_ptr<FormatReader> reader;
  if (format == "philly") reader = make_philly_reader(paths, options);
  else if (format == "itp") reader = make_itp_reader(paths, options);
  else if (format == "swf") reader = make_swf_reader(paths, options);
  else if (format == "pai") reader = make_pai_reader(paths, options);
  else if (format == "openb") reader = make_openb_reader(paths, options);
  else if (format == "helios") reader = make_helios_reader(paths, options);
  else if (format == "gwsim") reader = make_gwsim_reader(paths, options);
  else if (format == "chakra")
    throw Error(ExitCode::USAGE, "format chakra holds one job's execution graph, not a job trace: use `gwsim trace "
                                 "step --format chakra` (docs/workloads.md#chakra)");
  else
    throw Error(ExitCode::USAGE, fmt::format("unknown trace format '{}' (expected one of {})", format,
                                             trace_format_names()));
  return std::make_unique<TraceReader>(std::move(reader), options);
}

}  // namespace gwsim::workloads
