#include "sim/simulation.hpp"

#include <algorithm>
#include <cmath>
#include <fmt/format.h>
#include <limits>
#include <simgrid/Exception.hpp>
#include <simgrid/s4u/Actor.hpp>
#include <simgrid/s4u/Comm.hpp>
#include <simgrid/s4u/Engine.hpp>
#include <simgrid/s4u/Host.hpp>
#include <simgrid/s4u/Semaphore.hpp>
#include <functional>
#include <map>
#include <tuple>
#include <unordered_map>
#include <xbt/log.h>

#include "common/interrupt.hpp"
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
enum class EventType : uint8_t { SUBMIT, START, FINISH, REFUSE, KILL, END_OF_RUN, PREEMPT, RECLAIM_NOTICE };
enum class Cause : uint8_t { NONE, ARRIVAL, COMPLETION, PATIENCE, INFEASIBLE, HORIZON, PRIORITY, SPOT_RECLAIM };
const std::vector<std::string> EVENT_NAMES = {"submit",     "start",   "finish",        "refuse",
                                              "kill",       "end_of_run", "preempt",    "reclaim_notice"};
const std::vector<std::string> CAUSE_NAMES = {"none",    "arrival", "completion", "patience",
                                              "infeasible", "horizon", "priority",   "spot_reclaim"};

std::vector<std::string> names_of(int count, std::string_view (*name)(int)) {
  std::vector<std::string> out;
  for (int i = 0; i < count; ++i) out.emplace_back(name(i));
  return out;
}

std::unique_ptr<workloads::Source> make_source(const SourceConfig& c, double horizon_s, uint64_t seed) {
  return std::visit(
      [&](const auto& p) -> std::unique_ptr<workloads::Source> {
        using T = std::decay_t<decltype(p)>;
        if constexpr (std::is_same_v<T, workloads::InternalJobsParams>)
          return std::make_unique<workloads::InternalJobsSource>(p, horizon_s, seed);
        else if constexpr (std::is_same_v<T, workloads::PretrainParams>)
          return std::make_unique<workloads::PretrainSource>(p, horizon_s, seed);
        else if constexpr (std::is_same_v<T, workloads::LeaseBookParams>)
          return std::make_unique<workloads::LeaseBookSource>(p, horizon_s, seed);
        else
          return std::make_unique<workloads::ListSource>(p.jobs);
      },
      c);
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
  mutable gpu_models::PlanCache plans;  // best plan per job shape

  // Exact utilization accounting: GPUs held per tenant, integrated between changes.
  std::array<int64_t, workloads::TENANT_COUNT> busy{};
  std::array<double, workloads::TENANT_COUNT> busy_gpu_s{};
  double busy_since = 0;
  int series_util[workloads::TENANT_COUNT] = {};
  int series_queue = 0;

  // Aggregates for the summary.
  std::vector<double> internal_waits;  // first-start waits of internal jobs, for percentiles
  std::array<double, workloads::TENANT_COUNT> wait_sum{};
  std::array<int64_t, workloads::TENANT_COUNT> started{};
  std::array<double, workloads::JOB_KIND_COUNT> revenue_by_kind{};
  double refused_revenue_usd = 0;
  double lost_gpu_hours = 0;
  int64_t preemptions = 0;
  int64_t reclaims = 0;
  double pretrain_jct_sum = 0;
  int64_t pretrain_completed = 0;

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

  // Rates from the cost model, memoized per (model, GPUs, scale-out bandwidth) since many jobs share them.
  mutable std::map<std::tuple<std::string, int64_t, double>, double> rate_cache;

  Impl(const Scenario& s, results::Recorder& r)
      : sc(s),
        rec(r),
        cluster(s.cluster),
        scheduler(cluster, s.scheduler.rules, make_placement(s.scheduler.placement),
                  [this](const Job& j) { return estimate(j); }),
        gpu(s.catalog.find_gpu(s.cluster.gpu_type)) {}

  double now() const { return sg::Engine::get_clock(); }

  void integrate(double t) {
    for (int i = 0; i < workloads::TENANT_COUNT; ++i) busy_gpu_s[i] += static_cast<double>(busy[i]) * (t - busy_since);
    busy_since = t;
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
    std::vector<int64_t> nodes;
    if (j.alloc.parts.empty()) {
      const int64_t n = (j.req.gpus + sc.cluster.gpus_per_node - 1) / sc.cluster.gpus_per_node;
      for (int64_t i = 0; i < n; ++i) nodes.push_back(i);
    } else {
      nodes.reserve(j.alloc.parts.size());
      for (const auto& part : j.alloc.parts) nodes.push_back(part.first);
    }
    // Fleet: the bandwidth the fabric gives the placement when every GPU behind
    // the same oversubscribed links is busy. Fabric: the share of its NICs'
    // bandwidth the job's flows got on the shared links.
    const double scaleout = j.contends ? nic_Bps_per_gpu() * j.bandwidth_share : fabric->scale_out_Bps_per_gpu(nodes);
    const auto key = std::make_tuple(j.req.model, j.req.gpus, scaleout);
    if (auto it = rate_cache.find(key); it != rate_cache.end()) return it->second;
    const gpu_models::ModelSpec* model = sc.catalog.find_model(j.req.model);
    gpu_models::Links links;
    links.scaleup_Bps = sc.cluster.scale_up.bandwidth_Bps;
    links.scaleup_latency_s = sc.cluster.scale_up.latency_s;
    links.scaleup_gpus = sc.cluster.gpus_per_domain();
    links.scaleout_Bps = scaleout;
    const auto& best = plans.get(*model, *gpu, static_cast<int>(j.req.gpus), links);
    const double rate = best.estimate.tokens_per_s > 0 ? best.estimate.tokens_per_s : 1e-9;
    rate_cache.emplace(key, rate);
    return rate;
  }

  double estimate(const Job& j) const { return time_to_complete(j.exec, j.checkpoint, rate_for(j), j.work_total); }

  void finalize(Job& j, JobState state, double t) {
    j.phase = JobPhase::DONE;
    j.final_state = state;
    j.end_s = t;
    stats.by_state[static_cast<size_t>(state)]++;
    stats.gpu_hours_in_segments += j.gpu_hours;
    revenue_by_kind[static_cast<size_t>(j.req.kind)] += j.revenue_usd;
    if (state == JobState::COMPLETED && j.req.kind == JobKind::PRETRAIN) {
      pretrain_jct_sum += t - j.req.submit_s;
      pretrain_completed++;
    }
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

  // Accounts the segment that ends at t: progress (closed form, checkpoints
  // included), GPU time, revenue.
  void close_segment(Job& j, double t) {
    const double dt = t - j.segment_start_s;
    j.exec = advance(j.exec, j.checkpoint, j.rate, dt);
    j.exec.work_done = std::min(j.exec.work_done, j.work_total);
    j.run_s += dt;
    j.gpu_hours += static_cast<double>(j.alloc.gpus) * dt / 3600.0;
    const double revenue_usd = j.req.price_usd_per_gpu_hour * static_cast<double>(j.alloc.gpus) * dt / 3600.0;
    j.revenue_usd += revenue_usd;
    record_segment(j, t, revenue_usd);
    j.segment_start_s = t;
  }

  // The /segments row of the segment that ends at `t` (for the Gantt view and the timeline).
  void record_segment(const Job& j, double t, double revenue_usd) {
    results::SegmentRecord r;
    r.job = j.req.id;
    r.start_s = j.segment_start_s;
    r.end_s = t;
    r.gpus = j.alloc.gpus;
    r.first_node = j.alloc.parts.empty() ? -1 : j.alloc.parts.front().first;
    r.pod = r.first_node < 0 ? -1 : static_cast<int32_t>(r.first_node / cluster.nodes_per_pod());
    r.nodes = static_cast<int32_t>(j.alloc.parts.size());
    r.tenant = static_cast<uint8_t>(j.req.tenant);
    r.kind = static_cast<uint8_t>(j.req.kind);
    r.revenue_usd = revenue_usd;
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
    integrate(t);
    close_segment(j, t);
    busy[static_cast<size_t>(j.req.tenant)] -= j.alloc.gpus;
    if (j.wake) deferred.push_back([wake = j.wake] { wake->release(); });  // the actor sees the run ended and returns
    j.wake = nullptr;
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

  void dispatch() {
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
      if (d.preempted.empty()) break;
    }
  }

  void preempt(Job& j, Cause cause) {
    const double t = now();
    const int64_t gpus = j.alloc.gpus;
    stop_running(j, t);
    const double lost = lose_uncheckpointed(j.exec, j.checkpoint);
    j.lost_work += lost;
    lost_gpu_hours += lost / j.rate * static_cast<double>(gpus) / 3600.0;
    j.preemptions++;
    preemptions++;
    if (cause == Cause::SPOT_RECLAIM) reclaims++;
    event(t, j, EventType::PREEMPT, cause, gpus);
    j.alloc = Allocation{};
    j.reclaim_at_s = -1;
    scheduler.enqueue(&j, t);
  }

  void on_reclaim_due(uint64_t id, uint32_t run) {
    Job* j = find(id);
    if (!j || j->phase != JobPhase::RUNNING || j->run_index != run || j->reclaim_at_s < 0) return;
    scheduler.release(j);
    preempt(*j, Cause::SPOT_RECLAIM);
    dispatch();
    flush();
  }

  void start(Job& j, double t) {
    integrate(t);
    const auto tenant = static_cast<size_t>(j.req.tenant);
    busy[tenant] += j.alloc.gpus;
    stats.peak_gpus_in_use = std::max(stats.peak_gpus_in_use, busy[0] + busy[1]);
    j.wait_s += t - j.queued_since_s;
    if (j.first_start_s < 0) {
      j.first_start_s = t;
      wait_sum[tenant] += t - j.req.submit_s;
      started[tenant]++;
      if (j.req.tenant == Tenant::INTERNAL) internal_waits.push_back(t - j.req.submit_s);
    }
    j.run_index++;
    j.segment_start_s = t;
    if (fabric_flows && j.req.duration_s < 0 && groups_of(j).size() >= 2) {
      // Until its first probe, a job gets what the static (fleet) estimate gives.
      std::vector<int64_t> nodes;
      for (const auto& part : j.alloc.parts) nodes.push_back(part.first);
      j.bandwidth_share = fabric->scale_out_Bps_per_gpu(nodes) / nic_Bps_per_gpu();
      j.contends = true;
    }
    j.rate = rate_for(j);
    const double end = t + time_to_complete(j.exec, j.checkpoint, j.rate, j.work_total);
    if (end != j.expected_end_s) scheduler.update_expected_end(&j, end);
    event(t, j, EventType::START, Cause::NONE, j.alloc.gpus);
    assign_executor(j, platform->host_of_node(j.alloc.parts.front().first));
    if (j.contends) {
      const uint64_t id = j.req.id;
      const uint32_t run = j.run_index;
      deferred.push_back([this, id, run] {
        sg::Actor::create(fmt::format("flows-{}.{}", id, run), platform->host(0), [this, id, run] { probe_fabric(id, run); });
      });
    }
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
        flows.push_back(sg::Comm::sendto_init(platform->group_host(ring[i]), platform->group_host(ring[(i + 1) % ring.size()]))
                            ->set_payload_size(static_cast<uint64_t>(demand_Bps * probe_s))
                            ->set_rate(demand_Bps));
      }
      const double t0 = now();
      for (auto& f : flows) f->start();  // scheduling points: the job may stop meanwhile
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
    j.rate = rate_for(j);
    scheduler.update_expected_end(&j, t + time_to_complete(j.exec, j.checkpoint, j.rate, j.work_total));
    if (j.wake) deferred.push_back([wake = j.wake] { wake->release(); });
  }

  // Executors: pooled actors that run jobs. Creating a SimGrid actor costs a
  // stack allocation (zeroed), so each executor runs one job after another;
  // there are as many as jobs ever ran at once.
  struct Executor {
    sg::SemaphorePtr wake;  ///< assignments and plan changes both release it
    uint64_t job = 0;
    uint32_t run = 0;
    sg::Host* host = nullptr;
    bool assigned = false;
  };
  std::vector<std::unique_ptr<Executor>> executors;
  std::vector<Executor*> idle_executors;

  void assign_executor(Job& j, sg::Host* host) {
    Executor* e;
    const bool fresh = idle_executors.empty();
    if (fresh) {
      executors.push_back(std::make_unique<Executor>());
      e = executors.back().get();
    } else {
      e = idle_executors.back();
      idle_executors.pop_back();
      j.wake = e->wake;
    }
    e->job = j.req.id;
    e->run = j.run_index;
    e->host = host;
    e->assigned = true;
    if (!fresh) {
      deferred.push_back([wake = e->wake] { wake->release(); });
      return;
    }
    deferred.push_back([this, e] {
      e->wake = sg::Semaphore::create(0);  // a scheduling point: the job may have stopped meanwhile
      if (Job* job = find(e->job); job && job->phase == JobPhase::RUNNING && job->run_index == e->run) job->wake = e->wake;
      sg::Actor::create(fmt::format("executor-{}", executors.size() - 1), e->host, [this, e] { executor_loop(*e); });
    });
  }

  void executor_loop(Executor& e) {
    while (true) {
      if (e.assigned) {
        if (sg::this_actor::get_host() != e.host) sg::this_actor::set_host(e.host);
        run_job(e.job, e.run, e.wake);
        e.assigned = false;
        idle_executors.push_back(&e);
      }
      e.wake->acquire();  // the next assignment (or a late wake from the last job: the loop checks)
    }
  }

  // The job's actor for one run (start to preemption or completion): waits
  // until the expected end; a release of `wake` means the plan changed.
  void run_job(uint64_t id, uint32_t run, const sg::SemaphorePtr& wake) {
    while (true) {
      Job* j = find(id);
      if (!j || j->phase != JobPhase::RUNNING || j->run_index != run) return;
      const double t = now();
      if (t >= j->expected_end_s) {
        complete(*j);
        return;
      }
      wake->acquire_timeout(j->expected_end_s - t);
    }
  }

  void complete(Job& j) {
    const double t = now();
    const int64_t gpus = j.alloc.gpus;
    scheduler.release(&j);
    stop_running(j, t);
    j.exec.work_done = j.work_total;
    event(t, j, EventType::FINISH, Cause::COMPLETION, gpus);
    j.alloc = Allocation{};
    finalize(j, JobState::COMPLETED, t);
    live.erase(j.req.id);
    dispatch();
    flush();
  }

  void arrivals() {
    while (auto r = source->next()) {
      if (r->submit_s >= sc.horizon_s || stop_if_interrupted()) break;
      if (r->submit_s > now()) sg::this_actor::sleep_until(r->submit_s);
      on_arrival(std::move(*r));
    }
  }

  // A periodic decision point, when the scenario asks for one.
  void ticker() {
    for (int64_t k = 1; static_cast<double>(k) * sc.scheduler.tick_s < sc.horizon_s; ++k) {
      sg::this_actor::sleep_until(static_cast<double>(k) * sc.scheduler.tick_s);
      dispatch();
      flush();
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
    rec.sample(series_queue, t, static_cast<double>(scheduler.queue_length()));
    sampled_until = t;
  }

  // The last sample, at the horizon, is taken by finish_run() after the engine stops.
  void sampler() {
    const double dt = sc.output.sample_interval_s;
    for (int64_t k = 1; static_cast<double>(k) * dt < sc.horizon_s; ++k) {
      sg::this_actor::sleep_until(static_cast<double>(k) * dt);
      if (stop_if_interrupted()) return;
      sample(static_cast<double>(k) * dt);
    }
    // Keep the clock running to the horizon: idle executors wait without a
    // timeout, and the engine must stop on time rather than on a deadlock.
    sg::this_actor::sleep_until(sc.horizon_s);
  }

  void finish_run(double end) {
    // An interrupted run may stop on a time already sampled: no second sample there.
    if (stopped_at_s < 0 || end > sampled_until || end == 0) sample(end);
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

  static double percentile(std::vector<double> v, double p) {
    if (v.empty()) return 0;
    std::sort(v.begin(), v.end());
    const double pos = p * static_cast<double>(v.size() - 1);
    const auto lo = static_cast<size_t>(std::floor(pos));
    const size_t hi = std::min(lo + 1, v.size() - 1);
    return v[lo] + (v[hi] - v[lo]) * (pos - static_cast<double>(lo));
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

  std::vector<std::unique_ptr<workloads::Source>> sources;
  for (const auto& c : sc.workload) sources.push_back(make_source(c, sc.horizon_s, sc.seed));
  s.source = std::make_unique<workloads::MergedSource>(std::move(sources));

  s.rec.set_lookup("tenant", names_of(workloads::TENANT_COUNT, [](int i) { return workloads::to_string(Tenant(i)); }));
  s.rec.set_lookup("kind", names_of(workloads::JOB_KIND_COUNT, [](int i) { return workloads::to_string(JobKind(i)); }));
  s.rec.set_lookup("state", results::job_state_names());
  s.rec.set_lookup("event", EVENT_NAMES);
  s.rec.set_lookup("cause", CAUSE_NAMES);
  s.rec.set_lookup("gpu_type", {sc.cluster.gpu_type});
  s.series_util[0] = s.rec.series("utilization/internal", "fraction", results::Sampling::INTERVAL_MEAN);
  s.series_util[1] = s.rec.series("utilization/external", "fraction", results::Sampling::INTERVAL_MEAN);
  s.series_queue = s.rec.series("queue_length", "jobs");

  sg::Host* control = s.platform->host(0);
  s.timers.start(control);
  sg::Actor::create("arrivals", control, [&s] { s.arrivals(); });
  sg::Actor::create("sampler", control, [&s] { s.sampler(); });
  if (sc.scheduler.tick_s > 0) sg::Actor::create("ticker", control, [&s] { s.ticker(); });

  // The run covers [0, horizon] even when the work drains early: idle time counts.
  s.engine->run_until(sc.horizon_s);
  // Jobs still running hold actors blocked on their semaphores: stop them
  // before their state is released.
  sg::Actor::kill_all();
  s.engine->run();  // lets the killed actors unwind; the clock does not move
  const double end = s.stopped_at_s >= 0 ? s.stopped_at_s : sc.horizon_s;
  s.finish_run(end);

  s.stats.end_time_s = end;
  s.stats.interrupted = s.stopped_at_s >= 0;
  s.stats.summary = s.summary(end);
  s.rec.summary(s.stats.summary);
  return s.stats;
}

}  // namespace gwsim::sim
