#include "sim/operations/chakra_step.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <fmt/format.h>
#include <map>
#include <set>

#include "common/error.hpp"

namespace gwsim::sim {

using workloads::ChakraGraph;
using workloads::ChakraNode;
using workloads::ChakraOp;
using workloads::Collective;

namespace {

enum Stream { COMPUTE_STREAM = 0, COMM_STREAM = 1 };

bool is_sync(const ChakraNode& n) {
  return n.op == ChakraOp::COLLECTIVE || n.op == ChakraOp::SEND || n.op == ChakraOp::RECV;
}

/// A collective or a send/receive pair, complete when every participant arrived.
struct SyncPoint {
  size_t expected = 0;
  std::vector<std::pair<int, size_t>> nodes;  ///< (rank, node index)
  double ready_s = 0;                         ///< latest arrival
  bool done = false;
};

class StepTimer {
 public:
  StepTimer(const std::vector<ChakraGraph>& g, const StepHardware& hw) : g_(g), hw_(hw) {
    if (!hw.gpu) throw Error(ExitCode::USAGE, "step time: no GPU type given");
    const size_t n = g.size();
    finish_.resize(n);
    arrived_.resize(n);
    for (size_t r = 0; r < n; ++r) {
      finish_[r].assign(g[r].nodes.size(), -1);
      arrived_[r].assign(g[r].nodes.size(), false);
      for (size_t i = 0; i < g[r].nodes.size(); ++i) {
        const ChakraNode& node = g[r].nodes[i];
        streams_[r][is_sync(node) ? COMM_STREAM : COMPUTE_STREAM].push_back(i);
        if (node.op == ChakraOp::COLLECTIVE) members_[node.group].insert(static_cast<int>(r));
        if ((node.op == ChakraOp::SEND || node.op == ChakraOp::RECV) && (node.peer < 0 || size_t(node.peer) >= n))
          fail(ExitCode::TRACE, Where{g[r].path, 0, fmt::format("node {} '{}'", node.id, node.name)},
               fmt::format("a peer rank in [0, {}]", n - 1), fmt::format("rank {}", node.peer));
      }
    }
    // A collective without a process group spans every rank.
    if (members_.count("")) {
      auto& all = members_[""];
      for (size_t r = 0; r < n; ++r) all.insert(static_cast<int>(r));
    }
  }

  StepEstimate run() {
    StepEstimate e;
    e.ranks.resize(g_.size());
    std::vector<std::array<size_t, 2>> next(g_.size(), {0, 0});
    std::vector<std::array<double, 2>> free(g_.size(), {0.0, 0.0});
    std::vector<std::map<std::string, int>> seq(g_.size());
    size_t resolved = 0, total = 0;
    for (const auto& r : g_) total += r.nodes.size();
    bool progress = true;
    while (progress) {
      progress = false;
      for (size_t r = 0; r < g_.size(); ++r) {
        for (int s : {COMPUTE_STREAM, COMM_STREAM}) {
          const auto& list = streams_[r][s];
          while (next[r][s] < list.size()) {
            const size_t i = list[next[r][s]];
            const ChakraNode& node = g_[r].nodes[i];
            if (finish_[r][i] >= 0) {  // finished by its sync point
              free[r][s] = finish_[r][i];
              ++next[r][s];
              ++resolved;
              progress = true;
              continue;
            }
            double ready = free[r][s];
            bool deps_done = true;
            for (size_t d : node.deps) {
              if (finish_[r][d] < 0) {
                deps_done = false;
                break;
              }
              ready = std::max(ready, finish_[r][d]);
            }
            if (!deps_done) break;
            if (!is_sync(node)) {
              const double dt = local_time(node);
              finish_[r][i] = ready + dt;
              free[r][s] = finish_[r][i];
              e.ranks[r].compute_s += dt;
              e.ranks[r].flops += node.cpu ? 0 : node.flops;
              ++next[r][s];
              ++resolved;
              progress = true;
              continue;
            }
            if (!arrived_[r][i]) {
              arrive(static_cast<int>(r), i, ready, seq[r], e);
              arrived_[r][i] = true;
              progress = true;
              continue;  // the sync point may have completed
            }
            break;  // waiting for the other ranks
          }
        }
      }
    }
    if (resolved != total) stuck();
    for (size_t r = 0; r < g_.size(); ++r) {
      double end = 0;
      for (double f : finish_[r]) end = std::max(end, f);
      e.ranks[r].finish_s = end;
      if (end > e.step_time_s) {
        e.step_time_s = end;
        e.slowest_rank = static_cast<int>(r);
      }
    }
    return e;
  }

 private:
  double local_time(const ChakraNode& n) const {
    if (n.op == ChakraOp::COMPUTE && !n.cpu && n.flops > 0) return n.flops / (hw_.gpu->peak_bf16_flops * hw_.efficiency);
    if (n.op == ChakraOp::MEMORY && n.bytes > 0 && hw_.gpu->hbm_bandwidth_Bps > 0)
      return n.bytes / hw_.gpu->hbm_bandwidth_Bps;
    return n.recorded_s;
  }

  // Scale-up when all ranks share one scale-up domain, else scale-out.
  std::pair<double, double> link(const std::vector<int>& ranks) const {
    const int per = std::max(1, hw_.links.scaleup_gpus);
    bool same = true;
    for (int r : ranks) same &= r / per == ranks.front() / per;
    return same ? std::make_pair(hw_.links.scaleup_Bps, hw_.links.scaleup_latency_s)
                : std::make_pair(hw_.links.scaleout_Bps, hw_.links.scaleout_latency_s);
  }

  double collective_time(Collective c, double bytes, const std::vector<int>& ranks) const {
    const double n = static_cast<double>(ranks.size());
    if (n <= 1) return 0;
    const auto [bw, lat] = link(ranks);
    switch (c) {
      case Collective::ALL_REDUCE: return 2 * (n - 1) / n * bytes / bw + 2 * (n - 1) * lat;
      case Collective::BROADCAST:
      case Collective::REDUCE: return bytes / bw + (n - 1) * lat;
      case Collective::BARRIER: return 2 * std::ceil(std::log2(n)) * lat;
      default: return (n - 1) / n * bytes / bw + (n - 1) * lat;
    }
  }

  void arrive(int r, size_t i, double ready, std::map<std::string, int>& seq, StepEstimate& e) {
    const ChakraNode& node = g_[size_t(r)].nodes[i];
    std::string key;
    size_t expected = 2;
    if (node.op == ChakraOp::COLLECTIVE) {
      key = fmt::format("collective|{}|{}", node.group, seq["c|" + node.group]++);
      expected = members_.at(node.group).size();
    } else {
      const int src = node.op == ChakraOp::SEND ? r : node.peer;
      const int dst = node.op == ChakraOp::SEND ? node.peer : r;
      const std::string pair = fmt::format("{}>{}#{}", src, dst, node.tag);
      key = fmt::format("p2p|{}|{}", pair, seq[(node.op == ChakraOp::SEND ? "s|" : "r|") + pair]++);
    }
    SyncPoint& p = points_[key];
    p.expected = expected;
    if (!p.nodes.empty()) {
      const ChakraNode& first = g_[size_t(p.nodes.front().first)].nodes[p.nodes.front().second];
      if (first.bytes != node.bytes || (node.op == ChakraOp::COLLECTIVE && first.collective != node.collective))
        fail(ExitCode::TRACE, Where{g_[size_t(r)].path, 0, fmt::format("node {} '{}'", node.id, node.name)},
             fmt::format("the {} of rank {} ('{}': {}, {:g} bytes)", node.op == ChakraOp::COLLECTIVE ? "collective" : "message",
                         p.nodes.front().first, first.name, workloads::to_string(first.collective), first.bytes),
             fmt::format("{}, {:g} bytes", workloads::to_string(node.collective), node.bytes));
    }
    p.nodes.emplace_back(r, i);
    p.ready_s = std::max(p.ready_s, ready);
    if (p.nodes.size() < p.expected) return;
    std::vector<int> ranks;
    for (const auto& [pr, pi] : p.nodes) ranks.push_back(pr);
    const double dt = node.op == ChakraOp::COLLECTIVE
                          ? collective_time(node.collective, node.bytes, ranks)
                          : node.bytes / link(ranks).first + link(ranks).second;
    for (const auto& [pr, pi] : p.nodes) {
      finish_[size_t(pr)][pi] = p.ready_s + dt;
      e.ranks[size_t(pr)].comm_s += dt;
      e.ranks[size_t(pr)].comm_bytes += g_[size_t(pr)].nodes[pi].bytes;
    }
    p.done = true;
    (node.op == ChakraOp::COLLECTIVE ? e.collectives : e.messages)++;
  }

  [[noreturn]] void stuck() const {
    for (size_t r = 0; r < g_.size(); ++r)
      for (size_t i = 0; i < g_[r].nodes.size(); ++i)
        if (finish_[r][i] < 0 && arrived_[r][i]) {
          const ChakraNode& n = g_[r].nodes[i];
          fail(ExitCode::TRACE, Where{g_[r].path, 0, fmt::format("node {} '{}'", n.id, n.name)},
               n.op == ChakraOp::COLLECTIVE
                   ? fmt::format("every rank of group '{}' to reach this {} ({} ranks)", n.group,
                                 workloads::to_string(n.collective), members_.at(n.group).size())
                   : fmt::format("a matching {} on rank {}", n.op == ChakraOp::SEND ? "receive" : "send", n.peer),
               "a rank that never gets there (the graphs deadlock)");
        }
    throw Error(ExitCode::TRACE, "chakra: the graphs cannot run to the end");
  }

  const std::vector<ChakraGraph>& g_;
  StepHardware hw_;
  std::vector<std::vector<double>> finish_;
  std::vector<std::vector<bool>> arrived_;
  std::map<size_t, std::array<std::vector<size_t>, 2>> streams_;
  std::map<std::string, std::set<int>> members_;
  std::map<std::string, SyncPoint> points_;
};

}  // namespace

StepEstimate estimate_step(const std::vector<ChakraGraph>& ranks, const StepHardware& hw) {
  if (ranks.empty()) throw Error(ExitCode::TRACE, "chakra: no rank graphs");
  return StepTimer(ranks, hw).run();
}

}  // namespace gwsim::sim
