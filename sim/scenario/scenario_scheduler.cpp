// The scenario's `scheduler:` and `execution:` sections.
#include <fmt/format.h>
#include <fmt/ranges.h>

#include "sim/scenario/scenario_parts.hpp"

namespace gwsim::sim {

using workloads::JobKind;

namespace {

std::vector<std::string> kind_names() {
  std::vector<std::string> out;
  for (int k = 0; k < workloads::JOB_KIND_COUNT; ++k) out.emplace_back(workloads::to_string(JobKind(k)));
  return out;
}

JobKind parse_kind(YamlMap& m, const std::string& key, const std::string& text) {
  JobKind k;
  if (!workloads::parse_job_kind(text, k))
    m.fail(key, fmt::format("job kinds among {}", fmt::join(kind_names(), ", ")), fmt::format("'{}'", text));
  return k;
}

// Defaults: training kinds checkpoint hourly; external kinds do not (a
// reclaimed spot job starts over unless its scenario says otherwise). These
// are assumptions to set per study, not measurements: see docs/scheduling.md.
CheckpointPolicy default_checkpoint(JobKind k) {
  switch (k) {
    case JobKind::PRETRAIN: return {3600, 120, 600};
    case JobKind::FINETUNE: return {3600, 60, 300};
    case JobKind::RESEARCH: return {3600, 30, 300};
    default: return {0, 0, 0};
  }
}

}  // namespace

SchedulerConfig parse_scheduler(YamlMap m) {
  SchedulerConfig c;
  if (auto names = m.str_list("policy"); !names.empty()) c.policy = names;
  const auto custom = registered_policies();
  const bool is_custom = c.policy.size() == 1 && std::count(custom.begin(), custom.end(), c.policy[0]);
  for (const auto& name : c.policy)
    if (!is_custom && std::find(policy_names().begin(), policy_names().end(), name) == policy_names().end()) {
      std::vector<std::string> all = policy_names();
      all.insert(all.end(), custom.begin(), custom.end());
      m.fail("policy",
             fmt::format("policy names among {} (a registered policy stands alone)", fmt::join(all, ", ")),
             fmt::format("'{}'", name));
    }
  if (std::count(c.policy.begin(), c.policy.end(), "fifo") && std::count(c.policy.begin(), c.policy.end(), "priority"))
    m.fail("policy", "one queue order (fifo or priority)", "both");
  c.placement = m.choice("placement", c.placement, placement_names());

  PolicyRules base;
  base.headroom_fraction = m.number("headroom", base.headroom_fraction, 0, 1);
  base.reclaim_notice_s = m.quantity("reclaim_notice", base.reclaim_notice_s, &units::duration_s, 0, 1e7);
  base.backfill_depth = static_cast<int>(m.integer("backfill_depth", base.backfill_depth, 1, 100'000'000));
  const std::string source = m.choice("estimate", "true", {"true", "trace", "user_history"});
  base.estimate = source == "trace"          ? EstimateSource::TRACE
                  : source == "user_history" ? EstimateSource::USER_HISTORY
                                             : EstimateSource::TRUE_DURATION;
  base.estimate_default_s = m.quantity("estimate_default", base.estimate_default_s, &units::duration_s, 0, 1e10);
  if (m.has("las_thresholds")) {
    // GPU-time: "1h" is one GPU-hour (3600 GPU-seconds).
    base.las_thresholds_gpu_s.clear();
    for (const auto& text : m.str_list("las_thresholds")) {
      const auto v = units::duration_s(text);
      if (!v.value || *v.value <= 0)
        m.fail("las_thresholds", "positive GPU-times such as 1h (one GPU-hour) or 3600s", fmt::format("'{}'", text));
      if (!base.las_thresholds_gpu_s.empty() && *v.value <= base.las_thresholds_gpu_s.back())
        m.fail("las_thresholds", "ascending thresholds", fmt::format("'{}' after {} GPU-s", text, base.las_thresholds_gpu_s.back()));
      base.las_thresholds_gpu_s.push_back(*v.value);
    }
  }
  base.las_starve_knob = m.number("las_starve_knob", base.las_starve_knob, 0, 1e6);
  base.themis_filter = m.number("themis_filter", base.themis_filter, 0, 1);
  base.themis_lease_s = m.quantity("themis_lease", base.themis_lease_s, &units::duration_s, 0, 1e9);
  if (is_custom) c.rules = base;
  else {
    try {
      c.rules = make_policy_rules(c.policy, base);
    } catch (const Error& e) {
      m.fail("policy", "one job order with its modifiers (docs/scheduling.md)", e.what());
    }
  }
  c.custom_policy = is_custom ? c.policy[0] : std::string();

  YamlMap prio = m.map("priorities");
  for (int k = 0; k < workloads::JOB_KIND_COUNT; ++k) {
    const std::string name(workloads::to_string(JobKind(k)));
    if (prio.has(name)) c.kind_priority[k] = static_cast<int>(prio.integer(name, 0, -1000, 1000));
  }
  prio.finish();

  c.preemptible[size_t(JobKind::RESEARCH)] = c.preemptible[size_t(JobKind::FINETUNE)] =
      c.preemptible[size_t(JobKind::SPOT)] = true;
  const bool preemptible_given = m.has("preemptible");
  const auto preemptible = m.str_list("preemptible");
  if (preemptible_given) {
    c.preemptible.fill(false);
    for (const auto& name : preemptible) c.preemptible[size_t(parse_kind(m, "preemptible", name))] = true;
  }
  c.tick_s = m.quantity("tick", 0, &units::duration_s, 0, 1e9);
  c.decide_per_instant = m.choice("decide", "instant", {"instant", "event"}) == "instant";
  m.finish();
  return c;
}

ExecutionConfig parse_execution(YamlMap m) {
  ExecutionConfig c;
  YamlMap ck = m.map("checkpoint");
  for (int k = 0; k < workloads::JOB_KIND_COUNT; ++k) {
    const std::string name(workloads::to_string(JobKind(k)));
    CheckpointPolicy p = default_checkpoint(JobKind(k));
    YamlMap e = ck.map(name);
    p.interval_s = e.quantity("interval", p.interval_s, &units::duration_s, 0, 1e9);
    p.write_s = e.quantity("write", p.write_s, &units::duration_s, 0, 1e7);
    p.restart_s = e.quantity("restart", p.restart_s, &units::duration_s, 0, 1e7);
    e.finish();
    c.checkpoint[size_t(k)] = p;
  }
  ck.finish();
  c.fabric_probe_s = m.quantity("fabric_probe_interval", c.fabric_probe_s, &units::duration_s, 1, 1e7);
  c.autoscale_interval_s = m.quantity("autoscale_interval", c.autoscale_interval_s, &units::duration_s, 1, 1e7);
  m.finish();
  return c;
}

}  // namespace gwsim::sim
