#include "results/report_html.hpp"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fmt/format.h>
#include <fstream>
#include <map>
#include <set>

#include "common/error.hpp"
#include "results/hdf5_reader.hpp"
#include "results/headline.hpp"
#include "results/svg_chart.hpp"

namespace gwsim::results {
namespace {

using svg::Line;
using svg::LineChart;

// Points drawn per line at most: a year sampled hourly stays a small page.
constexpr size_t MAX_POINTS = 1500;
// Points of a cumulative-money line (revenue and cost at evenly spaced times).
constexpr size_t MONEY_POINTS = 240;
// Jobs larger than the cluster named in the headline (as many as gwsim run names).
constexpr size_t LARGER_THAN_CLUSTER_NAMED = 5;

const std::string REVENUE_COLOR = "#009E73", ENERGY_COLOR = "#E69F00", DEPRECIATION_COLOR = "#CC79A7",
                  COST_COLOR = "#D55E00", TOTAL_COLOR = "#333333", BUDGET_COLOR = "#D55E00";

struct TimeAxis {
  double scale_s;
  std::string unit;
};

// Days for runs longer than two days, hours otherwise (as scripts/plot_run.py).
TimeAxis time_axis(double horizon_s) {
  return horizon_s > 2 * 86400.0 ? TimeAxis{86400.0, "days"} : TimeAxis{3600.0, "hours"};
}

std::string tenant_color(const std::string& tenant, size_t index) {
  if (tenant == "internal") return svg::palette()[0];
  if (tenant == "external") return svg::palette()[1];
  return svg::palette()[(index + 2) % svg::palette().size()];
}

// The run file, read once.
struct Run {
  std::map<std::string, SummaryValue> summary;
  std::vector<SummaryValue> summary_order;
  std::vector<JobRecord> jobs;
  std::vector<SegmentRecord> segments;
  std::vector<EventRecord> events;
  std::vector<std::string> tenants, states, event_names;
  std::map<std::string, Series> series;
  std::map<std::string, std::map<std::string, std::string>> series_attrs;  // metric -> name -> text
  double horizon_s = 0;

  double value(const std::string& name, double fallback = 0) const {
    const auto it = summary.find(name);
    return it == summary.end() ? fallback : it->second.value;
  }
  bool interval_mean(const std::string& metric) const {
    const auto it = series_attrs.find(metric);
    return it != series_attrs.end() && it->second.count("sampling") && it->second.at("sampling") == "interval_mean";
  }
  std::string attr(const std::string& metric, const std::string& name) const {
    const auto it = series_attrs.find(metric);
    if (it == series_attrs.end() || !it->second.count(name)) return "";
    return it->second.at(name);
  }
};

std::vector<std::string> lookup_or_empty(const std::string& path, const std::string& field) {
  try {
    return read_lookup(path, field);
  } catch (const Error&) {
    return {};
  }
}

std::string name_of(const std::vector<std::string>& names, unsigned code) {
  return code < names.size() ? names[code] : std::to_string(code);
}

Run read_run(const std::string& h5) {
  Run r;
  r.summary_order = read_summary(h5);
  for (const auto& v : r.summary_order) r.summary[v.name] = v;
  r.jobs = read_jobs(h5);
  r.segments = read_segments(h5);
  r.events = read_events(h5);
  r.tenants = lookup_or_empty(h5, "tenant");
  r.states = lookup_or_empty(h5, "state");
  r.event_names = lookup_or_empty(h5, "event");
  for (const auto& metric : list_series(h5)) {
    r.series[metric] = read_series(h5, metric);
    const std::string object = "/timeseries/" + metric;
    for (const char* name : {"sampling", "budget_w", "pods", "gpus_per_pod"}) {
      const std::string v = read_attribute(h5, object, name);
      if (!v.empty()) r.series_attrs[metric][name] = v;
    }
  }
  r.horizon_s = r.value("simulated_time");
  if (r.horizon_s <= 0)
    for (const auto& [m, s] : r.series)
      if (!s.time_s.empty()) r.horizon_s = std::max(r.horizon_s, s.time_s.back());
  return r;
}

// A series as a line in the time unit: an interval mean is drawn as a step
// from the previous sample time; long series are averaged over buckets of
// consecutive samples (the mean of interval means of equal length is exact).
Line series_line(const Run& run, const std::string& metric, const TimeAxis& axis, double value_scale,
                 std::string label, std::string color) {
  Line l{std::move(label), std::move(color), {}, {}};
  const auto it = run.series.find(metric);
  if (it == run.series.end() || it->second.time_s.empty()) return l;
  const Series& s = it->second;
  const bool mean = run.interval_mean(metric);
  l.step = true;
  const size_t n = s.time_s.size();
  const size_t bucket = (n + MAX_POINTS - 1) / MAX_POINTS;
  if (mean) {
    l.x.push_back(0);
    l.y.push_back(s.value[0] * value_scale);
  }
  for (size_t i = 0; i < n; i += bucket) {
    const size_t end = std::min(n, i + bucket);
    double sum = 0;
    for (size_t k = i; k < end; ++k) sum += s.value[k];
    const double v = sum / static_cast<double>(end - i) * value_scale;
    // A step line holds y until the next x: an interval mean's value starts
    // at the previous sample time, an instant value at its own.
    if (mean) {
      l.x.push_back(s.time_s[end - 1] / axis.scale_s);
      l.y.push_back(v);
    } else {
      l.x.push_back(s.time_s[i] / axis.scale_s);
      l.y.push_back(v);
    }
  }
  if (mean) {
    // Steps are drawn as H then V: shift values one point left so each
    // interval is drawn at its own value.
    for (size_t i = 1; i + 1 < l.y.size(); ++i) l.y[i] = l.y[i + 1];
  }
  return l;
}

// An empirical CDF drawn as steps, at most MAX_POINTS of them.
Line cdf_line(std::vector<double> values, std::string label, std::string color) {
  Line l{std::move(label), std::move(color), {}, {}};
  l.step = true;
  if (values.empty()) return l;
  std::sort(values.begin(), values.end());
  const size_t n = values.size();
  const size_t stride = (n + MAX_POINTS - 1) / MAX_POINTS;
  l.x.push_back(values[0]);
  l.y.push_back(0);
  for (size_t i = 0; i < n; i += stride) {
    // The last of equal values carries the fraction at or below it.
    size_t j = std::min(n - 1, i + stride - 1);
    while (j + 1 < n && values[j + 1] == values[j]) ++j;
    l.x.push_back(values[j]);
    l.y.push_back(static_cast<double>(j + 1) / static_cast<double>(n));
    i = j + 1 - stride;  // continue after the run of equal values
  }
  return l;
}

// "$105.9k", "-$68.5k", "$21.67M": dollars as people write them.
std::string money(double usd) {
  const double a = std::abs(usd);
  const char* sign = usd < 0 ? "-" : "";
  if (a >= 1e6) return fmt::format("{}${:.2f}M", sign, a / 1e6);
  if (a >= 1e3) return fmt::format("{}${:.1f}k", sign, a / 1e3);
  return fmt::format("{}${:.0f}", sign, a);
}

// Revenue, energy cost and depreciation accumulated from 0 to each of
// MONEY_POINTS times. Revenue: each /segments row's revenue earned evenly over
// the segment. Depreciation accrues evenly over the run (straight-line).
// Energy cost: energy_cost_total spread in proportion to the site's energy
// drawn so far (power/site), exact for a flat tariff.
LineChart money_chart(const Run& run, const TimeAxis& axis) {
  LineChart c{"money", "Revenue against cost, accumulated", fmt::format("simulated time ({})", axis.unit),
              "US dollars, accumulated (USD)", {}, "", "no revenue and no cost in this run"};
  const double H = run.horizon_s;
  if (H <= 0) return c;
  std::vector<double> t(MONEY_POINTS + 1);
  for (size_t i = 0; i <= MONEY_POINTS; ++i) t[i] = H * static_cast<double>(i) / MONEY_POINTS;

  // Revenue: a sweep over segment starts and ends, the rate changing at each.
  std::vector<std::pair<double, double>> changes;  // (time, change of USD/s)
  for (const auto& s : run.segments)
    if (s.revenue_usd != 0 && s.end_s > s.start_s) {
      const double rate = s.revenue_usd / (s.end_s - s.start_s);
      changes.emplace_back(s.start_s, rate);
      changes.emplace_back(s.end_s, -rate);
    }
  std::sort(changes.begin(), changes.end());
  std::vector<double> revenue(t.size());
  double rate = 0, acc = 0, at = 0;
  size_t k = 0;
  for (size_t i = 0; i < t.size(); ++i) {
    while (k < changes.size() && changes[k].first <= t[i]) {
      acc += rate * (changes[k].first - at);
      at = changes[k].first;
      rate += changes[k].second;
      ++k;
    }
    revenue[i] = acc + rate * (t[i] - at);
  }

  // Site energy so far, from the power series (interval means in W).
  std::vector<double> energy(t.size(), 0.0);
  const auto p = run.series.find("power/site");
  double total_energy = 0;
  if (p != run.series.end()) {
    const Series& s = p->second;
    std::vector<double> cum_t = {0}, cum_e = {0};
    double prev = 0;
    for (size_t i = 0; i < s.time_s.size(); ++i) {
      total_energy += s.value[i] * (s.time_s[i] - prev);
      prev = s.time_s[i];
      cum_t.push_back(s.time_s[i]);
      cum_e.push_back(total_energy);
    }
    for (size_t i = 0; i < t.size(); ++i) {
      const auto it = std::upper_bound(cum_t.begin(), cum_t.end(), t[i]);
      const size_t hi = std::min<size_t>(static_cast<size_t>(it - cum_t.begin()), cum_t.size() - 1);
      const size_t lo = hi > 0 ? hi - 1 : 0;
      const double span = cum_t[hi] - cum_t[lo];
      energy[i] = span > 0 ? cum_e[lo] + (cum_e[hi] - cum_e[lo]) * (t[i] - cum_t[lo]) / span : cum_e[hi];
    }
  }
  const double energy_cost = run.value("energy_cost_total"), depreciation = run.value("depreciation_total");
  Line rev{"revenue", REVENUE_COLOR, {}, {}}, ecost{"energy cost", ENERGY_COLOR, {}, {}},
      dep{"depreciation", DEPRECIATION_COLOR, {}, {}}, cost{"energy cost + depreciation", COST_COLOR, {}, {}};
  cost.dashed = true;
  for (size_t i = 0; i < t.size(); ++i) {
    const double x = t[i] / axis.scale_s;
    const double e = total_energy > 0 ? energy_cost * energy[i] / total_energy : energy_cost * t[i] / H;
    const double d = depreciation * t[i] / H;
    rev.x.push_back(x), rev.y.push_back(revenue[i]);
    ecost.x.push_back(x), ecost.y.push_back(e);
    dep.x.push_back(x), dep.y.push_back(d);
    cost.x.push_back(x), cost.y.push_back(e + d);
  }
  const bool any = revenue.back() != 0 || energy_cost != 0 || depreciation != 0;
  if (any) c.lines = {rev, ecost, dep, cost};
  c.note = fmt::format("at the end: revenue {}, energy cost {}, depreciation {}; margin {}",
                       money(revenue.back()), money(energy_cost), money(depreciation), money(run.value("margin_total")));
  return c;
}

LineChart utilization_chart(const Run& run, const TimeAxis& axis) {
  LineChart c{"utilization", "GPU utilization by tenant", fmt::format("simulated time ({})", axis.unit),
              "share of the GPUs in use (fraction)", {}, "", "no utilization series in this run"};
  std::vector<Line> lines;
  size_t k = 0;
  Line total{"total", TOTAL_COLOR, {}, {}};
  for (const auto& [metric, s] : run.series) {
    if (metric.rfind("utilization/", 0) != 0) continue;
    const std::string tenant = metric.substr(12);
    Line l = series_line(run, metric, axis, 1.0, tenant, tenant_color(tenant, k++));
    if (total.x.empty()) total = Line{"total", TOTAL_COLOR, l.x, l.y, false, true};
    else
      for (size_t i = 0; i < total.y.size() && i < l.y.size(); ++i) total.y[i] += l.y[i];
    lines.push_back(std::move(l));
  }
  if (!lines.empty()) lines.push_back(total);
  c.lines = std::move(lines);
  c.note = fmt::format("mean over the run: internal {:.1f}%, external {:.1f}%, total {:.1f}%",
                       100 * run.value("utilization_internal"), 100 * run.value("utilization_external"),
                       100 * run.value("utilization_total"));
  return c;
}

// Mean utilization of each pod's GPUs over the run, by tenant: GPU-seconds
// of its /segments (a segment counts to the pod of its first node) over the
// pod's GPUs times the run's length.
svg::BarChart pod_chart(const Run& run) {
  svg::BarChart c{"pools", "Utilization by pod (GPU pool) and tenant", "share of the pod's GPUs in use (fraction)",
                  "", "no GPU was used in this run", {}, {}, "pod (the GPUs of a pod form one pool)"};
  const std::string pods_text = run.attr("utilization/internal", "pods");
  const std::string per_pod_text = run.attr("utilization/internal", "gpus_per_pod");
  if (pods_text.empty() || per_pod_text.empty() || run.horizon_s <= 0 || run.segments.empty()) {
    if (pods_text.empty()) c.empty = "this run file does not say how many pods its cluster has";
    return c;
  }
  const long pods = std::stol(pods_text);
  const double per_pod = std::stod(per_pod_text);
  std::map<uint8_t, std::vector<double>> gpu_s;  // tenant -> per pod
  for (const auto& s : run.segments) {
    auto& v = gpu_s[s.tenant];
    v.resize(static_cast<size_t>(pods), 0.0);
    if (s.pod >= 0 && s.pod < pods)
      v[static_cast<size_t>(s.pod)] += static_cast<double>(s.gpus) * (std::min(s.end_s, run.horizon_s) - s.start_s);
  }
  for (long p = 0; p < pods; ++p) c.categories.push_back(fmt::format("pod {}", p));
  size_t k = 0;
  for (const auto& [tenant, v] : gpu_s) {
    svg::Bars b{name_of(run.tenants, tenant), tenant_color(name_of(run.tenants, tenant), k++), {}, {}, {}};
    for (double g : v) b.value.push_back(g / (per_pod * run.horizon_s));
    c.series.push_back(std::move(b));
  }
  c.note = fmt::format("{} pod{} of {:.0f} GPUs; a job counts to the pod of its first node", pods, pods == 1 ? "" : "s",
                       per_pod);
  return c;
}

LineChart queue_chart(const Run& run, const TimeAxis& axis) {
  LineChart c{"queue", "Jobs waiting in the queue", fmt::format("simulated time ({})", axis.unit),
              "queued jobs (jobs)", {}, "", "no queue series in this run"};
  Line l = series_line(run, "queue_length", axis, 1.0, "queue length", svg::palette()[0]);
  double peak = 0;
  for (double v : l.y) peak = std::max(peak, v);
  if (!l.x.empty()) c.lines.push_back(std::move(l));
  c.note = fmt::format("sampled every sampling interval; peak {:.0f} jobs", peak);
  return c;
}

// Wait before the first start, by tenant, of the jobs that started; the
// note counts those that never did.
LineChart wait_chart(const Run& run) {
  LineChart c{"wait", "Wait before the first start (CDF, jobs that started)", "wait (hours)",
              "share of the jobs that started (fraction)", {}, "", "no job started in this run"};
  std::map<uint8_t, std::vector<double>> waits;
  std::map<std::string, size_t> never;  // final state -> jobs that never started
  size_t never_total = 0;
  for (const auto& j : run.jobs) {
    if (j.start_s >= 0) waits[j.tenant].push_back((j.start_s - j.submit_s) / 3600.0);
    else {
      ++never[name_of(run.states, j.state)];
      ++never_total;
    }
  }
  size_t k = 0;
  for (auto& [tenant, v] : waits) {
    const std::string name = name_of(run.tenants, tenant);
    const size_t n = v.size();
    c.lines.push_back(cdf_line(std::move(v), fmt::format("{} ({} jobs)", name, n), tenant_color(name, k++)));
  }
  std::string detail;
  for (const auto& [state, n] : never) detail += fmt::format("{}{} {}", detail.empty() ? "" : ", ", n, state);
  c.note = never_total == 0 ? fmt::format("all {} jobs started", run.jobs.size())
                            : fmt::format("{} of {} jobs never started ({})", never_total, run.jobs.size(), detail);
  return c;
}

LineChart jct_chart(const Run& run) {
  LineChart c{"jct", "Job completion time (CDF, completed jobs)", "submit to end (hours)",
              "share of the completed jobs (fraction)", {}, "", "no job completed in this run"};
  std::map<std::string, std::vector<double>> jct;  // tenant -> hours
  size_t completed = 0;
  for (const auto& j : run.jobs)
    if (j.state == static_cast<uint8_t>(JobState::COMPLETED) && j.end_s >= 0) {
      jct[name_of(run.tenants, j.tenant)].push_back((j.end_s - j.submit_s) / 3600.0);
      ++completed;
    }
  size_t k = 0;
  for (auto& [tenant, v] : jct) {
    const size_t n = v.size();
    c.lines.push_back(cdf_line(std::move(v), fmt::format("{} ({} jobs)", tenant, n), tenant_color(tenant, k++)));
  }
  c.note = fmt::format("{} of {} jobs completed; the others are not in the curve", completed, run.jobs.size());
  return c;
}

LineChart power_chart(const Run& run, const TimeAxis& axis) {
  LineChart c{"power", "Site power against its budget", fmt::format("simulated time ({})", axis.unit),
              "facility power, interval mean (MW)", {}, "", "no power series in this run"};
  Line l = series_line(run, "power/site", axis, 1e-6, "site power", svg::palette()[0]);
  if (l.x.empty()) return c;
  const std::string budget_text = run.attr("power/site", "budget_w");
  const double budget_w = budget_text.empty() ? 0 : std::stod(budget_text);
  const double x_end = l.x.back();
  c.lines.push_back(std::move(l));
  if (budget_w > 0) {
    c.lines.push_back(Line{"budget", BUDGET_COLOR, {0, x_end}, {budget_w * 1e-6, budget_w * 1e-6}, true, false});
    c.note = fmt::format("budget {:.3f} MW; peak {:.3f} MW; over budget for {:.1f} h, at the cap for {:.1f} h",
                         budget_w * 1e-6, run.value("site_power_peak"), run.value("time_over_power_budget") / 3600,
                         run.value("time_at_power_cap") / 3600);
  } else {
    c.note = fmt::format("no site or hall budget set; peak {:.3f} MW, mean {:.3f} MW", run.value("site_power_peak"),
                         run.value("site_power_mean"));
  }
  return c;
}

// Nodes down (the failures/nodes_down series) and the job interruptions by a
// failure so far (the /events rows of type "fail").
LineChart failures_chart(const Run& run, const TimeAxis& axis) {
  LineChart c{"failures", "Failures over time", fmt::format("simulated time ({})", axis.unit), "count", {}, "",
              "no node failed in this run"};
  Line down = series_line(run, "failures/nodes_down", axis, 1.0, "nodes down", svg::palette()[5]);
  const auto fail = std::find(run.event_names.begin(), run.event_names.end(), "fail");
  const auto fail_code = static_cast<uint8_t>(fail - run.event_names.begin());
  Line hits{"jobs interrupted, accumulated", svg::palette()[0], {0}, {0}};
  hits.step = true;
  size_t n = 0;
  for (const auto& e : run.events)
    if (fail != run.event_names.end() && e.type == fail_code) {
      hits.x.push_back(e.time_s / axis.scale_s);
      hits.y.push_back(static_cast<double>(++n));
    }
  double peak_down = 0;
  for (double v : down.y) peak_down = std::max(peak_down, v);
  if (peak_down == 0 && n == 0 && run.value("failure_events") == 0) return c;
  if (run.horizon_s > 0) {
    hits.x.push_back(run.horizon_s / axis.scale_s);
    hits.y.push_back(static_cast<double>(n));
  }
  if (!down.x.empty()) c.lines.push_back(std::move(down));
  c.lines.push_back(std::move(hits));
  c.note = fmt::format("{:.0f} failure events; at most {:.0f} nodes down at once; {:.0f} GPU-h lost to failures",
                       run.value("failure_events"), peak_down, run.value("lost_gpu_hours_failures"));
  return c;
}

// Jobs killed at submission for asking more GPUs than the cluster has, as
// the headline names them: the first few /events rows with that cause.
std::vector<uint64_t> larger_than_cluster(const Run& r, const std::string& h5) {
  const auto causes = lookup_or_empty(h5, "cause");
  const auto it = std::find(causes.begin(), causes.end(), "larger_than_cluster");
  std::vector<uint64_t> ids;
  if (it == causes.end()) return ids;
  const auto code = static_cast<uint8_t>(it - causes.begin());
  for (const auto& e : r.events)
    if (e.cause == code && ids.size() < LARGER_THAN_CLUSTER_NAMED &&
        std::find(ids.begin(), ids.end(), e.job) == ids.end())
      ids.push_back(e.job);
  return ids;
}

const char* STYLE = R"(body{font-family:"DejaVu Sans",Helvetica,Arial,sans-serif;margin:0;background:#f4f5f7;color:#222}
header{background:#1f2d3d;color:#fff;padding:18px 32px}header h1{margin:0;font-size:22px}
header p{margin:6px 0 0;color:#c8d0da;font-size:13px}
main{max-width:1600px;margin:0 auto;padding:16px 24px}
.headline{display:flex;flex-wrap:wrap;gap:12px;margin-bottom:16px}
.group{background:#fff;border-radius:6px;padding:10px 14px;box-shadow:0 1px 2px rgba(0,0,0,.12);min-width:220px;flex:1}
.group h2{font-size:13px;text-transform:uppercase;letter-spacing:.05em;color:#5a6b7d;margin:0 0 6px}
.group table{border-collapse:collapse;font-size:14px}.group td{padding:2px 10px 2px 0;vertical-align:top}
.group td.v{font-weight:600}.group td:first-child{white-space:nowrap;color:#444}
.charts{display:grid;grid-template-columns:repeat(auto-fill,minmax(640px,1fr));gap:14px}
figure{margin:0;background:#fff;border-radius:6px;padding:6px;box-shadow:0 1px 2px rgba(0,0,0,.12)}
svg.chart{width:100%;height:auto;display:block}
svg .title{font-size:16px;font-weight:600;fill:#222}svg .note{font-size:12px;fill:#555}
svg .tick,svg .legend-label{font-size:12px;fill:#333}svg .axis-label{font-size:13px;fill:#333}
svg .grid{stroke:#e3e6ea;stroke-width:1}svg .tick-mark{stroke:#888}svg .zero{stroke:#555}
svg .frame{fill:none;stroke:#888}svg .no-data{font-size:15px;fill:#888;font-style:italic}
table.data{border-collapse:collapse;font-size:13px;background:#fff;margin:8px 0}
table.data th,table.data td{border-bottom:1px solid #e3e6ea;padding:3px 10px;text-align:right}
table.data th:first-child,table.data td:first-child{text-align:left}
details{margin-top:16px}summary{cursor:pointer;font-weight:600}
)";

}  // namespace

const std::vector<std::string>& run_report_chart_ids() {
  static const std::vector<std::string> ids = {"money", "utilization", "pools", "queue",
                                               "wait",  "jct",         "power", "failures"};
  return ids;
}

std::string html_page(const std::string& title, const std::string& body) {
  return fmt::format("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
                     "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
                     "<meta name=\"generator\" content=\"gwsim\">\n<title>{}</title>\n<style>\n{}</style>\n</head>\n"
                     "<body>\n{}</body>\n</html>\n",
                     svg::escape(title), STYLE, body);
}

void write_file_atomically(const std::string& path, const std::string& text) {
  const std::string tmp = path + ".partial";
  {
    std::ofstream out(tmp, std::ios::binary);
    out << text;
    out.close();
    if (!out) throw Error(ExitCode::OUTPUT, fmt::format("{}: cannot write", tmp));
  }
  std::error_code ec;
  std::filesystem::rename(tmp, path, ec);
  if (ec) throw Error(ExitCode::OUTPUT, fmt::format("{}: cannot move into place ({})", path, ec.message()));
}

void write_run_report(const std::string& h5_path, const std::string& html_path, const std::string& title) {
  const Run run = read_run(h5_path);
  const TimeAxis axis = time_axis(run.horizon_s);
  const bool complete = read_root_attribute(h5_path, "complete") == "1";

  std::string body = fmt::format("<header><h1>{}</h1><p>scenario {} &middot; seed {} &middot; {} &middot; {}{}</p>"
                                 "</header>\n<main>\n",
                                 svg::escape(title), svg::escape(read_root_attribute(h5_path, "scenario_path")),
                                 svg::escape(read_root_attribute(h5_path, "seed")),
                                 svg::escape(read_root_attribute(h5_path, "scenario_hash")),
                                 svg::escape("gwsim " + read_root_attribute(h5_path, "gwsim_version")),
                                 complete ? "" : " &middot; <b>incomplete run (interrupted)</b>");
  body += "<section class=\"headline\" id=\"headline\">\n";
  // The same groups and rows as the headline gwsim prints (results/headline.hpp).
  const Headline headline = make_headline(run.summary_order, {title, larger_than_cluster(run, h5_path)});
  for (const auto& g : headline.groups) {
    body += fmt::format("<div class=\"group\"><h2>{}</h2><table>\n", svg::escape(g.title));
    for (const auto& row : g.rows)
      body += fmt::format("<tr><td>{}</td><td class=\"v\">{}</td></tr>\n", svg::escape(row.label),
                          svg::escape(row.value));
    body += "</table></div>\n";
  }
  body += "</section>\n<section class=\"charts\">\n";
  const std::vector<std::string> charts = {
      svg::render(money_chart(run, axis)), svg::render(utilization_chart(run, axis)), svg::render(pod_chart(run)),
      svg::render(queue_chart(run, axis)), svg::render(wait_chart(run)),            svg::render(jct_chart(run)),
      svg::render(power_chart(run, axis)), svg::render(failures_chart(run, axis))};
  for (const auto& c : charts) body += "<figure>\n" + c + "</figure>\n";
  body += "</section>\n<details><summary>Every summary value (as in summary.json)</summary>\n"
          "<table class=\"data\"><tr><th>name</th><th>value</th><th>unit</th></tr>\n";
  for (const auto& v : run.summary_order)
    body += fmt::format("<tr><td>{}</td><td>{}</td><td>{}</td></tr>\n", svg::escape(v.name),
                        fmt::format("{:.6g}", v.value), svg::escape(v.unit));
  body += "</table></details>\n</main>\n";
  write_file_atomically(html_path, html_page(title, body));
}

}  // namespace gwsim::results
