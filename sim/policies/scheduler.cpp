#include "sim/policies/scheduler.hpp"

#include <algorithm>
#include <cmath>
#include <fmt/format.h>
#include <fmt/ranges.h>
#include <limits>
#include <map>

#include "common/error.hpp"
#include "sim/policies/policy_registry.hpp"

namespace gwsim::sim {

using workloads::JobKind;

namespace {
constexpr double INF = std::numeric_limits<double>::infinity();
}

const ClusterState& SchedulingContext::cluster() const { return scheduler_.cluster_; }

double SchedulingContext::estimated_runtime(const Job& job) const { return scheduler_.estimate_(job); }

bool SchedulingContext::start(Job* job) {
  if (job->phase != JobPhase::QUEUED || !scheduler_.queue_.count(job)) return false;
  auto alloc = scheduler_.placement_->place(scheduler_.cluster_, demand(*job));
  return alloc && start(job, *alloc);
}

Demand SchedulingContext::demand(const Job& job) const {
  return demand_of(job, scheduler_.cluster_.gpus_per_node());
}

std::optional<Allocation> SchedulingContext::place(const Job& job, const Placement& placement) const {
  return placement.place(scheduler_.cluster_, demand(job));
}

bool SchedulingContext::start(Job* job, const Allocation& alloc) {
  if (job->phase != JobPhase::QUEUED || !scheduler_.queue_.count(job)) return false;
  const Demand d = demand(*job);
  // The allocation must be what the job asks (its GPUs, share, CPU and memory) and free now.
  if (alloc.gpus != d.gpus || alloc.gpu_milli != d.gpu_milli || alloc.cpu_milli != d.cpu_milli ||
      alloc.memory_mib != d.memory_mib || !scheduler_.cluster_.can_take(alloc))
    return false;
  if (scheduler_.admit_ && !scheduler_.admit_(*job, alloc)) return false;
  scheduler_.remove(job);
  scheduler_.start(job, alloc, now_, *static_cast<Decision*>(decision_));
  return true;
}

Demand demand_of(const Job& job, int gpus_per_node) {
  Demand d;
  d.gpus = job.req.gpus;
  if (job.req.gpus == 1 && job.req.gpu_fraction < 1)
    d.gpu_milli = std::clamp(static_cast<int32_t>(std::lround(job.req.gpu_fraction * MILLI_PER_GPU)), 1,
                             MILLI_PER_GPU);
  if (job.req.gpus <= gpus_per_node) {
    d.cpu_milli = job.req.cpu_milli;
    d.memory_mib = job.req.memory_mib;
  }
  return d;
}

namespace {
std::map<std::string, PolicyFactory>& policy_registry() {
  static std::map<std::string, PolicyFactory> r;
  return r;
}
}  // namespace

void register_policy(const std::string& name, PolicyFactory factory) {
  if (std::find(policy_names().begin(), policy_names().end(), name) != policy_names().end())
    throw Error(ExitCode::USAGE, fmt::format("register_policy: '{}' is a built-in policy rule", name));
  policy_registry()[name] = std::move(factory);
}

std::vector<std::string> registered_policies() {
  std::vector<std::string> out;
  for (const auto& [name, f] : policy_registry()) out.push_back(name);
  return out;
}

std::unique_ptr<Policy> make_registered_policy(const std::string& name) {
  auto it = policy_registry().find(name);
  return it == policy_registry().end() ? nullptr : it->second();
}

namespace {
const std::vector<std::string>& modifier_names() {
  static const std::vector<std::string> names = {"priority", "easy_backfill", "reserve_internal", "spot_reclaim"};
  return names;
}
}  // namespace

const std::vector<std::string>& policy_names() {
  static const std::vector<std::string> names = [] {
    std::vector<std::string> out;
    for (const auto& p : order_policies()) out.push_back(p.name);
    for (const auto& m : modifier_names()) out.push_back(m);
    return out;
  }();
  return names;
}

PolicyRules make_policy_rules(const std::vector<std::string>& names, PolicyRules r) {
  bool order_given = false;
  for (const auto& n : names) {
    const auto& orders = order_policies();
    if (std::any_of(orders.begin(), orders.end(), [&n](const auto& p) { return p.name == n; })) {
      if (order_given && r.order != n)
        throw Error(ExitCode::SCENARIO,
                    fmt::format("policies '{}' and '{}' are two job orders: choose one", r.order, n));
      r.order = n;
      order_given = true;
    } else if (n == "priority") r.priority_order = r.preempt = true;
    else if (n == "easy_backfill") r.backfill = true;
    else if (n == "reserve_internal") r.reserve_internal = true;
    else if (n == "spot_reclaim") r.spot_reclaim = true;
    else
      throw Error(ExitCode::SCENARIO,
                  fmt::format("unknown policy '{}' (expected one of {})", n, fmt::join(policy_names(), ", ")));
  }
  if (order_given && r.order == "fifo" && r.priority_order)
    throw Error(ExitCode::SCENARIO, "policies 'fifo' and 'priority' are two queue orders: choose one");
  if (r.backfill && r.order != "fifo")
    throw Error(ExitCode::SCENARIO,
                fmt::format("policy 'easy_backfill' backfills behind a blocked job: it composes with fifo or "
                            "priority, not with '{}' (which never blocks)",
                            r.order));
  return r;
}

bool Scheduler::QueueOrder::operator()(const Job* a, const Job* b) const {
  if (spot_last) {
    const bool sa = a->req.kind == JobKind::SPOT, sb = b->req.kind == JobKind::SPOT;
    if (sa != sb) return sb;
  }
  if (priority && a->priority != b->priority) return a->priority > b->priority;
  return a->req.id < b->req.id;
}

bool Scheduler::ByEnd::operator()(const Job* a, const Job* b) const {
  if (a->gpus_back_at_s != b->gpus_back_at_s) return a->gpus_back_at_s < b->gpus_back_at_s;
  return a->req.id < b->req.id;
}

bool Scheduler::VictimOrder::operator()(const Job* a, const Job* b) const {
  if (a->priority != b->priority) return a->priority < b->priority;
  if (a->last_start_s != b->last_start_s) return a->last_start_s > b->last_start_s;
  return a->req.id > b->req.id;
}

bool Scheduler::LatestStart::operator()(const Job* a, const Job* b) const {
  if (a->last_start_s != b->last_start_s) return a->last_start_s > b->last_start_s;
  return a->req.id > b->req.id;
}

Scheduler::Scheduler(ClusterState& cluster, PolicyRules rules, std::unique_ptr<Placement> placement, Estimate estimate)
    : cluster_(cluster),
      rules_(rules),
      placement_(std::move(placement)),
      estimate_(std::move(estimate)),
      order_(make_order_policy(rules)),
      queue_(QueueOrder{rules.priority_order, rules.spot_reclaim}),
      index_by_size_(order_->wants_size_index()) {}

Scheduler::~Scheduler() = default;

void Scheduler::enqueue(Job* job, double now) {
  job->phase = JobPhase::QUEUED;
  job->queued_since_s = now;
  if (!job->observed) {  // a new arrival (not a requeue) shows its shape once
    placement_->observe(demand_of(*job, cluster_.gpus_per_node()));
    job->observed = true;
  }
  queue_.insert(job);
  if (index_by_size_) by_size_.try_emplace(size_key(*job), queue_.key_comp()).first->second.insert(job);
}

bool Scheduler::remove(Job* job) {
  if (!queue_.erase(job)) return false;
  if (index_by_size_) {
    auto it = by_size_.find(size_key(*job));
    it->second.erase(job);
    if (it->second.empty()) by_size_.erase(it);
  }
  return true;
}

Scheduler::Queue::iterator Scheduler::dequeue(Queue::iterator it) {
  Job* job = *it;
  auto next = std::next(it);
  remove(job);
  return next;
}

bool Scheduler::held_by_headroom(const Job& job) const {
  if (!job.is_external()) return false;
  // Without the rule the cap is the whole cluster: an external job beyond it is skipped, not blocking, as well.
  const int64_t total = cluster_.total_gpus();
  const int64_t cap =
      rules_.reserve_internal ? static_cast<int64_t>(std::floor((1.0 - rules_.headroom_fraction) * double(total))) : total;
  return external_in_use_ + job.req.gpus > cap;
}

std::optional<Allocation> Scheduler::placement_for(const Job& job) const {
  auto alloc = place_job(job);
  if (alloc && admit_ && !admit_(job, *alloc)) alloc.reset();
  return alloc;
}

double Scheduler::executed_s(const Job& job, double now) {
  return job.run_s + (job.phase == JobPhase::RUNNING ? now - job.segment_start_s : 0.0);
}

void Scheduler::record_completion(const Job& job) {
  auto& [sum_s, n] = user_history_[job.req.user];
  sum_s += job.req.duration_s >= 0 ? job.req.duration_s : job.compute_s;
  ++n;
}

double Scheduler::estimated_duration_s(const Job& job) const {
  switch (rules_.estimate) {
    case EstimateSource::TRUE_DURATION:
      return job.req.duration_s >= 0 ? job.req.duration_s : estimate_(job);
    case EstimateSource::TRACE:
      return job.req.estimate_s >= 0 ? job.req.estimate_s : rules_.estimate_default_s;
    case EstimateSource::USER_HISTORY: {
      auto it = user_history_.find(job.req.user);
      return it == user_history_.end() ? rules_.estimate_default_s : it->second.first / double(it->second.second);
    }
  }
  return rules_.estimate_default_s;
}

double Scheduler::estimated_remaining_s(const Job& job, double now) const {
  if (rules_.estimate == EstimateSource::TRUE_DURATION)
    return job.phase == JobPhase::RUNNING ? job.expected_end_s - now : estimate_(job);
  return std::max(0.0, estimated_duration_s(job) - executed_s(job, now));
}

void Scheduler::start(Job* job, Allocation alloc, double now, Decision& d) {
  cluster_.take(alloc);
  job->alloc = std::move(alloc);
  job->phase = JobPhase::RUNNING;
  job->segment_start_s = now;
  job->last_start_s = now;
  job->expected_end_s = now + estimate_(*job);
  job->gpus_back_at_s = job->expected_end_s;
  running_by_end_.insert(job);
  if (job->preemptible) preemptible_.insert(job);
  if (job->req.kind == JobKind::SPOT) spot_.insert(job);
  if (job->is_external()) external_in_use_ += job->alloc.gpus;
  d.started.push_back(job);
}

void Scheduler::unlink(Job* job) {
  cluster_.release(job->alloc);
  running_by_end_.erase(job);
  preemptible_.erase(job);
  spot_.erase(job);
  if (job->is_external()) external_in_use_ -= job->alloc.gpus;
  if (job->reclaim_at_s >= 0) reclaiming_gpus_ -= job->alloc.gpus;
}

void Scheduler::release(Job* job) { unlink(job); }

void Scheduler::grow(Job* job, const Allocation& more) {
  cluster_.take(more);
  auto& parts = job->alloc.parts;
  for (const auto& [node, gpus] : more.parts) {
    auto it = std::find_if(parts.begin(), parts.end(), [n = node](const auto& p) { return p.first == n; });
    if (it != parts.end()) it->second = static_cast<int16_t>(it->second + gpus);
    else parts.emplace_back(node, gpus);
  }
  std::sort(parts.begin(), parts.end());
  job->alloc.gpus += more.gpus;
  if (job->is_external()) external_in_use_ += more.gpus;
  if (job->reclaim_at_s >= 0) reclaiming_gpus_ += more.gpus;
}

int64_t Scheduler::drop_node(Job* job, int32_t node) {
  auto& parts = job->alloc.parts;
  auto it = std::find_if(parts.begin(), parts.end(), [node](const auto& p) { return p.first == node; });
  if (it == parts.end()) return 0;
  const int64_t gpus = it->second;
  Allocation part{{*it}, gpus};
  if (parts.size() == 1) part = job->alloc;  // its only node: the share, CPU and memory go with it
  cluster_.release(part);
  parts.erase(it);
  job->alloc.gpus -= gpus;
  if (job->is_external()) external_in_use_ -= gpus;
  if (job->reclaim_at_s >= 0) reclaiming_gpus_ -= gpus;
  return gpus;
}

void Scheduler::update_expected_end(Job* job, double t) {
  running_by_end_.erase(job);
  job->expected_end_s = t;
  job->gpus_back_at_s = job->reclaim_at_s >= 0 ? std::min(t, job->reclaim_at_s) : t;
  running_by_end_.insert(job);
}

bool Scheduler::try_preempt(Job* job, double now, Decision& d) {
  // Enough GPUs among strictly lower-priority preemptible jobs?
  std::vector<Job*> victims;
  int64_t gain = cluster_.free_gpus();
  for (Job* v : preemptible_) {
    if (gain >= job->req.gpus || v->priority >= job->priority) break;
    if (rules_.spot_reclaim && v->req.kind == JobKind::SPOT) continue;  // spot gets its notice instead
    victims.push_back(v);
    gain += v->alloc.gpus;
  }
  if (gain < job->req.gpus || victims.empty()) return false;
  return evict_for(job, victims, now, d);
}

bool Scheduler::evict_for(Job* job, const std::vector<Job*>& victims, double now, Decision& d) {
  if (victims.empty()) return false;
  for (Job* v : victims) cluster_.release(v->alloc);
  auto alloc = placement_->place(cluster_, demand_of(*job, cluster_.gpus_per_node()));
  if (!alloc || (admit_ && !admit_(*job, *alloc))) {  // fragmentation (or power): no placement; undo
    for (Job* v : victims) cluster_.take(v->alloc);
    return false;
  }
  for (Job* v : victims) {
    cluster_.take(v->alloc);  // unlink() releases them again, with the bookkeeping
    unlink(v);
    d.preempted.push_back(v);
  }
  start(job, std::move(*alloc), now, d);
  return true;
}

void Scheduler::request_reclaim(const Job* job, double now, Decision& d) {
  int64_t spot_gpus = 0;
  for (const Job* s : spot_) spot_gpus += s->alloc.gpus;
  if (cluster_.free_gpus() + spot_gpus < job->req.gpus) return;  // reclaiming all spot would not be enough
  int64_t need = job->req.gpus - cluster_.free_gpus() - reclaiming_gpus_;
  for (Job* s : spot_) {
    if (need <= 0) break;
    if (s->reclaim_at_s >= 0) continue;
    s->reclaim_at_s = now + rules_.reclaim_notice_s;
    reclaiming_gpus_ += s->alloc.gpus;
    need -= s->alloc.gpus;
    update_expected_end(s, s->expected_end_s);
    d.reclaim.push_back(s);
  }
}

std::pair<double, int64_t> Scheduler::reservation(const Job* head, double /*now*/) const {
  int64_t avail = cluster_.free_gpus();
  if (avail >= head->req.gpus) return {0.0, avail - head->req.gpus};
  // The shadow time is the first time enough GPUs are back; the spare GPUs are
  // all those back by then (every job ending at that same time included).
  for (auto it = running_by_end_.begin(); it != running_by_end_.end(); ++it) {
    avail += (*it)->alloc.gpus;
    if (avail < head->req.gpus) continue;
    const double shadow = (*it)->gpus_back_at_s;
    for (++it; it != running_by_end_.end() && (*it)->gpus_back_at_s <= shadow; ++it) avail += (*it)->alloc.gpus;
    return {shadow, avail - head->req.gpus};
  }
  return {INF, 0};
}

Decision Scheduler::schedule(double now) {
  Decision d;
  if (custom_) {
    SchedulingContext ctx(*this, now, std::vector<Job*>(queue_.begin(), queue_.end()), &d);
    custom_->schedule(ctx);
    return d;
  }
  order_->schedule(*this, now, d);
  return d;
}

}  // namespace gwsim::sim
