#pragma once
// Helpers for the tests that run `gwsim sweep` (locally and under mpirun):
// a tiny sweep of 2 axes x 2 seeds, and reading its sweep.h5 back.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <string>
#include <vector>

#include "cli_support.hpp"
#include "results/table_file.hpp"
#include "test_support.hpp"

namespace gwsim::test {

/// 32 H100 GPUs for two days: internal jobs and a lease book. A run takes
/// well under a second.
inline const char* TINY_BASE = R"(name: tiny
seed: 1
horizon: 2d
cluster:
  gpu: H100-SXM
  gpus_per_node: 8
  nodes_per_rack: 2
  racks_per_pod: 2
scheduler:
  policy: fifo
workload:
  - type: internal_jobs
    arrivals: { per_hour: 2 }
    max_gpus: 16
    duration_median: 2h
  - type: lease_book
    leases_per_week: 7
    min_gpus: 8
    max_gpus: 16
    term_min: 1d
    term_max: 2d
    price_per_gpu_hour: $2
    patience: 6h
)";

/// 2 axes x 2 seeds = 8 runs; run id = (rate index * 2 + policy index) * 2 + seed index.
inline const char* TINY_SWEEP = R"(name: tiny-sweep
base: base.yaml
seeds: 2
axes:
  workload[0].arrivals.per_hour: [1, 4]
  scheduler.policy: [[fifo], [priority, easy_backfill, reserve_internal]]
)";

/// Writes base.yaml and sweep.yaml (with `sweep` as its text) into `dir`; returns the sweep's path.
inline std::string write_tiny_sweep(const std::string& dir, const std::string& sweep = TINY_SWEEP) {
  write_text(dir + "/base.yaml", TINY_BASE);
  write_text(dir + "/sweep.yaml", sweep);
  return dir + "/sweep.yaml";
}

/// The /runs table of a sweep's output.
struct SweepTable {
  std::vector<results::Column> columns;
  const results::Column& operator[](const std::string& name) const { return results::column(columns, name); }
  size_t rows() const { return columns.empty() ? 0 : columns.front().size(); }
};

inline SweepTable read_runs(const std::string& out_dir) {
  return SweepTable{results::read_table(out_dir + "/sweep.h5", "runs")};
}

inline std::vector<int64_t> reused_flags(const std::string& out_dir) {
  return results::read_dataset(out_dir + "/sweep.h5", "nondeterministic/reused").integers;
}

/// Two tables hold the same values in the same columns (NaN equals NaN).
inline void expect_same_table(const SweepTable& a, const SweepTable& b) {
  ASSERT_EQ(a.columns.size(), b.columns.size());
  for (size_t c = 0; c < a.columns.size(); ++c) {
    const auto &x = a.columns[c], &y = b.columns[c];
    EXPECT_EQ(x.name, y.name);
    EXPECT_EQ(x.integers, y.integers) << x.name;
    EXPECT_EQ(x.text, y.text) << x.name;
    ASSERT_EQ(x.reals.size(), y.reals.size()) << x.name;
    for (size_t r = 0; r < x.reals.size(); ++r)
      EXPECT_TRUE(x.reals[r] == y.reals[r] || (std::isnan(x.reals[r]) && std::isnan(y.reals[r])))
          << x.name << " row " << r << ": " << x.reals[r] << " vs " << y.reals[r];
  }
}

/// Every summary scalar of each ok run's run.h5 is its column in /runs, with the same value.
inline void expect_summaries_in_table(const std::string& out_dir, const SweepTable& t) {
  for (size_t r = 0; r < t.rows(); ++r) {
    if (t["status"].integers[r] != 0) continue;
    const std::string h5 = out_dir + "/" + t["run_file"].text[r];
    const auto summary = results::read_summary(h5);
    ASSERT_FALSE(summary.empty()) << h5;
    for (const auto& v : summary) EXPECT_EQ(t[v.name].reals[r], v.value) << v.name << " of run " << r;
  }
}

}  // namespace gwsim::test
