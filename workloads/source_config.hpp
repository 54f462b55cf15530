#pragma once
// One entry of a scenario's `workload:` list, as typed data, and the source
// it makes. The scenario loader (sim/scenario_workload.cpp) fills these from
// YAML; make_source() turns them into streams at the start of a run.
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "workloads/generators.hpp"
#include "workloads/trace_reader.hpp"

namespace gwsim::workloads {

/// An inline list of requests (`type: list`).
struct ListConfig {
  std::vector<JobRequest> jobs;
};

/// A trace replayed as part of a workload (`type: trace`).
struct TraceConfig {
  std::string format;                 ///< a name of trace_formats()
  std::vector<std::string> paths;     ///< files or directories (already resolved against the scenario's folder)
  ReadOptions options;
  std::optional<Tenant> tenant;       ///< overrides the format's tenant (internal) when set
  std::optional<JobKind> kind;        ///< overrides the format's kind when set
  /// Overrides every job's patience when set: a job not started within this
  /// wait (seconds) is refused; 0 tries once, at submission, and drops a job
  /// that does not fit then.
  std::optional<double> patience_s;
  bool ignore_gpu_type = false;       ///< drop GPU-type constraints (the trace's GPUs are not the cluster's)
  uint64_t max_jobs = 0;              ///< replay only the first jobs (in arrival order); 0: all
  double time_offset_s = 0;           ///< added to every submit time (negative: skip the start of the trace)
};

using SourceConfig = std::variant<InternalJobsParams, PretrainParams, LeaseBookParams, OnDemandParams, SpotParams,
                                  InferenceParams, ListConfig, TraceConfig>;

/// The scenario's name of an entry's type ("internal_jobs", "trace", ...).
std::string source_type_name(const SourceConfig& c);

/// The source for one workload entry. `index` is the entry's place in the
/// list; generators draw from random streams named after it, so entries
/// never share draws. Trace files are opened here (Error(TRACE) when they
/// cannot be read).
std::unique_ptr<Source> make_source(const SourceConfig& c, double horizon_s, uint64_t seed, size_t index);

/// A trace with a TraceConfig's overrides applied (tenant, kind, GPU types,
/// job limit, time offset; jobs shifted before 0 are dropped). When the trace
/// ends and malformed rows were skipped, says how many on stderr.
class ConfiguredTrace final : public Source {
 public:
  /// `note_skipped`: say on stderr how many rows were skipped (callers that report it themselves pass false).
  explicit ConfiguredTrace(const TraceConfig& c, bool note_skipped = true);
  std::optional<JobRequest> next() override;
  const TraceReader& reader() const { return *reader_; }

 private:
  TraceConfig config_;
  std::unique_ptr<TraceReader> reader_;
  uint64_t handed_ = 0;
  bool noted_;
};

}  // namespace gwsim::workloads
