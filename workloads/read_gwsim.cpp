// Format `gwsim`: our own Protobuf trace (gwsim_trace.proto), one header
// record then one record per job in arrival order.
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <fmt/format.h>
#include <limits>
#include <unistd.h>

#include "common/error.hpp"
#include "workloads/gwsim_trace.hpp"
#include "workloads/gwsim_trace.pb.h"

namespace gwsim::workloads {
namespace {

// A record's numbers must be what the simulation can run: the text formats
// check theirs as they parse fields, a binary record is checked whole. The
// ranges of an inference service's demand are the scenario's (docs/workloads.md).
void check_in(double v, double lo, double hi, const char* field) {
  if (!(v >= lo && v <= hi))  // also refuses NaN
    throw RowError{field, fmt::format("a value in [{:g}, {:g}]", lo, hi), fmt::format("{}", v)};
}

void check_values(const JobRequest& r) {
  constexpr double INF = std::numeric_limits<double>::infinity();
  constexpr double MAX_FINITE = std::numeric_limits<double>::max();  // below it every number is finite
  constexpr double MAX_S = 1e12;  // 30,000 years
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

class GwsimReader final : public FormatReader {
 public:
  GwsimReader(std::string path, const ReadOptions& o) : FormatReader(o), path_(std::move(path)) {
    fd_ = ::open(path_.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd_ < 0)
      throw Error(ExitCode::TRACE, fmt::format("{}: cannot open the trace file ({})", path_, std::strerror(errno)));
    in_ = std::make_unique<RecordReader>(fd_);
    trace::TraceHeader h;
    if (!in_->read_header(h, path_) || h.magic() != GWSIM_TRACE_MAGIC)
      throw Error(ExitCode::TRACE,
                  describe(Where{path_, 0, "header"},
                           fmt::format("a gwsim trace starting with a header whose magic is '{}'", GWSIM_TRACE_MAGIC),
                           h.magic().empty() ? std::string("no gwsim header (not a gwsim trace?)")
                                             : fmt::format("magic '{}'", h.magic())));
    if (h.version() != GWSIM_TRACE_VERSION)
      throw Error(ExitCode::TRACE, describe(Where{path_, 0, "header.version"},
                                            fmt::format("version {}", GWSIM_TRACE_VERSION),
                                            fmt::format("version {} (written by a newer gwsim?)", h.version())));
    info.format = "gwsim";
    info.origin = h.origin().empty() ? path_ : h.origin();
    if (h.has_origin_unix_s()) info.origin_unix_s = h.origin_unix_s();
    info.utc_offset_s = h.utc_offset_s();
  }
  ~GwsimReader() override {
    in_.reset();
    if (fd_ >= 0) ::close(fd_);
  }

  bool ordered() const override { return true; }

  std::optional<JobRequest> next() override {
    JobRequest r;
    while (in_->read(r, path_)) {
      ++report.rows;
      try {
        check_values(r);
        check_order(r.submit_s, last_, "submit_s");
        return r;
      } catch (const RowError& e) {
        // Records have no lines: the record number stands in for one.
        bad_row(path_ + " record", static_cast<int64_t>(in_->records()), e);
      }
    }
    return std::nullopt;
  }

 private:
  std::string path_;
  int fd_ = -1;
  std::unique_ptr<RecordReader> in_;
  double last_ = -1e300;
};

}  // namespace

std::unique_ptr<FormatReader> make_gwsim_reader(const std::vector<std::string>& paths, const ReadOptions& o) {
  if (paths.size() != 1)
    throw Error(ExitCode::TRACE, fmt::format("format gwsim: expected one trace file, found {} paths", paths.size()));
  return std::make_unique<GwsimReader>(paths[0], o);
}

}  // namespace gwsim::workloads
