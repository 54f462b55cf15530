// The bare event loop gwsim is measured against (docs/performance.md): the
// classic "hold" model on a binary heap. N events are pending; each step
// pops the earliest and schedules one new event an exponential time later,
// so N stays constant. Nothing else happens per event: this is the fastest
// a discrete-event simulator holding N pending events can go, and gwsim's
// events per wall second (`gwsim run --stats`) are compared with it at the
// same N by bench/run_benchmarks.sh.
//
//   event_loop_baseline [N ...]     (default: 1000 10000 100000 1000000)
#include <fmt/format.h>

#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <queue>
#include <random>
#include <string>
#include <vector>

namespace {

struct Event {
  double time_s;
  uint64_t seq;  // ties in insertion order, as a simulator must
  bool operator>(const Event& o) const { return time_s != o.time_s ? time_s > o.time_s : seq > o.seq; }
};

// Events per wall second of a hold loop with `pending` events, run for at
// least `min_events` and at least 0.5 s.
double hold_events_per_s(int64_t pending, int64_t min_events) {
  std::mt19937_64 rng(42);
  std::exponential_distribution<double> gap(1.0);
  std::priority_queue<Event, std::vector<Event>, std::greater<>> heap;
  uint64_t seq = 0;
  for (int64_t i = 0; i < pending; ++i) heap.push(Event{gap(rng), seq++});
  using clock = std::chrono::steady_clock;
  const auto start = clock::now();
  int64_t done = 0;
  double elapsed = 0;
  double checksum = 0;
  while (done < min_events || elapsed < 0.5) {
    for (int k = 0; k < 100000; ++k) {
      const Event e = heap.top();
      heap.pop();
      checksum += e.time_s;
      heap.push(Event{e.time_s + gap(rng) * static_cast<double>(pending), seq++});
    }
    done += 100000;
    elapsed = std::chrono::duration<double>(clock::now() - start).count();
  }
  if (checksum < 0) std::abort();  // keeps the loop's work observable
  return static_cast<double>(done) / elapsed;
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<int64_t> sizes;
  for (int i = 1; i < argc; ++i) {
    char* end = nullptr;
    const long long n = std::strtoll(argv[i], &end, 10);
    if (!end || *end || n < 1 || n > 100000000) {
      fmt::print(stderr, "event_loop_baseline: expected a number of pending events in [1, 1e8], found '{}'\n", argv[i]);
      return 2;
    }
    sizes.push_back(n);
  }
  if (sizes.empty()) sizes = {1000, 10000, 100000, 1000000};
  fmt::print("{:>16} {:>18}\n", "pending_events", "events_per_s");
  for (int64_t n : sizes) fmt::print("{:>16} {:>18.0f}\n", n, hold_events_per_s(n, 5 * n));
  return 0;
}
