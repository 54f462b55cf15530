// The calibration table of docs/workloads.md#calibration: the internal_jobs
// generator with its default parameters, run over Philly's span (109 days,
// seed 1), against the real traces it was calibrated on. Research jobs are
// compared with Philly, fine-tunes with ITP (all 10 clusters), and the
// arrival process (all internal jobs) with Philly's. Every statistic comes
// from the same code as `gwsim trace stats` (workloads::TraceStats).
//
//   gwsim_calibration [PHILLY_CSV ITP_DIR]   (default: the traces shipped in data/traces)
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <numeric>
#include <string>

#include "workloads/generators.hpp"
#include "workloads/trace_reader.hpp"
#include "workloads/trace_stats.hpp"

using namespace gwsim::workloads;

namespace {

TraceStats read_stats(const std::string& format, const std::string& path) {
  auto reader = open_trace(format, {path});
  TraceStats st(reader->info().local_origin_s());
  while (auto r = reader->next()) st.add(*r);
  return st;
}

double share(const TraceStats& st, int64_t lo, int64_t hi) {
  uint64_t n = 0;
  for (const auto& [g, c] : st.by_gpus())
    if (g >= lo && g <= hi) n += c;
  return st.jobs() ? double(n) / double(st.jobs()) : 0;
}

// First harmonic of the 24 hourly rates: amplitude relative to the mean, and the peak hour.
std::pair<double, double> harmonic(const std::array<double, 24>& h) {
  const double pi = 3.14159265358979323846;
  double mean = 0, a = 0, b = 0;
  for (int i = 0; i < 24; ++i) {
    mean += h[size_t(i)] / 24;
    a += h[size_t(i)] * std::cos(2 * pi * (i + 0.5) / 24);
    b += h[size_t(i)] * std::sin(2 * pi * (i + 0.5) / 24);
  }
  const double amp = 2 * std::hypot(a, b) / 24 / mean;
  const double peak = std::fmod(std::atan2(b, a) * 24 / (2 * pi) + 24, 24);
  return {amp, peak};
}

double weekend_ratio(const TraceStats& st) {
  const auto& w = st.by_weekday();
  const double weekdays = double(w[0] + w[1] + w[2] + w[3] + w[4]) / 5;
  return weekdays > 0 ? double(w[5] + w[6]) / 2 / weekdays : 0;
}

void row(const char* name, double trace, double generated, const char* unit = "") {
  const double err = trace != 0 ? (generated - trace) / trace * 100 : 0;
  std::printf("| %-32s | %12.4g%s | %12.4g%s | %+7.1f %% |\n", name, trace, unit, generated, unit, err);
}

void compare(const char* title, const TraceStats& t, const TraceStats& g) {
  std::printf("\n%s\n\n", title);
  std::printf("| %-32s | %13s | %13s | %9s |\n", "statistic", "trace", "generated", "error");
  std::printf("|%s|%s|%s|%s|\n", std::string(34, '-').c_str(), std::string(15, '-').c_str(),
              std::string(15, '-').c_str(), std::string(11, '-').c_str());
  row("jobs on 1 GPU", share(t, 1, 1), share(g, 1, 1));
  row("jobs on 2-4 GPUs", share(t, 2, 4), share(g, 2, 4));
  row("jobs on 5-8 GPUs", share(t, 5, 8), share(g, 5, 8));
  row("jobs on > 8 GPUs", share(t, 9, 1 << 30), share(g, 9, 1 << 30));
  row("mean GPUs per job", t.gpus_mean(), g.gpus_mean());
  for (double p : {10.0, 25.0, 50.0, 75.0, 90.0, 95.0, 99.0}) {
    const std::string name = "run time p" + std::to_string(int(p)) + " (s)";
    row(name.c_str(), t.durations().percentile(p), g.durations().percentile(p));
  }
  row("mean run time (s)", t.duration_mean_s(), g.duration_mean_s());
  row("GPU-hours per job", t.gpu_hours() / double(t.jobs()), g.gpu_hours() / double(g.jobs()));
}

}  // namespace

int main(int argc, char** argv) {
  const std::string shared = std::string(GWSIM_SOURCE_DIR) + "/data/traces";
  const std::string philly_path = argc > 2 ? argv[1] : shared + "/philly/philly.csv.xz";
  const std::string itp_path = argc > 2 ? argv[2] : shared + "/itp";
  if (!std::filesystem::exists(philly_path) || !std::filesystem::exists(itp_path)) {
    std::fprintf(stderr, "calibration: needs the Philly and ITP traces (%s, %s)\n", philly_path.c_str(), itp_path.c_str());
    return 1;
  }
  const TraceStats philly = read_stats("philly", philly_path);
  const TraceStats itp = read_stats("itp", itp_path);

  const double span_s = 109 * 86400.0;
  InternalJobsSource gen(InternalJobsParams{}, span_s, 1);
  TraceStats all, research, finetune;
  while (auto r = gen.next()) {
    all.add(*r);
    (r->kind == JobKind::FINETUNE ? finetune : research).add(*r);
  }
  std::printf("internal_jobs defaults, seed 1, 109 days: %llu jobs (%llu research, %llu fine-tunes)\n",
              static_cast<unsigned long long>(all.jobs()), static_cast<unsigned long long>(research.jobs()),
              static_cast<unsigned long long>(finetune.jobs()));
  compare("Research jobs vs Philly (82,247 jobs)", philly, research);
  compare("Fine-tunes vs ITP (69,351 jobs, 10 clusters)", itp, finetune);

  std::printf("\nArrivals (all internal jobs) vs Philly\n\n");
  std::printf("| %-32s | %13s | %13s | %9s |\n", "statistic", "trace", "generated", "error");
  std::printf("|%s|%s|%s|%s|\n", std::string(34, '-').c_str(), std::string(15, '-').c_str(),
              std::string(15, '-').c_str(), std::string(11, '-').c_str());
  row("jobs per day", double(philly.jobs()) / (philly.span_s() / 86400), double(all.jobs()) / 109);
  row("weekend / weekday jobs per day", weekend_ratio(philly), weekend_ratio(all));
  const auto [pa, pp] = harmonic(philly.arrivals_per_hour());
  const auto [ga, gp] = harmonic(all.arrivals_per_hour());
  row("daily cycle amplitude", pa, ga);
  std::printf("| %-32s | %13.2f | %13.2f | %+7.2f h |\n", "daily cycle peak hour", pp, gp, gp - pp);
  const auto ph = philly.arrivals_per_hour(), gh = all.arrivals_per_hour();
  double sx = 0, sy = 0, sxx = 0, syy = 0, sxy = 0;
  for (size_t i = 0; i < 24; ++i) {
    sx += ph[i], sy += gh[i], sxx += ph[i] * ph[i], syy += gh[i] * gh[i], sxy += ph[i] * gh[i];
  }
  const double corr = (24 * sxy - sx * sy) / std::sqrt((24 * sxx - sx * sx) * (24 * syy - sy * sy));
  std::printf("| %-32s | %13s | %13.3f | %9s |\n", "hourly profile correlation", "1", corr, "");
  return 0;
}
