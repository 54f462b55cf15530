// The scenario's `workload:` list: generators, inline job lists and traces.
// docs/workloads.md lists every key, its unit and its default.
#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fmt/format.h>

#include "finance/calendar.hpp"
#include "sim/scenario/scenario_parts.hpp"

namespace gwsim::sim {
namespace {

constexpr int64_t MAX_COUNT = 100'000'000;
constexpr double MAX_S = 1e10;

// Keys per_hour, weekend_factor, and either `hourly` (24 relative rates) or
// diurnal_amplitude and peak_hour (a cosine; giving either drops a default profile).
workloads::ArrivalCycle parse_arrivals(YamlMap m, workloads::ArrivalCycle d) {
  d.per_hour = m.number("per_hour", d.per_hour, 0, 1e7);
  const bool cosine = m.has("diurnal_amplitude") || m.has("peak_hour");
  if (cosine && m.has("hourly"))
    m.fail("hourly", "either 'hourly' or 'diurnal_amplitude'/'peak_hour', not both", "both");
  if (cosine) d.hourly.clear();
  d.diurnal_amplitude = m.number("diurnal_amplitude", d.diurnal_amplitude, 0, 1);
  d.peak_hour = m.number("peak_hour", d.peak_hour, 0, 24);
  d.weekend_factor = m.number("weekend_factor", d.weekend_factor, 0, 10);
  d.growth_per_year = m.number("growth_per_year", d.growth_per_year, -0.99, 100);
  if (m.has("hourly")) {
    const auto values = m.str_list("hourly");
    d.hourly.clear();
    for (const auto& v : values) {
      const auto x = units::number(v).value;
      if (!x || *x < 0) m.fail("hourly", "24 relative rates >= 0, one per hour of the day", fmt::format("'{}'", v));
      d.hourly.push_back(*x);
    }
    double sum = 0;
    for (double x : d.hourly) sum += x;
    if (d.hourly.size() != 24 || !(sum > 0))
      m.fail("hourly", "24 relative rates >= 0, one per hour of the day, not all 0",
             fmt::format("{} values", d.hourly.size()));
  }
  m.finish();
  return d;
}

int priority(YamlMap& m, int fallback) { return static_cast<int>(m.integer("priority", fallback, -1000, 1000)); }

// Keys min_gpus, max_gpus, and either `sizes` ({GPUs: weight}) or `size_decay`.
workloads::SizeModel parse_sizes(YamlMap& m, workloads::SizeModel d) {
  d.min_gpus = m.integer("min_gpus", d.min_gpus, 1, MAX_COUNT);
  d.max_gpus = m.integer("max_gpus", d.max_gpus, d.min_gpus, MAX_COUNT);
  if (m.has("sizes") && m.has("size_decay"))
    m.fail("size_decay", "either 'sizes' or 'size_decay', not both", "both");
  if (m.has("size_decay")) {
    d.decay = m.number("size_decay", d.decay, 0.01, 10);
    d.weights.clear();
  }
  const YAML::Node sizes = m.raw("sizes");
  if (m.has("sizes")) {
    if (!sizes.IsMap() || sizes.size() == 0)
      m.fail("sizes", "a mapping of GPU counts to weights, such as {1: 0.9, 8: 0.1}", "something else");
    d.weights.clear();
    for (auto it = sizes.begin(); it != sizes.end(); ++it) {
      const auto gpus = units::number(it->first.Scalar()).value;
      const auto weight = units::number(it->second.IsScalar() ? it->second.Scalar() : "").value;
      if (!gpus || *gpus < 1 || *gpus != std::floor(*gpus) || !weight || *weight < 0)
        m.fail("sizes", "GPU counts (whole numbers >= 1) mapped to weights >= 0",
               fmt::format("'{}: {}'", it->first.Scalar(), it->second.IsScalar() ? it->second.Scalar() : "..."));
      d.weights.emplace_back(static_cast<int64_t>(*gpus), *weight);
    }
    std::sort(d.weights.begin(), d.weights.end());
  }
  bool any = d.weights.empty();
  for (const auto& [gpus, w] : d.weights) any |= gpus >= d.min_gpus && gpus <= d.max_gpus && w > 0;
  if (!any) m.fail("sizes", fmt::format("a size with weight > 0 in [min_gpus, max_gpus] = [{}, {}]", d.min_gpus, d.max_gpus),
                   "none");
  return d;
}

// Keys min_duration, max_duration, and either `duration_quantiles`
// ({p0: 1s, p50: 20min, p100: 50d}) or `duration_median` and `duration_sigma`.
workloads::DurationModel parse_durations(YamlMap& m, workloads::DurationModel d) {
  const bool lognormal = m.has("duration_median") || m.has("duration_sigma");
  if (lognormal && m.has("duration_quantiles"))
    m.fail("duration_quantiles", "either 'duration_quantiles' or 'duration_median'/'duration_sigma', not both", "both");
  if (lognormal) d.quantiles.clear();
  d.median_s = m.quantity("duration_median", d.median_s, &units::duration_s, 1e-3, MAX_S);
  d.sigma = m.number("duration_sigma", d.sigma, 0, 10);
  d.min_s = m.quantity("min_duration", d.min_s, &units::duration_s, 0, MAX_S);
  d.max_s = m.quantity("max_duration", d.max_s, &units::duration_s, std::max(d.min_s, 1e-3), MAX_S);
  const YAML::Node q = m.raw("duration_quantiles");
  if (m.has("duration_quantiles")) {
    const char* expected = "a mapping of percentiles to durations from p0 to p100, such as {p0: 1s, p50: 20min, p100: 30d}";
    if (!q.IsMap()) m.fail("duration_quantiles", expected, "something else");
    d.quantiles.clear();
    for (auto it = q.begin(); it != q.end(); ++it) {
      const std::string key = it->first.Scalar();
      const auto p = units::number(key.size() > 1 && key[0] == 'p' ? key.substr(1) : "").value;
      const auto v = units::duration_s(it->second.IsScalar() ? it->second.Scalar() : "").value;
      if (!p || *p < 0 || *p > 100 || !v || *v <= 0)
        m.fail("duration_quantiles", expected,
               fmt::format("'{}: {}'", key, it->second.IsScalar() ? it->second.Scalar() : "..."));
      d.quantiles.emplace_back(*p / 100.0, *v);
    }
    std::sort(d.quantiles.begin(), d.quantiles.end());
    for (size_t i = 1; i < d.quantiles.size(); ++i)
      if (d.quantiles[i].second < d.quantiles[i - 1].second || d.quantiles[i].first == d.quantiles[i - 1].first)
        m.fail("duration_quantiles", "durations that grow with the percentile, each percentile once",
               fmt::format("p{:g} = {:g} s after p{:g} = {:g} s", d.quantiles[i].first * 100, d.quantiles[i].second,
                           d.quantiles[i - 1].first * 100, d.quantiles[i - 1].second));
    if (d.quantiles.size() < 2 || d.quantiles.front().first != 0 || d.quantiles.back().first != 1)
      m.fail("duration_quantiles", "percentiles that include p0 and p100", fmt::format("{} entries", d.quantiles.size()));
  }
  return d;
}

// On-demand and spot requests share their keys.
template <class Params>
Params parse_rental(YamlMap& m, Params p) {
  p.arrivals = parse_arrivals(m.map("arrivals"), p.arrivals);
  p.sizes = parse_sizes(m, p.sizes);
  p.durations = parse_durations(m, p.durations);
  p.price_usd_per_gpu_hour = m.quantity("price_per_gpu_hour", p.price_usd_per_gpu_hour, &units::usd, 0, 1e4);
  p.patience_s = m.quantity("patience", p.patience_s, &units::duration_s, 0, MAX_S);
  p.priority = priority(m, p.priority);
  return p;
}

// A class of internal jobs: sizes, run times, and (`multi_gpu_durations`)
// the run times of its jobs of several GPUs. Run-time keys given without
// `multi_gpu_durations` apply to every job of the class.
workloads::JobClass parse_job_class(YamlMap& m, workloads::JobClass d) {
  d.sizes = parse_sizes(m, d.sizes);
  const bool durations_given = m.has("duration_quantiles") || m.has("duration_median") || m.has("duration_sigma") ||
                               m.has("min_duration") || m.has("max_duration");
  d.durations = parse_durations(m, d.durations);
  if (m.has("multi_gpu_durations")) {
    YamlMap multi = m.map("multi_gpu_durations");
    d.multi_durations = parse_durations(multi, d.multi_durations.value_or(d.durations));
    multi.finish();
  } else {
    m.map("multi_gpu_durations");  // a known key
    if (durations_given) d.multi_durations.reset();
  }
  return d;
}

workloads::InferenceServiceParams parse_service(YamlMap m, const gpu_models::Catalog& catalog) {
  workloads::InferenceServiceParams s;
  workloads::InferenceDemand& d = s.demand;
  s.model = m.str("model", s.model);
  if (!catalog.find_model(s.model)) m.fail("model", "a model from the catalog", fmt::format("'{}'", s.model));
  d.mean_tokens_per_s = m.number("mean_tokens_per_s", d.mean_tokens_per_s, 0, 1e12);
  d.diurnal_amplitude = m.number("diurnal_amplitude", d.diurnal_amplitude, 0, 1);
  d.peak_hour = m.number("peak_hour", d.peak_hour, 0, 24);
  d.weekend_factor = m.number("weekend_factor", d.weekend_factor, 0, 10);
  d.growth_per_week = m.number("growth_per_week", d.growth_per_week, -0.99, 10);
  d.prompt_tokens_median = m.number("prompt_tokens_median", d.prompt_tokens_median, 1, 1e7);
  d.prompt_tokens_sigma = m.number("prompt_tokens_sigma", d.prompt_tokens_sigma, 0, 5);
  d.output_tokens_median = m.number("output_tokens_median", d.output_tokens_median, 1, 1e7);
  d.output_tokens_sigma = m.number("output_tokens_sigma", d.output_tokens_sigma, 0, 5);
  d.price_usd_per_million_prompt_tokens =
      m.quantity("price_per_million_prompt_tokens", d.price_usd_per_million_prompt_tokens, &units::usd, 0, 1e4);
  d.price_usd_per_million_output_tokens =
      m.quantity("price_per_million_output_tokens", d.price_usd_per_million_output_tokens, &units::usd, 0, 1e4);
  d.ttft_slo_s = m.quantity("ttft_slo", d.ttft_slo_s, &units::latency_s, 0, 3600);
  d.tpot_slo_s = m.quantity("tpot_slo", d.tpot_slo_s, &units::latency_s, 0, 3600);
  d.gpus_per_replica = static_cast<int>(m.integer("gpus_per_replica", d.gpus_per_replica, 1, 1024));
  d.min_replicas = static_cast<int>(m.integer("min_replicas", d.min_replicas, 1, 1'000'000));
  d.max_replicas = static_cast<int>(m.integer("max_replicas", std::max(d.max_replicas, d.min_replicas), d.min_replicas, 1'000'000));
  d.scale_headroom = m.number("scale_headroom", d.scale_headroom, 0, 10);
  s.start_s = m.quantity("start", s.start_s, &units::duration_s, 0, MAX_S);
  s.lifetime_s = m.quantity("lifetime", s.lifetime_s, &units::duration_s, 0, MAX_S);
  s.priority = priority(m, s.priority);
  m.finish();
  return s;
}

workloads::TraceConfig parse_trace(YamlMap& m, const std::string& scenario_path) {
  workloads::TraceConfig t;
  t.format = m.str_required("format");
  if (!workloads::is_trace_format(t.format) || t.format == "chakra")
    m.fail("format", fmt::format("a job trace format ({})", workloads::trace_format_names()),
           fmt::format("'{}'", t.format));
  if (!m.has("path")) m.fail("path", "a file or directory (relative to the scenario file), or a list of them", "nothing");
  const std::filesystem::path base = std::filesystem::path(scenario_path).parent_path();
  for (const auto& p : m.str_list("path")) {
    const std::filesystem::path resolved = std::filesystem::path(p).is_absolute() ? std::filesystem::path(p) : base / p;
    std::error_code ec;
    if (!std::filesystem::exists(resolved, ec))
      m.fail("path", "an existing file or directory (relative to the scenario file)",
             fmt::format("'{}' (no such file: {})", p, resolved.string()));
    t.paths.push_back(resolved.lexically_normal().string());
  }
  t.options.skip_bad_rows = m.boolean("skip_bad_rows", false);
  t.options.procs_per_gpu = m.number("procs_per_gpu", t.options.procs_per_gpu, 1e-6, 1e6);
  t.max_jobs = static_cast<uint64_t>(m.integer("max_jobs", 0, 0, INT64_MAX / 2));
  t.time_offset_s = m.quantity("time_offset", 0, &units::duration_s, -MAX_S, MAX_S);
  t.ignore_gpu_type = m.boolean("ignore_gpu_type", false);
  if (m.has("tenant")) {
    workloads::Tenant tenant;
    workloads::parse_tenant(m.choice("tenant", "internal", {"internal", "external"}), tenant);
    t.tenant = tenant;
  }
  if (m.has("kind")) {
    workloads::JobKind kind;
    workloads::parse_job_kind(
        m.choice("kind", "research", {"pretrain", "finetune", "research", "lease", "on_demand", "spot"}), kind);
    t.kind = kind;
  }
  if (m.has("patience")) t.patience_s = m.quantity("patience", 0, &units::duration_s, 0, MAX_S);
  return t;
}

}  // namespace

workloads::JobRequest parse_job(YamlMap m, const gpu_models::Catalog& catalog, std::optional<int64_t> start_day) {
  workloads::JobRequest r;
  if (m.has("date") && m.has("submit")) m.fail("date", "either 'submit' or 'date', not both", "both");
  r.submit_s = m.quantity("submit", 0, &units::duration_s, 0, 1e10);
  if (m.has("date")) {
    const std::string text = m.str("date", "");
    const auto day = finance::parse_iso_date(text);
    if (!day) m.fail("date", "an ISO date such as 2024-03-01", fmt::format("'{}'", text));
    if (!start_day) m.fail("date", "a scenario 'start_date' (a job dated by calendar)", "no start_date");
    if (*day < *start_day)
      m.fail("date", fmt::format("a date from the start_date {} on", finance::format_date(*start_day)), text);
    r.submit_s = static_cast<double>(*day - *start_day) * 86400.0;
  } else {
    m.str("date", "");
  }
  const std::string kind = m.choice("kind", "research",
                                    {"pretrain", "finetune", "research", "lease", "on_demand", "spot", "inference"});
  workloads::parse_job_kind(kind, r.kind);
  workloads::parse_tenant(
      m.choice("tenant", std::string(workloads::to_string(workloads::default_tenant(r.kind))), {"internal", "external"}),
      r.tenant);
  r.gpus = m.integer("gpus", 1, 1, 100'000'000);
  r.gpu_type = m.str("gpu_type", "");
  if (m.has("duration") == m.has("work_tokens"))
    m.fail(m.has("duration") ? "work_tokens" : "duration", "exactly one of 'duration' and 'work_tokens'",
           m.has("duration") ? "both" : "neither");
  r.duration_s = m.quantity("duration", -1, &units::duration_s, 0, 1e10);
  r.work_tokens = m.number("work_tokens", 0, 1, 1e18);
  r.model = m.str("model", "");
  if (r.duration_s < 0 && !catalog.find_model(r.model))
    m.fail("model", "a model from the catalog (work_tokens needs one)", fmt::format("'{}'", r.model));
  r.priority = static_cast<int>(m.integer("priority", 0, -1000, 1000));
  r.deadline_s = m.quantity("deadline", -1, &units::duration_s, 0, 1e10);
  r.patience_s = m.quantity("patience", -1, &units::duration_s, 0, 1e10);
  r.price_usd_per_gpu_hour = m.quantity("price_per_gpu_hour", 0, &units::usd, 0, 1e4);
  r.estimate_s = m.quantity("estimate", -1, &units::duration_s, 0, 1e10);
  r.gpu_fraction = m.number("gpu_fraction", 1, 0.001, 1);
  if (r.gpu_fraction < 1 && r.gpus != 1)
    m.fail("gpu_fraction", "1 for a job of several GPUs (a share is of one GPU)",
           fmt::format("{:g} with gpus {}", r.gpu_fraction, r.gpus));
  r.cpu_milli = std::llround(1000 * m.number("cpu_cores", 0, 0, 1e6));
  r.memory_mib = m.integer("memory_mib", 0, 0, int64_t(1) << 40);
  r.user = m.str("user", "");
  m.finish();
  return r;
}

SourceConfig parse_source(YamlMap m, const gpu_models::Catalog& catalog, const std::string& scenario_path,
                          std::optional<int64_t> start_day) {
  const std::string type = m.choice(
      "type", "", {"internal_jobs", "pretrain", "lease_book", "on_demand", "spot", "inference", "list", "trace"});
  SourceConfig out;
  if (type == "list") {
    ListConfig l;
    for (auto& j : m.map_list("jobs")) l.jobs.push_back(parse_job(j, catalog, start_day));
    out = std::move(l);
  } else if (type == "trace") {
    out = parse_trace(m, scenario_path);
  } else if (type == "internal_jobs") {
    workloads::InternalJobsParams p;
    p.arrivals = parse_arrivals(m.map("arrivals"), p.arrivals);
    p.research = parse_job_class(m, p.research);
    YamlMap ft = m.map("finetune");
    p.finetune = parse_job_class(ft, p.finetune);
    ft.finish();
    p.finetune_fraction = m.number("finetune_fraction", p.finetune_fraction, 0, 1);
    p.priority = priority(m, p.priority);
    out = std::move(p);
  } else if (type == "pretrain") {
    workloads::PretrainParams p;
    p.campaigns_per_week = m.number("campaigns_per_week", p.campaigns_per_week, 0, 1e4);
    p.min_gpus = static_cast<int>(m.integer("min_gpus", p.min_gpus, 1, MAX_COUNT));
    p.max_gpus = static_cast<int>(m.integer("max_gpus", p.max_gpus, p.min_gpus, MAX_COUNT));
    p.model = m.str("model", p.model);
    if (!catalog.find_model(p.model)) m.fail("model", "a model from the catalog", fmt::format("'{}'", p.model));
    p.tokens_min = m.number("tokens_min", p.tokens_min, 1, 1e18);
    p.tokens_max = m.number("tokens_max", p.tokens_max, p.tokens_min, 1e18);
    p.priority = priority(m, p.priority);
    out = std::move(p);
  } else if (type == "lease_book") {
    workloads::LeaseBookParams p;
    p.leases_per_week = m.number("leases_per_week", p.leases_per_week, 0, 1e6);
    p.min_gpus = static_cast<int>(m.integer("min_gpus", p.min_gpus, 1, MAX_COUNT));
    p.max_gpus = static_cast<int>(m.integer("max_gpus", p.max_gpus, p.min_gpus, MAX_COUNT));
    p.size_decay = m.number("size_decay", p.size_decay, 0.01, 10);
    p.term_min_s = m.quantity("term_min", p.term_min_s, &units::duration_s, 60, MAX_S);
    p.term_max_s = m.quantity("term_max", p.term_max_s, &units::duration_s, p.term_min_s, MAX_S);
    p.price_usd_per_gpu_hour = m.quantity("price_per_gpu_hour", p.price_usd_per_gpu_hour, &units::usd, 0, 1e4);
    p.price_usd_per_gpu_hour_longest =
        m.quantity("price_per_gpu_hour_longest", p.price_usd_per_gpu_hour_longest, &units::usd, 0, 1e4);
    p.patience_s = m.quantity("patience", p.patience_s, &units::duration_s, 0, MAX_S);
    p.priority = priority(m, p.priority);
    out = std::move(p);
  } else if (type == "on_demand") {
    out = parse_rental(m, workloads::OnDemandParams());
  } else if (type == "spot") {
    out = parse_rental(m, workloads::SpotParams());
  } else {
    workloads::InferenceParams p;
    for (auto& s : m.map_list("services")) p.services.push_back(parse_service(s, catalog));
    if (p.services.empty()) m.fail("services", "a list of at least one service (model and demand)", "none");
    out = std::move(p);
  }
  m.finish();
  return out;
}

}  // namespace gwsim::sim
