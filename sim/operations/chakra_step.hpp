#pragma once
// One training step of a job given as Chakra execution graphs (one per rank),
// timed on a GPU type and fabric. The workloads module parses the graphs into
// plain data; here the hardware comes in from gpu_models (GpuSpec peak FLOP/s
// and HBM bandwidth, the cost model's Links for the network).
//
// Each rank runs two streams, compute (compute and memory nodes) and
// communication (collectives, sends, receives); a stream runs its nodes one
// at a time in graph order, and a node starts when its dependencies are done
// and its stream is free, so communication overlaps computation exactly as
// far as the graph's dependencies allow. A collective starts when every rank
// of its group has reached it (the k-th collective of a group on each rank
// is one collective; groups are the ranks whose graphs name the same pg_name,
// or all ranks); a send and its receive, matched by (source, destination,
// tag) in order, likewise. Node times:
//   compute      flops / (peak_bf16 * efficiency); nodes without FLOPs (and
//                host ops) take their traced duration
//   memory       bytes / HBM bandwidth
//   all-reduce   2 (n-1)/n * S / B + 2 (n-1) L          (ring, Patarasuk & Yuan 2009)
//   all-gather, reduce-scatter, all-to-all, gather, scatter
//                (n-1)/n * S / B + (n-1) L
//   broadcast, reduce   S / B + (n-1) L                  (pipelined ring)
//   barrier      2 ceil(log2 n) L
//   send/recv    S / B + L
// with S the node's comm_size in bytes, n the group size, and B, L the
// scale-up bandwidth and latency when every rank of the group is in one
// scale-up domain (ranks r with the same r / scaleup_gpus), else scale-out.
#include <string>
#include <vector>

#include "gpu_models/catalog.hpp"
#include "gpu_models/cost_model.hpp"
#include "workloads/chakra.hpp"

namespace gwsim::sim {

struct StepHardware {
  const gpu_models::GpuSpec* gpu = nullptr;
  gpu_models::Links links;
  /// Fraction of peak dense BF16 compute nodes sustain. 0.5: Megatron-LM's
  /// 44-52 % on A100 (Narayanan et al., SC'21, Table 1), the cost model's figure.
  double efficiency = 0.5;
};

struct RankTimes {
  double finish_s = 0;     ///< when the rank's last node ends
  double compute_s = 0;    ///< busy time of its compute stream
  double comm_s = 0;       ///< busy time of its communication stream (waiting for peers excluded)
  double flops = 0;
  double comm_bytes = 0;
};

struct StepEstimate {
  double step_time_s = 0;  ///< the last rank's finish
  int slowest_rank = 0;
  std::vector<RankTimes> ranks;
  int collectives = 0;     ///< collectives resolved (counted once per collective, not per rank)
  int messages = 0;        ///< send/receive pairs
};

/// Times one step. Throws Error(TRACE) when the graphs cannot run to the end
/// (a collective or a receive some rank never reaches, mismatched sizes).
StepEstimate estimate_step(const std::vector<workloads::ChakraGraph>& ranks, const StepHardware& hw);

}  // namespace gwsim::sim
