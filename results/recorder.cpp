#include "results/recorder.hpp"

#include <cstdio>
#include <fmt/format.h>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "common/error.hpp"
#include "results/hdf5_writer.hpp"

namespace gwsim::results {
namespace fs = std::filesystem;

const std::vector<std::string>& job_state_names() {
  static const std::vector<std::string> names = {"completed", "refused", "running_at_end", "queued_at_end", "killed"};
  return names;
}

namespace {
constexpr size_t BLOCK_ROWS = 8192;

template <typename T, typename F>
void push_block(std::vector<T>& buf, const T& row, F&& flush) {
  buf.push_back(row);
  if (buf.size() >= BLOCK_ROWS) {
    flush(buf.data(), buf.size());
    buf.clear();
  }
}

struct SeriesBuffer {
  std::vector<double> t, v;
};
}  // namespace

// Rows waiting for a full block before they go to the writer.
struct Recorder::Buffers {
  std::vector<JobRecord> jobs;
  std::vector<EventRecord> events;
  std::vector<SeriesBuffer> series;
};

Recorder::Recorder(const std::string& dir, RunInfo info) : dir_(dir) {
  std::error_code ec;
  created_dir_ = !fs::exists(dir, ec);
  fs::create_directories(dir, ec);
  if (ec || !fs::is_directory(dir))
    throw Error(ExitCode::OUTPUT, fmt::format("{}: cannot create the output directory ({})", dir, ec ? ec.message() : "not a directory"));
  writer_ = std::make_unique<Hdf5Writer>(h5_path() + ".partial");
  writer_->write_run_info(info);
  buffers_ = std::make_unique<Buffers>();
}

Recorder::~Recorder() {
  if (!finished_) {
    // Abandoned before finish(): leave no half-written output behind.
    writer_.reset();
    std::error_code ec;
    fs::remove(h5_path() + ".partial", ec);
    fs::remove(dir_ + "/summary.json.partial", ec);
    if (created_dir_ && fs::is_empty(dir_, ec)) fs::remove(dir_, ec);
  }
}

void Recorder::set_lookup(const std::string& field, std::vector<std::string> names) {
  writer_->write_lookup(field, names);
}

void Recorder::job(const JobRecord& row) {
  push_block(buffers_->jobs, row, [&](const JobRecord* r, size_t n) { writer_->append_jobs(r, n); });
}

void Recorder::event(const EventRecord& row) {
  push_block(buffers_->events, row, [&](const EventRecord* r, size_t n) { writer_->append_events(r, n); });
}

int Recorder::series(const std::string& metric, const std::string& unit) {
  buffers_->series.emplace_back();
  return writer_->create_series(metric, unit);
}

void Recorder::sample(int id, double time_s, double value) {
  auto& s = buffers_->series[static_cast<size_t>(id)];
  s.t.push_back(time_s);
  s.v.push_back(value);
  if (s.t.size() >= BLOCK_ROWS) {
    writer_->append_series(id, s.t.data(), s.v.data(), s.t.size());
    s.t.clear();
    s.v.clear();
  }
}

void Recorder::finish(bool complete) {
  if (finished_) return;
  auto& b = *buffers_;
  writer_->append_jobs(b.jobs.data(), b.jobs.size());
  writer_->append_events(b.events.data(), b.events.size());
  for (size_t i = 0; i < b.series.size(); ++i)
    writer_->append_series(static_cast<int>(i), b.series[i].t.data(), b.series[i].v.data(), b.series[i].t.size());
  b = Buffers{};
  writer_->write_summary(summary_);
  writer_->close(complete);

  nlohmann::ordered_json j;
  j["complete"] = complete;
  for (const auto& v : summary_) j["summary"][v.name] = {{"value", v.value}, {"unit", v.unit}};
  const std::string json_tmp = dir_ + "/summary.json.partial";
  {
    std::ofstream out(json_tmp);
    out << j.dump(2) << "\n";
    if (!out) throw Error(ExitCode::OUTPUT, fmt::format("{}: cannot write", json_tmp));
  }
  std::error_code ec;
  fs::rename(json_tmp, dir_ + "/summary.json", ec);
  if (!ec) fs::rename(h5_path() + ".partial", h5_path(), ec);
  if (ec) throw Error(ExitCode::OUTPUT, fmt::format("{}: cannot move the finished output into place ({})", dir_, ec.message()));
  finished_ = true;
}

}  // namespace gwsim::results
