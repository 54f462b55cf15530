#include "sim/engine/simulation.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <exception>
#include <fmt/format.h>
#include <limits>
#include <simgrid/Exception.hpp>
#include <simgrid/s4u/Actor.hpp>
#include <simgrid/s4u/Comm.hpp>
#include <simgrid/s4u/Engine.hpp>
#include <simgrid/s4u/Host.hpp>
#include <simgrid/s4u/Semaphore.hpp>
#include <functional>
#include <iostream>
#include <map>
#include <set>
#include <tuple>
#include <unordered_map>
#include <xbt/log.h>

#include "common/interrupt.hpp"
#include "sim/engine/actor_guard.hpp"
#include "gpu_models/cost_model.hpp"
#include "sim/operations/economics.hpp"
#include "sim/engine/event_count.hpp"
#include "sim/engine/job_metrics.hpp"
#include "sim/operations/failures.hpp"
#include "sim/operations/power.hpp"
#include "sim/operations/inference_service.hpp"
#include "sim/policies/scheduler.hpp"
#include "sim/engine/timers.hpp"
#include "topology/analysis.hpp"
#include "topology/fabric.hpp"
#include "topology/platform.hpp"
#include "workloads/source.hpp"


namespace gwsim::sim {

namespace sg = simgrid::s4u;
using results::JobState;
using workloads::JobKind;
using workloads::Tenant;

namespace {

// The facility power the whole site may draw: the site budget, or the hall
// budgets summed, whichever is lower among those set; 0 when neither is
// (rack and row budgets are IT power of a part of the site, not a site line).
double site_power_budget_w(const topology::ClusterSpec& spec) {
  double budget = spec.power.site_budget_w;
  const double halls = spec.power.hall_budget_w * static_cast<double>(spec.halls);
  if (halls > 0 && (budget <= 0 || halls < budget)) budget = halls;
  return budget;
}

// Codes of /lookup/event and /lookup/cause. A failure's cause is FAILURE_CAUSE_BASE
// plus its class's index (the class names follow CAUSE_NAMES in /lookup/cause).
// "fail" gives GPUs back (the whole job, or a contract's GPUs on the failed
// node); "replace" gives a contract GPUs again after a failure.
enum class EventType : uint8_t { SUBMIT, START, FINISH, REFUSE, KILL, END_OF_RUN, PREEMPT, RECLAIM_NOTICE, FAIL, REPLACE };
enum class Cause : uint8_t {
  NONE, ARRIVAL, COMPLETION, PATIENCE, INFEASIBLE, HORIZON, PRIORITY, SPOT_RECLAIM, SCALE_UP, SCALE_DOWN, LARGER_THAN_CLUSTER
};
const std::vector<std::string> EVENT_NAMES = {"submit",  "start",      "finish",  "refuse",         "kill",
                                              "end_of_run", "preempt", "reclaim_notice", "fail", "replace"};
const std::vector<std::string> CAUSE_NAMES = {"none",     "arrival",  "completion",   "patience", "infeasible",
                                              "horizon",  "priority", "spot_reclaim", "scale_up", "scale_down",
                                              "larger_than_cluster"};
const size_t FAILURE_CAUSE_BASE = CAUSE_NAMES.size();

// What the network draws and costs: its switches and optics, both networks
// (topology::analyze, docs/topology.md#cost-and-power).
struct NetworkTotals {
  double power_w = 0;
  double cost_usd = 0;
};

std::vector<std::string> names_of(int count, std::string_view (*name)(int)) {
  std::vector<std::string> out;
  for (int i = 0; i < count; ++i) out.emplace_back(name(i));
  return out;
}

}  // namespace

void configure_simgrid_engine() {
  // Quiet SimGrid's own logging (warnings and errors still show), and keep
  // actor stacks small so tens of thousands of running jobs fit in memory.
  xbt_log_control_set("root.thresh:warning");
  sg::Engine::set_config("contexts/stack-size:256");
  sg::Engine::set_config("contexts/guard-size:0");
  // Flows get exactly the bandwidth of the links they cross: the CM02 model
  // (no TCP latency/bandwidth correction factors of the default LV08) and no
  // reverse-direction cross traffic.
  sg::Engine::set_config("network/model:CM02");
  sg::Engine::set_config("network/crosstraffic:0");
}

gpu_models::Links cluster_links(const topology::ClusterSpec& c) {
  gpu_models::Links l;
  l.scaleup_Bps = c.scale_up.bandwidth_Bps;
  l.scaleup_latency_s = c.scale_up.latency_s;
  l.scaleup_gpus = c.gpus_per_domain();
  l.scaleout_Bps = c.fabric.nics_per_node * c.fabric.nic_bandwidth_Bps / c.gpus_per_node / c.fabric.tiers[0].oversubscription;
  return l;
}

struct Simulation::Impl {
  const Scenario& sc;
  results::Recorder& rec;
  std::unique_ptr<sg::Engine> engine;
  std::unique_ptr<topology::Fabric> fabric;
  std::unique_ptr<topology::Platform> platform;
  ClusterState cluster;
  Scheduler scheduler;
  EventCount events;  // what the engine delivered (docs/performance.md)
  TimerQueue timers;
  std::unique_ptr<workloads::Source> source;
  const gpu_models::GpuSpec* gpu;
  std::unordered_map<uint64_t, std::unique_ptr<Job>> live;  // jobs not yet in a final state
  RunStats stats;
  mutable gpu_models::PlanCache plans;  // best plan per job shape
  std::exception_ptr failure;           // an error raised inside an actor, rethrown by run()

  // Failures (docs/operations.md#failures): node states and spares, the leaf
  // switches' failure domains, and which jobs hold GPUs on each node.
  FleetHealth health;
  std::unique_ptr<FailureProcess> failure_process;
  std::vector<std::vector<uint64_t>> jobs_on_node;
  std::set<uint64_t> short_contracts;  // leases and on-demand rentals missing GPUs after a failure
  std::vector<int64_t> failure_events, interruptions;  // per failure class
  double lost_gpu_hours_failures = 0;
  double down_node_s = 0;  // node-seconds of failed nodes (spares on the shelf excluded)

  // Power and money (docs/operations.md#power, #economics).
  std::unique_ptr<PowerModel> power;
  NetworkTotals network;
  bool deferred_for_power = false;  // the last decision held a job back for power (policy defer)
  Books books;
  int series_power = 0, series_at_cap = 0, series_down = 0;
  int series_replicas = 0, series_demand = 0, series_capacity = 0;

  // Exact utilization accounting: GPUs held per tenant, integrated between changes.
  std::array<int64_t, workloads::TENANT_COUNT> busy{};  ///< milli-GPUs held per tenant (a share counts as itself)
  int64_t gpus_held = 0;  ///< GPUs held by jobs, a shared GPU once per job on it (the /events count)
  std::array<double, workloads::TENANT_COUNT> busy_gpu_s{};
  double busy_since = 0;
  int series_util[workloads::TENANT_COUNT] = {};
  int series_queue = 0;

  // Aggregates for the summary.
  std::vector<double> internal_waits;  // first-start waits of internal jobs, for percentiles
  std::vector<bool> trace_source;      // per workload entry: a `type: trace` entry
  TraceJobMetrics trace_metrics;       // the replay metrics of trace jobs
  std::array<double, workloads::TENANT_COUNT> wait_sum{};
  std::array<int64_t, workloads::TENANT_COUNT> started{};
  std::array<double, workloads::JOB_KIND_COUNT> revenue_by_kind{};
  double refused_revenue_usd = 0;
  double lost_gpu_hours = 0;
  int64_t preemptions = 0;
  int64_t reclaims = 0;
  std::function<void(double)> on_clock;  // Simulation::on_clock
  int64_t larger_than_cluster = 0;  // jobs killed at submission for asking more GPUs than the pool has
  double pretrain_jct_sum = 0;
  int64_t pretrain_completed = 0;
  double pretrain_useful_s = 0, pretrain_elapsed_s = 0;  // effective training time of pretraining jobs

  // SimGrid calls (semaphore releases, actor creation) are scheduling points:
  // other actors may run inside them. Handlers therefore change all state
  // first and queue their SimGrid calls here; flush() runs them at the end.
  std::vector<std::function<void()>> deferred;

  void flush() {
    timers.poke();
    while (!deferred.empty()) {
      auto ops = std::move(deferred);
      deferred.clear();
      for (auto& op : ops) op();
    }
  }

  // The last contended rate asked for: (job, run, bandwidth) -> tokens/s.
  mutable std::map<std::tuple<uint64_t, uint32_t, double>, double> contended_rates;

  Impl(const Scenario& s, results::Recorder& r)
      : sc(s),
        rec(r),
        cluster(s.cluster),
        scheduler(cluster, s.scheduler.rules, make_placement(s.scheduler.placement, PlacementContext{s.seed}),
                  [this](const Job& j) { return estimate(j); }),
        gpu(s.catalog.find_gpu(s.cluster.gpu_type)),
        health(s.cluster, s.failures.spares),
        jobs_on_node(static_cast<size_t>(s.cluster.node_count())),
        failure_events(s.failures.classes.size(), 0),
        interruptions(s.failures.classes.size(), 0) {}

  double now() const { return sg::Engine::get_clock(); }

  // Brings the time integrals (GPUs held, failed nodes, energy) up to t. Every
  // handler calls it before it changes anything those integrals depend on.
  // GPUs in use, a GPU's shares counted as their sum, rounded up (0.46 + 0.3 of GPUs: 1).

  void integrate(double t) {
    for (int i = 0; i < workloads::TENANT_COUNT; ++i)
      busy_gpu_s[i] += static_cast<double>(busy[i]) / MILLI_PER_GPU * (t - busy_since);
    down_node_s += static_cast<double>(health.down_nodes()) * (t - busy_since);
    busy_since = t;
    if (power) power->advance(t);
  }

  void event(double t, const Job& j, EventType type, Cause cause, int64_t gpus = 0) {
    if (!sc.output.events) return;
    rec.event(results::EventRecord{t, j.req.id, static_cast<uint8_t>(type), static_cast<uint8_t>(cause), gpus});
  }

  // Work units per second for a job on its allocation: 1 for fixed-duration
  // jobs; tokens/s of the best plan the cost model finds for token-measured
  // work (searched once per job shape, then cached), with the scale-out
  // bandwidth per GPU its placement gets from the fabric (an estimate before
  // placement assumes the most compact placement).
  double rate_for(const Job& j) const {
    if (j.req.duration_s >= 0) return 1.0;
    const gpu_models::ModelSpec* model = sc.catalog.find_model(j.req.model);
    gpu_models::Links links = cluster_links(sc.cluster);
    if (j.contends) {
      // A running job keeps its plan; only the bandwidth its flows get changes.
      // Shares are rounded to 1/256 so near-equal shares cost one evaluation.
      links.scaleout_Bps = nic_Bps_per_gpu() * std::max(1.0, std::round(j.bandwidth_share * 256)) / 256;
      const auto key = std::make_tuple(j.req.id, j.run_index, links.scaleout_Bps);
      if (auto it = contended_rates.find(key); it != contended_rates.end()) return it->second;
      gpu_models::TrainingQuery q{model, gpu, static_cast<int>(j.req.gpus), 0, j.plan, links};
      const auto e = gpu_models::estimate_training(q);
      const double rate = e.tokens_per_s > 0 ? e.tokens_per_s : 1e-9;
      contended_rates.clear();  // one job at a time asks: keep the cache tiny
      contended_rates.emplace(key, rate);
      return rate;
    }
    const auto& best = best_plan(j);
    return best.estimate.tokens_per_s > 0 ? best.estimate.tokens_per_s : 1e-9;
  }

  // The plan a token-measured job runs with, chosen when it starts.
  gpu_models::Plan plan_for(const Job& j) const { return best_plan(j).plan; }

  // The planner's best plan for the job on its placement at fleet bandwidth:
  // the bandwidth the fabric gives the placement when every GPU behind the
  // same oversubscribed links is busy (before placement: the most compact one).
  const gpu_models::PlanCandidate& best_plan(const Job& j) const {
    gpu_models::Links links = cluster_links(sc.cluster);
    links.scaleout_Bps = fabric->scale_out_Bps_per_gpu(nodes_of(j));
    return plans.get(*sc.catalog.find_model(j.req.model), *gpu, static_cast<int>(j.req.gpus), links);
  }

  // The job's nodes, or for an estimate before placement the most compact ones.
  std::vector<int64_t> nodes_of(const Job& j) const {
    std::vector<int64_t> nodes;
    if (j.alloc.parts.empty()) {
      const int64_t n = (j.req.gpus + sc.cluster.gpus_per_node - 1) / sc.cluster.gpus_per_node;
      for (int64_t i = 0; i < n; ++i) nodes.push_back(i);
    } else {
      nodes.reserve(j.alloc.parts.size());
      for (const auto& part : j.alloc.parts) nodes.push_back(part.first);
    }
    return nodes;
  }

  double estimate(const Job& j) const { return time_to_complete(j.exec, j.checkpoint, rate_for(j), j.work_total); }

  void finalize(Job& j, JobState state, double t) {
    j.phase = JobPhase::DONE;
    j.final_state = state;
    j.end_s = t;
    short_contracts.erase(j.req.id);
    if (j.is_contract() && j.run_s > 0) {
      // The SLA's availability: contracted GPU-seconds the renter got, over those it contracted while running.
      const double contracted = static_cast<double>(j.req.gpus) * j.run_s;
      j.sla_credit_usd = sla_credit_fraction(sc.economics.sla, 1.0 - j.short_gpu_s / contracted) * j.revenue_usd;
    }
    auto& book = books.by_class[j.tenant_class];
    book.gpu_hours += j.gpu_hours;
    book.revenue_usd += j.revenue_usd;
    book.sla_credit_usd += j.sla_credit_usd;
    stats.by_state[static_cast<size_t>(state)]++;
    stats.gpu_hours_in_segments += j.gpu_hours;
    revenue_by_kind[static_cast<size_t>(j.req.kind)] += j.revenue_usd;
    if (state == JobState::COMPLETED && j.req.kind == JobKind::PRETRAIN) {
      pretrain_jct_sum += t - j.req.submit_s;
      pretrain_completed++;
    }
    if (j.req.kind == JobKind::PRETRAIN && j.first_start_s >= 0) {
      pretrain_useful_s += j.compute_s - j.lost_compute_s;
      pretrain_elapsed_s += t - j.first_start_s;
    }
    if (j.req.source < trace_source.size() && trace_source[j.req.source])
      trace_metrics.add({j.req.submit_s, j.first_start_s, t, j.run_s, state == JobState::COMPLETED});
    results::JobRecord r;
    r.id = j.req.id;
    r.source = j.req.source;
    r.tenant = static_cast<uint8_t>(j.req.tenant);
    r.kind = static_cast<uint8_t>(j.req.kind);
    r.state = static_cast<uint8_t>(state);
    r.gpu_type = 0;
    r.gpus = j.req.gpus;
    r.submit_s = j.req.submit_s;
    r.start_s = j.first_start_s;
    r.end_s = t;
    r.wait_s = j.wait_s;
    r.run_s = j.run_s;
    r.preemptions = j.preemptions;
    r.failures = j.failures;
    r.gpu_hours = j.gpu_hours;
    r.energy_j = j.energy_j;
    r.revenue_usd = j.revenue_usd;
    r.useful_s = j.compute_s - j.lost_compute_s;
    r.sla_credit_usd = j.sla_credit_usd;
    rec.job(r);
  }

  // Accounts the segment that ends at t: progress (closed form, checkpoints
  // included) and the compute time in it, GPU time, energy, revenue, and the
  // GPUs a contract was short of.
  void close_segment(Job& j, double t) {
    const double dt = t - j.segment_start_s;
    const double before = j.exec.work_done;
    j.exec = advance(j.exec, j.checkpoint, j.rate, dt);
    j.exec.work_done = std::min(j.exec.work_done, j.work_total);
    if (j.rate > 0) j.compute_s += (j.exec.work_done - before) / j.rate;
    j.run_s += dt;
    const double gpus = j.alloc.gpu_share();  // a share of a GPU counts as that share
    j.gpu_hours += gpus * dt / 3600.0;
    const double revenue_usd = j.req.price_usd_per_gpu_hour * gpus * dt / 3600.0;
    const double energy_j = gpus * j.gpu_power_w * dt;
    j.revenue_usd += revenue_usd;
    j.energy_j += energy_j;
    j.short_gpu_s += static_cast<double>(j.short_gpus) * dt;
    if (dt > 0) record_segment(j, t, revenue_usd, energy_j);  // same-instant re-plans leave no empty rows
    j.segment_start_s = t;
  }

  // The job's rate and power for a segment that starts at t: the cost model's
  // rate slowed by its throttle (contracts are paid by time: their term does
  // not stretch), and its end moved to match.
  void set_rate(Job& j, double t) {
    const double factor = j.is_contract() ? 1.0 : power->rate_factor(j.req.id);
    j.rate = rate_for(j) * factor;
    j.gpu_power_w = power->gpu_power_w(j.req.id);
    const double end = t + time_to_complete(j.exec, j.checkpoint, j.rate, j.work_total);
    if (end != j.expected_end_s) {
      scheduler.update_expected_end(&j, end);
      schedule_end(j);
    }
  }

  void add_power(const Job& j) {
    if (!power->has_load(j.req.id))
      power->add_load(j.req.id, j.alloc, power->dynamic_w(j.req.kind), j.tenant_class);
  }

  void link_nodes(const Allocation& a, uint64_t id) {
    for (const auto& [node, gpus] : a.parts) jobs_on_node[static_cast<size_t>(node)].push_back(id);
  }
  void unlink_node(int32_t node, uint64_t id) {
    auto& v = jobs_on_node[static_cast<size_t>(node)];
    v.erase(std::find(v.begin(), v.end(), id));
  }

  // Throttles moved: each running job whose cap changed closes its segment and
  // goes on at its new rate and power.
  void repower(double t) {
    power->set_deferring(deferred_for_power);
    for (uint64_t id : power->rebalance()) {
      Job* j = find(id);
      if (!j || j->phase != JobPhase::RUNNING) continue;
      close_segment(*j, t);
      set_rate(*j, t);
    }
  }

  // The /segments row of the segment that ends at `t` (for the Gantt view and the timeline).
  void record_segment(const Job& j, double t, double revenue_usd, double energy_j) {
    results::SegmentRecord r;
    r.job = j.req.id;
    r.start_s = j.segment_start_s;
    r.end_s = t;
    r.gpus = j.alloc.gpus;
    r.gpu_share = j.alloc.gpu_share();
    r.first_node = j.alloc.parts.empty() ? -1 : j.alloc.parts.front().first;
    r.pod = r.first_node < 0 ? -1 : static_cast<int32_t>(r.first_node / cluster.nodes_per_pod());
    r.nodes = static_cast<int32_t>(j.alloc.parts.size());
    r.tenant = static_cast<uint8_t>(j.req.tenant);
    r.kind = static_cast<uint8_t>(j.req.kind);
    r.revenue_usd = revenue_usd;
    r.energy_j = energy_j;
    rec.segment(r);
  }

  // SIGINT or SIGTERM arrived: stop every actor where it is; run() then
  // writes what the run has, marked incomplete.
  double stopped_at_s = -1;
  bool stop_if_interrupted() {
    if (!interrupt_requested()) return false;
    stopped_at_s = now();
    sg::Actor::kill_all();
    return true;
  }

  // A running job gives its GPUs back (the scheduler already freed them in its
  // state): close its segment and stop its actor's current run.
  void stop_running(Job& j, double t) {
    if (j.service >= 0) replicas_change(j, t, -1);
    integrate(t);
    close_segment(j, t);
    busy[static_cast<size_t>(j.req.tenant)] -= j.alloc.gpu_milli_held();
    gpus_held -= j.alloc.gpus;
    power->remove_load(j.req.id);
    for (const auto& [node, gpus] : j.alloc.parts) unlink_node(node, j.req.id);
    // Its calendar entry goes stale: the run it was stamped with has ended.
    for (auto& flow : j.flows) deferred.push_back([flow] { flow->cancel(); });
    j.flows.clear();
    j.bandwidth_share = 1;
    j.contends = false;
  }

  Job* find(uint64_t id) {
    auto it = live.find(id);
    return it == live.end() ? nullptr : it->second.get();
  }

  void on_arrival(workloads::JobRequest req) {
    const double t = now();
    auto owned = std::make_unique<Job>();
    Job& j = *owned;
    j.req = std::move(req);
    const auto kind = static_cast<size_t>(j.req.kind);
    j.priority = sc.scheduler.kind_priority[kind].value_or(j.req.priority);
    j.preemptible = sc.scheduler.preemptible[kind];
    j.checkpoint = sc.execution.checkpoint[kind];
    // A fixed duration (a trace's run time, a lease term) already includes the
    // job's own checkpoint writes: they decide what a preemption loses, not how long it runs.
    if (j.req.duration_s >= 0) j.checkpoint.write_s = 0;
    j.work_total = j.req.duration_s >= 0 ? j.req.duration_s : j.req.work_tokens;
    j.tenant_class = static_cast<uint8_t>(tenant_class(j.req.tenant, j.req.kind));
    if (j.req.kind == JobKind::INFERENCE) {
      j.req.price_usd_per_gpu_hour = 0;  // API customers pay per token served (see serve_until)
      j.service = static_cast<int64_t>(j.req.id);
    } else if (j.is_external() && j.req.price_usd_per_gpu_hour <= 0) {
      j.req.price_usd_per_gpu_hour = sc.economics.default_price_usd_per_gpu_hour[kind];
    }
    stats.jobs++;
    event(t, j, EventType::SUBMIT, Cause::ARRIVAL);
    const bool wrong_type = !j.req.gpu_type.empty() && j.req.gpu_type != sc.cluster.gpu_type;
    // Spares are held out of the pool: a job larger than the pool could never start.
    const int64_t spare_gpus = int64_t(sc.failures.spares.hot_per_pod + sc.failures.spares.cold_per_pod) *
                               sc.cluster.pod_count() * sc.cluster.gpus_per_node;
    const bool too_large = j.req.gpus > cluster.total_gpus() - spare_gpus;
    // A job of one node asking more CPU or memory than a node has never fits either.
    const bool beyond_node = j.req.gpus <= sc.cluster.gpus_per_node &&
                             (j.req.cpu_milli > sc.cluster.cpu_milli_per_node ||
                              j.req.memory_mib > sc.cluster.memory_mib_per_node);
    if (too_large || j.req.gpus < 1 || wrong_type || beyond_node ||
        (j.req.duration_s < 0 && !sc.catalog.find_model(j.req.model))) {
      if (too_large && stats.larger_than_cluster.size() < LARGER_THAN_CLUSTER_NAMED)
        stats.larger_than_cluster.push_back(j.req.id);
      larger_than_cluster += too_large ? 1 : 0;
      event(t, j, EventType::KILL, too_large ? Cause::LARGER_THAN_CLUSTER : Cause::INFEASIBLE);
      finalize(j, JobState::KILLED, t);
      return;
    }
    scheduler.enqueue(&j, t);
    if (j.req.patience_s >= 0) {
      const uint64_t id = j.req.id;
      timers.at(t + j.req.patience_s, [this, id] { on_patience_expired(id); });
    }
    live.emplace(j.req.id, std::move(owned));
    dispatch();
    flush();
  }

  // An external request not started within its patience is refused; what it
  // would have paid is lost revenue.
  void on_patience_expired(uint64_t id) {
    Job* j = find(id);
    if (!j || j->phase != JobPhase::QUEUED || j->first_start_s >= 0) return;
    const double t = now();
    scheduler.remove(j);
    j->wait_s += t - j->queued_since_s;
    if (j->req.duration_s > 0)
      refused_revenue_usd += j->req.price_usd_per_gpu_hour * static_cast<double>(j->req.gpus) * j->req.duration_s / 3600.0;
    event(t, *j, EventType::REFUSE, Cause::PATIENCE);
    finalize(*j, JobState::REFUSED, t);
    live.erase(id);
    dispatch();  // the refused job may have held the queue
    flush();
  }

  // The scheduler's decision point. Under `decide: event` every event decides
  // at once; under `decide: instant` (the default) events only ask for a
  // decision, and the decider actor takes one after every event of the
  // instant has been applied.
  bool decision_asked = false;
  sg::SemaphorePtr decision_wake;
  void dispatch() {
    if (!sc.scheduler.decide_per_instant) return decide();
    if (decision_asked) return;
    decision_asked = true;
    deferred.push_back([this] { decision_wake->release(); });
  }

  // Every actor woken at this instant has run its handlers once the decider
  // yields to them; what they ask for then joins this one decision.
  void decider() {
    while (true) {
      events.acquire(decision_wake);
      sg::this_actor::yield();
      decision_asked = false;
      decide();
      flush();
    }
  }

  void decide() {
    integrate(now());
    top_up_contracts(now());
    deferred_for_power = false;
    // Preempted jobs go back to the queue and get one more decision now.
    for (int round = 0; round < 4; ++round) {
      const double t = now();
      Decision d = scheduler.schedule(t);
      for (Job* v : d.preempted) preempt(*v, Cause::PRIORITY);
      for (Job* s : d.reclaim) {
        event(t, *s, EventType::RECLAIM_NOTICE, Cause::SPOT_RECLAIM);
        const uint64_t id = s->req.id;
        const uint32_t run = s->run_index;
        timers.at(s->reclaim_at_s, [this, id, run] { on_reclaim_due(id, run); });
      }
      for (Job* j : d.started) start(*j, t);
      if (d.wake_at_s < wake_at_s || wake_at_s <= t) wake(d.wake_at_s);
      if (d.preempted.empty()) break;
    }
    repower(now());
  }

  // A decision the policy asked for at t (a LAS demotion or promotion, a Themis
  // lease end); one pending at a time, the earliest.
  double wake_at_s = std::numeric_limits<double>::infinity();
  void wake(double t) {
    if (!std::isfinite(t)) return;
    wake_at_s = t;
    timers.at(t, [this, t] {
      if (wake_at_s != t) return;  // superseded by an earlier one
      wake_at_s = std::numeric_limits<double>::infinity();
      dispatch();
      flush();
    });
  }

  // A running job stops (preemption, spot reclaim, failure) after the scheduler
  // released its GPUs: it loses the compute since its last completed checkpoint
  // and goes back to the queue; it pays its restart cost when it runs again.
  void interrupt(Job& j, EventType type, uint8_t cause) {
    const double t = now();
    const int64_t gpus = j.alloc.gpus;
    stop_running(j, t);
    const double lost_s = j.exec.phase_s;
    j.lost_work += lose_uncheckpointed(j.exec, j.checkpoint);
    j.lost_compute_s += lost_s;
    const double lost_gh = lost_s * static_cast<double>(gpus) / 3600.0;
    lost_gpu_hours += lost_gh;
    if (type == EventType::FAIL) {
      j.failures++;
      lost_gpu_hours_failures += lost_gh;
    } else {
      j.preemptions++;
      preemptions++;
      if (cause == uint8_t(Cause::SPOT_RECLAIM)) reclaims++;
    }
    event(t, j, type, static_cast<Cause>(cause), gpus);
    j.alloc = Allocation{};
    j.reclaim_at_s = -1;
    scheduler.enqueue(&j, t);
  }

  void preempt(Job& j, Cause cause) { interrupt(j, EventType::PREEMPT, uint8_t(cause)); }

  void on_reclaim_due(uint64_t id, uint32_t run) {
    Job* j = find(id);
    if (!j || j->phase != JobPhase::RUNNING || j->run_index != run || j->reclaim_at_s < 0) return;
    scheduler.release(j);
    preempt(*j, Cause::SPOT_RECLAIM);
    dispatch();
    flush();
  }

  // Power model, spares out of the pool, the failure process and power admission.
  void setup_operations() {
    const auto design = topology::analyze(*fabric, gpu->tdp_w);
    network = NetworkTotals{design.network_power_w, design.network_cost_usd};
    const int64_t leaves = fabric->switch_count(0);
    for (const auto& e : sc.failures.events)
      if (failure_classes()[size_t(e.cls)].scope == FailureScope::SWITCH && e.unit >= leaves)
        fail(ExitCode::SCENARIO, e.where, fmt::format("a leaf switch of the fabric (0 to {})", leaves - 1),
             fmt::format("{}", e.unit));
    power = std::make_unique<PowerModel>(sc.cluster, gpu->tdp_w, gpu->idle_w, network.power_w, sc.power,
                                         TENANT_CLASS_COUNT, sc.economics.tariff);
    for (int32_t n : health.initial_spares()) {
      cluster.mark_down(n);
      if (health.state(n) == FleetHealth::State::COLD_SPARE) power->set_node_powered(n, false);
    }
    power->rebalance();
    if (sc.failures.random)
      failure_process = std::make_unique<FailureProcess>(
          sc.failures.classes, FleetUnits{cluster.total_gpus(), cluster.node_count(), leaves}, sc.seed);
    if (sc.power.policy == PowerPolicy::DEFER)
      scheduler.set_admission([this](const Job& j, const Allocation& a) {
        // A start the budget admits takes its power now, so later starts of the same decision see it.
        const double w = power->dynamic_w(j.req.kind);
        if (!power->fits(a, w)) {
          deferred_for_power = true;
          return false;
        }
        power->add_load(j.req.id, a, w, j.tenant_class);
        return true;
      });
  }

  // ---- Failures (docs/operations.md#failures) ----

  const std::vector<FailureClass>& failure_classes() const { return sc.failures.classes; }

  void reload_power(const Job& j) {
    power->remove_load(j.req.id);
    add_power(j);
  }

  // A contract (lease, on-demand) loses its GPUs on a failed node: its term
  // runs on, short of them, until a spare or free GPUs make it whole again.
  void shrink_contract(Job& j, int32_t node, uint8_t cause) {
    const double t = now();
    close_segment(j, t);
    const int64_t gpus = scheduler.drop_node(&j, node);
    busy[static_cast<size_t>(j.req.tenant)] -= gpus * MILLI_PER_GPU;
    gpus_held -= gpus;
    unlink_node(node, j.req.id);
    j.short_gpus += gpus;
    j.failures++;
    short_contracts.insert(j.req.id);
    reload_power(j);
    event(t, j, EventType::FAIL, static_cast<Cause>(cause), gpus);
  }

  // Contracts short of GPUs get them back first, before any queued job: from a
  // spare that joined the pool, from free GPUs, or from their repaired node.
  void top_up_contracts(double t) {
    for (auto it = short_contracts.begin(); it != short_contracts.end();) {
      Job* j = find(*it);
      if (!j || j->phase != JobPhase::RUNNING) {
        it = short_contracts.erase(it);
        continue;
      }
      while (j->short_gpus > 0) {
        auto more = scheduler.place(std::min<int64_t>(j->short_gpus, sc.cluster.gpus_per_node));
        if (!more || (sc.power.policy == PowerPolicy::DEFER && !power->fits(*more, power->dynamic_w(j->req.kind))))
          break;
        close_segment(*j, t);
        scheduler.grow(j, *more);
        busy[static_cast<size_t>(j->req.tenant)] += more->gpus * MILLI_PER_GPU;
        gpus_held += more->gpus;
        stats.peak_gpus_in_use = std::max(stats.peak_gpus_in_use, gpus_held);
        link_nodes(*more, j->req.id);
        j->short_gpus -= more->gpus;
        reload_power(*j);
        event(t, *j, EventType::REPLACE, Cause::NONE, more->gpus);
      }
      it = j->short_gpus == 0 ? short_contracts.erase(it) : std::next(it);
    }
  }

  // The job holding GPU k of a node (GPUs counted in the order the jobs took them), if any.
  Job* job_on_gpu(int64_t node, int64_t k) {
    int64_t seen = 0;
    for (uint64_t id : jobs_on_node[static_cast<size_t>(node)]) {
      Job* j = find(id);
      for (const auto& [n, gpus] : j->alloc.parts)
        if (n == node) seen += gpus;
      if (k < seen) return j;
    }
    return nullptr;
  }

  // A node fails: its jobs are interrupted (contracts lose the node's GPUs),
  // it leaves the pool until repaired, and a spare of its pod replaces it.
  void fail_node(int32_t node, int cls, double repair_s) {
    const double t = now();
    const auto cause = static_cast<uint8_t>(FAILURE_CAUSE_BASE + static_cast<size_t>(cls));
    const std::vector<uint64_t> ids = jobs_on_node[static_cast<size_t>(node)];
    for (uint64_t id : ids) {
      Job* j = find(id);
      if (!j || j->phase != JobPhase::RUNNING) continue;
      interruptions[static_cast<size_t>(cls)]++;
      if (j->is_contract()) {
        shrink_contract(*j, node, cause);
      } else {
        scheduler.release(j);
        interrupt(*j, EventType::FAIL, cause);
      }
    }
    using State = FleetHealth::State;
    const auto f = health.fail(node);
    if (f.before == State::POOL) cluster.mark_down(node);
    if (f.before == State::POOL || f.before == State::HOT_SPARE) power->set_node_powered(node, false);
    if (f.replacement >= 0) {
      const int32_t spare = f.replacement;
      if (f.replacement_hot) cluster.mark_up(spare);  // powered all along
      else timers.at(t + sc.failures.spares.cold_swap_s, [this, spare] { on_spare_arrived(spare); });
    }
    timers.at(t + repair_s, [this, node] { on_repair(node); });
  }

  void on_failure(const FailureEvent& e) {
    const double t = now();
    integrate(t);
    const FailureClass& c = failure_classes()[static_cast<size_t>(e.cls)];
    const auto cls = static_cast<size_t>(e.cls);
    const int g = sc.cluster.gpus_per_node;
    if (c.scope == FailureScope::JOB) {
      // Software fails the job on the GPU it hits; idle GPUs and contracts' own software are not ours to count.
      Job* j = job_on_gpu(e.unit / g, e.unit % g);
      if (j && !j->is_contract()) {
        failure_events[cls]++;
        interruptions[cls]++;
        scheduler.release(j);
        interrupt(*j, EventType::FAIL, static_cast<uint8_t>(FAILURE_CAUSE_BASE + cls));
      }
    } else {
      failure_events[cls]++;
      if (c.scope == FailureScope::SWITCH) {
        // A failed leaf takes down the links of the nodes under it: they leave the pool until it is repaired.
        for (int64_t n : fabric->failure_domain({topology::Network::BACKEND, 0, e.unit}).nodes)
          fail_node(static_cast<int32_t>(n), e.cls, e.repair_s);
      } else {
        fail_node(static_cast<int32_t>(c.scope == FailureScope::GPU ? e.unit / g : e.unit), e.cls, e.repair_s);
      }
    }
    dispatch();
    flush();
  }

  void on_repair(int32_t node) {
    integrate(now());
    using State = FleetHealth::State;
    const State after = health.repair(node);
    if (after == State::POOL) cluster.mark_up(node);  // back in the pool; otherwise a spare again (or still down)
    if (after == State::POOL || after == State::HOT_SPARE) power->set_node_powered(node, true);
    dispatch();
    flush();
  }

  void on_spare_arrived(int32_t node) {
    integrate(now());
    if (health.arrived(node)) {
      cluster.mark_up(node);
      power->set_node_powered(node, true);
    }
    dispatch();
    flush();
  }

  // Failure events in time order: the scenario's scripted ones merged with the random process.
  void failures_loop() {
    const auto& scripted = sc.failures.events;
    size_t next_scripted = 0;
    std::optional<FailureEvent> random = failure_process ? failure_process->next() : std::nullopt;
    while (true) {
      FailureEvent e;
      if (next_scripted < scripted.size() && (!random || scripted[next_scripted].at_s <= random->time_s)) {
        const auto& f = scripted[next_scripted++];
        e = FailureEvent{f.at_s, f.cls, f.unit, f.repair_s};
      } else if (random) {
        e = *random;
        random = failure_process->next();
      } else {
        return;
      }
      if (e.time_s >= sc.horizon_s) return;
      if (e.time_s > now()) events.sleep_until(e.time_s);
      on_failure(e);
    }
  }

  void start(Job& j, double t) {
    integrate(t);
    const auto tenant = static_cast<size_t>(j.req.tenant);
    busy[tenant] += j.alloc.gpu_milli_held();
    gpus_held += j.alloc.gpus;
    stats.peak_gpus_in_use = std::max(stats.peak_gpus_in_use, gpus_held);
    j.wait_s += t - j.queued_since_s;
    if (j.first_start_s < 0) {
      j.first_start_s = t;
      wait_sum[tenant] += t - j.req.submit_s;
      started[tenant]++;
      if (j.req.tenant == Tenant::INTERNAL) internal_waits.push_back(t - j.req.submit_s);
    }
    if (j.service >= 0) replicas_change(j, t, +1);
    j.run_index++;
    j.segment_start_s = t;
    link_nodes(j.alloc, j.req.id);
    add_power(j);
    if (fabric_flows && j.req.duration_s < 0 && groups_of(j).size() >= 2) {
      // Until its first probe, a job gets what the static (fleet) estimate gives.
      j.plan = plan_for(j);
      j.bandwidth_share = fabric->scale_out_Bps_per_gpu(nodes_of(j)) / nic_Bps_per_gpu();
      j.contends = true;
    }
    const uint32_t version = j.end_version;
    set_rate(j, t);
    if (j.end_version == version) schedule_end(j);  // the same end as its last run: a fresh entry still
    event(t, j, EventType::START, Cause::NONE, j.alloc.gpus);
    if (j.contends) {
      const uint64_t id = j.req.id;
      const uint32_t run = j.run_index;
      deferred.push_back([this, id, run] {
        sg::Actor::create(fmt::format("flows-{}.{}", id, run), platform->host(0),
                          guarded(failure, [this, id, run] { probe_fabric(id, run); }));
      });
    }
  }

  // ---- Inference services ----
  // An INFERENCE request is a service: its own job holds min_replicas
  // replicas for its lifetime; an autoscaler actor adds replica jobs (queued
  // like any other) and removes them with the demand curve. Demand is a fluid
  // served up to the running replicas' capacity within the SLOs; the tokens
  // served earn the service's API revenue (booked to its own job).
  struct Service {
    const workloads::InferenceDemand* demand = nullptr;
    ReplicaCapacity capacity;
    int running = 0;                 ///< replicas holding GPUs (the service's own job counts min_replicas)
    std::vector<uint64_t> extra;     ///< replica jobs the autoscaler added, oldest first
    double served_until = 0;
    bool open = true;
  };
  std::map<uint64_t, Service> services;
  uint64_t next_replica_id = uint64_t(1) << 62;  // replica jobs' ids, apart from the workload's
  double api_tokens_demanded = 0, api_tokens_served = 0, api_requests_demanded = 0, api_requests_unserved = 0;

  Service& service_of(const Job& j) { return services.at(static_cast<uint64_t>(j.service)); }
  int replicas_of(const Job& j) const { return static_cast<int>(j.alloc.gpus / std::max(1, j.req.demand ? j.req.demand->gpus_per_replica : 1)); }

  // Books the demand served since the last change of the running replicas.
  void serve_until(uint64_t id, Service& s, double t) {
    if (t <= s.served_until) return;
    const ServedFlow f = serve(*s.demand, s.running * s.capacity.tokens_per_s, s.served_until, t);
    s.served_until = t;
    api_tokens_demanded += f.demanded_tokens;
    api_tokens_served += f.served_tokens;
    api_requests_demanded += f.demanded_requests;
    api_requests_unserved += f.unserved_requests;
    if (Job* owner = find(id)) owner->revenue_usd += f.revenue_usd;
  }

  void replicas_change(Job& j, double t, int sign) {
    const auto id = static_cast<uint64_t>(j.service);
    if (sign > 0 && j.service == static_cast<int64_t>(j.req.id) && !services.count(id)) open_service(j, t);
    auto it = services.find(id);
    if (it == services.end()) return;
    serve_until(id, it->second, t);
    const int n = j.service == static_cast<int64_t>(j.req.id) ? j.req.demand->min_replicas : 1;
    it->second.running += sign * n;
  }

  void open_service(const Job& j, double t) {
    Service s;
    s.demand = j.req.demand.get();
    s.capacity = replica_capacity(*sc.catalog.find_model(j.req.model), *gpu, cluster_links(sc.cluster), *s.demand);
    s.served_until = t;
    if (!s.capacity.feasible)
      std::cerr << fmt::format("gwsim: warning: inference service {} ({}) serves nothing: {}\n", j.req.id, j.req.model,
                               s.capacity.reason);
    services.emplace(j.req.id, std::move(s));
    const uint64_t id = j.req.id;
    deferred.push_back([this, id] {
      sg::Actor::create(fmt::format("autoscaler-{}", id), platform->host(0), [this, id] { autoscale(id); });
    });
  }

  // Every autoscale_interval: replicas for the coming interval's peak demand.
  void autoscale(uint64_t id) {
    const double dt = sc.execution.autoscale_interval_s;
    while (true) {
      Service& s = services.at(id);
      Job* owner = find(id);
      if (!s.open || !owner) return;
      const double t = now();
      serve_until(id, s, t);
      const int want = s.capacity.feasible ? target_replicas(*s.demand, s.capacity.tokens_per_s, t, t + dt) : 0;
      const int extra_wanted = std::max(0, want - s.demand->min_replicas);
      while (static_cast<int>(s.extra.size()) < extra_wanted) add_replica(*owner, s, t);
      while (static_cast<int>(s.extra.size()) > extra_wanted) remove_replica(s, t);
      dispatch();
      flush();
      events.sleep_for(dt);
    }
  }

  void add_replica(const Job& owner, Service& s, double t) {
    auto owned = std::make_unique<Job>();
    Job& r = *owned;
    r.req = owner.req;
    r.req.id = next_replica_id++;
    r.req.submit_s = t;
    r.req.gpus = owner.req.demand->gpus_per_replica;
    r.req.duration_s = std::max(1.0, owner.req.submit_s + owner.req.duration_s - t);  // at most the service's lifetime
    r.priority = owner.priority;
    r.preemptible = owner.preemptible;
    r.tenant_class = owner.tenant_class;
    r.service = owner.service;
    r.work_total = r.req.duration_s;
    stats.jobs++;
    event(t, r, EventType::SUBMIT, Cause::SCALE_UP);
    s.extra.push_back(r.req.id);
    scheduler.enqueue(&r, t);
    live.emplace(r.req.id, std::move(owned));
  }

  // The newest replica goes first: a queued one is withdrawn, a running one stops.
  void remove_replica(Service& s, double t) {
    const uint64_t rid = s.extra.back();
    s.extra.pop_back();
    Job* r = find(rid);
    if (!r) return;
    if (r->phase == JobPhase::QUEUED) {
      scheduler.remove(r);
      r->wait_s += t - r->queued_since_s;
      event(t, *r, EventType::KILL, Cause::SCALE_DOWN);
      finalize(*r, JobState::KILLED, t);
    } else {
      const int64_t gpus = r->alloc.gpus;
      scheduler.release(r);
      stop_running(*r, t);
      event(t, *r, EventType::FINISH, Cause::SCALE_DOWN, gpus);
      r->alloc = Allocation{};
      finalize(*r, JobState::COMPLETED, t);
    }
    live.erase(rid);
  }

  // The service's own job ended: its replicas go with it.
  void close_service(uint64_t id, double t) {
    auto it = services.find(id);
    if (it == services.end() || !it->second.open) return;
    serve_until(id, it->second, t);
    it->second.open = false;
    while (!it->second.extra.empty()) remove_replica(it->second, t);
  }

  // ---- Fabric fidelity: cross-job contention on the shared links ----
  // A training job spread over several leaf groups sends its scale-out
  // traffic across the groups' shared uplinks (and the pods' uplinks). It is
  // modelled as a ring of flows between the groups' aggregate hosts, each
  // bounded by what that group's GPUs send at the job's nominal bandwidth, so
  // SimGrid's max-min sharing divides the links between all jobs crossing
  // them. Each probe sends `fabric_probe_interval` worth of traffic; how much
  // longer the slowest flow takes gives the share of its bandwidth the job
  // got, which sets its rate for the next probe.
  bool fabric_flows = false;

  // GPUs of the job per leaf group, by group.
  std::map<int64_t, int64_t> groups_of(const Job& j) const {
    std::map<int64_t, int64_t> g;
    for (const auto& [node, gpus] : j.alloc.parts) g[fabric->leaf_group_of(node)] += gpus;
    return g;
  }

  double nic_Bps_per_gpu() const { return fabric->node_uplink_Bps() / sc.cluster.gpus_per_node; }

  void probe_fabric(uint64_t id, uint32_t run) {
    const double probe_s = sc.execution.fabric_probe_s;
    const double per_gpu = nic_Bps_per_gpu();
    while (true) {
      Job* j = find(id);
      if (!j || j->phase != JobPhase::RUNNING || j->run_index != run) return;
      const auto groups = groups_of(*j);
      std::vector<int64_t> ring;
      for (const auto& [g, gpus] : groups) ring.push_back(g);
      std::vector<sg::CommPtr> flows;
      for (size_t i = 0; i < ring.size(); ++i) {
        const double demand_Bps = static_cast<double>(groups.at(ring[i])) * per_gpu;
        // SimGrid 3.32 starts a host-to-host comm as soon as both ends are set: the rate bound and size go first.
        flows.push_back(sg::Comm::sendto_init()
                            ->set_rate(demand_Bps)
                            ->set_payload_size(static_cast<uint64_t>(demand_Bps * probe_s))
                            ->set_source(platform->group_host(ring[i]))
                            ->set_destination(platform->group_host(ring[(i + 1) % ring.size()])));
      }
      const double t0 = now();  // starting the flows were scheduling points: the job may have stopped meanwhile
      j = find(id);
      if (!j || j->phase != JobPhase::RUNNING || j->run_index != run) {
        for (auto& f : flows) f->cancel();
        return;
      }
      j->flows = flows;
      try {
        sg::Comm::wait_all(flows);
      } catch (const simgrid::Exception&) {
        return;  // the job stopped: stop_running() cancelled its flows
      }
      j = find(id);
      if (!j || j->phase != JobPhase::RUNNING || j->run_index != run) return;
      j->flows.clear();
      const double share = probe_s / std::max(now() - t0, probe_s);
      if (std::fabs(share - j->bandwidth_share) > 1e-9) set_bandwidth_share(*j, share);
      flush();
    }
  }

  // The job's rate changes: a new segment begins now.
  void set_bandwidth_share(Job& j, double share) {
    const double t = now();
    integrate(t);
    close_segment(j, t);
    j.bandwidth_share = share;
    set_rate(j, t);  // its throttle still applies
  }

  // Running jobs hold no actor and no stack: each job's expected end is an
  // entry on the calendar (the TimerQueue actor's heap). A re-plan stamps a new
  // entry; the old one fires later (or earlier) and is ignored.
  void schedule_end(Job& j) {
    ++j.end_version;
    if (!std::isfinite(j.expected_end_s)) return;  // a service runs until stopped
    timers.at(j.expected_end_s, [this, id = j.req.id, run = j.run_index, version = j.end_version] {
      Job* job = find(id);
      if (!job || job->phase != JobPhase::RUNNING || job->run_index != run || job->end_version != version) return;
      complete(*job);
    });
  }

  void complete(Job& j) {
    const double t = now();
    const int64_t gpus = j.alloc.gpus;
    scheduler.release(&j);
    stop_running(j, t);
    if (j.service == static_cast<int64_t>(j.req.id)) close_service(j.req.id, t);
    j.exec.work_done = j.work_total;
    scheduler.record_completion(j);
    event(t, j, EventType::FINISH, Cause::COMPLETION, gpus);
    j.alloc = Allocation{};
    finalize(j, JobState::COMPLETED, t);
    live.erase(j.req.id);
    dispatch();
    flush();
  }

  // A source that fails mid-run (a malformed trace row) stops every actor
  // through the guard; run() rethrows once the engine has stopped, and
  // nothing is written.
  void arrivals() {
    while (auto r = source->next()) {
      if (r->submit_s >= sc.horizon_s || stop_if_interrupted()) break;
      if (r->submit_s > now()) events.sleep_until(r->submit_s);
      on_arrival(std::move(*r));
    }
  }

  // A periodic decision point, when the scenario asks for one.
  void ticker() {
    for (int64_t k = 1; static_cast<double>(k) * sc.scheduler.tick_s < sc.horizon_s; ++k) {
      events.sleep_until(static_cast<double>(k) * sc.scheduler.tick_s);
      dispatch();
      flush();
    }
  }

  // One sample per interval: utilization is the exact average over the
  // interval just ended; the queue length is the value at the sample time.
  std::array<double, workloads::TENANT_COUNT> sampled_gpu_s{};
  double sampled_until = 0, sampled_energy_j = 0, sampled_cap_s = 0;
  void sample(double t) {
    integrate(t);
    const double dt = t - sampled_until;
    const double span = dt * static_cast<double>(cluster.total_gpus());
    for (int i = 0; i < workloads::TENANT_COUNT; ++i) {
      rec.sample(series_util[i], t, span > 0 ? (busy_gpu_s[i] - sampled_gpu_s[i]) / span : 0.0);
      sampled_gpu_s[i] = busy_gpu_s[i];
    }
    rec.sample(series_queue, t, static_cast<double>(scheduler.queue_length()));
    const auto& pt = power->totals();
    rec.sample(series_power, t, dt > 0 ? (pt.site_energy_j - sampled_energy_j) / dt : power->facility_power_w());
    rec.sample(series_at_cap, t, dt > 0 ? (pt.time_at_cap_s - sampled_cap_s) / dt : 0.0);
    rec.sample(series_down, t, static_cast<double>(health.down_nodes()));
    double replicas = 0, demand = 0, capacity = 0;
    for (const auto& [id, service] : services) {
      if (!service.open) continue;
      replicas += service.running;
      demand += service.demand->tokens_per_s(t);
      capacity += service.running * service.capacity.tokens_per_s;
    }
    rec.sample(series_replicas, t, replicas);
    rec.sample(series_demand, t, demand);
    rec.sample(series_capacity, t, capacity);
    sampled_energy_j = pt.site_energy_j;
    sampled_cap_s = pt.time_at_cap_s;
    sampled_until = t;
  }

  // The last sample, at the horizon, is taken by finish_run() after the engine stops.
  void sampler() {
    const double dt = sc.output.sample_interval_s;
    for (int64_t k = 1; static_cast<double>(k) * dt < sc.horizon_s; ++k) {
      events.sleep_until(static_cast<double>(k) * dt);
      if (stop_if_interrupted()) return;
      sample(static_cast<double>(k) * dt);
    }
    // Keep the clock running to the horizon: idle executors wait without a
    // timeout, and the engine must stop on time rather than on a deadlock.
    events.sleep_until(sc.horizon_s);
  }

  void finish_run(double end) {
    // An interrupted run may stop on a time already sampled: no second sample there.
    if (stopped_at_s < 0 || end > sampled_until || end == 0) sample(end);
    for (auto& [id, service] : services)
      if (service.open) serve_until(id, service, end);
    std::vector<uint64_t> ids;
    ids.reserve(live.size());
    for (const auto& [id, j] : live) ids.push_back(id);
    std::sort(ids.begin(), ids.end());
    for (uint64_t id : ids) {
      Job& j = *live[id];
      if (j.phase == JobPhase::RUNNING) {
        close_segment(j, end);
        event(end, j, EventType::END_OF_RUN, Cause::HORIZON, j.alloc.gpus);
        finalize(j, JobState::RUNNING_AT_END, end);
      } else {
        j.wait_s += end - j.queued_since_s;
        event(end, j, EventType::END_OF_RUN, Cause::HORIZON);
        finalize(j, JobState::QUEUED_AT_END, end);
      }
    }
    live.clear();
  }

  std::vector<results::SummaryValue> summary(double end) const {
    const double gpu_s = static_cast<double>(cluster.total_gpus()) * end;
    auto mean = [](double s, int64_t n) { return n > 0 ? s / static_cast<double>(n) : 0.0; };
    auto count = [](int64_t n) { return static_cast<double>(n); };
    const auto& st = stats.by_state;
    const auto rev = [&](JobKind k) { return revenue_by_kind[static_cast<size_t>(k)]; };
    return {
        {"simulated_time", end, "s"},
        {"gpus", count(cluster.total_gpus()), "GPU"},
        {"jobs", count(stats.jobs), "jobs"},
        {"jobs_completed", count(st[size_t(JobState::COMPLETED)]), "jobs"},
        {"jobs_refused", count(st[size_t(JobState::REFUSED)]), "jobs"},
        {"jobs_running_at_end", count(st[size_t(JobState::RUNNING_AT_END)]), "jobs"},
        {"jobs_queued_at_end", count(st[size_t(JobState::QUEUED_AT_END)]), "jobs"},
        {"jobs_killed", count(st[size_t(JobState::KILLED)]), "jobs"},
        {"jobs_larger_than_cluster", count(larger_than_cluster), "jobs"},
        {"preemptions", count(preemptions), "events"},
        {"spot_reclaims", count(reclaims), "events"},
        {"lost_gpu_hours", lost_gpu_hours, "GPU-h"},
        {"internal_mean_wait", mean(wait_sum[0], started[0]), "s"},
        {"internal_p95_wait", percentile(internal_waits, 0.95), "s"},
        {"external_mean_wait", mean(wait_sum[1], started[1]), "s"},
        {"pretrain_completed", count(pretrain_completed), "jobs"},
        {"pretrain_mean_jct", mean(pretrain_jct_sum, pretrain_completed), "s"},
        {"utilization_internal", gpu_s > 0 ? busy_gpu_s[0] / gpu_s : 0, "fraction"},
        {"utilization_external", gpu_s > 0 ? busy_gpu_s[1] / gpu_s : 0, "fraction"},
        {"utilization_total", gpu_s > 0 ? (busy_gpu_s[0] + busy_gpu_s[1]) / gpu_s : 0, "fraction"},
        {"gpu_hours_internal", busy_gpu_s[0] / 3600.0, "GPU-h"},
        {"gpu_hours_external", busy_gpu_s[1] / 3600.0, "GPU-h"},
        {"revenue_lease", rev(JobKind::LEASE), "USD"},
        {"revenue_on_demand", rev(JobKind::ON_DEMAND), "USD"},
        {"revenue_spot", rev(JobKind::SPOT), "USD"},
        {"revenue_total", rev(JobKind::LEASE) + rev(JobKind::ON_DEMAND) + rev(JobKind::SPOT) + rev(JobKind::INFERENCE),
         "USD"},
        {"refused_revenue", refused_revenue_usd, "USD"},
        {"api_tokens_demanded", api_tokens_demanded, "tokens"},
        {"api_tokens_served", api_tokens_served, "tokens"},
        {"api_slo_miss_fraction", api_requests_demanded > 0 ? api_requests_unserved / api_requests_demanded : 0,
         "fraction"},
    };
  }

  // Failures, power and money, appended to the summary (docs/operations.md#outputs).
  void operations_summary(std::vector<results::SummaryValue>& out, double end) const {
    const double gpn = sc.cluster.gpus_per_node;
    int64_t events = 0;
    for (auto n : failure_events) events += n;
    out.push_back({"failure_events", double(events), "events"});
    int64_t interrupted = 0;
    for (auto n : interruptions) interrupted += n;
    out.push_back({"job_interruptions", double(interrupted), "events"});
    if (events > 0)
      for (size_t c = 0; c < failure_classes().size(); ++c)
        if (interruptions[c] > 0)
          out.push_back({"interruptions_" + failure_classes()[c].name, double(interruptions[c]), "jobs"});
    out.push_back({"lost_gpu_hours_failures", lost_gpu_hours_failures, "GPU-h"});
    out.push_back({"failed_node_gpu_hours", down_node_s * gpn / 3600.0, "GPU-h"});
    out.push_back({"pretrain_effective_training_ratio",
                   pretrain_elapsed_s > 0 ? pretrain_useful_s / pretrain_elapsed_s : 0.0, "fraction"});

    const auto& pt = power->totals();
    constexpr double MWH = 3.6e9;
    out.push_back({"energy_total", pt.site_energy_j / MWH, "MWh"});
    out.push_back({"site_power_mean", end > 0 ? pt.site_energy_j / end / 1e6 : 0.0, "MW"});
    out.push_back({"site_power_peak", pt.peak_facility_w / 1e6, "MW"});
    out.push_back({"time_at_power_cap", pt.time_at_cap_s, "s"});
    out.push_back({"time_over_power_budget", pt.time_over_budget_s, "s"});

    // The books: each class's energy from the power model, depreciation by GPU-hours held.
    Books b = books;
    for (int c = 0; c < TENANT_CLASS_COUNT; ++c) {
      b.by_class[size_t(c)].energy_j = pt.bucket_energy_j[size_t(c)];
      b.by_class[size_t(c)].energy_cost_usd = pt.bucket_energy_cost_usd[size_t(c)];
    }
    const Capex capex = fleet_capex();
    const double installed_gpu_h = static_cast<double>(cluster.total_gpus()) * end / 3600.0;
    allocate_depreciation(b, depreciation_usd(capex, sc.economics.depreciation_years, end), installed_gpu_h);
    for (int c = 0; c < TENANT_CLASS_COUNT; ++c) {
      const auto& k = b.by_class[size_t(c)];
      const std::string name = to_string(TenantClass(c));
      out.push_back({"energy_" + name, k.energy_j / MWH, "MWh"});
      out.push_back({"energy_cost_" + name, k.energy_cost_usd, "USD"});
      out.push_back({"depreciation_" + name, k.depreciation_usd, "USD"});
      out.push_back({"margin_" + name, k.margin_usd(), "USD"});
    }
    const ClassBook total = b.total();
    out.push_back({"revenue_api", b.by_class[size_t(TenantClass::API)].revenue_usd, "USD"});
    out.push_back({"sla_credits", total.sla_credit_usd, "USD"});
    out.push_back({"capex", capex.total_usd(), "USD"});
    out.push_back({"energy_cost_total", total.energy_cost_usd, "USD"});
    out.push_back({"depreciation_total", total.depreciation_usd, "USD"});
    out.push_back({"margin_total", total.margin_usd(), "USD"});
    out.push_back({"rental_share_of_depreciation", b.depreciation_offset(), "fraction"});
  }

  Capex fleet_capex() const {
    const auto& e = sc.economics;
    const auto& spec = sc.cluster;
    const double node_cost = e.node_cost_usd >= 0 ? e.node_cost_usd : 7500.0 * spec.gpus_per_node;
    const double it_capacity_w =
        static_cast<double>(spec.node_count()) * (spec.power.node_overhead_w + spec.gpus_per_node * gpu->tdp_w) +
        network.power_w;
    return capex_of(spec.gpu_count(), gpu->price_usd, spec.node_count(), node_cost, network.cost_usd, it_capacity_w,
                    e.facility_cost_usd_per_w);
  }
};

Simulation::Simulation(const Scenario& scenario, results::Recorder& recorder)
    : impl_(std::make_unique<Impl>(scenario, recorder)) {}

Simulation::~Simulation() = default;

void Simulation::on_clock(std::function<void(double now_s)> callback) { impl_->on_clock = std::move(callback); }

RunStats Simulation::run() {
  const auto wall_start = std::chrono::steady_clock::now();
  Impl& s = *impl_;
  const Scenario& sc = s.sc;
  int argc = 1;
  char arg0[] = "gwsim";
  char* argv[] = {arg0, nullptr};
  {
    // The engine installs its own SIGINT handler; ours goes back on top, and
    // a signal arriving in between waits for it.
    const DeferInterrupts defer;
    s.engine = std::make_unique<sg::Engine>(&argc, argv);
    configure_simgrid_engine();
    catch_interrupts();
  }

  s.fabric = std::make_unique<topology::Fabric>(sc.cluster);
  const auto granularity = sc.fidelity == Fidelity::FABRIC ? topology::Granularity::NODE : topology::Granularity::DOMAIN;
  s.platform = std::make_unique<topology::Platform>(*s.fabric, *s.engine, granularity);
  s.fabric_flows = sc.fidelity == Fidelity::FABRIC && s.platform->has_shared_links();
  if (!sc.scheduler.custom_policy.empty()) s.scheduler.set_custom_policy(make_registered_policy(sc.scheduler.custom_policy));
  s.setup_operations();

  std::vector<std::unique_ptr<workloads::Source>> sources;
  for (size_t i = 0; i < sc.workload.size(); ++i) {
    sources.push_back(workloads::make_source(sc.workload[i], sc.horizon_s, sc.seed, i));
    s.trace_source.push_back(std::holds_alternative<workloads::TraceConfig>(sc.workload[i]));
  }
  s.source = std::make_unique<workloads::MergedSource>(std::move(sources));

  s.rec.set_lookup("tenant", names_of(workloads::TENANT_COUNT, [](int i) { return workloads::to_string(Tenant(i)); }));
  s.rec.set_lookup("kind", names_of(workloads::JOB_KIND_COUNT, [](int i) { return workloads::to_string(JobKind(i)); }));
  s.rec.set_lookup("state", results::job_state_names());
  s.rec.set_lookup("event", EVENT_NAMES);
  std::vector<std::string> causes = CAUSE_NAMES;
  for (const auto& c : sc.failures.classes) causes.push_back(c.name);
  if (causes.size() > 256) throw Error(ExitCode::SCENARIO, "failures.classes: at most 248 failure classes");
  s.rec.set_lookup("cause", causes);
  s.rec.set_lookup("gpu_type", {sc.cluster.gpu_type});
  // What report.html needs to draw utilization per pod and power against its
  // budget (docs/results.md#report): the pods the GPUs are split into, and the
  // facility budget of the whole site (0: none).
  const std::map<std::string, std::string> pods = {{"pods", std::to_string(sc.cluster.pod_count())},
                                                   {"gpus_per_pod", std::to_string(sc.cluster.nodes_per_pod() * sc.cluster.gpus_per_node)}};
  s.series_util[0] = s.rec.series("utilization/internal", "fraction", results::Sampling::INTERVAL_MEAN, pods);
  s.series_util[1] = s.rec.series("utilization/external", "fraction", results::Sampling::INTERVAL_MEAN, pods);
  s.series_queue = s.rec.series("queue_length", "jobs");
  s.series_power = s.rec.series("power/site", "W", results::Sampling::INTERVAL_MEAN,
                                {{"budget_w", fmt::format("{}", site_power_budget_w(sc.cluster))}});
  s.series_at_cap = s.rec.series("at_power_cap", "fraction", results::Sampling::INTERVAL_MEAN);
  s.series_down = s.rec.series("failures/nodes_down", "nodes");
  s.series_replicas = s.rec.series("inference/replicas", "replicas");
  s.series_demand = s.rec.series("inference/demand", "tokens/s");
  s.series_capacity = s.rec.series("inference/capacity", "tokens/s");

  sg::Host* control = s.platform->host(0);
  // Every actor's body is guarded: an error inside one stops the run (actor_guard.hpp).
  s.timers.start(control, s.failure, s.events);
  if (sc.scheduler.decide_per_instant) {
    s.decision_wake = sg::Semaphore::create(0);
    sg::Actor::create("decider", control, guarded(s.failure, [&s] { s.decider(); }))->daemonize();
  }
  sg::Actor::create("arrivals", control, guarded(s.failure, [&s] { s.arrivals(); }));
  sg::Actor::create("sampler", control, guarded(s.failure, [&s] { s.sampler(); }));
  if (sc.scheduler.tick_s > 0) sg::Actor::create("ticker", control, guarded(s.failure, [&s] { s.ticker(); }));
  if (s.failure_process || !sc.failures.events.empty())
    sg::Actor::create("failures", control, guarded(s.failure, [&s] { s.failures_loop(); }));

  if (s.on_clock) sg::Engine::on_time_advance_cb([&s](double) { s.on_clock(sg::Engine::get_clock()); });
  s.stats.setup_wall_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - wall_start).count();
  // The run covers [0, horizon] even when the work drains early: idle time counts.
  s.engine->run_until(sc.horizon_s);
  // Daemons (timers, fabric probes) still wait: stop them before their state
  // is released.
  sg::Actor::kill_all();
  s.engine->run();  // lets the killed actors unwind; the clock does not move
  if (s.failure) std::rethrow_exception(s.failure);
  const double end = s.stopped_at_s >= 0 ? s.stopped_at_s : sc.horizon_s;
  s.finish_run(end);

  s.stats.end_time_s = end;
  s.stats.interrupted = s.stopped_at_s >= 0;
  s.stats.events = s.events.delivered();
  s.stats.peak_pending_events = s.events.peak_pending();
  s.stats.summary = s.summary(end);
  s.operations_summary(s.stats.summary, end);
  if (std::find(s.trace_source.begin(), s.trace_source.end(), true) != s.trace_source.end())
    s.trace_metrics.append_summary(s.stats.summary);
  s.rec.summary(s.stats.summary);
  return s.stats;
}

}  // namespace gwsim::sim
