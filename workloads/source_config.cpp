#include "workloads/source_config.hpp"

#include <fmt/format.h>
#include <iostream>
#include <type_traits>

namespace gwsim::workloads {

std::string source_type_name(const SourceConfig& c) {
  static const char* const NAMES[] = {"internal_jobs", "pretrain", "lease_book", "on_demand",
                                      "spot",          "inference", "list",      "trace"};
  static_assert(std::variant_size_v<SourceConfig> == std::size(NAMES));
  return NAMES[c.index()];
}

std::unique_ptr<Source> make_source(const SourceConfig& c, double horizon_s, uint64_t seed, size_t index) {
  const std::string stream = fmt::format("workload[{}].{}", index, source_type_name(c));
  return std::visit(
      [&](const auto& p) -> std::unique_ptr<Source> {
        using T = std::decay_t<decltype(p)>;
        if constexpr (std::is_same_v<T, InternalJobsParams>)
          return std::make_unique<InternalJobsSource>(p, horizon_s, seed, stream);
        else if constexpr (std::is_same_v<T, PretrainParams>)
          return std::make_unique<PretrainSource>(p, horizon_s, seed, stream);
        else if constexpr (std::is_same_v<T, LeaseBookParams>)
          return std::make_unique<LeaseBookSource>(p, horizon_s, seed, stream);
        else if constexpr (std::is_same_v<T, OnDemandParams>)
          return std::make_unique<RentalSource>(p, JobKind::ON_DEMAND, horizon_s, seed, stream);
        else if constexpr (std::is_same_v<T, SpotParams>)
          return std::make_unique<RentalSource>(p, JobKind::SPOT, horizon_s, seed, stream);
        else if constexpr (std::is_same_v<T, InferenceParams>)
          return make_inference_source(p, horizon_s);
        else if constexpr (std::is_same_v<T, ListConfig>)
          return std::make_unique<ListSource>(p.jobs);
        else
          return std::make_unique<ConfiguredTrace>(p);
      },
      c);
}

ConfiguredTrace::ConfiguredTrace(const TraceConfig& c, bool note_skipped)
    : config_(c), reader_(open_trace(c.format, c.paths, c.options)), noted_(!note_skipped) {}

std::optional<JobRequest> ConfiguredTrace::next() {
  if (config_.max_jobs > 0 && handed_ >= config_.max_jobs) return std::nullopt;
  while (auto r = reader_->next()) {
    r->submit_s += config_.time_offset_s;
    if (r->submit_s < 0) continue;
    if (config_.tenant) r->tenant = *config_.tenant;
    if (config_.kind) r->kind = *config_.kind;
    if (config_.patience_s) r->patience_s = *config_.patience_s;
    if (config_.ignore_gpu_type) r->gpu_type.clear();
    ++handed_;
    return r;
  }
  const auto& report = reader_->report();
  if (report.skipped && !noted_) {
    // Said once, when the trace is exhausted: a run replays on with the rows it could read.
    std::cerr << fmt::format("gwsim: note: {}: skipped {} malformed row{} (first: {})\n", reader_->info().origin,
                             report.skipped, report.skipped == 1 ? "" : "s", report.first_skipped);
    noted_ = true;
  }
  return std::nullopt;
}

}  // namespace gwsim::workloads
