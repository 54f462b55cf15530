#include "workloads/trace_sort.hpp"

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fmt/format.h>
#include <stdlib.h>
#include <unistd.h>

#include "common/error.hpp"
#include "workloads/file_handle.hpp"
#include "workloads/gwsim_trace.hpp"

namespace gwsim::workloads {

/// One sorted run in an unlinked temporary file.
struct SortedSource::Run {
  UniqueFd fd;
  size_t jobs = 0;
};

namespace {

/// Streams a run's records from its start (the Run stays owned by the caller).
class RunSource final : public Source {
 public:
  explicit RunSource(int fd) {
    if (::lseek(fd, 0, SEEK_SET) != 0)
      throw Error(ExitCode::TRACE, fmt::format("sort: cannot rewind a temporary run ({})", std::strerror(errno)));
    in_ = std::make_unique<RecordReader>(fd);
  }
  std::optional<JobRequest> next() override {
    JobRequest r;
    if (!in_->read(r, "sort run")) return std::nullopt;
    return r;
  }

 private:
  std::unique_ptr<RecordReader> in_;
};

std::string temp_directory(const std::string& configured) {
  if (!configured.empty()) return configured;
  const char* env = std::getenv("TMPDIR");
  return env && *env ? env : "/tmp";
}

}  // namespace

SortedSource::SortedSource(std::unique_ptr<Source> input, size_t chunk_jobs, std::string temp_dir)
    : input_(std::move(input)), chunk_jobs_(std::max<size_t>(chunk_jobs, 1)), temp_dir_(temp_directory(temp_dir)) {}

SortedSource::~SortedSource() = default;

template <class Fill>
std::unique_ptr<SortedSource::Run> SortedSource::new_run(Fill&& fill) {
  std::string name = temp_dir_ + "/gwsim-sort-XXXXXX";
  auto run = std::make_unique<Run>();
  run->fd = UniqueFd(::mkstemp(name.data()));
  if (!run->fd.valid())
    throw Error(ExitCode::TRACE, fmt::format("{}: cannot create a temporary file to sort the trace ({}); set TMPDIR",
                                             temp_dir_, std::strerror(errno)));
  ::unlink(name.c_str());  // anonymous from now on: nothing is left behind
  RecordWriter out(run->fd.get());
  run->jobs = fill(out);
  if (!out.flush())
    throw Error(ExitCode::TRACE, fmt::format("{}: cannot write a temporary sort run (disk full?)", temp_dir_));
  ++runs_written_;
  return run;
}

std::unique_ptr<SortedSource::Run> SortedSource::write_run(std::vector<JobRequest>& jobs,
                                                           const std::vector<std::pair<double, uint32_t>>& order) {
  auto run = new_run([&](RecordWriter& out) {
    for (const auto& k : order) out.write(jobs[k.second]);
    return jobs.size();
  });
  jobs.clear();
  return run;
}

std::unique_ptr<SortedSource::Run> SortedSource::merge_runs(std::vector<std::unique_ptr<Run>> runs) {
  std::vector<std::unique_ptr<Source>> sources;
  for (const auto& r : runs) sources.push_back(std::make_unique<RunSource>(r->fd.get()));
  MergedSource merged(std::move(sources));
  return new_run([&](RecordWriter& out) {
    size_t n = 0;
    for (; auto r = merged.next(); ++n) out.write(*r);
    return n;
  });
}

void SortedSource::sort_input() {
  sorted_ = true;
  std::vector<JobRequest> chunk;
  chunk.reserve(std::min<size_t>(chunk_jobs_, 1 << 16));
  while (true) {
    bool exhausted = false;
    while (chunk.size() < chunk_jobs_) {
      auto r = input_->next();
      if (!r) {
        exhausted = true;
        break;
      }
      chunk.push_back(std::move(*r));
    }
    // Sort small keys, not the requests: (time, position) gives ties in file order.
    std::vector<std::pair<double, uint32_t>> keys(chunk.size());
    for (size_t i = 0; i < chunk.size(); ++i) keys[i] = {chunk[i].submit_s, static_cast<uint32_t>(i)};
    std::sort(keys.begin(), keys.end());
    if (exhausted && runs_.empty()) {
      memory_ = std::move(chunk);  // the whole trace fit in one chunk
      order_.reserve(keys.size());
      for (const auto& k : keys) order_.push_back(k.second);
      return;
    }
    if (!chunk.empty()) runs_.push_back(write_run(chunk, keys));
    if (runs_.size() >= MAX_FAN_IN) {
      // Runs are in file order, so merging them all into the first position keeps ties stable.
      auto merged = merge_runs(std::move(runs_));
      runs_.clear();
      runs_.push_back(std::move(merged));
    }
    if (exhausted) break;
  }
  std::vector<std::unique_ptr<Source>> sources;
  for (const auto& r : runs_) sources.push_back(std::make_unique<RunSource>(r->fd.get()));
  merged_ = std::make_unique<MergedSource>(std::move(sources));
}

std::optional<JobRequest> SortedSource::next() {
  if (!sorted_) sort_input();
  if (merged_) return merged_->next();
  if (memory_next_ >= order_.size()) {
    memory_ = {};
    order_ = {};
    return std::nullopt;
  }
  return std::move(memory_[order_[memory_next_++]]);
}

}  // namespace gwsim::workloads
