#include "sim/engine/execution.hpp"

#include <algorithm>
#include <cmath>

namespace gwsim::sim {

ExecState advance(ExecState s, const CheckpointPolicy& p, double rate, double elapsed_s) {
  double t = elapsed_s;
  auto spend = [&t](double& left) {
    const double d = std::min(t, left);
    left -= d;
    t -= d;
  };
  spend(s.restart_left_s);
  if (t <= 0) return s;
  if (s.write_left_s > 0) {
    spend(s.write_left_s);
    if (s.write_left_s > 0) return s;
    s.checkpointed = s.work_done;
    s.phase_s = 0;
    if (t <= 0) return s;
  }
  const double I = p.interval_s, W = p.write_s;
  if (I <= 0) {
    s.work_done += t * rate;
    s.phase_s += t;
    return s;
  }
  // Compute up to the next checkpoint.
  const double c1 = I - s.phase_s;
  if (t < c1) {
    s.work_done += t * rate;
    s.phase_s += t;
    return s;
  }
  s.work_done += c1 * rate;
  t -= c1;
  // Its write.
  if (t < W) {
    s.phase_s = I;
    s.write_left_s = W - t;
    return s;
  }
  t -= W;
  s.checkpointed = s.work_done;
  s.phase_s = 0;
  // Whole cycles of compute + write, then what is left of the last one.
  const double k = std::floor(t / (I + W));
  if (k > 0) {
    s.work_done += k * I * rate;
    s.checkpointed = s.work_done;
    t = std::max(0.0, t - k * (I + W));
  }
  if (t < I) {
    s.work_done += t * rate;
    s.phase_s = t;
  } else {
    s.work_done += I * rate;
    s.phase_s = I;
    s.write_left_s = W - (t - I);
    if (s.write_left_s <= 0) {  // rounding: the write just completed
      s.write_left_s = 0;
      s.checkpointed = s.work_done;
      s.phase_s = 0;
    }
  }
  return s;
}

double time_to_complete(const ExecState& s, const CheckpointPolicy& p, double rate, double work_total) {
  const double w = work_total - s.work_done;
  if (w <= 0) return 0;
  double time = s.restart_left_s + s.write_left_s;
  const double c = w / rate;
  if (p.interval_s <= 0) return time + c;
  const double phase = s.write_left_s > 0 ? 0.0 : s.phase_s;
  const double c1 = p.interval_s - phase;
  if (c <= c1) return time + c;
  // One write after the first block, then one after each further full interval
  // that is not the last.
  const double n = std::ceil((c - c1) / p.interval_s) - 1;
  return time + c + p.write_s * (1 + std::max(0.0, n));
}

double lose_uncheckpointed(ExecState& s, const CheckpointPolicy& p) {
  const double lost = s.work_done - s.checkpointed;
  s.work_done = s.checkpointed;
  s.phase_s = 0;
  s.write_left_s = 0;
  s.restart_left_s = p.restart_s;
  return lost;
}

}  // namespace gwsim::sim
