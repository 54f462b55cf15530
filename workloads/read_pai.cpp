// Format `pai`: Alibaba PAI GPU trace 2020 (alibaba/clusterdata,
// cluster-trace-gpu-v2020; Weng et al., NSDI'22). The CSV tables have no
// header line: the columns are defined by the .header file beside each table.
// A job is one row of pai_job_table (start_time = submission) and its rows in
// pai_task_table (roles such as worker or ps, each inst_num instances asking
// plan_gpu percent of a GPU each, on gpu_type). The two tables are joined as
// they stream, which needs both sorted by job_name (byte order, as
// `LC_ALL=C sort -t, -k1,1` leaves them; checked). The joined jobs are then
// sorted by submission time like every unsorted trace.
//
// A job asks for ceil(sum of inst_num * plan_gpu / 100) whole GPUs (the exact
// share is kept in gpu_fraction: a job below one GPU shares it), the sum of
// inst_num * plan_cpu / 100 cores and of inst_num * plan_mem GB of memory, runs from its first task's start to its
// last task's end, and needs the GPU types its GPU tasks ran on ("T4",
// "V100|P100", ...). Jobs without GPUs, and jobs whose tasks never ended, are
// filtered. Times are seconds, shifted by Alibaba so that read as Unix time
// in UTC+8 they keep the real hour of day and day of the week.
#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fmt/format.h>
#include <set>

#include "common/error.hpp"
#include "workloads/trace_reader.hpp"

namespace gwsim::workloads {
namespace {

constexpr double PAI_UTC_OFFSET_S = 8 * 3600.0;  // "Asia/Shanghai" (cluster-trace-gpu-v2020/README.md, Note of time)

/// A headerless table whose columns come from `<table>.header`.
struct Table {
  explicit Table(const std::string& csv) : in(csv) {
    std::string header = csv;
    if (header.size() > 4 && header.compare(header.size() - 4, 4, ".csv") == 0) header.resize(header.size() - 4);
    header += ".header";
    if (!std::filesystem::exists(header))
      throw Error(ExitCode::TRACE, describe(Where{csv, 0, ""},
                                            fmt::format("a header file {} beside the table (the PAI tables have no "
                                                        "header line)", header),
                                            "none"));
    LineReader h(header);
    columns = read_csv_header(h, "one line of column names");
    header_path = header;
  }
  int column(std::string_view name) const { return require_column(columns, name, header_path, 1); }

  LineReader in;
  CsvHeader columns;
  std::string header_path;
  std::vector<std::string_view> fields;
};

class PaiReader final : public FormatReader {
 public:
  PaiReader(const std::string& job_table, const std::string& task_table, const ReadOptions& o)
      : FormatReader(o), jobs_(job_table), tasks_(task_table) {
    info.format = "pai";
    info.origin = "pai: " + job_table + " + " + task_table;
    info.utc_offset_s = PAI_UTC_OFFSET_S;
    j_name_ = jobs_.column("job_name");
    j_status_ = jobs_.column("status");
    j_start_ = jobs_.column("start_time");
    t_name_ = tasks_.column("job_name");
    t_inst_ = tasks_.column("inst_num");
    t_start_ = tasks_.column("start_time");
    t_end_ = tasks_.column("end_time");
    t_gpu_ = tasks_.column("plan_gpu");
    t_type_ = tasks_.column("gpu_type");
    t_cpu_ = tasks_.column("plan_cpu");
    t_mem_ = tasks_.column("plan_mem");
    advance_task();
  }

  bool ordered() const override { return false; }
  bool wall_clock() const override { return true; }

  std::optional<JobRequest> next() override {
    return pull_rows(jobs_.in, [&](std::string_view line) -> std::optional<JobRequest> {
      split_csv(line, jobs_.fields);
      const std::string name(field_at(jobs_.fields, j_name_, "job_name"));
      if (!last_job_.empty() && name <= last_job_)
        throw RowError{"job_name", fmt::format("a name after '{}' (the table sorted by job_name, unique)", last_job_),
                       fmt::format("'{}'", name)};
      last_job_ = name;
      const std::string_view submit = field_at(jobs_.fields, j_start_, "start_time");
      const std::string status(trim(field_at(jobs_.fields, j_status_, "status")));
      const Tasks t = tasks_of(name);
      if (is_missing(submit)) {
        filter("no submission time");
        return std::nullopt;
      }
      JobRequest r;  // an internal research job
      r.submit_s = parse_number(submit, "start_time");
      if (t.count == 0) {
        filter("job without task rows");
        return std::nullopt;
      }
      if (t.gpu_percent <= 0) {
        filter("no GPUs (CPU-only job)");
        return std::nullopt;
      }
      if (!t.ended || status == "Running" || status == "Waiting") {
        filter("not finished in the trace (Running, Waiting or no task end time)");
        return std::nullopt;
      }
      r.gpus = whole_gpus(t.gpu_percent / 100.0, "plan_gpu");
      r.gpu_fraction = t.gpu_percent / 100.0 / static_cast<double>(r.gpus);
      r.cpu_milli = std::llround(t.cpu_percent * 10);    // plan_cpu: percent of a core (600 = 6 cores)
      r.memory_mib = std::llround(t.mem_gb * 1024);     // plan_mem: GB (the trace's README says GB; read as GiB)
      r.duration_s = std::max(0.0, t.last_end - t.first_start);
      for (const auto& type : t.types) r.gpu_type += (r.gpu_type.empty() ? "" : "|") + type;
      return r;
    });
  }

 private:
  struct Tasks {
    int count = 0;
    double gpu_percent = 0;
    double cpu_percent = 0;  ///< sum of inst_num * plan_cpu
    double mem_gb = 0;       ///< sum of inst_num * plan_mem
    double first_start = 1e300;
    double last_end = -1e300;
    bool ended = true;
    std::set<std::string> types;
  };

  // Reads the next task row into task_job_ ("" at the end of the table).
  void advance_task() {
    task_job_.clear();
    std::string_view line;
    while (tasks_.in.next(line)) {
      if (trim(line).empty()) continue;
      ++report.rows;  // task rows are rows of the trace too (a bad one is counted as skipped)
      split_csv(line, tasks_.fields);
      try {
        task_job_ = std::string(field_at(tasks_.fields, t_name_, "job_name"));
        if (!last_task_job_.empty() && task_job_ < last_task_job_)
          throw RowError{"job_name", fmt::format("a name at or after '{}' (the table sorted by job_name)",
                                                 last_task_job_),
                         fmt::format("'{}'", task_job_)};
        last_task_job_ = task_job_;
        return;
      } catch (const RowError& e) {
        task_job_.clear();
        bad_row(tasks_.in.path(), tasks_.in.line_number(), e);
      }
    }
  }

  // Consumes the task rows of `job` (and, before them, rows of jobs the job table lacks).
  Tasks tasks_of(const std::string& job) {
    Tasks t;
    while (!task_job_.empty() && task_job_ < job) {
      filter("task row of a job not in the job table");
      advance_task();
    }
    while (!task_job_.empty() && task_job_ == job) {
      const auto& f = tasks_.fields;
      try {
        const double inst = parse_number(field_at(f, t_inst_, "inst_num"), "inst_num");
        const std::string_view gpu = field_at(f, t_gpu_, "plan_gpu");
        const double plan_gpu = is_missing(gpu) ? 0.0 : parse_number(gpu, "plan_gpu");
        if (inst < 0 || plan_gpu < 0)
          throw RowError{"inst_num/plan_gpu", "values >= 0", fmt::format("{} and {}", inst, plan_gpu)};
        const std::string_view cpu = field_at(f, t_cpu_, "plan_cpu");
        const std::string_view mem = field_at(f, t_mem_, "plan_mem");
        const double plan_cpu = is_missing(cpu) ? 0.0 : parse_number(cpu, "plan_cpu");
        const double plan_mem = is_missing(mem) ? 0.0 : parse_number(mem, "plan_mem");
        if (plan_cpu < 0 || plan_mem < 0)
          throw RowError{"plan_cpu/plan_mem", "values >= 0", fmt::format("{} and {}", plan_cpu, plan_mem)};
        ++t.count;
        t.cpu_percent += inst * plan_cpu;
        t.mem_gb += inst * plan_mem;
        if (inst * plan_gpu > 0) {
          t.gpu_percent += inst * plan_gpu;
          const std::string type(trim(field_at(f, t_type_, "gpu_type")));
          if (!is_missing(type)) t.types.insert(type);
        }
        const std::string_view start = field_at(f, t_start_, "start_time");
        const std::string_view end = field_at(f, t_end_, "end_time");
        if (is_missing(start) || is_missing(end)) {
          t.ended = false;
        } else {
          t.first_start = std::min(t.first_start, parse_number(start, "start_time"));
          t.last_end = std::max(t.last_end, parse_number(end, "end_time"));
        }
      } catch (const RowError& e) {
        bad_row(tasks_.in.path(), tasks_.in.line_number(), e);
      }
      advance_task();
    }
    return t;
  }

  Table jobs_;
  Table tasks_;
  int j_name_, j_status_, j_start_;
  int t_name_, t_inst_, t_start_, t_end_, t_gpu_, t_type_, t_cpu_, t_mem_;
  std::string last_job_;
  std::string task_job_;
  std::string last_task_job_;
};

}  // namespace

std::unique_ptr<FormatReader> make_pai_reader(const std::vector<std::string>& paths, const ReadOptions& o) {
  std::string job_table, task_table;
  if (paths.size() == 1 && std::filesystem::is_directory(paths[0])) {
    job_table = paths[0] + "/pai_job_table.csv";
    task_table = paths[0] + "/pai_task_table.csv";
  } else if (paths.size() == 2) {
    job_table = paths[0];
    task_table = paths[1];
  } else {
    throw Error(ExitCode::TRACE, fmt::format("format pai: expected a directory holding pai_job_table.csv and "
                                             "pai_task_table.csv, or those two files, found {} paths",
                                             paths.size()));
  }
  for (const auto& f : {job_table, task_table})
    if (!std::filesystem::exists(f)) throw Error(ExitCode::TRACE, fmt::format("{}: no such file", f));
  return std::make_unique<PaiReader>(job_table, task_table, o);
}

}  // namespace gwsim::workloads
