#include "common/rng.hpp"

#include <cmath>

namespace gwsim {
namespace {

uint64_t rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }

uint64_t splitmix64(uint64_t& x) {
  uint64_t z = (x += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

constexpr double TWO_PI = 6.283185307179586476925286766559;

}  // namespace

uint64_t fnv1a64(std::string_view text, uint64_t basis) {
  uint64_t h = basis;
  for (unsigned char c : text) {
    h ^= c;
    h *= 0x100000001b3ULL;
  }
  return h;
}

Rng::Rng(uint64_t seed, std::string_view stream_name) {
  uint64_t x = seed ^ fnv1a64(stream_name);
  for (auto& s : s_) s = splitmix64(x);
}

uint64_t Rng::next_u64() {
  const uint64_t result = rotl(s_[1] * 5, 7) * 9;
  const uint64_t t = s_[1] << 17;
  s_[2] ^= s_[0];
  s_[3] ^= s_[1];
  s_[1] ^= s_[2];
  s_[0] ^= s_[3];
  s_[2] ^= t;
  s_[3] = rotl(s_[3], 45);
  return result;
}

double Rng::uniform() { return static_cast<double>(next_u64() >> 11) * 0x1.0p-53; }

double Rng::uniform_open0() { return (static_cast<double>(next_u64() >> 11) + 1.0) * 0x1.0p-53; }

int64_t Rng::uniform_int(int64_t lo, int64_t hi) {
  const uint64_t span = static_cast<uint64_t>(hi - lo) + 1;
  if (span == 0) return static_cast<int64_t>(next_u64());  // full 64-bit range
  // Lemire's nearly divisionless method would be faster; rejection keeps it exact and simple.
  const uint64_t limit = UINT64_MAX - UINT64_MAX % span;
  uint64_t r;
  do r = next_u64();
  while (r >= limit);
  return lo + static_cast<int64_t>(r % span);
}

double Rng::exponential(double rate) { return -std::log(uniform_open0()) / rate; }

double Rng::normal() {
  const double u1 = uniform_open0();
  const double u2 = uniform();
  return std::sqrt(-2.0 * std::log(u1)) * std::cos(TWO_PI * u2);
}

double Rng::lognormal(double mu, double sigma) { return std::exp(mu + sigma * normal()); }

double Rng::pareto(double xm, double alpha) { return xm / std::pow(uniform_open0(), 1.0 / alpha); }

int64_t Rng::poisson(double mean) {
  if (mean <= 0) return 0;
  if (mean > 500) {
    const double x = std::round(mean + std::sqrt(mean) * normal());
    return x < 0 ? 0 : static_cast<int64_t>(x);
  }
  // Knuth's multiplication method, in log space to stay stable for means up to 500.
  const double limit = -mean;
  double sum = 0;
  int64_t k = 0;
  while (true) {
    sum += std::log(uniform_open0());
    if (sum < limit) return k;
    ++k;
  }
}

}  // namespace gwsim
