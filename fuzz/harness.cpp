#include "harness.hpp"

#include <unistd.h>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <initializer_list>
#include <limits>
#include <map>

#include "common/error.hpp"
#include "gpu_models/catalog.hpp"
#include "gpu_models/cost_model.hpp"
#include "sim/operations/chakra_step.hpp"
#include "sim/scenario/scenario.hpp"
#include "workloads/chakra.hpp"
#include "workloads/file_handle.hpp"
#include "workloads/trace_reader.hpp"
#include "workloads/trace_stats.hpp"

namespace gwsim::fuzz {
namespace {

namespace fs = std::filesystem;
using workloads::JobRequest;

[[noreturn]] void abort_on_defect(const std::string& what) {
  std::fprintf(stderr, "gwsim fuzz: defect: %s\n", what.c_str());
  std::abort();
}

DefectHandler defect_handler = abort_on_defect;

[[noreturn]] void defect(const std::string& what) {
  defect_handler(what);
  std::abort();  // a handler that returns is a defect of its own
}

void check(bool ok, const std::string& what) {
  if (!ok) defect(what);
}

// A refusal must carry one of the expected exit codes and a message.
void expect_refusal(const Error& e, std::initializer_list<ExitCode> allowed) {
  bool found = false;
  for (ExitCode c : allowed) found |= e.code() == c;
  const std::string message = e.what();
  check(found, "unexpected exit code " + std::to_string(static_cast<int>(e.code())) + " for: " + message);
  check(!message.empty(), "an error without a message");
}

// A fresh directory for the process's files, removed at exit.
const std::string& work_dir() {
  static const std::string dir = [] {
    const char* tmp = std::getenv("TMPDIR");
    std::string pattern = std::string(tmp && *tmp ? tmp : "/tmp") + "/gwsim-fuzz-XXXXXX";
    if (!mkdtemp(pattern.data())) defect("cannot create a temporary directory");
    fs::create_directories(pattern + "/trace");
    fs::create_directories(pattern + "/sort");
    return pattern;
  }();
  static const bool cleanup = [] {
    std::atexit([] {
      std::error_code ec;
      fs::remove_all(work_dir(), ec);
    });
    return true;
  }();
  (void)cleanup;
  return dir;
}

// Runs one input: whatever it opened is closed again, refused or not. A
// reader that leaks a descriptor per bad file fails a long replay with
// "too many open files", far from the input at fault; this names it.
template <class Run>
void without_leaked_fds(Run&& run) {
  const size_t before = workloads::open_fd_count();
  run();
  const size_t after = workloads::open_fd_count();
  check(after <= before, "file descriptors leaked: " + std::to_string(before) + " open before the input, " +
                             std::to_string(after) + " after");
}

void write_file(const std::string& path, std::string_view bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  check(static_cast<bool>(out), "cannot write " + path);
}

// The files of each format, and whether the reader is given the directory
// (it finds its files there) rather than the first file.
struct Layout {
  std::vector<std::string> files;
  bool open_directory;
};

const std::map<std::string, Layout>& layouts() {
  static const std::map<std::string, Layout> l = {
      {"philly", {{"philly.csv"}, false}},
      {"itp", {{"cluster01.csv", "cluster02.csv", "cluster03.csv"}, true}},
      {"swf", {{"trace.swf"}, false}},
      {"pai", {{"pai_job_table.header", "pai_job_table.csv", "pai_task_table.header", "pai_task_table.csv"}, true}},
      {"openb", {{"openb_pod_list.csv", "openb_node_list_gpu_node.csv"}, true}},
      {"helios", {{"cluster_log.csv"}, false}},
      {"gwsim", {{"trace.pb"}, false}},
      {"chakra", {{"job.0.et", "job.1.et", "job.2.et", "job.3.et"}, true}},
  };
  return l;
}

const Layout& layout(const std::string& format) {
  const auto it = layouts().find(format);
  if (it == layouts().end()) defect("no file layout for trace format " + format);
  return it->second;
}

// Writes the input's parts as the format's files; files of absent parts are removed.
std::vector<std::string> materialize(std::string_view input, const Layout& l) {
  const std::string dir = work_dir() + "/trace";
  const auto parts = split_files(input, l.files.size());
  for (size_t i = 0; i < l.files.size(); ++i) {
    const std::string path = dir + "/" + l.files[i];
    if (i < parts.size()) {
      write_file(path, parts[i]);
    } else {
      std::error_code ec;
      fs::remove(path, ec);
    }
  }
  return {l.open_directory ? dir : dir + "/" + l.files[0]};
}

// What every request of a trace keeps (docs/workloads.md#trace-readers).
void check_request(const JobRequest& r, uint64_t expected_id, double previous_submit_s) {
  check(r.id == expected_id, "ids not numbered 0, 1, 2, ... in arrival order");
  check(std::isfinite(r.submit_s), "a submit time that is not finite");
  check(r.submit_s >= previous_submit_s, "requests out of arrival order");
  check(r.gpus >= 1, "a request for fewer than 1 GPU");
  check(std::isfinite(r.duration_s) && (r.duration_s >= 0 || r.work_tokens > 0),
        "a duration that is not finite, or negative without work tokens");
  check(std::isfinite(r.work_tokens) && r.work_tokens >= 0, "work tokens not finite");
  check(r.gpu_fraction > 0 && r.gpu_fraction <= 1, "a GPU fraction outside (0, 1]");
  check(std::isfinite(r.estimate_s) && std::isfinite(r.deadline_s) && std::isfinite(r.patience_s) &&
            std::isfinite(r.price_usd_per_gpu_hour),
        "a time or price that is not finite");
}

void read_trace(const std::string& format, const std::vector<std::string>& paths, bool skip_bad_rows) {
  workloads::ReadOptions options;
  options.skip_bad_rows = skip_bad_rows;
  options.sort_chunk_jobs = 16;  // unsorted inputs of more than 16 rows spill and merge
  options.temp_dir = work_dir() + "/sort";
  auto reader = workloads::open_trace(format, paths, options);
  const auto& info = reader->info();
  try {
    workloads::check_trace_clock(info.origin_unix_s, info.utc_offset_s);  // the readers' own bounds
  } catch (const workloads::RowError& e) {
    defect("an accepted trace whose " + e.column + " is out of range: " + e.found);
  }
  workloads::TraceStats stats(info.local_origin_s());
  uint64_t n = 0;
  double last = -std::numeric_limits<double>::infinity();
  while (auto r = reader->next()) {
    check_request(*r, n, last);
    last = r->submit_s;
    stats.add(*r);
    ++n;
  }
  check(stats.jobs() == n, "the statistics lost a job");
  if (n > 0) {
    check(std::isfinite(stats.durations().percentile(50)), "a median run time that is not finite");
    check(stats.gpus_percentile(100) >= 1, "a largest job below 1 GPU");
  }
  const auto& report = reader->report();
  check(report.rows >= n + report.skipped, "more jobs and skipped rows than rows");
}

void time_chakra_job(const std::vector<std::string>& paths) {
  const auto ranks = workloads::read_chakra_job(paths);
  static const gpu_models::Catalog catalog = gpu_models::Catalog::builtin();
  sim::StepHardware hw;
  hw.gpu = catalog.find_gpu("H100-SXM");
  check(hw.gpu != nullptr, "no H100-SXM in the catalog");
  hw.links = gpu_models::reference_links(*hw.gpu);
  const auto step = sim::estimate_step(ranks, hw);
  check(std::isfinite(step.step_time_s) && step.step_time_s >= 0, "a step time that is not finite");
  check(step.ranks.size() == ranks.size(), "a rank lost");
}

// What the rest of gwsim assumes of a loaded scenario.
void check_scenario(const sim::Scenario& s) {
  check(std::isfinite(s.horizon_s) && s.horizon_s > 0, "a horizon that is not finite and positive");
  check(s.cluster.gpus_per_node > 0 && s.cluster.gpu_count() > 0, "a cluster without GPUs");
  check(std::isfinite(s.output.sample_interval_s) && s.output.sample_interval_s > 0, "a sample interval <= 0");
  check(std::isfinite(s.scheduler.tick_s) && s.scheduler.tick_s >= 0, "a scheduler tick < 0");
}

}  // namespace

void set_defect_handler(DefectHandler handler) { defect_handler = handler ? handler : abort_on_defect; }

std::vector<std::string_view> split_files(std::string_view input, size_t max_files) {
  std::vector<std::string_view> parts;
  while (parts.size() + 1 < max_files) {
    const size_t at = input.find(FILE_SEPARATOR);
    if (at == std::string_view::npos) break;
    parts.push_back(input.substr(0, at));
    input.remove_prefix(at + FILE_SEPARATOR.size());
  }
  parts.push_back(input);
  return parts;
}

const std::vector<std::string>& fuzzed_trace_formats() {
  static const std::vector<std::string> formats = [] {
    std::vector<std::string> out;
    for (const auto& [format, l] : layouts()) out.push_back(format);
    return out;
  }();
  return formats;
}

const std::vector<std::string>& trace_files(const std::string& format) { return layout(format).files; }

void fuzz_scenario(std::string_view text) {
  // Trace paths in the scenario resolve next to it, in a directory without traces.
  static const std::string path = work_dir() + "/scenario.yaml";
  without_leaked_fds([&] {
    try {
      check_scenario(sim::parse_scenario(std::string(text), path));
    } catch (const Error& e) {
      expect_refusal(e, {ExitCode::SCENARIO});
    }
  });
}

void fuzz_trace(const std::string& format, std::string_view input) {
  const auto paths = materialize(input, layout(format));
  without_leaked_fds([&] {
    if (format == "chakra") {
      try {
        time_chakra_job(paths);
      } catch (const Error& e) {
        expect_refusal(e, {ExitCode::TRACE});
      }
      return;
    }
    for (bool skip : {false, true}) {
      try {
        read_trace(format, paths, skip);
      } catch (const Error& e) {
        expect_refusal(e, {ExitCode::TRACE});
      }
    }
  });
}

}  // namespace gwsim::fuzz
