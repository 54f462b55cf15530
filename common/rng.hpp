#pragma once
// Named, seeded random streams. Every random draw in gwsim comes from a
// stream made of the scenario seed and a fixed name ("workload.internal",
// "failures.gpu"), so adding a stream never shifts another and the same seed
// gives the same bytes. The generator is xoshiro256** (Blackman & Vigna,
// 2018); distributions are written here rather than taken from <random>,
// whose algorithms differ between standard libraries.
#include <cstdint>
#include <string_view>

namespace gwsim {

class Rng {
 public:
  Rng(uint64_t seed, std::string_view stream_name);

  uint64_t next_u64();
  /// Uniform in [0, 1), 53 random bits.
  double uniform();
  /// Uniform in (0, 1]: safe under log().
  double uniform_open0();
  /// Uniform integer in [lo, hi], inclusive.
  int64_t uniform_int(int64_t lo, int64_t hi);
  /// Exponential with the given rate (mean 1/rate).
  double exponential(double rate);
  /// Standard normal (Box-Muller, one value per call).
  double normal();
  /// exp(N(mu, sigma)).
  double lognormal(double mu, double sigma);
  /// Pareto type I with scale xm and shape alpha.
  double pareto(double xm, double alpha);
  /// Poisson count with the given mean (inversion for small means, normal approximation above 500).
  int64_t poisson(double mean);
  /// True with probability p.
  bool bernoulli(double p) { return uniform() < p; }

 private:
  uint64_t s_[4];
};

/// FNV-1a 64-bit hash; used to derive stream seeds and scenario hashes.
uint64_t fnv1a64(std::string_view text, uint64_t basis = 0xcbf29ce484222325ULL);

}  // namespace gwsim
