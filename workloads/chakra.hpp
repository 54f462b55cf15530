#pragma once
// MLCommons Chakra execution traces (format `chakra`): one training job's
// operations, one .et file per rank (schema: et_def.proto). Read here into
// plain data -- FLOPs per compute node, bytes and type per collective, the
// dependencies -- with no notion of hardware; sim/chakra_step.hpp turns a
// job's graphs into a step time on a GPU type and fabric with the cost model.
//
// Attributes read (Chakra's conventions): num_ops (FLOPs of a compute node),
// tensor_size (bytes of a memory node), comm_type (CollectiveCommType),
// comm_size (bytes of a collective or point-to-point message), comm_src,
// comm_dst, comm_tag, pg_name (process group), is_cpu_op.
#include <cstdint>
#include <string>
#include <vector>

namespace gwsim::workloads {

enum class ChakraOp : uint8_t { COMPUTE, MEMORY, SEND, RECV, COLLECTIVE, OTHER };

/// Chakra's CollectiveCommType values (REDUCE_SCATTER_BLOCK is read as REDUCE_SCATTER).
enum class Collective : uint8_t {
  ALL_REDUCE = 0,
  REDUCE = 1,
  ALL_GATHER = 2,
  GATHER = 3,
  SCATTER = 4,
  BROADCAST = 5,
  ALL_TO_ALL = 6,
  REDUCE_SCATTER = 7,
  BARRIER = 9
};
const char* to_string(Collective c);
const char* to_string(ChakraOp op);

struct ChakraNode {
  uint64_t id = 0;                ///< the node's id in its file
  std::string name;
  ChakraOp op = ChakraOp::OTHER;
  double flops = 0;               ///< COMPUTE: floating-point operations (num_ops)
  double bytes = 0;               ///< MEMORY: tensor_size; SEND, RECV, COLLECTIVE: comm_size
  Collective collective = Collective::ALL_REDUCE;
  int peer = -1;                  ///< SEND: destination rank; RECV: source rank
  int64_t tag = 0;                ///< SEND/RECV matching tag
  std::string group;              ///< process group name (pg_name); empty: all ranks
  bool cpu = false;               ///< is_cpu_op: runs on the host
  double recorded_s = 0;          ///< duration as traced (duration_micros), for nodes without FLOPs
  std::vector<size_t> deps;       ///< indices (into the graph's nodes) this node waits for
};

/// One rank's graph; nodes are in a topological order (every dependency
/// comes before the node), file order where the file allows.
struct ChakraGraph {
  int rank = 0;
  std::string version;            ///< GlobalMetadata.version
  std::string path;
  std::vector<ChakraNode> nodes;
};

/// Reads one rank's .et file. Throws Error(TRACE) naming the file and node
/// on an unreadable record, a dependency on an unknown node, or a cycle.
ChakraGraph read_chakra_rank(const std::string& path, int rank);

/// Reads a job: the .et files of a directory, or the files given. A file's
/// rank is the last number in its name ("trace.3.et" is rank 3); ranks must
/// be 0..n-1 once each.
std::vector<ChakraGraph> read_chakra_job(const std::vector<std::string>& paths);

}  // namespace gwsim::workloads
