#pragma once
// A sweep's variants against its baseline (docs/sweeps.md#comparison): for
// each summary value, the mean over seeds of every variant (a point of the
// axes' product) and its difference from the baseline, paired over the
// seeds both ran, with the 95% confidence interval of the mean difference
// from Student's t distribution. `gwsim sweep` prints the table and writes
// <out>/report.html with it and one chart per key value.
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "sim/sweeps/sweep_runner.hpp"

namespace gwsim::sim {

/// The mean difference variant - baseline over the seeds present in both,
/// and its 95% confidence interval: mean +- t(0.975, n-1) * sd / sqrt(n),
/// sd the sample standard deviation of the n differences. With fewer than
/// two pairs there is no interval (has_ci false).
struct PairedDifference {
  size_t pairs = 0;
  double mean = 0;        ///< of the differences (0 when no pair)
  double half_width = 0;  ///< of the 95% interval
  bool has_ci = false;
  double low() const { return mean - half_width; }
  double high() const { return mean + half_width; }
};
PairedDifference paired_difference(const std::map<uint64_t, double>& baseline,
                                   const std::map<uint64_t, double>& variant);

/// The 0.975 quantile of Student's t with `df` degrees of freedom (df >= 1):
/// 12.706 for 1, 4.303 for 2, 1.960 in the limit.
double t_quantile_975(size_t df);

/// Every summary value of every complete run, by variant and seed.
struct SweepComparison {
  std::vector<std::string> variants;  ///< "cluster.gpu=H200, policy=fifo", in expansion order; [0] the baseline
  std::vector<std::string> metrics;   ///< summary names, in order of first appearance
  std::vector<std::string> units;
  /// values[m][v]: seed -> value of metric m in variant v (complete runs only).
  std::vector<std::vector<std::map<uint64_t, double>>> values;
};

/// Reads the summaries of the runs whose outcome is OK. The baseline is the
/// first point of the product: every axis at its first value.
SweepComparison collect_comparison(const SweepSpec& spec, const std::vector<SweepRun>& runs,
                                   const std::vector<RunOutcome>& outcomes, const SweepLayout& layout);

/// The key summary values a comparison shows first (those present, and not
/// zero in every run): utilization, waits, completed jobs, money, energy.
std::vector<size_t> key_metrics(const SweepComparison& c);

/// The comparison as text, one block per metric in `metrics` (indices into
/// c.metrics): each variant's mean, its difference from the baseline, the
/// interval, the pairs. Waits are shown in hours.
std::string format_comparison(const SweepComparison& c, const std::vector<size_t>& metrics);

/// Ids of the charts of a sweep report: "diff-<metric>" for each key metric.
std::vector<std::string> sweep_report_chart_ids(const SweepComparison& c);

/// Writes the sweep's report.html: the comparison table of every summary
/// value that varies, and for each key value a chart of the differences from
/// the baseline with their intervals. Throws Error(OUTPUT).
void write_sweep_report(const SweepComparison& c, const SweepSpec& spec, const std::string& html_path);

}  // namespace gwsim::sim
