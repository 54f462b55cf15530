#include "sim/operations/failures.hpp"

#include <algorithm>
#include <cmath>
#include <fmt/format.h>

#include "common/error.hpp"

namespace gwsim::sim {
namespace {

constexpr double H = 3600.0;

}  // namespace

const char* to_string(FailureScope s) {
  switch (s) {
    case FailureScope::GPU: return "gpu";
    case FailureScope::NODE: return "node";
    case FailureScope::SWITCH: return "switch";
    case FailureScope::JOB: return "job";
  }
  return "?";
}

std::vector<FailureClass> default_failure_classes() {
  using R = Llama3Reference;
  const std::string table5 = "Dubey et al. 2024 (Llama 3), Table 5";
  // Counts over the 54-day snapshot, spread over the units of the class's scope.
  auto per_gpu = [&](int count) { return count / (R::GPUS * R::SECONDS); };
  auto per_node = [&](int count) { return count / (R::NODES * R::SECONDS); };
  // Repair times are not published with the counts: they are assumptions, set per study.
  const double gpu_repair = 72 * H;   // drain, swap the GPU or baseboard, burn-in
  const double host_repair = 24 * H;  // swap a host part from on-site stock
  const double quick_repair = 4 * H;  // reseat or swap a cable or transceiver, finish maintenance
  auto gpu = [&](const char* name, int count, const char* what) {
    return FailureClass{name, FailureScope::GPU, per_gpu(count), gpu_repair,
                        fmt::format("{}: {} '{}' in 54 days on 16,384 GPUs; repair 72h: assumption", table5, count, what)};
  };
  auto node = [&](const char* name, int count, const char* what, double repair, const char* repair_note) {
    return FailureClass{name, FailureScope::NODE, per_node(count), repair,
                        fmt::format("{}: {} '{}' in 54 days on 2,048 nodes; repair {}: assumption", table5, count, what,
                                    repair_note)};
  };
  auto software = [&](const char* name, int count, const char* what) {
    return FailureClass{name, FailureScope::JOB, per_gpu(count), 0,
                        fmt::format("{}: {} '{}' in 54 days of a 16,384-GPU job, per GPU of a running job", table5,
                                    count, what)};
  };
  // Singh et al., "Surviving switch failures in cloud datacenters", SIGCOMM CCR 51(2), 2021: 180,000
  // switches, a 2% chance of failing within 3 months of deployment -> hazard -ln(0.98) per 91.25 days.
  const double switch_rate = -std::log(0.98) / (91.25 * 86400.0);
  return {
      gpu("gpu", 148, "Faulty GPU"),
      gpu("hbm", 72, "GPU HBM3 Memory"),
      gpu("gpu_sram", 19, "GPU SRAM Memory"),
      gpu("gpu_system_processor", 17, "GPU System Processor"),
      gpu("silent_data_corruption", 6, "Silent Data Corruption"),
      gpu("gpu_thermal", 6, "GPU Thermal Interface + Sensor"),
      software("software_bug", 54, "Software Bug"),
      software("nccl_watchdog", 7, "NCCL Watchdog Timeouts"),
      software("dependency", 2, "Dependency"),
      node("network_link", 35, "Network Switch/Cable", quick_repair, "4h"),
      node("host_maintenance", 32, "Host Maintenance (unplanned)", quick_repair, "4h"),
      node("nic", 7, "NIC", host_repair, "24h"),
      node("ssd", 3, "SSD", host_repair, "24h"),
      node("power_supply", 3, "Power Supply", host_repair, "24h"),
      node("server_chassis", 2, "Server Chassis", host_repair, "24h"),
      node("io_expansion_board", 2, "IO Expansion Board", host_repair, "24h"),
      node("cpu", 2, "CPU", host_repair, "24h"),
      node("system_memory", 2, "System Memory", host_repair, "24h"),
      FailureClass{"leaf_switch", FailureScope::SWITCH, switch_rate, quick_repair,
                   "Singh et al., SIGCOMM CCR 2021: 2% of datacenter switches fail within 3 months; repair 4h: "
                   "assumption"},
  };
}

FailureProcess::FailureProcess(std::vector<FailureClass> classes, FleetUnits units, uint64_t seed)
    : classes_(std::move(classes)),
      units_(units),
      time_(seed, "failures.time"),
      class_(seed, "failures.class"),
      target_(seed, "failures.target"),
      repair_(seed, "failures.repair") {
  for (const auto& c : classes_) {
    total_rate_ += c.rate_per_unit_s * static_cast<double>(units_.of(c.scope));
    cumulative_.push_back(total_rate_);
  }
}

std::optional<FailureEvent> FailureProcess::next() {
  if (!(total_rate_ > 0)) return std::nullopt;
  t_ += time_.exponential(total_rate_);
  FailureEvent e;
  e.time_s = t_;
  const double u = class_.uniform() * total_rate_;
  e.cls = static_cast<int>(std::upper_bound(cumulative_.begin(), cumulative_.end(), u) - cumulative_.begin());
  e.cls = std::min(e.cls, static_cast<int>(classes_.size()) - 1);
  // Classes of zero weight are never drawn (upper_bound skips empty intervals), except at u == total,
  // which uniform() < 1 rules out.
  const FailureClass& c = classes_[static_cast<size_t>(e.cls)];
  e.unit = target_.uniform_int(0, units_.of(c.scope) - 1);
  e.repair_s = c.repair_s > 0 ? repair_.exponential(1.0 / c.repair_s) : 0.0;
  return e;
}

FleetHealth::FleetHealth(const topology::ClusterSpec& spec, SpareConfig spares)
    : spec_(spec),
      spares_(spares),
      nodes_(static_cast<size_t>(spec.node_count())),
      hot_(static_cast<size_t>(spec.pod_count())),
      cold_(static_cast<size_t>(spec.pod_count())) {
  const int64_t per_pod = spec.nodes_per_pod();
  if (spares.hot_per_pod + spares.cold_per_pod >= per_pod)
    throw Error(ExitCode::SCENARIO,
                fmt::format("failures.spares: {} hot and {} cold spares per pod leave none of the pod's {} nodes "
                            "in the pool",
                            spares.hot_per_pod, spares.cold_per_pod, per_pod));
  for (int64_t pod = 0; pod < spec.pod_count(); ++pod) {
    const int64_t end = (pod + 1) * per_pod;
    // The pod's last nodes: cold at the very end, hot just before; taken from the back of each list.
    for (int i = spares.cold_per_pod; i >= 1; --i) {
      const auto n = static_cast<int32_t>(end - i);
      nodes_[static_cast<size_t>(n)].state = State::COLD_SPARE;
      cold_[static_cast<size_t>(pod)].insert(cold_[static_cast<size_t>(pod)].begin(), n);
    }
    for (int i = spares.hot_per_pod; i >= 1; --i) {
      const auto n = static_cast<int32_t>(end - spares.cold_per_pod - i);
      nodes_[static_cast<size_t>(n)].state = State::HOT_SPARE;
      hot_[static_cast<size_t>(pod)].insert(hot_[static_cast<size_t>(pod)].begin(), n);
    }
  }
}

std::vector<int32_t> FleetHealth::initial_spares() const {
  std::vector<int32_t> out;
  for (size_t p = 0; p < hot_.size(); ++p) {
    out.insert(out.end(), hot_[p].begin(), hot_[p].end());
    out.insert(out.end(), cold_[p].begin(), cold_[p].end());
  }
  std::sort(out.begin(), out.end());
  return out;
}

FleetHealth::Failure FleetHealth::fail(int32_t node) {
  Node& n = nodes_[static_cast<size_t>(node)];
  Failure f;
  f.before = n.state;
  const size_t pod = static_cast<size_t>(topology::locate(spec_, node).pod);
  auto drop = [](std::vector<int32_t>& list, int32_t x) { list.erase(std::find(list.begin(), list.end(), x)); };
  switch (n.state) {
    case State::DOWN:
      if (n.failures < UINT8_MAX) n.failures++;
      return f;
    case State::HOT_SPARE:
      drop(hot_[pod], node);
      n.returns_to = State::HOT_SPARE;
      break;
    case State::COLD_SPARE:
      drop(cold_[pod], node);
      n.returns_to = State::COLD_SPARE;
      break;
    case State::ARRIVING:  // failed on the way from the shelf: it goes back there once repaired
      n.returns_to = State::COLD_SPARE;
      break;
    case State::POOL:
      if (!hot_[pod].empty()) {
        f.replacement = hot_[pod].back();
        hot_[pod].pop_back();
        f.replacement_hot = true;
        nodes_[static_cast<size_t>(f.replacement)].state = State::POOL;
        n.returns_to = State::HOT_SPARE;
      } else if (!cold_[pod].empty()) {
        f.replacement = cold_[pod].back();
        cold_[pod].pop_back();
        nodes_[static_cast<size_t>(f.replacement)].state = State::ARRIVING;
        n.returns_to = State::COLD_SPARE;
      } else {
        n.returns_to = State::POOL;
      }
      break;
  }
  n.state = State::DOWN;
  n.failures = 1;
  down_++;
  return f;
}

FleetHealth::State FleetHealth::repair(int32_t node) {
  Node& n = nodes_[static_cast<size_t>(node)];
  if (n.state != State::DOWN || n.failures == 0)
    throw Error(ExitCode::INTERNAL, fmt::format("node {} is repaired but is not down", node));
  if (--n.failures > 0) return State::DOWN;
  down_--;
  n.state = n.returns_to;
  const size_t pod = static_cast<size_t>(topology::locate(spec_, node).pod);
  if (n.state == State::HOT_SPARE) hot_[pod].push_back(node);
  if (n.state == State::COLD_SPARE) cold_[pod].push_back(node);
  return n.state;
}

bool FleetHealth::arrived(int32_t node) {
  Node& n = nodes_[static_cast<size_t>(node)];
  if (n.state != State::ARRIVING) return false;
  n.state = State::POOL;
  return true;
}

}  // namespace gwsim::sim
