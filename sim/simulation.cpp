#include "sim/simulation.hpp"

#include <algorithm>
#include <cmath>
#include <exception>
#include <fmt/format.h>
#include <limits>
#include <simgrid/s4u/Actor.hpp>
#include <simgrid/s4u/Engine.hpp>
#include <simgrid/s4u/Host.hpp>
#include <simgrid/s4u/Semaphore.hpp>
#include <unordered_map>
#include <xbt/log.h>

#include "gpu_models/cost_model.hpp"
#include "sim/scheduler.hpp"
#include "sim/timers.hpp"
#include "topology/fabric.hpp"
#include "topology/platform.hpp"
#include "workloads/source.hpp"

namespace gwsim::sim {

namespace sg = simgrid::s4u;
using results::JobState;
using workloads::JobKind;
using workloads::Tenant;

namespace {

// Codes of /lookup/event and /lookup/cause.
enum class EventType : uint8_t { SUBMIT, START, FINISH, REFUSE, KILL, END_OF_RUN };
enum class Cause : uint8_t { NONE, ARRIVAL, COMPLETION, PATIENCE, INFEASIBLE, HORIZON };
const std::vector<std::string> EVENT_NAMES = {"submit", "start", "finish", "refuse", "kill", "end_of_run"};
const std::vector<std::string> CAUSE_NAMES = {"none", "arrival", "completion", "patience", "infeasible", "horizon"};

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
  TimerQueue timers;
  std::unique_ptr<workloads::Source> source;
  const gpu_models::GpuSpec* gpu;
  std::unordered_map<uint64_t, std::unique_ptr<Job>> live;  // jobs not yet in a final state
  RunStats stats;
  std::exception_ptr failure;  // an error raised inside an actor, rethrown by run()

  // Exact utilization accounting: GPUs held per tenant, integrated between changes.
  std::array<int64_t, workloads::TENANT_COUNT> busy{};
  std::array<double, workloads::TENANT_COUNT> busy_gpu_s{};
  double busy_since = 0;
  int series_util[workloads::TENANT_COUNT] = {};
  int series_queue = 0;

  // Aggregates for the summary.
  std::array<double, workloads::TENANT_COUNT> wait_sum{};
  std::array<int64_t, workloads::TENANT_COUNT> started{};
  double revenue_usd = 0;

  Impl(const Scenario& s, results::Recorder& r)
      : sc(s),
        rec(r),
        cluster(s.cluster),
        scheduler(cluster, make_policy(s.scheduler.policy), make_placement(s.scheduler.placement)),
        gpu(s.catalog.find_gpu(s.cluster.gpu_type)) {}

  double now() const { return sg::Engine::get_clock(); }

  void integrate(double t) {
    for (int i = 0; i < workloads::TENANT_COUNT; ++i) busy_gpu_s[i] += static_cast<double>(busy[i]) * (t - busy_since);
    busy_since = t;
  }

  void event(double t, const Job& j, EventType type, Cause cause) {
    if (!sc.output.events) return;
    rec.event(results::EventRecord{t, j.req.id, static_cast<uint8_t>(type), static_cast<uint8_t>(cause),
                                   j.phase == JobPhase::RUNNING ? j.alloc.gpus : 0});
  }

  // Work units per second for a job on its allocation: 1 for fixed-duration
  // jobs; tokens/s from the cost model for token-measured work.
  double rate_for(const Job& j) const {
    if (j.req.duration_s >= 0) return 1.0;
    const gpu_models::ModelSpec* model = sc.catalog.find_model(j.req.model);
    const int n = static_cast<int>(j.alloc.gpus);
    gpu_models::TrainingQuery q;
    q.model = model;
    q.gpu = gpu;
    q.gpus = n;
    q.plan = gpu_models::default_plan(*model, *gpu, n);
    q.links = cluster_links(sc.cluster);
    const auto e = gpu_models::estimate_training(q);
    return e.tokens_per_s > 0 ? e.tokens_per_s : 1e-9;
  }

  void finalize(Job& j, JobState state, double t) {
    j.phase = JobPhase::DONE;
    j.final_state = state;
    j.end_s = t;
    stats.by_state[static_cast<size_t>(state)]++;
    stats.gpu_hours_in_segments += j.gpu_hours;
    revenue_usd += j.revenue_usd;
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
    r.energy_j = 0;
    r.revenue_usd = j.revenue_usd;
    rec.job(r);
  }

  void close_segment(Job& j, double t) {
    const double dt = t - j.segment_start_s;
    j.work_done = std::min(j.work_total, j.work_done + j.rate * dt);
    j.run_s += dt;
    j.gpu_hours += static_cast<double>(j.alloc.gpus) * dt / 3600.0;
    j.revenue_usd += j.req.price_usd_per_gpu_hour * static_cast<double>(j.alloc.gpus) * dt / 3600.0;
    j.segment_start_s = t;
  }

  void on_arrival(workloads::JobRequest req) {
    const double t = now();
    auto owned = std::make_unique<Job>();
    Job& j = *owned;
    j.req = std::move(req);
    j.work_total = j.req.duration_s >= 0 ? j.req.duration_s : j.req.work_tokens;
    stats.jobs++;
    event(t, j, EventType::SUBMIT, Cause::ARRIVAL);
    const bool wrong_type = !j.req.gpu_type.empty() && j.req.gpu_type != sc.cluster.gpu_type;
    if (j.req.gpus > cluster.total_gpus() || j.req.gpus < 1 || wrong_type ||
        (j.req.duration_s < 0 && !sc.catalog.find_model(j.req.model))) {
      event(t, j, EventType::KILL, Cause::INFEASIBLE);
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
  }

  void on_patience_expired(uint64_t id) {
    auto it = live.find(id);
    if (it == live.end() || it->second->phase != JobPhase::QUEUED) return;
    Job& j = *it->second;
    const double t = now();
    scheduler.remove(&j);
    j.wait_s += t - j.queued_since_s;
    event(t, j, EventType::REFUSE, Cause::PATIENCE);
    finalize(j, JobState::REFUSED, t);
    live.erase(it);
    dispatch();  // the refused job may have blocked the queue head
  }

  void dispatch() {
    const double t = now();
    for (Job* j : scheduler.schedule(t)) start(*j, t);
  }

  void start(Job& j, double t) {
    integrate(t);
    const auto tenant = static_cast<size_t>(j.req.tenant);
    busy[tenant] += j.alloc.gpus;
    stats.peak_gpus_in_use = std::max(stats.peak_gpus_in_use, busy[0] + busy[1]);
    j.phase = JobPhase::RUNNING;
    j.wait_s += t - j.queued_since_s;
    if (j.first_start_s < 0) {
      j.first_start_s = t;
      wait_sum[tenant] += t - j.req.submit_s;
      started[tenant]++;
    }
    j.segment_start_s = t;
    j.rate = rate_for(j);
    event(t, j, EventType::START, Cause::NONE);
    j.wake = sg::Semaphore::create(0);
    Job* jp = &j;
    j.actor = sg::Actor::create(fmt::format("job-{}", j.req.id), platform->host_of_node(j.alloc.parts.front().first),
                                [this, jp] { run_job(*jp); });
  }

  // The job's actor: waits out the current segment; a release of `wake`
  // means the scheduler changed the job's plan (the phase tells how).
  void run_job(Job& j) {
    while (j.phase == JobPhase::RUNNING) {
      const double dt = j.remaining_work() / j.rate;
      const bool finished = j.wake->acquire_timeout(std::max(0.0, dt));
      if (finished && j.phase == JobPhase::RUNNING) {
        complete(j);
        return;
      }
    }
  }

  void complete(Job& j) {
    const double t = now();
    integrate(t);
    close_segment(j, t);
    j.work_done = j.work_total;
    busy[static_cast<size_t>(j.req.tenant)] -= j.alloc.gpus;
    event(t, j, EventType::FINISH, Cause::COMPLETION);
    scheduler.release(&j);
    finalize(j, JobState::COMPLETED, t);
    const uint64_t id = j.req.id;
    j.actor = nullptr;
    live.erase(id);
    dispatch();
  }

  void arrivals() {
    try {
      while (auto r = source->next()) {
        if (r->submit_s >= sc.horizon_s) break;
        if (r->submit_s > now()) sg::this_actor::sleep_until(r->submit_s);
        on_arrival(std::move(*r));
      }
    } catch (const Error&) {
      // A source failed mid-run (a malformed trace row): stop every actor;
      // run() rethrows once the engine has stopped, and nothing is written.
      failure = std::current_exception();
      sg::Actor::kill_all();
    }
  }

  // One sample per interval: utilization is the exact average over the
  // interval just ended; the queue length is the value at the sample time.
  std::array<double, workloads::TENANT_COUNT> sampled_gpu_s{};
  double sampled_until = 0;
  void sample(double t) {
    integrate(t);
    const double span = (t - sampled_until) * static_cast<double>(cluster.total_gpus());
    for (int i = 0; i < workloads::TENANT_COUNT; ++i) {
      rec.sample(series_util[i], t, span > 0 ? (busy_gpu_s[i] - sampled_gpu_s[i]) / span : 0.0);
      sampled_gpu_s[i] = busy_gpu_s[i];
    }
    rec.sample(series_queue, t, static_cast<double>(scheduler.queue().size()));
    sampled_until = t;
  }

  // The last sample, at the horizon, is taken by finish_run() after the engine stops.
  void sampler() {
    const double dt = sc.output.sample_interval_s;
    for (int64_t k = 1; static_cast<double>(k) * dt < sc.horizon_s; ++k) {
      sg::this_actor::sleep_until(static_cast<double>(k) * dt);
      sample(static_cast<double>(k) * dt);
    }
  }

  void finish_run(double end) {
    sample(end);
    std::vector<uint64_t> ids;
    ids.reserve(live.size());
    for (const auto& [id, j] : live) ids.push_back(id);
    std::sort(ids.begin(), ids.end());
    for (uint64_t id : ids) {
      Job& j = *live[id];
      if (j.phase == JobPhase::RUNNING) {
        close_segment(j, end);
        event(end, j, EventType::END_OF_RUN, Cause::HORIZON);
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
    const auto& st = stats.by_state;
    return {
        {"simulated_time", end, "s"},
        {"gpus", static_cast<double>(cluster.total_gpus()), "GPU"},
        {"jobs", static_cast<double>(stats.jobs), "jobs"},
        {"jobs_completed", static_cast<double>(st[size_t(JobState::COMPLETED)]), "jobs"},
        {"jobs_refused", static_cast<double>(st[size_t(JobState::REFUSED)]), "jobs"},
        {"jobs_running_at_end", static_cast<double>(st[size_t(JobState::RUNNING_AT_END)]), "jobs"},
        {"jobs_queued_at_end", static_cast<double>(st[size_t(JobState::QUEUED_AT_END)]), "jobs"},
        {"jobs_killed", static_cast<double>(st[size_t(JobState::KILLED)]), "jobs"},
        {"internal_mean_wait", mean(wait_sum[0], started[0]), "s"},
        {"external_mean_wait", mean(wait_sum[1], started[1]), "s"},
        {"utilization_internal", gpu_s > 0 ? busy_gpu_s[0] / gpu_s : 0, "fraction"},
        {"utilization_external", gpu_s > 0 ? busy_gpu_s[1] / gpu_s : 0, "fraction"},
        {"utilization_total", gpu_s > 0 ? (busy_gpu_s[0] + busy_gpu_s[1]) / gpu_s : 0, "fraction"},
        {"gpu_hours_internal", busy_gpu_s[0] / 3600.0, "GPU-h"},
        {"gpu_hours_external", busy_gpu_s[1] / 3600.0, "GPU-h"},
        {"lease_revenue", revenue_usd, "USD"},
    };
  }
};

Simulation::Simulation(const Scenario& scenario, results::Recorder& recorder)
    : impl_(std::make_unique<Impl>(scenario, recorder)) {}

Simulation::~Simulation() = default;

RunStats Simulation::run() {
  Impl& s = *impl_;
  const Scenario& sc = s.sc;
  int argc = 1;
  char arg0[] = "gwsim";
  char* argv[] = {arg0, nullptr};
  s.engine = std::make_unique<sg::Engine>(&argc, argv);
  configure_simgrid_engine();

  s.fabric = std::make_unique<topology::Fabric>(sc.cluster);
  const auto granularity = sc.fidelity == Fidelity::FABRIC ? topology::Granularity::NODE : topology::Granularity::DOMAIN;
  s.platform = std::make_unique<topology::Platform>(*s.fabric, *s.engine, granularity);

  std::vector<std::unique_ptr<workloads::Source>> sources;
  for (size_t i = 0; i < sc.workload.size(); ++i)
    sources.push_back(workloads::make_source(sc.workload[i], sc.horizon_s, sc.seed, i));
  s.source = std::make_unique<workloads::MergedSource>(std::move(sources));

  s.rec.set_lookup("tenant", names_of(workloads::TENANT_COUNT, [](int i) { return workloads::to_string(Tenant(i)); }));
  s.rec.set_lookup("kind", names_of(workloads::JOB_KIND_COUNT, [](int i) { return workloads::to_string(JobKind(i)); }));
  s.rec.set_lookup("state", results::job_state_names());
  s.rec.set_lookup("event", EVENT_NAMES);
  s.rec.set_lookup("cause", CAUSE_NAMES);
  s.rec.set_lookup("gpu_type", {sc.cluster.gpu_type});
  s.series_util[0] = s.rec.series("utilization/internal", "fraction");
  s.series_util[1] = s.rec.series("utilization/external", "fraction");
  s.series_queue = s.rec.series("queue_length", "jobs");

  sg::Host* control = s.platform->host(0);
  s.timers.start(control);
  sg::Actor::create("arrivals", control, [&s] { s.arrivals(); });
  sg::Actor::create("sampler", control, [&s] { s.sampler(); });

  // The run covers [0, horizon] even when the work drains early: idle time counts.
  s.engine->run_until(sc.horizon_s);
  // Jobs still running hold actors blocked on their semaphores: stop them
  // before their state is released.
  sg::Actor::kill_all();
  s.engine->run();  // lets the killed actors unwind; the clock does not move
  if (s.failure) std::rethrow_exception(s.failure);
  s.finish_run(sc.horizon_s);

  s.stats.end_time_s = sc.horizon_s;
  s.stats.summary = s.summary(sc.horizon_s);
  s.rec.summary(s.stats.summary);
  return s.stats;
}

}  // namespace gwsim::sim
