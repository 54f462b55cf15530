#include "workloads/job_request.hpp"

#include <array>
#include <cmath>

namespace gwsim::workloads {
namespace {
constexpr std::array<std::string_view, TENANT_COUNT> TENANT_NAMES = {"internal", "external"};
constexpr std::array<std::string_view, JOB_KIND_COUNT> KIND_NAMES = {"pretrain", "finetune", "research", "lease",
                                                                     "on_demand", "spot", "inference"};
}  // namespace

std::string_view to_string(Tenant t) { return TENANT_NAMES[static_cast<size_t>(t)]; }
std::string_view to_string(JobKind k) { return KIND_NAMES[static_cast<size_t>(k)]; }

bool parse_tenant(std::string_view text, Tenant& out) {
  for (size_t i = 0; i < TENANT_NAMES.size(); ++i)
    if (TENANT_NAMES[i] == text) {
      out = static_cast<Tenant>(i);
      return true;
    }
  return false;
}

bool parse_job_kind(std::string_view text, JobKind& out) {
  for (size_t i = 0; i < KIND_NAMES.size(); ++i)
    if (KIND_NAMES[i] == text) {
      out = static_cast<JobKind>(i);
      return true;
    }
  return false;
}

namespace {
constexpr double DAY_S = 86400.0;
constexpr double WEEK_S = 7 * DAY_S;
constexpr double PI = 3.14159265358979323846;
}  // namespace

double daily_weekly_factor(double t_s, double amplitude, double peak_hour, double weekend_factor) {
  const double hour = std::fmod(t_s, DAY_S) / 3600.0;
  const double daily = 1.0 + amplitude * std::cos(2 * PI * (hour - peak_hour) / 24.0);
  const int weekday = static_cast<int>(std::fmod(std::floor(t_s / DAY_S), 7.0));
  return daily * (weekday >= 5 ? weekend_factor : 1.0);
}

double InferenceDemand::tokens_per_s(double t_s) const {
  return mean_tokens_per_s * daily_weekly_factor(t_s, diurnal_amplitude, peak_hour, weekend_factor) *
         std::pow(1.0 + growth_per_week, t_s / WEEK_S);
}

double InferenceDemand::mean_prompt_tokens() const {
  return prompt_tokens_median * std::exp(prompt_tokens_sigma * prompt_tokens_sigma / 2);
}

double InferenceDemand::mean_output_tokens() const {
  return output_tokens_median * std::exp(output_tokens_sigma * output_tokens_sigma / 2);
}

double InferenceDemand::requests_per_s(double t_s) const {
  return tokens_per_s(t_s) / (mean_prompt_tokens() + mean_output_tokens());
}

double InferenceDemand::prompt_tokens_per_s(double t_s) const { return requests_per_s(t_s) * mean_prompt_tokens(); }
double InferenceDemand::output_tokens_per_s(double t_s) const { return requests_per_s(t_s) * mean_output_tokens(); }

double InferenceDemand::revenue_usd_per_s(double t_s) const {
  return (prompt_tokens_per_s(t_s) * price_usd_per_million_prompt_tokens +
          output_tokens_per_s(t_s) * price_usd_per_million_output_tokens) /
         1e6;
}

Tenant default_tenant(JobKind k) {
  switch (k) {
    case JobKind::PRETRAIN:
    case JobKind::FINETUNE:
    case JobKind::RESEARCH: return Tenant::INTERNAL;
    default: return Tenant::EXTERNAL;
  }
}

}  // namespace gwsim::workloads
