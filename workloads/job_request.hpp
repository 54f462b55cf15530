#pragma once
// What is asked of the cluster: one request for GPUs, from a tenant, with
// either a fixed duration or an amount of work measured in tokens of a
// catalog model (the simulator turns work into time with the cost model).
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

namespace gwsim::workloads {

enum class Tenant : uint8_t { INTERNAL = 0, EXTERNAL = 1 };
inline constexpr int TENANT_COUNT = 2;

enum class JobKind : uint8_t {
  PRETRAIN = 0,   ///< internal, huge, weeks long, checkpointed
  FINETUNE = 1,   ///< internal, hours to days
  RESEARCH = 2,   ///< internal, many and small, heavy-tailed
  LEASE = 3,      ///< external, reserved block for a contracted term
  ON_DEMAND = 4,  ///< external, bare metal by the hour, refused if not placed within its patience
  SPOT = 5,       ///< external, cheap, preemptible
  INFERENCE = 6   ///< a model-API inference service (replicas scale with demand)
};
inline constexpr int JOB_KIND_COUNT = 7;

std::string_view to_string(Tenant t);
std::string_view to_string(JobKind k);
/// Parses the lower-case names above ("pretrain", "on_demand"); false when unknown.
bool parse_tenant(std::string_view text, Tenant& out);
bool parse_job_kind(std::string_view text, JobKind& out);
/// The tenant a kind belongs to unless a source says otherwise.
Tenant default_tenant(JobKind k);

/// The demand a model-API inference service must serve, as a curve over
/// time: total tokens per second (prompt + output) with a daily and a weekly
/// cycle and a steady growth, plus the request-length distributions that
/// split it into requests, prompt tokens and output tokens. The scheduler
/// (replica autoscaling) queries it at any time t; it is shared, immutable.
///   tokens_per_s(t) = mean_tokens_per_s * (1 + a cos(2 pi (h(t) - peak_hour) / 24))
///                     * (weekend_factor on days 5 and 6 of each week, else 1)
///                     * (1 + growth_per_week)^(t / 1 week)
/// with h(t) the hour of day (t = 0 is a Monday, 00:00).
struct InferenceDemand {
  // Length medians: the conversation service of the Azure LLM inference
  // trace 2023 as characterized by Patel et al., "Splitwise", ISCA 2024
  // (median prompt 1020 tokens, median output 129). The sigmas, the daily
  // shape and the SLOs are gwsim assumptions (docs/workloads.md#inference).
  double mean_tokens_per_s = 1e5;       ///< weekday daily mean at t = 0, prompt + output tokens
  double diurnal_amplitude = 0.35;      ///< a in [0, 1]
  double peak_hour = 15;                ///< hour of day of the daily peak
  double weekend_factor = 0.8;          ///< multiplier on Saturdays and Sundays
  double growth_per_week = 0;           ///< relative growth per week (0.02 = 2 %/week)
  double prompt_tokens_median = 1020;   ///< lognormal median of prompt length, tokens
  double prompt_tokens_sigma = 1.0;     ///< lognormal sigma of prompt length
  double output_tokens_median = 129;    ///< lognormal median of output length, tokens
  double output_tokens_sigma = 1.0;     ///< lognormal sigma of output length
  /// API revenue per million prompt and output tokens. Defaults: Llama 3.1 70B
  /// Instruct at $0.29 in, $0.60 out (aigateway.sh/models/meta/llama-3.1-70b-instruct, 2026).
  double price_usd_per_million_prompt_tokens = 0.29;
  double price_usd_per_million_output_tokens = 0.60;
  double ttft_slo_s = 2.0;              ///< time-to-first-token objective
  double tpot_slo_s = 0.1;              ///< time-per-output-token objective
  // How the service is deployed: the simulator's autoscaler keeps between
  // min_replicas and max_replicas replicas of gpus_per_replica GPUs, enough
  // for the coming interval's peak demand plus `scale_headroom`.
  int gpus_per_replica = 8;
  int min_replicas = 1;
  int max_replicas = 64;
  double scale_headroom = 0.1;

  /// Total tokens per second (prompt + output) asked at time t.
  double tokens_per_s(double t_s) const;
  /// Mean prompt and output lengths (lognormal means: median * exp(sigma^2 / 2)).
  double mean_prompt_tokens() const;
  double mean_output_tokens() const;
  /// Requests per second at t: tokens_per_s(t) / (mean prompt + mean output).
  double requests_per_s(double t_s) const;
  /// Prompt (prefill) and output (decode) tokens per second at t.
  double prompt_tokens_per_s(double t_s) const;
  double output_tokens_per_s(double t_s) const;
  /// API revenue per second at t if all demand is served (prompt and output prices).
  double revenue_usd_per_s(double t_s) const;
};

/// Multiplier of a daily cycle with a weekend dip, shared by arrival rates and
/// demand curves: (1 + amplitude cos(2 pi (hour - peak_hour) / 24)) * weekend.
/// t = 0 is a Monday at 00:00; days 5 and 6 of each week are the weekend.
double daily_weekly_factor(double t_s, double amplitude, double peak_hour, double weekend_factor);

struct JobRequest {
  uint64_t id = 0;              ///< unique within a run (sources number their requests; the merger keeps them unique)
  double submit_s = 0;          ///< arrival time, seconds from the start of the run
  Tenant tenant = Tenant::INTERNAL;
  JobKind kind = JobKind::RESEARCH;
  int64_t gpus = 1;             ///< GPUs asked for (whole GPUs; fractional requests are rounded up by readers)
  std::string gpu_type;         ///< required GPU type; empty for any
  double duration_s = -1;       ///< fixed run time (leases: the term); < 0 when work_tokens is given instead
  double work_tokens = 0;       ///< training tokens of `model` to process, when duration_s < 0
  std::string model;            ///< catalog model for work_tokens (and inference services)
  int priority = 0;             ///< higher runs first under priority policies
  double deadline_s = -1;       ///< absolute deadline (internal) or < 0 for none
  double patience_s = -1;       ///< external on-demand: refused if not started within this wait; < 0 waits forever
  double price_usd_per_gpu_hour = 0;  ///< what an external tenant pays (0 for internal work)
  uint32_t source = 0;          ///< index of the source in the scenario's workload list
  double estimate_s = -1;       ///< the user's run-time estimate (a walltime request, SWF field 9); < 0 unknown
  /// Share of a GPU the job uses, in (0, 1]: below 1 (one-GPU jobs only:
  /// openb gpu_milli / 1000, PAI gpu percent / 100) the job shares its GPU
  /// with others (the simulator places it on a GPU with that much share free).
  double gpu_fraction = 1;
  int64_t cpu_milli = 0;        ///< CPU asked, milli-cores (openb cpu_milli, PAI plan_cpu * 10); 0: not asked
  int64_t memory_mib = 0;       ///< memory asked, MiB (openb memory_mib, PAI plan_mem GiB * 1024); 0: not asked
  std::string user;             ///< who submitted it (a trace's user field); empty when unknown
  /// INFERENCE only: the demand the service must serve (null for every other kind).
  std::shared_ptr<const InferenceDemand> demand;
};

}  // namespace gwsim::workloads
