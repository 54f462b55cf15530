#pragma once
// A sweep: a base scenario, axes that override its keys, expanded as a
// cartesian product times a list of seeds, into runs that are each a whole
// scenario text. Reference of the sweep file: docs/sweeps.md.
//
//   base: scenario.yaml                       # or an inline mapping
//   seeds: 3                                  # 1..3, or a list [1, 7, 42]
//   axes:
//     cluster.gpu: [H100-SXM, B200]           # a key and its values
//     cluster.fabric.tiers[0].oversubscription: {start: 1, stop: 3, step: 1}
//     rental:                                 # a named axis setting keys together
//       labels: [open, protected]
//       set:
//         scheduler.policy: [[fifo], [priority, reserve_internal]]
//         scheduler.headroom: [0, 0.3]
//
// Overrides are applied to the YAML tree of the base before it is parsed,
// so the strict scenario loader judges every run; expand_sweep() loads each
// run's scenario and names the axis behind the first one that fails.
#include <yaml-cpp/yaml.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace gwsim::sim {

/// One axis: a column of the runs table, and the keys each of its positions sets.
struct SweepAxis {
  std::string name;               ///< column name: the key for a one-key axis, else the axis's own name
  int line = 0;                   ///< where the axis is defined in the sweep file
  std::vector<std::string> keys;  ///< dotted scenario keys ("workload[0].arrivals.per_hour")
  /// values[k][i]: the YAML value key k takes at position i.
  std::vector<std::vector<YAML::Node>> values;
  std::vector<std::string> labels;  ///< one per position: the value's text, or the given label
  bool numeric = false;             ///< every label is a plain number: the column holds numbers
  std::vector<double> numbers;      ///< when numeric: the labels' values
  std::string unit;                 ///< the unit a range appended to its numbers ("d"), for the column

  size_t size() const { return labels.size(); }
};

struct SweepSpec {
  std::string path;       ///< the sweep file as given
  std::string text;       ///< its bytes (provenance)
  std::string name;       ///< `name:`, else the file's stem
  std::string base_path;  ///< the base scenario file (relative to the working directory); empty when inline
  std::string base_text;  ///< the base scenario's bytes, or the inline mapping emitted
  YAML::Node base;        ///< the base scenario's tree (never modified: runs work on clones)
  std::vector<SweepAxis> axes;
  std::vector<uint64_t> seeds;  ///< empty: one run per point with the base's own seed
};

/// Most runs one sweep may expand to (a typo in a range should not start a million runs).
inline constexpr size_t MAX_SWEEP_RUNS = 1'000'000;

/// One run: a point of the product and a seed, as the scenario text it runs.
struct SweepRun {
  uint32_t id = 0;                ///< 0-based, in expansion order: first axis slowest, seed fastest
  std::vector<size_t> position;   ///< index into each axis's positions
  uint64_t seed = 0;              ///< the seed the scenario ends up with
  std::string scenario_text;      ///< what goes into runs/<id>/scenario.yaml
};

/// Reads and checks a sweep file (its keys, axes and ranges; not yet the runs).
/// Throws Error(SCENARIO) naming the file, line and key.
SweepSpec load_sweep(const std::string& path);
SweepSpec parse_sweep(const std::string& text, const std::string& path);

/// Expands the product of the axes times the seeds and loads every run's
/// scenario. Throws Error(SCENARIO) on the first invalid run, naming the
/// sweep file, the axis (and its key and value) when the problem lies under
/// one of its keys, the run and its values, and the loader's message.
std::vector<SweepRun> expand_sweep(const SweepSpec& spec);

/// Sets `key` ("cluster.fabric.tiers[0].oversubscription") in the mapping
/// `root` to a copy of `value`, creating missing mappings on the way. A list
/// index must exist in `root`. Throws Error(SCENARIO) saying what is in the
/// way; the caller adds which axis asked.
void set_key(YAML::Node root, const std::string& key, const YAML::Node& value);

/// `--set KEY=VALUE` of `gwsim run` and `gwsim sweep`: sets each KEY (a key
/// path as for set_key) of the scenario tree `root` to VALUE read as YAML
/// ("horizon=1d", "scheduler.policy=[fifo, easy_backfill]"). Throws
/// Error(USAGE) for an assignment without '=', Error(SCENARIO) when a key
/// cannot be set.
void apply_sets(YAML::Node root, const std::vector<std::string>& assignments);

/// The scenario file `path` with `assignments` applied (apply_sets), loaded
/// and checked; with no assignments, load_scenario(path). The scenario's text
/// (kept in run.h5) is then the changed tree, headed by a comment naming them.
struct Scenario;
Scenario load_scenario_with_sets(const std::string& path, const std::vector<std::string>& assignments);

/// "cluster.gpu=H200, rental=open, seed=2": a run's axis values for people.
std::string describe_run(const SweepSpec& spec, const SweepRun& run, bool with_seed = true);

}  // namespace gwsim::sim
