#include "results/timeline.hpp"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fmt/format.h>
#include <fstream>
#include <functional>
#include <map>
#include <nlohmann/json.hpp>
#include <queue>
#include <set>

#include "common/error.hpp"
#include "results/hdf5_reader.hpp"

namespace gwsim::results {
namespace {

using Json = nlohmann::ordered_json;
constexpr double US_PER_S = 1e6;

// Trace timestamps in whole microseconds. Rounding is monotonic, so slices
// that touch in simulated time still touch, and never overlap, in the trace.
int64_t trace_us(double t_s) { return std::llround(t_s * US_PER_S); }
constexpr int SITE_PID = 0;

// Lanes of one pod: the lowest-numbered lane free at a slice's start gets it.
class Lanes {
 public:
  int take(double start_s, double end_s) {
    while (!busy_.empty() && busy_.top().first <= start_s) {
      free_.insert(busy_.top().second);
      busy_.pop();
    }
    int lane = next_;
    if (free_.empty()) ++next_;
    else {
      lane = *free_.begin();
      free_.erase(free_.begin());
    }
    busy_.emplace(end_s, lane);
    return lane;
  }
  int count() const { return next_; }

 private:
  std::priority_queue<std::pair<double, int>, std::vector<std::pair<double, int>>, std::greater<>> busy_;
  std::set<int> free_;
  int next_ = 0;
};

std::string name_of(const std::vector<std::string>& names, unsigned code) {
  return code < names.size() ? names[code] : std::to_string(code);
}

std::vector<std::string> lookup_or_empty(const std::string& path, const std::string& field) {
  try {
    return read_lookup(path, field);
  } catch (const Error&) {
    return {};
  }
}

Json metadata(const char* what, int pid, int tid, const char* key, Json value) {
  Json e = {{"name", what}, {"ph", "M"}, {"pid", pid}};
  if (tid >= 0) e["tid"] = tid;
  e["args"] = {{key, std::move(value)}};
  return e;
}

}  // namespace

void write_timeline(const std::string& h5_path, const std::string& json_path) {
  auto segments = read_segments(h5_path);
  const auto tenants = lookup_or_empty(h5_path, "tenant");
  const auto kinds = lookup_or_empty(h5_path, "kind");
  std::stable_sort(segments.begin(), segments.end(), [](const SegmentRecord& a, const SegmentRecord& b) {
    return a.start_s != b.start_s ? a.start_s < b.start_s : a.job < b.job;
  });

  const std::string tmp = json_path + ".partial";
  std::ofstream out(tmp);
  if (!out) throw Error(ExitCode::OUTPUT, fmt::format("{}: cannot write the timeline", tmp));
  bool first = true;
  auto emit = [&](const Json& e) {
    out << (first ? "\n" : ",\n") << e.dump();
    first = false;
  };
  Json other = {{"generator", "gwsim"},
                {"run", h5_path},
                {"scenario_hash", read_root_attribute(h5_path, "scenario_hash")},
                {"seed", read_root_attribute(h5_path, "seed")},
                {"complete", read_root_attribute(h5_path, "complete") == "1"},
                {"time_unit", "1 trace microsecond = 1 simulated microsecond"}};
  out << "{\"displayTimeUnit\":\"ms\",\"otherData\":" << other.dump() << ",\"traceEvents\":[";

  emit(metadata("process_name", SITE_PID, -1, "name", "site"));
  emit(metadata("process_sort_index", SITE_PID, -1, "sort_index", 0));

  // Slices first, then the names of the pods and lanes they used (the
  // format does not order events; metadata may come last).
  std::map<int32_t, Lanes> lanes;  // by pod, ordered: deterministic output
  for (const auto& s : segments) {
    const int lane = lanes[s.pod].take(s.start_s, s.end_s);
    const std::string tenant = name_of(tenants, s.tenant);
    emit({{"name", fmt::format("job {}", s.job)},
                      {"cat", tenant},
                      {"ph", "X"},
                      {"ts", trace_us(s.start_s)},
                      {"dur", trace_us(s.end_s) - trace_us(s.start_s)},
                      {"pid", s.pod + 1},
                      {"tid", lane + 1},
                      {"args",
                       {{"job", s.job},
                        {"tenant", tenant},
                        {"kind", name_of(kinds, s.kind)},
                        {"gpus", s.gpus},
                        {"first_node", s.first_node},
                        {"nodes", s.nodes},
                        {"revenue_usd", s.revenue_usd}}}});
  }
  for (const auto& [pod, l] : lanes) {
    emit(metadata("process_name", pod + 1, -1, "name", fmt::format("pod {}", pod)));
    emit(metadata("process_sort_index", pod + 1, -1, "sort_index", pod + 1));
    for (int lane = 0; lane < l.count(); ++lane)
      emit(metadata("thread_name", pod + 1, lane + 1, "name", fmt::format("lane {}", lane)));
  }

  // Counters hold their value until the next sample. An interval mean covers
  // the interval that ends at its sample time, so it is drawn from the
  // previous sample time on.
  for (const auto& metric : list_series(h5_path)) {
    const Series s = read_series(h5_path, metric);
    const std::string object = "/timeseries/" + metric;
    const bool interval_mean = read_attribute(h5_path, object, "sampling") == "interval_mean";
    std::string unit = read_attribute(h5_path, object + "/value", "unit");
    if (unit.empty()) unit = "value";
    for (size_t i = 0; i < s.value.size(); ++i) {
      const double t = interval_mean ? (i > 0 ? s.time_s[i - 1] : 0.0) : s.time_s[i];
      emit({{"name", metric}, {"ph", "C"}, {"ts", trace_us(t)}, {"pid", SITE_PID}, {"args", {{unit, s.value[i]}}}});
    }
  }
  out << "\n]}\n";
  out.close();
  if (!out) throw Error(ExitCode::OUTPUT, fmt::format("{}: cannot write the timeline", tmp));
  std::error_code ec;
  std::filesystem::rename(tmp, json_path, ec);
  if (ec) throw Error(ExitCode::OUTPUT, fmt::format("{}: cannot move the timeline into place ({})", json_path, ec.message()));
}

}  // namespace gwsim::results
