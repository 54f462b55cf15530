#include "results/headline.hpp"

#include <algorithm>
#include <cmath>
#include <fmt/format.h>
#include <map>

namespace gwsim::results {

namespace {

// Fixed-point with the decimals that keep about three significant digits
// (0.306 -> "0.306", 25.71 -> "25.7", 102.7 -> "103"), never an exponent.
std::string fixed3(double x) {
  const double a = std::fabs(x);
  const int decimals = a >= 100 ? 0 : a >= 10 ? 1 : a >= 1 ? 2 : 3;
  return fmt::format("{:.{}f}", x, decimals);
}

// Digits of a whole number, grouped by three.
std::string grouped(double whole) {
  std::string digits = fmt::format("{:.0f}", std::fabs(whole));
  std::string out;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return (whole < 0 && digits != "0" ? "-" : "") + out;
}

// A value with one decimal below 100 and grouped digits above, e.g. 102.7, 33,320.
std::string one_decimal_or_grouped(double x) {
  return std::fabs(x) < 100 ? fmt::format("{:.1f}", x) : grouped(std::round(x));
}

class Values {
 public:
  explicit Values(const std::vector<SummaryValue>& summary) : list_(summary) {
    for (const auto& v : summary) by_name_[v.name] = v.value;
  }
  double operator()(const std::string& name) const {
    const auto it = by_name_.find(name);
    return it == by_name_.end() ? 0.0 : it->second;
  }
  const std::vector<SummaryValue>& list() const { return list_; }

 private:
  const std::vector<SummaryValue>& list_;
  std::map<std::string, double> by_name_;
};

// "a, b, c" of the non-empty parts.
std::string joined(const std::vector<std::string>& parts) {
  std::string out;
  for (const auto& p : parts) {
    if (p.empty()) continue;
    if (!out.empty()) out += ", ";
    out += p;
  }
  return out;
}

std::string plural(double n, const std::string& one, const std::string& many) {
  return fmt::format("{} {}", format_count(n), std::llround(n) == 1 ? one : many);
}

// "$105.9k (lease $105.9k, spot $2.0k)": the parts that are not zero, and
// "all <part>" when only one is.
std::string total_with_parts(double total, const std::vector<std::pair<std::string, double>>& parts,
                             std::string (*format)(double)) {
  std::vector<std::string> shown;
  for (const auto& [name, v] : parts)
    if (v != 0) shown.push_back(fmt::format("{} {}", name, format(v)));
  if (shown.empty()) return format(total);
  if (shown.size() == 1) {
    for (const auto& [name, v] : parts)
      if (v != 0 && std::fabs(v - total) <= 1e-9 * std::max(1.0, std::fabs(total)))
        return fmt::format("{}, all {}", format(total), name);
  }
  return fmt::format("{} ({})", format(total), joined(shown));
}

struct Builder {
  Headline h;
  HeadlineGroup group;
  void begin(const std::string& title) { group = HeadlineGroup{title, {}}; }
  void row(const std::string& label, const std::string& value) { group.rows.push_back({label, value}); }
  void end() {
    if (!group.rows.empty()) h.groups.push_back(std::move(group));
    group = {};
  }
};

void fleet_and_demand(Builder& b, const Values& v, const HeadlineNotes& notes) {
  b.begin("Fleet and demand");
  b.row("simulated", fmt::format("{} on {}", format_duration(v("simulated_time")), plural(v("gpus"), "GPU", "GPUs")));
  const double jobs = v("jobs");
  if (jobs > 0) {
    std::vector<std::string> states;
    for (const auto& [name, label] : std::vector<std::pair<std::string, std::string>>{
             {"jobs_completed", "completed"},
             {"jobs_running_at_end", "running at end"},
             {"jobs_queued_at_end", "queued at end"},
             {"jobs_refused", "refused"},
             {"jobs_killed", "killed"}})
      if (v(name) > 0) states.push_back(fmt::format("{} {}", format_count(v(name)), label));
    b.row("jobs", fmt::format("{} submitted: {}", format_count(jobs), joined(states)));
  }
  if (const double n = v("jobs_larger_than_cluster"); n > 0) {
    std::vector<std::string> ids;
    for (uint64_t id : notes.larger_than_cluster) ids.push_back(fmt::format("{}", id));
    const bool all_named = static_cast<double>(ids.size()) >= n;
    std::string named = ids.empty() ? "" : fmt::format(" (job{} {}{})", ids.size() > 1 ? "s" : "", joined(ids),
                                                       all_named ? "" : ", ...");
    b.row("too large", fmt::format("{} larger than the cluster, killed at submission{}", plural(n, "job", "jobs"), named));
  }
  const double internal = v("utilization_internal"), external = v("utilization_external");
  std::string util = format_percent(v("utilization_total"));
  if (internal > 0 && external > 0)
    util += fmt::format(" (internal {}, rented {})", format_percent(internal), format_percent(external));
  else if (internal > 0 || external > 0)
    util += internal > 0 ? ", all internal" : ", all rented";
  b.row("utilization", util);
  if (v("preemptions") > 0 || v("spot_reclaims") > 0) {
    std::string p = joined({v("preemptions") > 0 ? plural(v("preemptions"), "preemption", "preemptions") : "",
                            v("spot_reclaims") > 0 ? plural(v("spot_reclaims"), "spot reclaim", "spot reclaims") : ""});
    if (v("lost_gpu_hours") > 0) p += fmt::format("; {} GPU-h of work lost", format_count(v("lost_gpu_hours")));
    b.row("preempted", p);
  }
  b.end();
}

void internal_work(Builder& b, const Values& v) {
  b.begin("Internal work");
  if (v("gpu_hours_internal") > 0) b.row("GPU-hours", format_count(v("gpu_hours_internal")));
  if (v("internal_mean_wait") > 0 || v("internal_p95_wait") > 0)
    b.row("wait", fmt::format("mean {}, p95 {}", format_duration(v("internal_mean_wait")),
                              format_duration(v("internal_p95_wait"))));
  if (v("pretrain_completed") > 0)
    b.row("pretraining", fmt::format("{} completed, mean JCT {}", format_count(v("pretrain_completed")),
                                     format_duration(v("pretrain_mean_jct"))));
  if (v("pretrain_effective_training_ratio") > 0)
    b.row("effective training", fmt::format("{} of pretraining time", format_percent(v("pretrain_effective_training_ratio"))));
  b.end();
}

void rented(Builder& b, const Values& v) {
  b.begin("Rented");
  if (v("gpu_hours_external") > 0) b.row("GPU-hours", format_count(v("gpu_hours_external")));
  if (v("external_mean_wait") > 0) b.row("wait", fmt::format("mean {}", format_duration(v("external_mean_wait"))));
  if (v("revenue_total") != 0)
    b.row("revenue", total_with_parts(v("revenue_total"),
                                      {{"lease", v("revenue_lease")},
                                       {"on-demand", v("revenue_on_demand")},
                                       {"spot", v("revenue_spot")},
                                       {"API", v("revenue_api")}},
                                      format_usd));
  if (v("refused_revenue") > 0) b.row("refused", fmt::format("{} of requests not placed", format_usd(v("refused_revenue"))));
  if (v("sla_credits") > 0) b.row("SLA credits", format_usd(v("sla_credits")));
  if (v("api_tokens_demanded") > 0) {
    std::string api = fmt::format("{} served of {} demanded", format_large_count(v("api_tokens_served")),
                                  format_large_count(v("api_tokens_demanded")));
    if (v("api_slo_miss_fraction") > 0) api += fmt::format(", SLO missed {}", format_percent(v("api_slo_miss_fraction")));
    b.row("API tokens", api);
  }
  b.end();
}

void money(Builder& b, const Values& v) {
  b.begin("Money");
  if (v("capex") > 0) b.row("capex", format_usd(v("capex")));
  if (v("revenue_total") != 0) b.row("revenue", format_usd(v("revenue_total")));
  if (v("energy_cost_total") > 0 || v("depreciation_total") > 0)
    b.row("costs", joined({v("energy_cost_total") > 0 ? "energy " + format_usd(v("energy_cost_total")) : "",
                           v("depreciation_total") > 0 ? "depreciation " + format_usd(v("depreciation_total")) : "",
                           v("sla_credits") > 0 ? "SLA credits " + format_usd(v("sla_credits")) : ""}));
  // The margin of each tenant class, in the order of the summary.
  std::vector<std::string> classes;
  for (const auto& s : v.list())
    if (s.name.rfind("margin_", 0) == 0 && s.name != "margin_total" && s.value != 0)
      classes.push_back(fmt::format("{} {}", s.name.substr(7), format_usd(s.value)));
  if (v("margin_total") != 0 || !classes.empty())
    b.row("margin", classes.empty() ? format_usd(v("margin_total"))
                                    : fmt::format("{} ({})", format_usd(v("margin_total")), joined(classes)));
  if (v("rental_share_of_depreciation") > 0)
    b.row("rentals cover", fmt::format("{} of depreciation", format_percent(v("rental_share_of_depreciation"))));
  b.end();
}

void power(Builder& b, const Values& v) {
  b.begin("Power");
  if (v("energy_total") > 0) {
    std::vector<std::pair<std::string, double>> parts;
    for (const auto& s : v.list())
      if (s.name.rfind("energy_", 0) == 0 && s.unit == "MWh" && s.name != "energy_total")
        parts.emplace_back(s.name.substr(7), s.value);
    b.row("energy", total_with_parts(v("energy_total"), parts, format_energy_mwh));
  }
  if (v("site_power_peak") > 0)
    b.row("site power", fmt::format("mean {}, peak {}", format_power_mw(v("site_power_mean")),
                                    format_power_mw(v("site_power_peak"))));
  const double t = v("simulated_time");
  auto share = [t](double s) { return t > 0 ? fmt::format(" ({} of the time)", format_percent(s / t)) : std::string(); };
  if (v("time_at_power_cap") > 0) b.row("at power cap", format_duration(v("time_at_power_cap")) + share(v("time_at_power_cap")));
  if (v("time_over_power_budget") > 0)
    b.row("over budget", format_duration(v("time_over_power_budget")) + share(v("time_over_power_budget")));
  b.end();
}

void failures(Builder& b, const Values& v) {
  b.begin("Failures");
  if (v("failure_events") > 0) b.row("failures", plural(v("failure_events"), "failure", "failures") + " (hardware and software)");
  // The interruptions of jobs by failure class, largest first (the summary's order breaks ties).
  std::vector<std::pair<std::string, double>> causes;
  for (const auto& s : v.list())
    if (s.name.rfind("interruptions_", 0) == 0 && s.value > 0) causes.emplace_back(s.name.substr(14), s.value);
  std::stable_sort(causes.begin(), causes.end(), [](const auto& a, const auto& c) { return a.second > c.second; });
  const double interrupted = v("job_interruptions");
  if (interrupted > 0 || !causes.empty()) {
    constexpr size_t SHOWN = 4;
    std::vector<std::string> parts;
    for (size_t i = 0; i < causes.size() && i < SHOWN; ++i)
      parts.push_back(fmt::format("{} {}", causes[i].first, format_count(causes[i].second)));
    if (causes.size() > SHOWN) parts.push_back(fmt::format("{} more causes", causes.size() - SHOWN));
    b.row("jobs interrupted", fmt::format("{} ({})", plural(interrupted, "time", "times"), joined(parts)));
  }
  if (v("lost_gpu_hours_failures") > 0) b.row("work lost", format_count(v("lost_gpu_hours_failures")) + " GPU-h");
  if (v("failed_node_gpu_hours") > 0) b.row("nodes down", format_count(v("failed_node_gpu_hours")) + " GPU-h");
  b.end();
}

}  // namespace

std::string format_count(double n) {
  if (!std::isfinite(n)) return "n/a";
  return grouped(std::round(n));
}

std::string format_large_count(double n) {
  if (!std::isfinite(n)) return "n/a";
  const double a = std::fabs(n);
  if (a >= 1e12) return fmt::format("{} trillion", one_decimal_or_grouped(n / 1e12));
  if (a >= 1e9) return fmt::format("{:.1f} billion", n / 1e9);
  if (a >= 1e6) return fmt::format("{:.1f} million", n / 1e6);
  return format_count(n);
}

std::string format_duration(double s) {
  if (!std::isfinite(s)) return "n/a";
  const double a = std::fabs(s);
  if (a < 99.5) return fmt::format("{:.0f} s", s);
  if (a < 3600) return fmt::format("{:.1f} min", s / 60);
  if (a < 48 * 3600) return fmt::format("{:.1f} h", s / 3600);
  const double d = s / 86400;
  // Whole days print whole (a 14-day horizon is "14 d").
  if (std::fabs(d - std::round(d)) < 1e-9) return fmt::format("{} d", grouped(d));
  return fmt::format("{} d", one_decimal_or_grouped(d));
}

std::string format_usd(double usd) {
  if (!std::isfinite(usd)) return "n/a";
  const double a = std::fabs(usd);
  const std::string sign = usd < 0 && a >= 0.5 ? "-" : "";
  if (a < 999.5) return fmt::format("{}${:.0f}", sign, a);
  if (a < 999.95e3) return fmt::format("{}${:.1f}k", sign, a / 1e3);
  if (a < 999.95e6) return fmt::format("{}${:.1f}M", sign, a / 1e6);
  return fmt::format("{}${}B", sign, a < 99.995e9 ? fmt::format("{:.2f}", a / 1e9) : grouped(a / 1e9));
}

std::string format_energy_mwh(double mwh) {
  if (!std::isfinite(mwh)) return "n/a";
  if (std::fabs(mwh) < 1) return fmt::format("{:.0f} kWh", mwh * 1e3);
  return one_decimal_or_grouped(mwh) + " MWh";
}

std::string format_power_mw(double mw) {
  if (!std::isfinite(mw)) return "n/a";
  if (std::fabs(mw) < 1) return fmt::format("{:.0f} kW", mw * 1e3);
  return fixed3(mw) + " MW";
}

std::string format_percent(double fraction) {
  if (!std::isfinite(fraction)) return "n/a";
  return fmt::format("{:.1f}%", fraction * 100);
}

Headline make_headline(const std::vector<SummaryValue>& summary, const HeadlineNotes& notes) {
  const Values v(summary);
  Builder b;
  b.h.title = notes.title;
  fleet_and_demand(b, v, notes);
  internal_work(b, v);
  rented(b, v);
  money(b, v);
  power(b, v);
  failures(b, v);
  return b.h;
}

std::string format_headline(const Headline& headline) {
  size_t width = 0;
  for (const auto& g : headline.groups)
    for (const auto& r : g.rows) width = std::max(width, r.label.size());
  std::string out = fmt::format("== {} ==\n", headline.title);
  for (const auto& g : headline.groups) {
    out += g.title + "\n";
    for (const auto& r : g.rows) out += fmt::format("  {:<{}}  {}\n", r.label, width, r.value);
  }
  return out;
}

}  // namespace gwsim::results
