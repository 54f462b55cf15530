#include "workloads/source.hpp"

namespace gwsim::workloads {

bool MergedSource::Later::operator()(const Key& a, const Key& b) const {
  if (a.submit_s != b.submit_s) return a.submit_s > b.submit_s;
  if (a.source != b.source) return a.source > b.source;
  return a.seq > b.seq;
}

MergedSource::MergedSource(std::vector<std::unique_ptr<Source>> sources)
    : sources_(std::move(sources)), pulled_(sources_.size(), 0), heads_(sources_.size()) {
  for (size_t i = 0; i < sources_.size(); ++i) pull(i);
}

void MergedSource::pull(size_t source) {
  if (auto r = sources_[source]->next()) {
    heads_[source] = std::move(*r);
    order_.push(Key{heads_[source].submit_s, source, pulled_[source]++});
  }
}

std::optional<JobRequest> MergedSource::next() {
  if (order_.empty()) return std::nullopt;
  const size_t source = order_.top().source;
  order_.pop();
  std::optional<JobRequest> out(std::move(heads_[source]));
  pull(source);
  out->id = next_id_++;
  out->source = static_cast<uint32_t>(source);
  return out;
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
