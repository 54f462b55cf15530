// Trace reading speed and memory (docs/workloads.md#benchmark): writes
// synthetic traces of two lengths in three formats -- gwsim Protobuf, ITP CSV
// (in arrival order) and Philly CSV (shuffled, so the reader sorts it through
// temporary runs) -- then reads each in a fresh child process and prints jobs
// per second and the child's peak resident memory. Memory that does not grow
// with trace length shows as equal peaks for the two lengths.
//
//   gwsim_trace_read_bench [--jobs N] [--dir DIR]     (default N = 1000000; DIR = $TMPDIR or /tmp)
//
// The traces hold N and 4N jobs. Goals (issue 5): >= 1M jobs/s from the
// Protobuf format, >= 300k jobs/s from CSV.
#include <sys/resource.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fmt/format.h>
#include <string>
#include <vector>

#include "common/rng.hpp"
#include "workloads/generators.hpp"
#include "workloads/gwsim_trace.hpp"
#include "workloads/text_input.hpp"
#include "workloads/trace_reader.hpp"

using namespace gwsim;
using namespace gwsim::workloads;

namespace {

struct Paths {
  std::string pb, itp, philly;
};

// The same jobs in the three formats. Philly rows are written in blocks of
// 1000 rows taken in a scrambled order: far out of arrival order.
Paths write_traces(const std::string& dir, uint64_t jobs) {
  Paths p{fmt::format("{}/bench-{}.pb", dir, jobs), fmt::format("{}/bench-{}-itp.csv", dir, jobs),
          fmt::format("{}/bench-{}-philly.csv", dir, jobs)};
  if (std::filesystem::exists(p.pb) && std::filesystem::exists(p.itp) && std::filesystem::exists(p.philly)) return p;
  InternalJobsParams params;
  params.arrivals.per_hour = 3600;  // dense enough that N jobs fit in a short horizon
  InternalJobsSource src(params, 1e12, 7, "bench");
  TraceInfo info;
  info.origin = "bench";
  TraceWriter pb(p.pb, info);
  std::FILE* itp = std::fopen(p.itp.c_str(), "w");
  std::fprintf(itp, "job_id,submission_time,duration,num_gpu\n");
  std::vector<std::string> philly_rows;
  philly_rows.reserve(jobs);
  constexpr double EPOCH = 1504483200;  // 2017-09-04 00:00:00
  for (uint64_t i = 0; i < jobs; ++i) {
    JobRequest r = *src.next();
    r.submit_s = std::floor(r.submit_s);
    r.duration_s = std::floor(r.duration_s);
    pb.write(r);
    std::fprintf(itp, "%016llx-bench,%.0f,%.0f,%lld\n", static_cast<unsigned long long>(i), r.submit_s, r.duration_s,
                 static_cast<long long>(r.gpus));
    philly_rows.push_back(fmt::format("{},{:.1f},{},{:.1f},vc{}\n", format_timestamp(EPOCH + r.submit_s), r.duration_s,
                                      r.gpus, r.duration_s * double(r.gpus), i % 15));
  }
  pb.finish();
  std::fclose(itp);
  std::FILE* philly = std::fopen(p.philly.c_str(), "w");
  std::fprintf(philly, "timestamp,duration,num_gpus,gpu_time,cluster\n");
  const uint64_t blocks = (jobs + 999) / 1000;
  for (uint64_t k = 0; k < blocks; ++k) {
    const uint64_t b = (k * 7919) % blocks;  // 7919 is prime: a permutation of the blocks
    for (uint64_t i = b * 1000; i < std::min(jobs, (b + 1) * 1000); ++i) std::fputs(philly_rows[i].c_str(), philly);
  }
  std::fclose(philly);
  return p;
}

struct Result {
  uint64_t jobs = 0;
  double seconds = 0;
  long peak_rss_kb = 0;
};

// Reads the whole trace and prints "jobs seconds peak_rss_kb" (the --measure mode).
int read_trace(const std::string& format, const std::string& path) {
  const auto t0 = std::chrono::steady_clock::now();
  uint64_t jobs = 0;
  auto reader = open_trace(format, {path});
  while (auto j = reader->next()) ++jobs;
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  std::printf("%llu %.6f %ld\n", static_cast<unsigned long long>(jobs), seconds, u.ru_maxrss);
  return 0;
}

// Runs `self --measure format path` in a fresh process: its peak RSS is the reader's alone.
Result measure(const char* self, const std::string& format, const std::string& path) {
  int fds[2];
  if (pipe(fds) != 0) std::abort();
  const pid_t pid = fork();
  if (pid == 0) {
    dup2(fds[1], STDOUT_FILENO);
    close(fds[0]);
    execl(self, self, "--measure", format.c_str(), path.c_str(), static_cast<char*>(nullptr));
    _exit(127);
  }
  close(fds[1]);
  char buf[256] = {};
  const ssize_t n = read(fds[0], buf, sizeof buf - 1);
  close(fds[0]);
  int status = 0;
  waitpid(pid, &status, 0);
  Result r;
  unsigned long long jobs = 0;
  if (n <= 0 || std::sscanf(buf, "%llu %lf %ld", &jobs, &r.seconds, &r.peak_rss_kb) != 3)
    std::fprintf(stderr, "reading %s failed\n", path.c_str());
  r.jobs = jobs;
  return r;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc == 4 && std::strcmp(argv[1], "--measure") == 0) return read_trace(argv[2], argv[3]);
  uint64_t jobs = 1000000;
  const char* tmp = std::getenv("TMPDIR");
  std::string dir = tmp && *tmp ? tmp : "/tmp";
  for (int i = 1; i + 1 < argc; i += 2) {
    if (std::strcmp(argv[i], "--jobs") == 0) jobs = std::strtoull(argv[i + 1], nullptr, 10);
    else if (std::strcmp(argv[i], "--dir") == 0) dir = argv[i + 1];
  }
  std::printf("trace reading: jobs per second and peak resident memory (one child process per case)\n");
  std::printf("%-8s %-34s %10s %9s %12s %12s\n", "format", "layout", "jobs", "seconds", "jobs/s", "peak RSS MB");
  for (uint64_t n : {jobs, 4 * jobs}) {
    const Paths p = write_traces(dir, n);
    const struct {
      const char* format;
      const char* layout;
      std::string path;
    } cases[] = {{"gwsim", "Protobuf, length-delimited", p.pb},
                 {"itp", "CSV in arrival order", p.itp},
                 {"philly", "CSV shuffled, external sort", p.philly}};
    for (const auto& c : cases) {
      const Result r = measure(argv[0], c.format, c.path);
      std::printf("%-8s %-34s %10llu %9.3f %12.0f %12.1f\n", c.format, c.layout,
                  static_cast<unsigned long long>(r.jobs), r.seconds, double(r.jobs) / r.seconds,
                  double(r.peak_rss_kb) / 1024.0);
    }
  }
  return 0;
}
