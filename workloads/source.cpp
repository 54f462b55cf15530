#include "workloads/source.hpp"

namespace gwsim::workloads {

bool MergedSource::Later::operator()(const Head& a, const Head& b) const {
  if (a.request.submit_s != b.request.submit_s) return a.request.submit_s > b.request.submit_s;
  if (a.source != b.source) return a.source > b.source;
  return a.seq > b.seq;
}

MergedSource::MergedSource(std::vector<std::unique_ptr<Source>> sources)
    : sources_(std::move(sources)), pulled_(sources_.size(), 0) {
  for (size_t i = 0; i < sources_.size(); ++i) pull(i);
}

void MergedSource::pull(size_t source) {
  if (auto r = sources_[source]->next()) heads_.push(Head{std::move(*r), source, pulled_[source]++});
}

std::optional<JobRequest> MergedSource::next() {
  if (heads_.empty()) return std::nullopt;
  Head h = heads_.top();
  heads_.pop();
  pull(h.source);
  h.request.id = next_id_++;
  h.request.source = static_cast<uint32_t>(h.source);
  return std::move(h.request);
}

}  // namespace gwsim::workloads

#include <algorithm>

namespace gwsim::workloads {

ListSource::ListSource(std::vector<JobRequest> requests) : requests_(std::move(requests)) {
  std::stable_sort(requests_.begin(), requests_.end(),
                   [](const JobRequest& a, const JobRequest& b) { return a.submit_s < b.submit_s; });
}

std::optional<JobRequest> ListSource::next() {
  if (next_ >= requests_.size()) return std::nullopt;
  return requests_[next_++];
}

}  // namespace gwsim::workloads
