#include "results/progress.hpp"

#include <fmt/format.h>

#include "results/headline.hpp"

namespace gwsim::results {

std::optional<std::string> ProgressLine::update(double simulated_s, double wall_s) {
  constexpr double REFRESH_S = 1.0;
  if (wall_s < (last_wall_s_ < 0 ? REFRESH_S : last_wall_s_ + REFRESH_S)) return std::nullopt;
  last_wall_s_ = wall_s;
  return fmt::format("simulated {} of {} ({}), {}x real time", format_duration(simulated_s), format_duration(horizon_s_),
                     format_percent(horizon_s_ > 0 ? simulated_s / horizon_s_ : 0),
                     format_count(wall_s > 0 ? simulated_s / wall_s : 0));
}

}  // namespace gwsim::results
