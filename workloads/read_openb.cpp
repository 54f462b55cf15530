// Format `openb`: Alibaba GPU trace 2023 (alibaba/clusterdata,
// cluster-trace-gpu-v2023; Weng et al., ATC'23), the pod list
// `name,cpu_milli,memory_mib,num_gpu,gpu_milli,gpu_spec,qos,pod_phase,
// creation_time,deletion_time,scheduled_time` in creation order (checked),
// with the node list `sn,cpu_milli,memory_mib,gpu,model`.
//
// A pod asks for num_gpu GPUs; with gpu_milli < 1000 it shares one GPU
// (num_gpu is then 1; the share is kept in gpu_fraction), and cpu_milli
// milli-cores and memory_mib MiB (empty: none). gpu_spec lists the GPU types it may run on ("V100M16|V100M32";
// empty for any), checked against the node list's models when one is given.
// It is submitted at creation_time and runs from scheduled_time to
// deletion_time. CPU-only pods and pods never scheduled are filtered.
// Times are seconds from the start of the trace.
#include <filesystem>
#include <fmt/format.h>
#include <set>

#include "common/error.hpp"
#include "workloads/trace_reader.hpp"

namespace gwsim::workloads {
namespace {

namespace fs = std::filesystem;

/// GPU models and counts of the node list (small: one row per node).
struct NodeList {
  std::set<std::string> models;
  int64_t nodes = 0;
  int64_t gpus = 0;
};

NodeList read_nodes(const std::string& path) {
  NodeList n;
  LineReader in(path);
  const CsvHeader h = read_csv_header(in, "a CSV header sn,cpu_milli,memory_mib,gpu,model");
  const int gpu = require_column(h, "gpu", path, 1);
  const int model = require_column(h, "model", path, 1);
  std::vector<std::string_view> f;
  std::string_view line;
  while (in.next(line)) {
    if (trim(line).empty()) continue;
    split_csv(line, f);
    try {
      const int64_t g = parse_count(field_at(f, gpu, "gpu"), "gpu", 0);
      ++n.nodes;
      n.gpus += g;
      if (g > 0) n.models.insert(std::string(trim(field_at(f, model, "model"))));
    } catch (const RowError& e) {
      // The node list is small and defines the cluster: no skipping here.
      throw Error(ExitCode::TRACE, describe(Where{path, static_cast<int>(in.line_number()), e.column}, e.expected,
                                            e.found));
    }
  }
  return n;
}

class OpenbReader final : public FormatReader {
 public:
  OpenbReader(const std::string& pods, const std::string& nodes, const ReadOptions& o) : FormatReader(o), in_(pods) {
    info.format = "openb";
    info.origin = "openb: " + pods + (nodes.empty() ? "" : " + " + nodes);
    if (!nodes.empty()) {
      nodes_ = read_nodes(nodes);
      have_nodes_ = true;
      std::string models;
      for (const auto& m : nodes_.models) models += (models.empty() ? "" : ", ") + m;
      info.cluster = fmt::format("{} nodes, {} GPUs ({})", nodes_.nodes, nodes_.gpus, models);
    }
    const CsvHeader h = read_csv_header(in_, "a CSV header name,cpu_milli,...,scheduled_time");
    gpus_ = require_column(h, "num_gpu", pods, 1);
    milli_ = require_column(h, "gpu_milli", pods, 1);
    cpu_ = require_column(h, "cpu_milli", pods, 1);
    mem_ = require_column(h, "memory_mib", pods, 1);
    spec_ = require_column(h, "gpu_spec", pods, 1);
    created_ = require_column(h, "creation_time", pods, 1);
    deleted_ = require_column(h, "deletion_time", pods, 1);
    scheduled_ = require_column(h, "scheduled_time", pods, 1);
  }

  bool ordered() const override { return true; }

  std::optional<JobRequest> next() override {
    return pull_rows(in_, [&](std::string_view line) -> std::optional<JobRequest> {
      split_csv(line, f_);
      JobRequest r;  // an internal research job
      r.submit_s = parse_number(field_at(f_, created_, "creation_time"), "creation_time");
      check_order(r.submit_s, last_, "creation_time");
      r.gpus = parse_count(field_at(f_, gpus_, "num_gpu"), "num_gpu", 0);
      const std::string_view milli_text = field_at(f_, milli_, "gpu_milli");
      const double milli = is_missing(milli_text) ? 1000.0 : parse_number(milli_text, "gpu_milli");
      if (milli < 0 || milli > 1000) throw RowError{"gpu_milli", "a value in [0, 1000]", fmt::format("{}", milli)};
      const std::string_view spec = field_at(f_, spec_, "gpu_spec");
      const std::string_view scheduled = field_at(f_, scheduled_, "scheduled_time");
      const std::string_view deleted = field_at(f_, deleted_, "deletion_time");
      if (r.gpus == 0 || milli == 0) {
        filter("no GPUs (CPU-only pod)");
        return std::nullopt;
      }
      if (r.gpus > 1 && milli < 1000)
        throw RowError{"gpu_milli", "1000 for a pod of several GPUs (sharing is for one-GPU pods)",
                       fmt::format("{:g} with num_gpu {}", milli, r.gpus)};
      if (!is_missing(spec)) {
        r.gpu_type = std::string(trim(spec));
        if (have_nodes_) check_types(r.gpu_type);
      }
      if (is_missing(scheduled) || is_missing(deleted)) {
        filter("never scheduled (no scheduled_time or deletion_time)");
        return std::nullopt;
      }
      const double start = parse_number(scheduled, "scheduled_time");
      const double end = parse_number(deleted, "deletion_time");
      if (end < start)
        throw RowError{"deletion_time", fmt::format("a time >= scheduled_time {:g}", start), fmt::format("{:g}", end)};
      r.duration_s = end - start;
      r.gpu_fraction = milli / 1000.0;
      const std::string_view cpu = field_at(f_, cpu_, "cpu_milli"), mem = field_at(f_, mem_, "memory_mib");
      r.cpu_milli = is_missing(cpu) ? 0 : parse_count(cpu, "cpu_milli", 0);
      r.memory_mib = is_missing(mem) ? 0 : parse_count(mem, "memory_mib", 0);
      return r;
    });
  }

 private:
  void check_types(const std::string& spec) const {
    size_t i = 0;
    while (i <= spec.size()) {
      const size_t bar = std::min(spec.find('|', i), spec.size());
      const std::string type = spec.substr(i, bar - i);
      if (!nodes_.models.count(type)) {
        std::string known;
        for (const auto& m : nodes_.models) known += (known.empty() ? "" : ", ") + m;
        throw RowError{"gpu_spec", fmt::format("GPU models of the node list ({})", known), fmt::format("'{}'", type)};
      }
      i = bar + 1;
    }
  }

  LineReader in_;
  std::vector<std::string_view> f_;
  NodeList nodes_;
  bool have_nodes_ = false;
  int gpus_, milli_, cpu_, mem_, spec_, created_, deleted_, scheduled_;
  double last_ = -1e300;
};

bool has_header(const std::string& path, std::string_view first_column) {
  LineReader in(path);
  std::string_view line;
  if (!in.next(line)) return false;
  std::vector<std::string_view> f;
  split_csv(line, f);
  return !f.empty() && trim(f[0]) == first_column;
}

}  // namespace

std::unique_ptr<FormatReader> make_openb_reader(const std::vector<std::string>& paths, const ReadOptions& o) {
  // Files are told apart by their header: pod lists start with `name`, node lists with `sn`.
  std::string pods, nodes;
  for (const auto& f : expand_paths(paths, ".csv")) {
    if (has_header(f, "sn")) {
      if (!nodes.empty()) throw Error(ExitCode::TRACE, fmt::format("format openb: two node lists ({} and {})", nodes, f));
      nodes = f;
    } else {
      if (!pods.empty())
        throw Error(ExitCode::TRACE, fmt::format("format openb: expected one pod list, found {} and {}", pods, f));
      pods = f;
    }
  }
  if (pods.empty()) throw Error(ExitCode::TRACE, "format openb: no pod list among the files given");
  if (nodes.empty()) {
    // The published layout keeps the node list beside the pod lists.
    const fs::path dir = fs::path(pods).parent_path();
    for (const char* name : {"openb_node_list_gpu_node.csv", "openb_node_list_all_node.csv"})
      if (fs::exists(dir / name)) {
        nodes = (dir / name).string();
        break;
      }
  }
  return std::make_unique<OpenbReader>(pods, nodes, o);
}

}  // namespace gwsim::workloads
