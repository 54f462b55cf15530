#include "sim/sweeps/sweep_compare.hpp"

#include <algorithm>
#include <boost/math/distributions/students_t.hpp>
#include <cmath>
#include <fmt/format.h>
#include <set>

#include "common/error.hpp"
#include "results/hdf5_reader.hpp"
#include "results/report_html.hpp"
#include "results/svg_chart.hpp"

namespace gwsim::sim {
namespace {

// The values a comparison shows first, in this order, when the runs have them.
const std::vector<std::string> KEY_METRICS = {
    "utilization_total", "internal_mean_wait", "internal_p95_wait", "external_mean_wait", "jobs_completed",
    "revenue_total",     "margin_total",       "energy_total",      "site_power_peak",    "failure_events"};

// How a value is shown: waits and other seconds in hours.
struct Display {
  double scale = 1;
  std::string unit;
};
Display display(const std::string& unit) {
  if (unit == "s") return {1.0 / 3600, "h"};
  return {1, unit};
}

// Four significant digits, no exponent, thousands grouped: 0.6153, 3.159, 111,454.
std::string number(double v, double magnitude) {
  if (!std::isfinite(v)) return "n/a";
  const double m = std::abs(magnitude) > 0 ? std::abs(magnitude) : std::abs(v);
  const double step = m > 0 ? std::max(std::pow(10.0, std::floor(std::log10(m)) - 3), 1e-6) : 1;
  return results::svg::format_tick(v, std::max(step, m >= 1000 ? 1.0 : step));
}

std::string signed_number(double v, double magnitude) {
  const std::string s = number(v, magnitude);
  return v > 0 ? "+" + s : s;
}

double mean_of(const std::map<uint64_t, double>& v) {
  if (v.empty()) return std::nan("");
  double sum = 0;
  for (const auto& [seed, x] : v) sum += x;
  return sum / static_cast<double>(v.size());
}

}  // namespace

double t_quantile_975(size_t df) {
  if (df < 1) throw Error(ExitCode::INTERNAL, "t_quantile_975: no degree of freedom");
  return boost::math::quantile(boost::math::students_t_distribution<double>(static_cast<double>(df)), 0.975);
}

PairedDifference paired_difference(const std::map<uint64_t, double>& baseline,
                                   const std::map<uint64_t, double>& variant) {
  std::vector<double> d;
  for (const auto& [seed, x] : variant) {
    const auto b = baseline.find(seed);
    if (b != baseline.end() && std::isfinite(x) && std::isfinite(b->second)) d.push_back(x - b->second);
  }
  PairedDifference p;
  p.pairs = d.size();
  if (d.empty()) return p;
  double sum = 0;
  for (double x : d) sum += x;
  p.mean = sum / static_cast<double>(d.size());
  if (d.size() < 2) return p;
  double ss = 0;
  for (double x : d) ss += (x - p.mean) * (x - p.mean);
  const double sd = std::sqrt(ss / static_cast<double>(d.size() - 1));
  p.half_width = t_quantile_975(d.size() - 1) * sd / std::sqrt(static_cast<double>(d.size()));
  p.has_ci = true;
  return p;
}

SweepComparison collect_comparison(const SweepSpec& spec, const std::vector<SweepRun>& runs,
                                   const std::vector<RunOutcome>& outcomes, const SweepLayout& layout) {
  SweepComparison c;
  std::map<std::vector<size_t>, size_t> variant_of;
  std::map<std::string, size_t> metric_of;
  for (const auto& run : runs) {
    auto [it, added] = variant_of.emplace(run.position, c.variants.size());
    if (added) {
      const std::string label = describe_run(spec, run, false);
      c.variants.push_back(label.empty() ? "base" : label);
      for (auto& m : c.values) m.emplace_back();
    }
    if (run.id >= outcomes.size() || outcomes[run.id].status != RunStatus::OK) continue;
    std::vector<results::SummaryValue> summary;
    try {
      summary = results::read_summary(layout.run_dir(run.id) + "/run.h5");
    } catch (const Error&) {
      continue;  // write_sweep_file has marked it FAILED
    }
    for (const auto& v : summary) {
      auto [m, new_metric] = metric_of.emplace(v.name, c.metrics.size());
      if (new_metric) {
        c.metrics.push_back(v.name);
        c.units.push_back(v.unit);
        c.values.emplace_back(c.variants.size());
      }
      c.values[m->second].resize(c.variants.size());
      c.values[m->second][it->second][run.seed] = v.value;
    }
  }
  for (auto& m : c.values) m.resize(c.variants.size());
  return c;
}

std::vector<size_t> key_metrics(const SweepComparison& c) {
  std::vector<size_t> out;
  for (const auto& name : KEY_METRICS) {
    const auto it = std::find(c.metrics.begin(), c.metrics.end(), name);
    if (it == c.metrics.end()) continue;
    const size_t m = static_cast<size_t>(it - c.metrics.begin());
    bool nonzero = false;
    for (const auto& v : c.values[m])
      for (const auto& [seed, x] : v) nonzero |= x != 0;
    if (nonzero) out.push_back(m);
  }
  return out;
}

std::string format_comparison(const SweepComparison& c, const std::vector<size_t>& metrics) {
  if (c.variants.empty()) return "";
  size_t width = 7;
  for (const auto& v : c.variants) width = std::max(width, v.size());
  std::string out = fmt::format(
      "comparison with the baseline {}: mean over seeds; difference paired over the seeds both ran, with its 95% "
      "confidence interval (Student's t)\n",
      c.variants[0]);
  for (size_t m : metrics) {
    const Display d = display(c.units[m]);
    out += fmt::format("{} ({})\n  {:<{}}  {:>12}  {:>12}  {:>27}  {:>5}\n", c.metrics[m], d.unit, "variant", width,
                       "mean", "difference", "95% CI", "pairs");
    const auto& base = c.values[m][0];
    const double magnitude = std::abs(mean_of(base)) * d.scale;
    for (size_t v = 0; v < c.variants.size(); ++v) {
      const double mean = mean_of(c.values[m][v]) * d.scale;
      if (v == 0) {
        out += fmt::format("  {:<{}}  {:>12}  {:>12}  {:>27}  {:>5}\n", c.variants[v], width,
                           number(mean, magnitude), "baseline", "", c.values[m][v].size());
        continue;
      }
      const PairedDifference p = paired_difference(base, c.values[m][v]);
      const std::string ci = p.has_ci ? fmt::format("[{}, {}]", signed_number(p.low() * d.scale, magnitude),
                                                    signed_number(p.high() * d.scale, magnitude))
                             : p.pairs == 1 ? "n/a (1 pair)"
                                            : "n/a";
      out += fmt::format("  {:<{}}  {:>12}  {:>12}  {:>27}  {:>5}\n", c.variants[v], width, number(mean, magnitude),
                         p.pairs ? signed_number(p.mean * d.scale, magnitude) : "n/a", ci, p.pairs);
    }
  }
  return out;
}

std::vector<std::string> sweep_report_chart_ids(const SweepComparison& c) {
  std::vector<std::string> ids;
  for (size_t m : key_metrics(c)) ids.push_back("diff-" + c.metrics[m]);
  return ids;
}

void write_sweep_report(const SweepComparison& c, const SweepSpec& spec, const std::string& html_path) {
  using results::svg::escape;
  std::string body = fmt::format(
      "<header><h1>gwsim sweep: {}</h1><p>{} variants &middot; baseline {} &middot; sweep file {}</p></header>\n"
      "<main>\n<p>Each chart shows, per variant, the mean difference from the baseline over the seeds both ran, and "
      "its 95% confidence interval (Student's t with pairs &minus; 1 degrees of freedom). An interval that "
      "excludes 0 is a difference the seeds agree on.</p>\n",
      escape(spec.name), c.variants.size(), escape(c.variants.empty() ? "" : c.variants[0]), escape(spec.path));
  const auto keys = key_metrics(c);
  std::vector<std::string> short_names;
  for (size_t v = 0; v < c.variants.size(); ++v) short_names.push_back(fmt::format("V{}", v));
  body += "<h2>Variants</h2>\n<table class=\"data\"><tr><th>variant</th><th>axes</th></tr>\n";
  for (size_t v = 0; v < c.variants.size(); ++v)
    body += fmt::format("<tr><td>{}{}</td><td>{}</td></tr>\n", short_names[v], v == 0 ? " (baseline)" : "",
                        escape(c.variants[v]));
  body += "</table>\n<section class=\"charts\">\n";
  for (size_t m : keys) {
    const Display d = display(c.units[m]);
    results::svg::BarChart chart{"diff-" + c.metrics[m],
                                 fmt::format("{}: difference from the baseline (V0)", c.metrics[m]),
                                 fmt::format("variant minus baseline ({})", d.unit),
                                 fmt::format("baseline mean {} {}", number(mean_of(c.values[m][0]) * d.scale, 0),
                                             d.unit),
                                 "only the baseline ran",
                                 {},
                                 {},
                                 "variant (the table above names each)"};
    results::svg::Bars bars{"mean difference, 95% CI", results::svg::palette()[0], {}, {}, {}};
    for (size_t v = 1; v < c.variants.size(); ++v) {
      const PairedDifference p = paired_difference(c.values[m][0], c.values[m][v]);
      chart.categories.push_back(short_names[v]);
      bars.value.push_back(p.pairs ? p.mean * d.scale : std::nan(""));
      bars.lo.push_back(p.has_ci ? p.low() * d.scale : std::nan(""));
      bars.hi.push_back(p.has_ci ? p.high() * d.scale : std::nan(""));
    }
    chart.series.push_back(std::move(bars));
    body += "<figure>\n" + results::svg::render(chart) + "</figure>\n";
  }
  body += "</section>\n";
  body += "<h2>Every summary value that differs between variants</h2>\n"
          "<table class=\"data\"><tr><th>value</th><th>variant</th><th>mean</th><th>difference</th>"
          "<th>95% CI</th><th>pairs</th></tr>\n";
  for (size_t m = 0; m < c.metrics.size(); ++m) {
    std::set<double> means;
    for (const auto& v : c.values[m])
      if (!v.empty()) means.insert(mean_of(v));
    if (means.size() < 2) continue;
    const Display d = display(c.units[m]);
    const double magnitude = std::abs(mean_of(c.values[m][0])) * d.scale;
    for (size_t v = 0; v < c.variants.size(); ++v) {
      const PairedDifference p = paired_difference(c.values[m][0], c.values[m][v]);
      body += fmt::format(
          "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>\n",
          v == 0 ? fmt::format("{} ({})", escape(c.metrics[m]), escape(d.unit)) : "", short_names[v],
          number(mean_of(c.values[m][v]) * d.scale, magnitude),
          v == 0 ? "baseline" : p.pairs ? signed_number(p.mean * d.scale, magnitude) : "n/a",
          v == 0 || !p.has_ci ? ""
                              : fmt::format("[{}, {}]", signed_number(p.low() * d.scale, magnitude),
                                            signed_number(p.high() * d.scale, magnitude)),
          v == 0 ? c.values[m][v].size() : p.pairs);
    }
  }
  body += "</table>\n</main>\n";
  results::write_file_atomically(html_path, results::html_page("gwsim sweep: " + spec.name, body));
}

}  // namespace gwsim::sim
