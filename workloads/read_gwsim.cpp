// Format `gwsim`: our own Protobuf trace (gwsim_trace.proto), one header
// record then one record per job in arrival order.
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <fmt/format.h>
#include <limits>

#include "common/error.hpp"
#include "workloads/file_handle.hpp"
#include "workloads/gwsim_trace.hpp"
#include "workloads/gwsim_trace.pb.h"

namespace gwsim::workloads {
namespace {

class GwsimReader final : public FormatReader {
 public:
  GwsimReader(std::string path, const ReadOptions& o) : FormatReader(o), path_(std::move(path)) {
    fd_ = UniqueFd(::open(path_.c_str(), O_RDONLY | O_CLOEXEC));
    if (!fd_.valid())
      throw Error(ExitCode::TRACE, fmt::format("{}: cannot open the trace file ({})", path_, std::strerror(errno)));
    in_ = std::make_unique<RecordReader>(fd_.get());
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
    const auto origin = h.has_origin_unix_s() ? std::optional<double>(h.origin_unix_s()) : std::nullopt;
    try {
      check_trace_clock(origin, h.utc_offset_s());
    } catch (const RowError& e) {
      throw Error(ExitCode::TRACE, describe(Where{path_, 0, "header." + e.column}, e.expected, e.found));
    }
    info.origin_unix_s = origin;
    info.utc_offset_s = h.utc_offset_s();
  }
  bool ordered() const override { return true; }

  std::optional<JobRequest> next() override {
    JobRequest r;
    while (in_->read(r, path_)) {
      ++report.rows;
      try {
        check_request_values(r);
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
  UniqueFd fd_;  // before in_: destroyed after it, also when the constructor throws
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
