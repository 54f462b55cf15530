#pragma once
// One streaming interface for every workload: synthetic generators and trace
// readers alike hand out requests in arrival order, one at a time, so a
// million-job trace is never loaded whole.
#include <memory>
#include <optional>
#include <queue>
#include <vector>

#include "workloads/job_request.hpp"

namespace gwsim::workloads {

class Source {
 public:
  virtual ~Source() = default;
  /// The next request in arrival order, or nothing when the source is exhausted.
  virtual std::optional<JobRequest> next() = 0;
};

/// Merges several sources into one stream ordered by (submit time, source
/// index, order within the source), and renumbers ids 0, 1, 2, ... in that
/// order so they are unique across sources.
class MergedSource final : public Source {
 public:
  explicit MergedSource(std::vector<std::unique_ptr<Source>> sources);
  std::optional<JobRequest> next() override;

 private:
  // The heap holds small keys; each source's next request waits in heads_,
  // so reordering the heap never moves a request.
  struct Key {
    double submit_s;
    size_t source;
    uint64_t seq;
  };
  struct Later {
    bool operator()(const Key& a, const Key& b) const;
  };
  void pull(size_t source);

  std::vector<std::unique_ptr<Source>> sources_;
  std::vector<uint64_t> pulled_;
  std::vector<JobRequest> heads_;
  std::priority_queue<Key, std::vector<Key>, Later> order_;
  uint64_t next_id_ = 0;
};

}  // namespace gwsim::workloads

namespace gwsim::workloads {

/// Requests given explicitly (a scenario's inline `jobs:` list, tests). Sorted
/// by submit time on construction (stable: equal times keep their order).
class ListSource final : public Source {
 public:
  explicit ListSource(std::vector<JobRequest> requests);
  std::optional<JobRequest> next() override;

 private:
  std::vector<JobRequest> requests_;
  size_t next_ = 0;
};

}  // namespace gwsim::workloads
