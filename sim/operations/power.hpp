#pragma once
// Power, without SimGrid: what the fleet draws from moment to moment, the
// budgets it must stay within (rack and row: IT power; hall and site: facility power,
// i.e. IT power times PUE), the policy that keeps it there, and exact energy
// and energy-cost accounting (power is piecewise constant between events, so
// integrating segment by segment has no sampling error).
//
// Model (docs/operations.md#power):
//   a powered node draws  node_overhead + gpus_per_node * idle_w,
//   a GPU held by a job adds  (tdp_w - idle_w) * u * x,
// with u the job kind's utilization (share of the dynamic range it draws) and
// x <= 1 the throttle: the share of its dynamic power a capped GPU keeps. A
// throttled job runs at rate x^exponent of its unthrottled rate. The network
// draws a constant power, shared by the halls in proportion to their nodes.
#include <array>
#include <cstdint>
#include <set>
#include <unordered_map>
#include <vector>

#include "sim/engine/cluster_state.hpp"
#include "sim/operations/economics.hpp"
#include "topology/cluster_spec.hpp"
#include "workloads/job_request.hpp"

namespace gwsim::sim {

enum class PowerPolicy : uint8_t {
  NONE,      ///< budgets are only measured (time over budget)
  THROTTLE,  ///< GPUs of a domain over budget are capped uniformly until it fits
  DEFER,     ///< a job whose start would take a domain over budget does not start
};

struct PowerConfig {
  PowerPolicy policy = PowerPolicy::THROTTLE;
  /// Share of the GPU's dynamic range (tdp - idle) a busy GPU draws, per job kind.
  /// Assumptions after Patel et al. (ASPLOS'24): training iterations reach TDP
  /// with dips in communication phases (0.9); inference phases draw less (0.6);
  /// rented capacity runs unknown work (0.8).
  std::array<double, workloads::JOB_KIND_COUNT> utilization{0.9, 0.9, 0.9, 0.8, 0.8, 0.8, 0.6};
  /// rate factor = x^exponent. 1/3 is the DVFS bound for compute-bound work
  /// (dynamic power ~ f V^2 with V ~ f, so f ~ P^(1/3)); memory- and
  /// communication-bound phases slow less, so it is an upper bound on the slowdown.
  double perf_exponent = 1.0 / 3.0;
  /// The lowest power a capped GPU can be set to, as a share of its TDP
  /// (nvidia-smi reports a 200 W minimum power limit for the 700 W H100 SXM).
  double min_power_fraction = 200.0 / 700.0;
  /// Caps are set in steps of this share of the dynamic range, rounded down
  /// (the budget still holds). A site-wide cap that moved with every job start
  /// would change every running job's rate at every event; in 1% steps it
  /// changes once per 1% of demand. 0: exact.
  double throttle_step = 0.01;
};

/// A budgeted level of the power hierarchy.
enum class PowerLevel : uint8_t { RACK, ROW, HALL, SITE };
inline constexpr int POWER_LEVEL_COUNT = 4;

class PowerModel {
 public:
  /// `buckets`: how many accounting buckets loads are booked to (tenant classes);
  /// the last one also receives everything no load draws (idle, network, cooling of those).
  PowerModel(const topology::ClusterSpec& spec, double gpu_tdp_w, double gpu_idle_w, double network_power_w,
             PowerConfig config, int buckets, Tariff tariff);

  const PowerConfig& config() const { return config_; }
  /// Unthrottled dynamic power per GPU of a job kind: (tdp - idle) * u.
  double dynamic_w(workloads::JobKind kind) const;

  /// Nodes are powered at construction; down nodes and cold spares are not.
  void set_node_powered(int64_t node, bool powered);

  /// Would a load of `dynamic_w_per_gpu` on `alloc`, unthrottled, keep every
  /// budgeted domain it touches within its budget?
  bool fits(const Allocation& alloc, double dynamic_w_per_gpu) const;
  void add_load(uint64_t key, const Allocation& alloc, double dynamic_w_per_gpu, int bucket);
  void remove_load(uint64_t key);
  bool has_load(uint64_t key) const { return loads_.count(key) > 0; }

  /// Recomputes the throttle of every domain whose demand changed (THROTTLE
  /// policy); returns the loads whose throttle changed, ascending.
  std::vector<uint64_t> rebalance();
  /// x of a load (1 unthrottled).
  double throttle(uint64_t key) const;
  /// The rate factor x^exponent of a load.
  double rate_factor(uint64_t key) const;
  /// Power of one GPU of a load, idle power included.
  double gpu_power_w(uint64_t key) const;

  /// Integrates energy, energy cost and time at cap up to `t_s` at the current
  /// powers. Call before every change.
  void advance(double t_s);
  /// The DEFER policy's cap state: true while jobs wait for power.
  void set_deferring(bool deferring) { deferring_ = deferring; }

  double it_power_w() const;
  double facility_power_w() const { return it_power_w() * pue_; }
  /// Facility power booked to a bucket (the last bucket gets the remainder).
  double bucket_power_w(int bucket) const;
  /// True while some budget binds: a throttled domain holds a load, or jobs are deferred.
  bool at_cap() const;
  /// True while some domain draws more than its budget (throttling at its floor, or policy NONE).
  bool over_budget() const;

  struct Totals {
    double site_energy_j = 0;
    double site_energy_cost_usd = 0;
    std::vector<double> bucket_energy_j, bucket_energy_cost_usd;
    double time_at_cap_s = 0;
    double time_over_budget_s = 0;
    double peak_facility_w = 0;
  };
  const Totals& totals() const { return totals_; }

 private:
  struct Domain {
    double budget_it_w = 0;  ///< 0: unlimited
    double base_w = 0;       ///< powered nodes' overhead and idle GPUs, network share
    double demand_w = 0;     ///< unthrottled dynamic power of the loads in it
    double actual_w = 0;     ///< dynamic power after throttling
    double x = 1;            ///< the domain's throttle
    bool dirty = false;
  };
  struct Load {
    std::vector<std::pair<int64_t, int64_t>> racks;  ///< (rack, GPUs)
    std::vector<std::pair<int64_t, int64_t>> rows;   ///< (row, GPUs)
    std::vector<std::pair<int64_t, int64_t>> halls;  ///< (hall, GPUs)
    int64_t gpus = 0;
    double dynamic_w = 0;  ///< per GPU, unthrottled
    double floor_x = 0;    ///< the x at the minimum power limit
    double x = 1;
    int bucket = 0;
  };
  Domain& domain(PowerLevel level, int64_t index) { return domains_[size_t(level)][size_t(index)]; }
  void touch(const Load& l, double demand_sign, double actual_sign);
  void mark(PowerLevel level, int64_t index);
  double effective_x(const Load& l) const;
  void set_x(Load& l, double x);

  topology::ClusterSpec spec_;
  PowerConfig config_;
  double tdp_w_, idle_w_, network_w_, pue_, node_base_w_;
  Tariff tariff_;
  std::array<std::vector<Domain>, POWER_LEVEL_COUNT> domains_;
  std::vector<std::vector<uint64_t>> rack_loads_;  ///< keys of the loads on each rack
  std::unordered_map<uint64_t, Load> loads_;
  std::vector<uint8_t> powered_;
  std::vector<std::pair<PowerLevel, int64_t>> dirty_;
  std::set<std::pair<PowerLevel, int64_t>> throttled_, over_;  ///< domains with x < 1; domains over budget
  double base_total_w_ = 0, actual_total_w_ = 0;
  std::vector<double> bucket_gpus_, bucket_actual_w_;
  bool deferring_ = false;
  double since_s_ = 0;
  Totals totals_;
};

const char* to_string(PowerPolicy p);

}  // namespace gwsim::sim
