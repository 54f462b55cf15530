// The scenario's `workload:` list: generators, inline job lists and traces.
#include <fmt/format.h>

#include "sim/scenario_parts.hpp"

namespace gwsim::sim {
namespace {

constexpr int64_t MAX_COUNT = 1'000'000;

workloads::ArrivalCycle parse_arrivals(YamlMap m, workloads::ArrivalCycle d) {
  d.per_hour = m.number("per_hour", d.per_hour, 0, 1e7);
  d.diurnal_amplitude = m.number("diurnal_amplitude", d.diurnal_amplitude, 0, 1);
  d.peak_hour = m.number("peak_hour", d.peak_hour, 0, 24);
  d.weekend_factor = m.number("weekend_factor", d.weekend_factor, 0, 10);
  m.finish();
  return d;
}

}  // namespace

workloads::JobRequest parse_job(YamlMap m, const gpu_models::Catalog& catalog) {
  workloads::JobRequest r;
  r.submit_s = m.quantity("submit", 0, &units::duration_s, 0, 1e10);
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
  m.finish();
  return r;
}

SourceConfig parse_source(YamlMap m, const gpu_models::Catalog& catalog) {
  const std::string type = m.choice("type", "", {"internal_jobs", "pretrain", "lease_book", "list"});
  if (type == "list") {
    ListConfig l;
    for (auto& j : m.map_list("jobs")) l.jobs.push_back(parse_job(j, catalog));
    m.finish();
    return l;
  }
  if (type == "internal_jobs") {
    workloads::InternalJobsParams p;
    p.arrivals = parse_arrivals(m.map("arrivals"), p.arrivals);
    p.min_gpus = static_cast<int>(m.integer("min_gpus", p.min_gpus, 1, MAX_COUNT));
    p.max_gpus = static_cast<int>(m.integer("max_gpus", p.max_gpus, p.min_gpus, MAX_COUNT));
    p.size_decay = m.number("size_decay", p.size_decay, 0.01, 10);
    p.duration_median_s = m.quantity("duration_median", p.duration_median_s, &units::duration_s, 1, 1e9);
    p.duration_sigma = m.number("duration_sigma", p.duration_sigma, 0, 10);
    p.max_duration_s = m.quantity("max_duration", p.max_duration_s, &units::duration_s, 1, 1e9);
    p.finetune_fraction = m.number("finetune_fraction", p.finetune_fraction, 0, 1);
    p.priority = static_cast<int>(m.integer("priority", p.priority, -1000, 1000));
    m.finish();
    return p;
  }
  if (type == "pretrain") {
    workloads::PretrainParams p;
    p.campaigns_per_week = m.number("campaigns_per_week", p.campaigns_per_week, 0, 1e4);
    p.min_gpus = static_cast<int>(m.integer("min_gpus", p.min_gpus, 1, MAX_COUNT));
    p.max_gpus = static_cast<int>(m.integer("max_gpus", p.max_gpus, p.min_gpus, MAX_COUNT));
    p.model = m.str("model", p.model);
    if (!catalog.find_model(p.model)) m.fail("model", "a model from the catalog", fmt::format("'{}'", p.model));
    p.tokens_min = m.number("tokens_min", p.tokens_min, 1, 1e18);
    p.tokens_max = m.number("tokens_max", p.tokens_max, p.tokens_min, 1e18);
    p.priority = static_cast<int>(m.integer("priority", p.priority, -1000, 1000));
    m.finish();
    return p;
  }
  workloads::LeaseBookParams p;
  p.leases_per_week = m.number("leases_per_week", p.leases_per_week, 0, 1e6);
  p.min_gpus = static_cast<int>(m.integer("min_gpus", p.min_gpus, 1, MAX_COUNT));
  p.max_gpus = static_cast<int>(m.integer("max_gpus", p.max_gpus, p.min_gpus, MAX_COUNT));
  p.term_min_s = m.quantity("term_min", p.term_min_s, &units::duration_s, 60, 1e10);
  p.term_max_s = m.quantity("term_max", p.term_max_s, &units::duration_s, p.term_min_s, 1e10);
  p.price_usd_per_gpu_hour = m.quantity("price_per_gpu_hour", p.price_usd_per_gpu_hour, &units::usd, 0, 1e4);
  p.patience_s = m.quantity("patience", p.patience_s, &units::duration_s, 0, 1e10);
  p.priority = static_cast<int>(m.integer("priority", p.priority, -1000, 1000));
  m.finish();
  return p;
}

}  // namespace gwsim::sim
