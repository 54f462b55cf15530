#include "results/recorder.hpp"

#include <cstdio>
#include <fmt/format.h>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "common/error.hpp"
#include "common/rng.hpp"
#include "gwsim_version.hpp"
#include "results/hdf5_writer.hpp"

namespace gwsim::results {
namespace fs = std::filesystem;

const std::vector<std::string>& job_state_names() {
  static const std::vector<std::string> names = {"completed", "refused", "running_at_end", "queued_at_end", "killed"};
  return names;
}

std::string scenario_hash(const std::string& scenario_text) {
  return fmt::format("fnv1a64:{:016x}", fnv1a64(scenario_text));
}

namespace {
// Below this much free space an output location counts as full: a run's
// file is at least tens of kilobytes, usually megabytes.
constexpr uintmax_t MIN_FREE_BYTES = 1 << 20;  // 1 MiB, as the message says
// Rows per block handed to the writer: two chunks of the file's tables.
constexpr size_t BLOCK_ROWS = 8192;

// Rows of one table waiting for a full block.
template <typename T>
struct RowBuffer {
  std::vector<T> rows;
  template <typename Flush>
  void push(const T& row, Flush&& flush) {
    rows.push_back(row);
    if (rows.size() >= BLOCK_ROWS) drain(flush);
  }
  template <typename Flush>
  void drain(Flush&& flush) {
    flush(rows.data(), rows.size());
    rows.clear();
  }
};

struct SeriesBuffer {
  std::vector<double> t, v;
};
}  // namespace

// Rows waiting for a full block before they go to the writer.
struct Recorder::Buffers {
  RowBuffer<JobRecord> jobs;
  RowBuffer<EventRecord> events;
  RowBuffer<SegmentRecord> segments;
  RowBuffer<RequestRecord> requests;
  std::vector<SeriesBuffer> series;
};

Recorder::Recorder(const std::string& dir, RunInfo info) : dir_(dir), info_(std::move(info)) {
  std::error_code ec;
  created_dir_ = !fs::exists(dir, ec);
  fs::create_directories(dir, ec);
  if (ec || !fs::is_directory(dir))
    throw Error(ExitCode::OUTPUT, fmt::format("{}: cannot create the output directory ({})", dir, ec ? ec.message() : "not a directory"));
  try {
    // A full or unwritable location fails here, before the first simulated
    // second (docs/errors.md#output).
    const fs::space_info space = fs::space(dir, ec);
    if (!ec && space.available < MIN_FREE_BYTES)
      throw Error(ExitCode::OUTPUT, describe(Where{dir, 0, ""}, "at least 1 MiB free for the output",
                                             fmt::format("{} KiB free (the location is full)", space.available / 1024)));
    writer_ = std::make_unique<Hdf5Writer>(h5_path() + ".partial");
    writer_->write_run_info(info_);
    writer_->flush();
  } catch (...) {
    abandon();
    throw;
  }
  buffers_ = std::make_unique<Buffers>();
}

Recorder::~Recorder() {
  if (!finished_) abandon();
}

void Recorder::abandon() {
  // Leave no half-written output behind.
  writer_.reset();
  std::error_code ec;
  fs::remove(h5_path() + ".partial", ec);
  fs::remove(summary_json_path() + ".partial", ec);
  if (created_dir_ && fs::is_empty(dir_, ec)) fs::remove(dir_, ec);
}

void Recorder::set_lookup(const std::string& field, std::vector<std::string> names) {
  writer_->write_lookup(field, names);
}

void Recorder::job(const JobRecord& row) {
  buffers_->jobs.push(row, [&](const JobRecord* r, size_t n) { writer_->append_jobs(r, n); });
}

void Recorder::event(const EventRecord& row) {
  buffers_->events.push(row, [&](const EventRecord* r, size_t n) { writer_->append_events(r, n); });
}

void Recorder::segment(const SegmentRecord& row) {
  buffers_->segments.push(row, [&](const SegmentRecord* r, size_t n) { writer_->append_segments(r, n); });
}

void Recorder::enable_requests() { writer_->create_requests(); }

void Recorder::request(const RequestRecord& row) {
  if (!writer_->has_requests()) throw Error(ExitCode::INTERNAL, "Recorder::request() before enable_requests()");
  buffers_->requests.push(row, [&](const RequestRecord* r, size_t n) { writer_->append_requests(r, n); });
}

int Recorder::series(const std::string& metric, const std::string& unit, Sampling sampling,
                     const std::map<std::string, std::string>& attributes) {
  buffers_->series.emplace_back();
  return writer_->create_series(metric, unit, sampling, attributes);
}

void Recorder::sample(int id, double time_s, double value) {
  auto& s = buffers_->series.at(static_cast<size_t>(id));
  s.t.push_back(time_s);
  s.v.push_back(value);
  if (s.t.size() >= BLOCK_ROWS) {
    writer_->append_series(id, s.t.data(), s.v.data(), s.t.size());
    s.t.clear();
    s.v.clear();
  }
}

void Recorder::write_summary_json(bool complete, const std::string& path) const {
  nlohmann::ordered_json j;
  j["complete"] = complete;
  j["run"] = {{"h5", "run.h5"},
              {"schema_version", SCHEMA_VERSION},
              {"gwsim_version", VERSION},
              {"scenario", info_.scenario_path},
              {"scenario_hash", scenario_hash(info_.scenario_text)},
              {"seed", info_.seed}};
  j["summary"] = nlohmann::ordered_json::object();
  for (const auto& v : summary_) j["summary"][v.name] = {{"value", v.value}, {"unit", v.unit}};
  std::ofstream out(path);
  out << j.dump(2) << "\n";
  if (!out) throw Error(ExitCode::OUTPUT, fmt::format("{}: cannot write", path));
}

void Recorder::finish(bool complete) {
  if (finished_) return;
  auto& b = *buffers_;
  b.jobs.drain([&](const JobRecord* r, size_t n) { writer_->append_jobs(r, n); });
  b.events.drain([&](const EventRecord* r, size_t n) { writer_->append_events(r, n); });
  b.segments.drain([&](const SegmentRecord* r, size_t n) { writer_->append_segments(r, n); });
  if (writer_->has_requests())
    b.requests.drain([&](const RequestRecord* r, size_t n) { writer_->append_requests(r, n); });
  for (size_t i = 0; i < b.series.size(); ++i)
    writer_->append_series(static_cast<int>(i), b.series[i].t.data(), b.series[i].v.data(), b.series[i].t.size());
  b = Buffers{};
  writer_->write_summary(summary_);
  for (const auto& t : tables_) writer_->write_table(t.path, t.columns, t.attributes);
  writer_->close(complete);

  const std::string json_tmp = summary_json_path() + ".partial";
  write_summary_json(complete, json_tmp);
  std::error_code ec;
  fs::rename(json_tmp, summary_json_path(), ec);
  if (!ec) fs::rename(h5_path() + ".partial", h5_path(), ec);
  if (ec) throw Error(ExitCode::OUTPUT, fmt::format("{}: cannot move the finished output into place ({})", dir_, ec.message()));
  finished_ = true;
}

}  // namespace gwsim::results
