#include "workloads/chakra.hpp"

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <cmath>
#include <limits>
#include <fmt/format.h>
#include <google/protobuf/io/zero_copy_stream_impl.h>
#include <map>
#include <unordered_map>

#include "common/error.hpp"
#include "workloads/delimited_input.hpp"
#include "workloads/et_def.pb.h"
#include "workloads/file_handle.hpp"
#include "workloads/trace_reader.hpp"

namespace gwsim::workloads {
namespace {

namespace pb = gwsim::chakra;

// Any numeric value of an attribute, as a double.
bool attr_number(const pb::AttributeProto& a, double& out) {
  switch (a.value_case()) {
    case pb::AttributeProto::kDoubleVal: out = a.double_val(); return true;
    case pb::AttributeProto::kFloatVal: out = a.float_val(); return true;
    case pb::AttributeProto::kInt32Val: out = a.int32_val(); return true;
    case pb::AttributeProto::kInt64Val: out = double(a.int64_val()); return true;
    case pb::AttributeProto::kUint32Val: out = a.uint32_val(); return true;
    case pb::AttributeProto::kUint64Val: out = double(a.uint64_val()); return true;
    case pb::AttributeProto::kSint32Val: out = a.sint32_val(); return true;
    case pb::AttributeProto::kSint64Val: out = double(a.sint64_val()); return true;
    case pb::AttributeProto::kFixed32Val: out = a.fixed32_val(); return true;
    case pb::AttributeProto::kFixed64Val: out = double(a.fixed64_val()); return true;
    case pb::AttributeProto::kSfixed32Val: out = a.sfixed32_val(); return true;
    case pb::AttributeProto::kSfixed64Val: out = double(a.sfixed64_val()); return true;
    case pb::AttributeProto::kBoolVal: out = a.bool_val() ? 1 : 0; return true;
    default: return false;
  }
}

[[noreturn]] void bad_node(const std::string& path, const pb::Node& n, std::string_view expected,
                           std::string_view found) {
  fail(ExitCode::TRACE, Where{path, 0, fmt::format("node {} '{}'", n.id(), n.name())}, expected, found);
}

ChakraNode convert(const pb::Node& n, const std::string& path) {
  ChakraNode c;
  c.id = n.id();
  c.name = n.name();
  c.recorded_s = double(n.duration_micros()) * 1e-6;
  switch (n.type()) {
    case pb::COMP_NODE: c.op = ChakraOp::COMPUTE; break;
    case pb::MEM_LOAD_NODE:
    case pb::MEM_STORE_NODE: c.op = ChakraOp::MEMORY; break;
    case pb::COMM_SEND_NODE: c.op = ChakraOp::SEND; break;
    case pb::COMM_RECV_NODE: c.op = ChakraOp::RECV; break;
    case pb::COMM_COLL_NODE: c.op = ChakraOp::COLLECTIVE; break;
    default: c.op = ChakraOp::OTHER; break;
  }
  bool has_comm_type = false, has_src = false, has_dst = false;
  for (const auto& a : n.attr()) {
    double v = 0;
    const std::string& name = a.name();
    if (name == "pg_name") {
      c.group = a.value_case() == pb::AttributeProto::kStringVal ? a.string_val()
                : attr_number(a, v) ? fmt::format("{}", v) : "";
      continue;
    }
    if (!attr_number(a, v)) continue;
    if (name == "num_ops") c.flops = v;
    else if (name == "tensor_size" && c.op == ChakraOp::MEMORY) c.bytes = v;
    else if (name == "comm_size") c.bytes = v;
    else if (name == "comm_type") {
      has_comm_type = true;
      if (!(v >= 0 && v <= 9)) bad_node(path, n, "a comm_type of CollectiveCommType (0 to 9)", fmt::format("{}", v));
      const int t = static_cast<int>(v);
      c.collective = t == 8 ? Collective::REDUCE_SCATTER : static_cast<Collective>(t);
    } else if (name == "comm_src" || name == "comm_dst") {
      // A rank: checked as a number before it becomes one (a double beyond int is undefined to convert).
      if (!(v >= 0 && v <= std::numeric_limits<int>::max()))
        bad_node(path, n, fmt::format("a {} rank in [0, {}]", name, std::numeric_limits<int>::max()), fmt::format("{}", v));
      const bool src = name == "comm_src";
      (src ? has_src : has_dst) = true;
      if (c.op == (src ? ChakraOp::RECV : ChakraOp::SEND)) c.peer = static_cast<int>(v);
    } else if (name == "comm_tag") {
      if (!(std::fabs(v) < 9e18)) bad_node(path, n, "a comm_tag within 64 bits", fmt::format("{}", v));
      c.tag = static_cast<int64_t>(v);
    } else if (name == "is_cpu_op") c.cpu = v != 0;
  }
  if (c.op == ChakraOp::COLLECTIVE && !has_comm_type) bad_node(path, n, "a comm_type attribute", "none");
  if (c.op == ChakraOp::SEND && !has_dst) bad_node(path, n, "a comm_dst attribute", "none");
  if (c.op == ChakraOp::RECV && !has_src) bad_node(path, n, "a comm_src attribute", "none");
  if (!(c.flops >= 0 && c.bytes >= 0 && std::isfinite(c.flops) && std::isfinite(c.bytes))) bad_node(path, n, "finite num_ops and sizes >= 0", fmt::format("{} and {}", c.flops, c.bytes));
  return c;
}

// The last run of digits in a file name, or -1.
int rank_from_name(const std::string& path) {
  const std::string name = std::filesystem::path(path).filename().string();
  int rank = -1;
  for (size_t i = 0; i < name.size();) {
    if (std::isdigit(static_cast<unsigned char>(name[i]))) {
      size_t j = i;
      while (j < name.size() && std::isdigit(static_cast<unsigned char>(name[j]))) ++j;
      rank = std::stoi(name.substr(i, std::min<size_t>(j - i, 9)));
      i = j;
    } else {
      ++i;
    }
  }
  return rank;
}

}  // namespace

const char* to_string(Collective c) {
  switch (c) {
    case Collective::ALL_REDUCE: return "all_reduce";
    case Collective::REDUCE: return "reduce";
    case Collective::ALL_GATHER: return "all_gather";
    case Collective::GATHER: return "gather";
    case Collective::SCATTER: return "scatter";
    case Collective::BROADCAST: return "broadcast";
    case Collective::ALL_TO_ALL: return "all_to_all";
    case Collective::REDUCE_SCATTER: return "reduce_scatter";
    case Collective::BARRIER: return "barrier";
  }
  return "?";
}

const char* to_string(ChakraOp op) {
  switch (op) {
    case ChakraOp::COMPUTE: return "compute";
    case ChakraOp::MEMORY: return "memory";
    case ChakraOp::SEND: return "send";
    case ChakraOp::RECV: return "recv";
    case ChakraOp::COLLECTIVE: return "collective";
    case ChakraOp::OTHER: return "other";
  }
  return "?";
}

ChakraGraph read_chakra_rank(const std::string& path, int rank) {
  const UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (!fd.valid()) throw Error(ExitCode::TRACE, fmt::format("{}: cannot open ({})", path, std::strerror(errno)));
  google::protobuf::io::FileInputStream in(fd.get());
  ChakraGraph g;
  g.rank = rank;
  g.path = path;
  uint64_t record = 0;
  const auto read = [&](google::protobuf::Message& m) {
    if (!read_delimited_record(in, m, path, record + 1, "Chakra " + m.GetTypeName(), " (not a Chakra .et file?)"))
      return false;
    ++record;
    return true;
  };
  pb::GlobalMetadata meta;
  if (!read(meta))
    throw Error(ExitCode::TRACE, describe(Where{path, 0, ""}, "a Chakra .et file (GlobalMetadata, then nodes)", "an empty file"));
  g.version = meta.version();

  // Read the nodes, then order them topologically (Kahn's algorithm, ties in file order).
  std::vector<pb::Node> raw;
  pb::Node n;
  while (read(n)) raw.push_back(n);
  std::unordered_map<uint64_t, size_t> index;
  for (size_t i = 0; i < raw.size(); ++i)
    if (!index.emplace(raw[i].id(), i).second)
      bad_node(path, raw[i], "node ids unique within a rank", fmt::format("id {} twice", raw[i].id()));
  std::vector<std::vector<size_t>> deps(raw.size()), users(raw.size());
  std::vector<size_t> waiting(raw.size(), 0);
  for (size_t i = 0; i < raw.size(); ++i) {
    for (const auto* list : {&raw[i].data_deps(), &raw[i].ctrl_deps()})
      for (uint64_t d : *list) {
        auto it = index.find(d);
        if (it == index.end()) bad_node(path, raw[i], "dependencies on nodes of the same file", fmt::format("node {}", d));
        if (std::find(deps[i].begin(), deps[i].end(), it->second) != deps[i].end()) continue;
        deps[i].push_back(it->second);
        users[it->second].push_back(i);
        ++waiting[i];
      }
  }
  std::vector<size_t> order, position(raw.size());
  std::vector<size_t> ready;  // a min-heap of file positions keeps file order among ready nodes
  for (size_t i = 0; i < raw.size(); ++i)
    if (waiting[i] == 0) ready.push_back(i);
  std::make_heap(ready.begin(), ready.end(), std::greater<>());
  while (!ready.empty()) {
    std::pop_heap(ready.begin(), ready.end(), std::greater<>());
    const size_t i = ready.back();
    ready.pop_back();
    position[i] = order.size();
    order.push_back(i);
    for (size_t u : users[i])
      if (--waiting[u] == 0) {
        ready.push_back(u);
        std::push_heap(ready.begin(), ready.end(), std::greater<>());
      }
  }
  if (order.size() != raw.size()) {
    for (size_t i = 0; i < raw.size(); ++i)
      if (waiting[i] > 0) bad_node(path, raw[i], "an acyclic graph", "a dependency cycle through this node");
  }
  g.nodes.reserve(raw.size());
  for (size_t i : order) {
    ChakraNode c = convert(raw[i], path);
    for (size_t d : deps[i]) c.deps.push_back(position[d]);
    g.nodes.push_back(std::move(c));
  }
  return g;
}

std::vector<ChakraGraph> read_chakra_job(const std::vector<std::string>& paths) {
  const auto files = expand_paths(paths, ".et");
  std::map<int, std::string> by_rank;
  for (size_t i = 0; i < files.size(); ++i) {
    int rank = rank_from_name(files[i]);
    if (rank < 0) rank = static_cast<int>(i);
    if (!by_rank.emplace(rank, files[i]).second)
      throw Error(ExitCode::TRACE, fmt::format("{} and {}: both are rank {} (the rank is the last number in the name)",
                                               by_rank[rank], files[i], rank));
  }
  std::vector<ChakraGraph> job;
  int expect = 0;
  for (const auto& [rank, file] : by_rank) {
    if (rank != expect)
      throw Error(ExitCode::TRACE, describe(Where{file, 0, ""}, fmt::format("rank {} (ranks 0 to n-1, once each)", expect),
                                            fmt::format("rank {}", rank)));
    job.push_back(read_chakra_rank(file, rank));
    ++expect;
  }
  return job;
}

}  // namespace gwsim::workloads
