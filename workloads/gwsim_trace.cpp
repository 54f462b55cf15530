#include "workloads/gwsim_trace.hpp"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <fmt/format.h>
#include <google/protobuf/io/coded_stream.h>
#include <google/protobuf/io/zero_copy_stream_impl.h>
#include <google/protobuf/util/delimited_message_util.h>
#include <unistd.h>

#include "common/error.hpp"
#include "workloads/delimited_input.hpp"
#include "workloads/gwsim_trace.pb.h"

namespace gwsim::workloads {

namespace pbio = google::protobuf::io;
namespace pbu = google::protobuf::util;

void to_proto(const JobRequest& r, trace::TraceJob& m) {
  m.Clear();
  m.set_id(r.id);
  m.set_submit_s(r.submit_s);
  m.set_tenant(static_cast<trace::Tenant>(r.tenant));
  m.set_kind(static_cast<trace::Kind>(r.kind));
  m.set_gpus(r.gpus);
  if (!r.gpu_type.empty()) m.set_gpu_type(r.gpu_type);
  m.set_duration_s(r.duration_s);
  m.set_work_tokens(r.work_tokens);
  if (!r.model.empty()) m.set_model(r.model);
  m.set_priority(r.priority);
  m.set_deadline_s(r.deadline_s);
  m.set_patience_s(r.patience_s);
  m.set_price_usd_per_gpu_hour(r.price_usd_per_gpu_hour);
  m.set_estimate_s(r.estimate_s);
  m.set_gpu_fraction(r.gpu_fraction);
  if (r.cpu_milli > 0) m.set_cpu_milli(r.cpu_milli);
  if (r.memory_mib > 0) m.set_memory_mib(r.memory_mib);
  if (r.demand) {
    const InferenceDemand& d = *r.demand;
    trace::InferenceDemand* o = m.mutable_demand();
    o->set_mean_tokens_per_s(d.mean_tokens_per_s);
    o->set_diurnal_amplitude(d.diurnal_amplitude);
    o->set_peak_hour(d.peak_hour);
    o->set_weekend_factor(d.weekend_factor);
    o->set_growth_per_week(d.growth_per_week);
    o->set_prompt_tokens_median(d.prompt_tokens_median);
    o->set_prompt_tokens_sigma(d.prompt_tokens_sigma);
    o->set_output_tokens_median(d.output_tokens_median);
    o->set_output_tokens_sigma(d.output_tokens_sigma);
    o->set_price_usd_per_million_prompt_tokens(d.price_usd_per_million_prompt_tokens);
    o->set_price_usd_per_million_output_tokens(d.price_usd_per_million_output_tokens);
    o->set_ttft_slo_s(d.ttft_slo_s);
    o->set_tpot_slo_s(d.tpot_slo_s);
  }
}

void from_proto(const trace::TraceJob& m, JobRequest& r) {
  r.id = m.id();
  r.submit_s = m.submit_s();
  r.tenant = m.tenant() == trace::EXTERNAL ? Tenant::EXTERNAL : Tenant::INTERNAL;
  const int kind = m.kind();
  r.kind = kind >= 0 && kind < JOB_KIND_COUNT ? static_cast<JobKind>(kind) : JobKind::RESEARCH;
  r.gpus = m.gpus();
  r.gpu_type = m.gpu_type();
  r.duration_s = m.duration_s();
  r.work_tokens = m.work_tokens();
  r.model = m.model();
  r.priority = m.priority();
  r.deadline_s = m.deadline_s();
  r.patience_s = m.patience_s();
  r.price_usd_per_gpu_hour = m.price_usd_per_gpu_hour();
  r.estimate_s = m.estimate_s();
  r.gpu_fraction = m.gpu_fraction() > 0 ? m.gpu_fraction() : 1.0;
  r.cpu_milli = m.cpu_milli();
  r.memory_mib = m.memory_mib();
  r.source = 0;
  if (m.has_demand()) {
    auto d = std::make_shared<InferenceDemand>();
    const trace::InferenceDemand& o = m.demand();
    d->mean_tokens_per_s = o.mean_tokens_per_s();
    d->diurnal_amplitude = o.diurnal_amplitude();
    d->peak_hour = o.peak_hour();
    d->weekend_factor = o.weekend_factor();
    d->growth_per_week = o.growth_per_week();
    d->prompt_tokens_median = o.prompt_tokens_median();
    d->prompt_tokens_sigma = o.prompt_tokens_sigma();
    d->output_tokens_median = o.output_tokens_median();
    d->output_tokens_sigma = o.output_tokens_sigma();
    d->price_usd_per_million_prompt_tokens = o.price_usd_per_million_prompt_tokens();
    d->price_usd_per_million_output_tokens = o.price_usd_per_million_output_tokens();
    d->ttft_slo_s = o.ttft_slo_s();
    d->tpot_slo_s = o.tpot_slo_s();
    r.demand = std::move(d);
  } else {
    r.demand.reset();
  }
}

// ---------------------------------------------------------------------------

struct RecordWriter::Impl {
  explicit Impl(int fd) : out(fd, 1 << 16) {}
  pbio::FileOutputStream out;
  trace::TraceJob job;
};

RecordWriter::RecordWriter(int fd) : impl_(std::make_unique<Impl>(fd)) {}
RecordWriter::~RecordWriter() = default;

void RecordWriter::write_header(const trace::TraceHeader& h) { pbu::SerializeDelimitedToZeroCopyStream(h, &impl_->out); }

void RecordWriter::write(const JobRequest& r) {
  to_proto(r, impl_->job);
  pbu::SerializeDelimitedToZeroCopyStream(impl_->job, &impl_->out);
}

bool RecordWriter::flush() { return impl_->out.Flush() && impl_->out.GetErrno() == 0; }

struct RecordReader::Impl {
  explicit Impl(int fd) : in(fd, 1 << 16) {}
  pbio::FileInputStream in;
  trace::TraceJob job;
};

RecordReader::RecordReader(int fd) : impl_(std::make_unique<Impl>(fd)) {}
RecordReader::~RecordReader() = default;


bool RecordReader::read_header(trace::TraceHeader& h, const std::string& name) {
  if (!read_delimited_record(impl_->in, h, name, records_ + 1, h.GetTypeName())) return false;
  ++records_;
  return true;
}

bool RecordReader::read(JobRequest& out, const std::string& name) {
  if (!read_delimited_record(impl_->in, impl_->job, name, records_ + 1, impl_->job.GetTypeName())) return false;
  ++records_;
  from_proto(impl_->job, out);
  return true;
}

// ---------------------------------------------------------------------------

TraceWriter::TraceWriter(const std::string& path, const TraceInfo& info, uint64_t job_count) : path_(path) {
  const std::string partial = path_ + ".partial";
  fd_ = UniqueFd(::open(partial.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644));
  if (!fd_.valid())
    throw Error(ExitCode::OUTPUT, fmt::format("{}: cannot create the trace file ({})", partial, std::strerror(errno)));
  out_ = std::make_unique<RecordWriter>(fd_.get());
  trace::TraceHeader h;
  h.set_magic(GWSIM_TRACE_MAGIC);
  h.set_version(GWSIM_TRACE_VERSION);
  h.set_origin(info.origin);
  h.set_job_count(job_count);
  if (info.origin_unix_s) h.set_origin_unix_s(*info.origin_unix_s);
  h.set_utc_offset_s(info.utc_offset_s);
  out_->write_header(h);
}

TraceWriter::~TraceWriter() {
  if (finished_) return;
  out_.reset();
  fd_.close();
  std::error_code ec;
  std::filesystem::remove(path_ + ".partial", ec);
}

void TraceWriter::write(const JobRequest& r) {
  if (r.submit_s < last_submit_s_)
    throw Error(ExitCode::INTERNAL, fmt::format("{}: job {} submitted at {} after a job at {}: not in arrival order",
                                                path_, r.id, r.submit_s, last_submit_s_));
  last_submit_s_ = r.submit_s;
  out_->write(r);
  ++written_;
}

void TraceWriter::finish() {
  if (finished_) return;
  const bool ok = out_->flush();
  out_.reset();
  const bool closed = fd_.close();
  if (!ok || !closed)
    throw Error(ExitCode::OUTPUT, fmt::format("{}.partial: write error ({})", path_, std::strerror(errno)));
  std::error_code ec;
  std::filesystem::rename(path_ + ".partial", path_, ec);
  if (ec) throw Error(ExitCode::OUTPUT, fmt::format("{}: cannot move the finished trace into place ({})", path_, ec.message()));
  finished_ = true;
}

}  // namespace gwsim::workloads
