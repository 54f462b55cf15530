// `gwsim trace`: convert traces to the gwsim Protobuf format, print their
// statistics, write a scenario's synthetic workload as a trace, and time one
// training step from Chakra execution graphs. docs/workloads.md.
#include <cmath>
#include <fmt/format.h>
#include <iostream>
#include <nlohmann/json.hpp>

#include "common/error.hpp"
#include "common/units.hpp"
#include "sim/operations/chakra_step.hpp"
#include "sim/cli/commands.hpp"
#include "sim/scenario/scenario.hpp"
#include "sim/engine/simulation.hpp"
#include "workloads/chakra.hpp"
#include "workloads/gwsim_trace.hpp"
#include "workloads/source_config.hpp"
#include "workloads/trace_stats.hpp"

namespace gwsim::sim {
namespace {

using nlohmann::json;
using workloads::TraceStats;

constexpr double PERCENTILES[] = {10, 25, 50, 75, 90, 95, 99};

/// Options every trace-reading subcommand shares.
struct ReadArgs {
  bool skip_bad_rows = false;
  double procs_per_gpu = 1;
  size_t sort_chunk = workloads::ReadOptions{}.sort_chunk_jobs;

  void add(CLI::App* cmd) {
    cmd->add_flag("--skip-bad-rows", skip_bad_rows, "Skip malformed rows and report how many (default: stop at the first)");
    cmd->add_option("--procs-per-gpu", procs_per_gpu, "swf: processors that make one GPU")->capture_default_str();
    cmd->add_option("--sort-chunk", sort_chunk, "Rows sorted in memory at once for unsorted formats")->capture_default_str();
  }
  workloads::ReadOptions options() const {
    workloads::ReadOptions o;
    o.skip_bad_rows = skip_bad_rows;
    o.procs_per_gpu = procs_per_gpu;
    o.sort_chunk_jobs = sort_chunk;
    return o;
  }
};

std::string report_line(const workloads::ReadReport& r) {
  std::string s = fmt::format("rows read {}, skipped (malformed) {}, filtered {}", r.rows, r.skipped, r.filtered_total());
  for (const auto& [reason, n] : r.filtered) s += fmt::format("\n  filtered: {} {}", n, reason);
  if (r.skipped) s += fmt::format("\n  first skipped row: {}", r.first_skipped);
  return s;
}

json stats_json(const TraceStats& st, const workloads::TraceInfo& info, const workloads::ReadReport* report) {
  json j;
  j["format"] = info.format;
  j["origin"] = info.origin;
  if (info.origin_unix_s) {
    j["origin_unix_s"] = *info.origin_unix_s;
    j["origin_local_time"] = workloads::format_timestamp(*info.local_origin_s());
  }
  j["utc_offset_s"] = info.utc_offset_s;
  if (!info.cluster.empty()) j["cluster"] = info.cluster;
  j["jobs"] = st.jobs();
  j["gpu_hours"] = st.gpu_hours();
  j["token_jobs"] = st.token_jobs();
  j["first_submit_s"] = st.first_submit_s();
  j["last_submit_s"] = st.last_submit_s();
  j["span_days"] = st.span_s() / 86400.0;
  json gpus;
  gpus["mean"] = st.gpus_mean();
  for (double p : {50.0, 90.0, 99.0}) gpus[fmt::format("p{:g}", p)] = st.gpus_percentile(p);
  gpus["max"] = st.jobs() ? st.by_gpus().rbegin()->first : 0;
  json dist = json::object();
  for (const auto& [g, n] : st.by_gpus()) dist[std::to_string(g)] = n;
  gpus["distribution"] = dist;
  j["gpus"] = gpus;
  json d;
  d["mean"] = st.duration_mean_s();
  for (double p : PERCENTILES) d[fmt::format("p{:g}", p)] = st.durations().percentile(p);
  d["max"] = st.durations().max();
  j["duration_s"] = d;
  const auto per_hour = st.arrivals_per_hour();
  j["arrivals_per_hour"] = std::vector<double>(per_hour.begin(), per_hour.end());
  j["arrivals_by_weekday"] = std::vector<uint64_t>(st.by_weekday().begin(), st.by_weekday().end());
  json kinds = json::object(), tenants = json::object();
  for (int k = 0; k < workloads::JOB_KIND_COUNT; ++k)
    if (st.by_kind()[size_t(k)]) kinds[std::string(workloads::to_string(workloads::JobKind(k)))] = st.by_kind()[size_t(k)];
  for (int t = 0; t < workloads::TENANT_COUNT; ++t)
    if (st.by_tenant()[size_t(t)])
      tenants[std::string(workloads::to_string(workloads::Tenant(t)))] = st.by_tenant()[size_t(t)];
  j["kinds"] = kinds;
  j["tenants"] = tenants;
  if (report) {
    j["rows"] = report->rows;
    j["skipped_rows"] = report->skipped;
    if (report->skipped) j["first_skipped"] = report->first_skipped;
    json f = json::object();
    for (const auto& [reason, n] : report->filtered) f[reason] = n;
    j["filtered"] = f;
  }
  return j;
}

std::string stats_text(const TraceStats& st, const workloads::TraceInfo& info, const workloads::ReadReport* report) {
  std::string s;
  s += fmt::format("trace         {} ({})\n", info.format, info.origin);
  if (info.origin_unix_s)
    s += fmt::format("time origin   {} local (UTC{:+.4g}h)\n", workloads::format_timestamp(*info.local_origin_s()),
                     info.utc_offset_s / 3600.0);
  else
    s += "time origin   unknown (hours of day counted from the trace's time 0)\n";
  if (!info.cluster.empty()) s += fmt::format("cluster       {}\n", info.cluster);
  s += fmt::format("jobs          {}\n", st.jobs());
  s += fmt::format("GPU-hours     {:.1f}\n", st.gpu_hours());
  if (st.token_jobs()) s += fmt::format("token jobs    {} (measured in tokens: no duration)\n", st.token_jobs());
  s += fmt::format("span          {:.2f} days (first arrival {:.0f} s, last {:.0f} s)\n", st.span_s() / 86400.0,
                   st.first_submit_s(), st.last_submit_s());
  s += fmt::format("GPUs          mean {:.2f}  p50 {}  p90 {}  p99 {}  max {}\n", st.gpus_mean(), st.gpus_percentile(50),
                   st.gpus_percentile(90), st.gpus_percentile(99), st.jobs() ? st.by_gpus().rbegin()->first : 0);
  s += "GPUs per job ";
  for (const auto& [g, n] : st.by_gpus())
    s += fmt::format(" {}:{} ({:.2f}%)", g, n, 100.0 * double(n) / double(std::max<uint64_t>(st.jobs(), 1)));
  s += "\nduration (s)  mean " + fmt::format("{:.0f}", st.duration_mean_s());
  for (double p : PERCENTILES) s += fmt::format("  p{:g} {:.0f}", p, st.durations().percentile(p));
  s += fmt::format("  max {:.0f}\n", st.durations().max());
  s += "arrivals per hour, by hour of day (local):\n";
  const auto per_hour = st.arrivals_per_hour();
  for (int row = 0; row < 4; ++row) {
    s += " ";
    for (int h = row * 6; h < row * 6 + 6; ++h) s += fmt::format("  {:02}h {:7.2f}", h, per_hour[size_t(h)]);
    s += "\n";
  }
  static const char* const DAYS[] = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
  static const char* const DAYS_FROM_ZERO[] = {"d0", "d1", "d2", "d3", "d4", "d5", "d6"};
  const bool known = info.origin_unix_s.has_value();
  s += known ? "jobs by day of week:" : "jobs by day since time 0, mod 7:";
  for (int d = 0; d < 7; ++d) s += fmt::format("  {} {}", (known ? DAYS : DAYS_FROM_ZERO)[d], st.by_weekday()[size_t(d)]);
  s += "\n";
  if (report) s += report_line(*report) + "\n";
  return s;
}

void add_convert(CLI::App* trace, CommandFn& out) {
  struct Args {
    std::string format;
    std::vector<std::string> files;
    ReadArgs read;
  };
  auto a = std::make_shared<Args>();
  CLI::App* cmd = trace->add_subcommand(
      "convert", "Convert a trace to the gwsim Protobuf format: convert --from FORMAT IN... OUT.pb (docs/workloads.md)");
  cmd->add_option("--from", a->format, "Format of the input (" + workloads::trace_format_names() + ")")->required();
  cmd->add_option("files", a->files, "Input files or directories, then the output file")->required()->expected(2, -1);
  a->read.add(cmd);
  cmd->callback([a, &out] {
    out = [a] {
      const std::string output = a->files.back();
      const std::vector<std::string> inputs(a->files.begin(), a->files.end() - 1);
      auto reader = workloads::open_trace(a->format, inputs, a->read.options());
      workloads::TraceWriter writer(output, reader->info());
      while (auto r = reader->next()) writer.write(*r);
      writer.finish();
      std::cout << fmt::format("wrote {} jobs to {}\n{}\n", writer.written(), output, report_line(reader->report()));
      return 0;
    };
  });
}

void add_stats(CLI::App* trace, CommandFn& out) {
  struct Args {
    std::string format;
    std::vector<std::string> files;
    bool json = false;
    ReadArgs read;
  };
  auto a = std::make_shared<Args>();
  CLI::App* cmd = trace->add_subcommand(
      "stats", "Job count, GPU-hours, size and duration percentiles, arrivals by hour of day (docs/workloads.md)");
  cmd->add_option("files", a->files, "Trace files or directories")->required();
  cmd->add_option("--format", a->format, "Format (" + workloads::trace_format_names() + ")")->required();
  cmd->add_flag("--json", a->json, "Print JSON instead of text");
  a->read.add(cmd);
  cmd->callback([a, &out] {
    out = [a] {
      auto reader = workloads::open_trace(a->format, a->files, a->read.options());
      TraceStats st(reader->info().local_origin_s());
      while (auto r = reader->next()) st.add(*r);
      if (a->json)
        std::cout << stats_json(st, reader->info(), &reader->report()).dump(2) << "\n";
      else
        std::cout << stats_text(st, reader->info(), &reader->report());
      return 0;
    };
  });
}

void add_generate(CLI::App* trace, CommandFn& out) {
  struct Args {
    std::string scenario;
    std::string output;
  };
  auto a = std::make_shared<Args>();
  CLI::App* cmd = trace->add_subcommand(
      "generate", "Write a scenario's workload (generators, lists, traces, merged) as a gwsim trace (docs/workloads.md)");
  cmd->add_option("scenario", a->scenario, "Scenario file")->required();
  cmd->add_option("output", a->output, "Output trace (.pb)")->required();
  cmd->callback([a, &out] {
    out = [a] {
      const Scenario sc = load_scenario(a->scenario);
      std::vector<std::unique_ptr<workloads::Source>> sources;
      for (size_t i = 0; i < sc.workload.size(); ++i)
        sources.push_back(workloads::make_source(sc.workload[i], sc.horizon_s, sc.seed, i));
      workloads::MergedSource merged(std::move(sources));
      workloads::TraceInfo info;
      info.format = "gwsim";
      info.origin = fmt::format("synthetic: {} ({}, seed {})", sc.name, sc.path, sc.seed);
      workloads::TraceWriter writer(a->output, info);
      while (auto r = merged.next()) {
        if (r->submit_s >= sc.horizon_s) break;
        writer.write(*r);
      }
      writer.finish();
      std::cout << fmt::format("wrote {} jobs to {}\n", writer.written(), a->output);
      return 0;
    };
  });
}

void add_step(CLI::App* trace, CommandFn& out) {
  struct Args {
    std::vector<std::string> files;
    std::string format = "chakra";
    std::string gpu;
    std::string scenario;
    std::string scaleup, scaleout;
    int scaleup_gpus = 0;
    double efficiency = StepHardware{}.efficiency;
    bool json = false;
  };
  auto a = std::make_shared<Args>();
  CLI::App* cmd = trace->add_subcommand(
      "step", "Time one training step of a job from its Chakra graphs on a GPU type and fabric (docs/workloads.md#chakra)");
  cmd->add_option("files", a->files, "A directory of .et files (one per rank) or the files")->required();
  cmd->add_option("--format", a->format, "chakra (the only step format)")->capture_default_str();
  cmd->add_option("--gpu", a->gpu, "GPU type from the catalog (default: the scenario's, else H100-SXM)");
  cmd->add_option("--scenario", a->scenario, "Take the GPU type and links from this scenario's cluster");
  cmd->add_option("--scaleup-bandwidth", a->scaleup, "Scale-up bandwidth per GPU per direction (default: the GPU's)");
  cmd->add_option("--scaleout-bandwidth", a->scaleout, "Scale-out bandwidth per GPU per direction (default: the GPU's)");
  cmd->add_option("--scaleup-gpus", a->scaleup_gpus, "GPUs per scale-up domain (default 8, or the scenario's)");
  cmd->add_option("--efficiency", a->efficiency, "Fraction of peak BF16 compute nodes sustain")->capture_default_str();
  cmd->add_flag("--json", a->json, "Print JSON instead of text");
  cmd->callback([a, &out] {
    out = [a] {
      if (a->format != "chakra")
        throw Error(ExitCode::USAGE, fmt::format("--format: expected chakra, found '{}'", a->format));
      const gpu_models::Catalog catalog = gpu_models::Catalog::builtin();
      StepHardware hw;
      hw.efficiency = a->efficiency;
      std::string gpu = a->gpu.empty() ? "H100-SXM" : a->gpu;
      std::optional<Scenario> sc;
      if (!a->scenario.empty()) {
        sc = load_scenario(a->scenario);
        if (a->gpu.empty()) gpu = sc->cluster.gpu_type;
      }
      hw.gpu = (sc ? sc->catalog : catalog).find_gpu(gpu);
      if (!hw.gpu) {
        std::string names;
        for (const auto& n : catalog.gpu_names()) names += (names.empty() ? "" : ", ") + n;
        throw Error(ExitCode::USAGE, fmt::format("--gpu: expected a GPU type from the catalog ({}), found '{}'", names, gpu));
      }
      hw.links.scaleup_Bps = hw.gpu->scaleup_bandwidth_Bps;
      hw.links.scaleout_Bps = hw.gpu->scaleout_bandwidth_Bps;
      if (sc) hw.links = cluster_links(sc->cluster);
      const auto bandwidth = [](const std::string& text, const char* flag) {
        const auto p = units::bandwidth_Bps(text);
        if (!p.value || !(*p.value > 0))
          throw Error(ExitCode::USAGE, fmt::format("{}: expected {}, found '{}'", flag, p.expected.empty() ? "a bandwidth > 0" : p.expected, text));
        return *p.value;
      };
      if (!a->scaleup.empty()) hw.links.scaleup_Bps = bandwidth(a->scaleup, "--scaleup-bandwidth");
      if (!a->scaleout.empty()) hw.links.scaleout_Bps = bandwidth(a->scaleout, "--scaleout-bandwidth");
      if (a->scaleup_gpus > 0) hw.links.scaleup_gpus = a->scaleup_gpus;
      if (!(hw.efficiency > 0 && hw.efficiency <= 1))
        throw Error(ExitCode::USAGE, fmt::format("--efficiency: expected a fraction in (0, 1], found {}", hw.efficiency));

      const auto graphs = workloads::read_chakra_job(a->files);
      const StepEstimate e = estimate_step(graphs, hw);
      if (a->json) {
        json j;
        j["gpu"] = hw.gpu->name;
        j["ranks"] = graphs.size();
        j["step_time_s"] = e.step_time_s;
        j["slowest_rank"] = e.slowest_rank;
        j["collectives"] = e.collectives;
        j["messages"] = e.messages;
        j["links"] = {{"scaleup_Bps", hw.links.scaleup_Bps},
                      {"scaleup_gpus", hw.links.scaleup_gpus},
                      {"scaleout_Bps", hw.links.scaleout_Bps}};
        json ranks = json::array();
        for (const auto& r : e.ranks)
          ranks.push_back({{"finish_s", r.finish_s}, {"compute_s", r.compute_s}, {"comm_s", r.comm_s},
                           {"flops", r.flops}, {"comm_bytes", r.comm_bytes}});
        j["per_rank"] = ranks;
        std::cout << j.dump(2) << "\n";
      } else {
        std::cout << fmt::format("step of {} ranks on {} (scale-up {} x {} GPUs, scale-out {})\n", graphs.size(),
                                 hw.gpu->name, units::format_si(hw.links.scaleup_Bps, "B/s"), hw.links.scaleup_gpus,
                                 units::format_si(hw.links.scaleout_Bps, "B/s"));
        std::cout << fmt::format("step time     {:.6g} s (slowest rank {})\n", e.step_time_s, e.slowest_rank);
        std::cout << fmt::format("collectives   {}   point-to-point messages {}\n", e.collectives, e.messages);
        std::cout << "rank   finish (s)   compute (s)   comm (s)   TFLOP   comm GB\n";
        for (size_t r = 0; r < e.ranks.size(); ++r) {
          const auto& x = e.ranks[r];
          std::cout << fmt::format("{:4}   {:10.6g}   {:11.6g}   {:8.6g}   {:5.4g}   {:7.4g}\n", r, x.finish_s, x.compute_s,
                                   x.comm_s, x.flops / 1e12, x.comm_bytes / 1e9);
        }
      }
      return 0;
    };
  });
}

}  // namespace

void add_trace_command(CLI::App& app, CommandFn& out) {
  CLI::App* trace = app.add_subcommand("trace", "Read, convert and summarize workload traces (docs/workloads.md)");
  trace->require_subcommand(1);
  add_convert(trace, out);
  add_stats(trace, out);
  add_generate(trace, out);
  add_step(trace, out);
}

}  // namespace gwsim::sim
