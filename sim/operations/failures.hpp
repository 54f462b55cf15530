#pragma once
// Failures at fleet scale, without SimGrid: what fails and how often (failure
// classes with published rates), when (a Poisson process sampled for the whole
// fleet and streamed in time order, never an event per GPU), and where
// replacements come from (spare nodes per pod). What a switch failure takes
// down comes from the topology (topology::Fabric::failure_domain). docs/operations.md#failures has the equations and the
// source of every number.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/rng.hpp"
#include "topology/cluster_spec.hpp"

namespace gwsim::sim {

/// What one failure event hits.
enum class FailureScope : uint8_t {
  GPU,     ///< a GPU: its node goes down until repaired
  NODE,    ///< a host component (NIC, PSU, CPU, cable...): the node goes down until repaired
  SWITCH,  ///< a leaf switch: every node under it loses its link until the switch is repaired
  JOB,     ///< software (bugs, NCCL timeouts): the job on the hit GPU fails, the node stays up
};

/// One cause of interruptions, with its rate per unit of its scope.
struct FailureClass {
  std::string name;           ///< snake_case, a key under failures.classes and a /lookup/cause name
  FailureScope scope = FailureScope::NODE;
  double rate_per_unit_s = 0; ///< events per second per GPU, node or switch (0: the class never fires)
  double repair_s = 0;        ///< mean time the hit nodes stay down (exponential); 0 for JOB scope
  std::string source;         ///< where the rate and the repair time come from
};

/// The default classes: Meta's Llama 3 405B pre-training (Dubey et al. 2024,
/// Table 5: 419 unexpected interruptions in 54 days on 16,384 H100 GPUs in
/// 2,048 nodes) turned into rates per GPU, per node or per GPU of a running
/// job, plus leaf-switch failures (Singh et al., SIGCOMM CCR 2021). Repair
/// times are assumptions (scenario keys); see docs/operations.md.
std::vector<FailureClass> default_failure_classes();

/// The Llama 3 reference: GPUs, nodes and seconds the Table 5 counts were observed over.
struct Llama3Reference {
  static constexpr double GPUS = 16384;
  static constexpr double NODES = 2048;
  static constexpr double SECONDS = 54 * 86400.0;
  static constexpr int UNEXPECTED_INTERRUPTIONS = 419;
};

/// How many units of each scope the fleet has.
struct FleetUnits {
  int64_t gpus = 0;
  int64_t nodes = 0;
  int64_t switches = 0;
  int64_t of(FailureScope s) const { return s == FailureScope::NODE ? nodes : s == FailureScope::SWITCH ? switches : gpus; }
};

struct FailureEvent {
  double time_s = 0;
  int cls = 0;            ///< index in the class list
  int64_t unit = 0;       ///< GPU (global index), node or switch, by the class's scope
  double repair_s = 0;    ///< how long the hit nodes stay down (0: not at all)
};

/// The superposition of every class's Poisson process over every unit:
/// one exponential clock at the total rate, the class drawn in proportion to
/// its share of that rate, the unit uniformly among the class's units, the
/// repair time exponential around the class's mean. Streams (named Rng
/// streams of the scenario seed): failures.time, failures.class,
/// failures.target, failures.repair.
class FailureProcess {
 public:
  FailureProcess(std::vector<FailureClass> classes, FleetUnits units, uint64_t seed);
  /// The next event; times increase. Never ends (callers stop at their horizon)
  /// unless the total rate is 0, when it returns nothing.
  std::optional<FailureEvent> next();
  /// Events per second, over the whole fleet.
  double total_rate_per_s() const { return total_rate_; }
  const std::vector<FailureClass>& classes() const { return classes_; }

 private:
  std::vector<FailureClass> classes_;
  FleetUnits units_;
  std::vector<double> cumulative_;  ///< cumulative rate share per class
  double total_rate_ = 0;
  double t_ = 0;
  Rng time_, class_, target_, repair_;
};

/// Spare nodes held out of the scheduler's pool, per pod.
struct SpareConfig {
  int hot_per_pod = 0;         ///< powered, cabled, in the fabric: join the pool at once
  int cold_per_pod = 0;        ///< on the shelf, powered off: join after cold_swap_s
  double cold_swap_s = 4 * 3600.0;  ///< assumption: time to rack, cable and validate a cold spare
};

/// Where each node stands: in the scheduler's pool, a spare, on its way from
/// the shelf, or down. A failed node is replaced by a spare of its pod when
/// there is one (hot first); when it is repaired it becomes a spare of the kind
/// that replaced it, so the pod's spare count is restored. Nodes that fail
/// while down stay down until every failure is repaired.
class FleetHealth {
 public:
  enum class State : uint8_t { POOL, HOT_SPARE, COLD_SPARE, ARRIVING, DOWN };

  FleetHealth(const topology::ClusterSpec& spec, SpareConfig spares);

  /// The spares at the start: the last hot_per_pod + cold_per_pod nodes of each
  /// pod (hot before cold), ascending. Throws Error(SCENARIO) when spares leave
  /// a pod without nodes.
  std::vector<int32_t> initial_spares() const;

  struct Failure {
    State before = State::POOL;
    int32_t replacement = -1;     ///< the spare sent to replace the node; -1 when none
    bool replacement_hot = false; ///< true: it joins the pool now; false: it is ARRIVING (cold)
  };
  /// The node fails now. Only a node that was in the pool gets a replacement.
  Failure fail(int32_t node);
  /// One failure of the node is repaired; returns its state after (DOWN while
  /// other failures remain).
  State repair(int32_t node);
  /// A cold spare sent earlier arrives: ARRIVING -> POOL. False if it failed on the way.
  bool arrived(int32_t node);

  State state(int32_t node) const { return nodes_[static_cast<size_t>(node)].state; }
  int64_t down_nodes() const { return down_; }
  int hot_spares(int64_t pod) const { return static_cast<int>(hot_[static_cast<size_t>(pod)].size()); }
  int cold_spares(int64_t pod) const { return static_cast<int>(cold_[static_cast<size_t>(pod)].size()); }
  const SpareConfig& spares() const { return spares_; }

 private:
  struct Node {
    State state = State::POOL;
    State returns_to = State::POOL;  ///< what a DOWN node becomes when repaired
    uint8_t failures = 0;            ///< failures outstanding while DOWN
  };
  topology::ClusterSpec spec_;
  SpareConfig spares_;
  std::vector<Node> nodes_;
  std::vector<std::vector<int32_t>> hot_, cold_;  ///< available spares per pod (taken from the back)
  int64_t down_ = 0;
};

const char* to_string(FailureScope s);

}  // namespace gwsim::sim
