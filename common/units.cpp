#include "common/units.hpp"

#include <cctype>
#include <cmath>
#include <cstdlib>
#include <fmt/format.h>
#include <string>
#include <utility>
#include <vector>

namespace gwsim::units {
namespace {

struct Suffix {
  std::string_view text;
  double factor;
};

std::string_view trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

// Splits "12.5 GW" into 12.5 and "GW". Returns false when no finite number leads.
bool split_number(std::string_view text, double& value, std::string_view& rest) {
  text = trim(text);
  if (text.empty()) return false;
  std::string buf(text);
  char* end = nullptr;
  value = std::strtod(buf.c_str(), &end);
  if (end == buf.c_str() || !std::isfinite(value)) return false;
  // strtod accepts "inf"/"nan"/hex; we only accept decimal notation.
  for (const char* p = buf.c_str(); p != end; ++p) {
    if (!(std::isdigit(static_cast<unsigned char>(*p)) || *p == '.' || *p == '-' || *p == '+' || *p == 'e' ||
          *p == 'E'))
      return false;
  }
  rest = trim(text.substr(static_cast<size_t>(end - buf.c_str())));
  return true;
}

// `bare`: what a number without a unit means. A time never goes bare: `72`
// could be seconds, hours or days, so only 0 (the same in every unit) does.
enum class Bare { ALLOWED, ZERO_ONLY };

Parsed parse_with(std::string_view text, const std::vector<Suffix>& suffixes, Bare bare, std::string expected) {
  double value = 0;
  std::string_view rest;
  if (split_number(text, value, rest)) {
    if (rest.empty() && (bare == Bare::ALLOWED || value == 0)) return {value, {}};
    for (const auto& s : suffixes)
      if (rest == s.text) return {value * s.factor, {}};
  }
  return {std::nullopt, std::move(expected)};
}

}  // namespace

Parsed duration_s(std::string_view text) {
  static const std::vector<Suffix> k = {{"s", 1},        {"sec", 1},       {"ms", 1e-3},     {"min", 60},
                                        {"m", 60},       {"h", 3600},      {"hr", 3600},     {"d", 86400},
                                        {"day", 86400},  {"days", 86400},  {"w", 7 * 86400}, {"week", 7 * 86400},
                                        {"weeks", 7 * 86400}, {"y", 365 * 86400.0}, {"year", 365 * 86400.0}};
  return parse_with(text, k, Bare::ZERO_ONLY,
                    "a duration with a unit, e.g. 72h (ms, s, min, h, d, w or y; a bare number only as 0)");
}

Parsed latency_s(std::string_view text) {
  static const std::vector<Suffix> k = {{"s", 1}, {"ms", 1e-3}, {"us", 1e-6}, {"ns", 1e-9}};
  return parse_with(text, k, Bare::ZERO_ONLY,
                    "a latency with a unit, e.g. 2us (ns, us, ms or s; a bare number only as 0)");
}

Parsed power_w(std::string_view text) {
  static const std::vector<Suffix> k = {{"W", 1}, {"kW", 1e3}, {"KW", 1e3}, {"MW", 1e6}, {"GW", 1e9}};
  return parse_with(text, k, Bare::ALLOWED, "a power such as 700W, 120kW, 30MW or 1.2GW (or watts)");
}

Parsed energy_j(std::string_view text) {
  static const std::vector<Suffix> k = {{"J", 1},          {"kJ", 1e3},         {"MJ", 1e6},
                                        {"GJ", 1e9},       {"Wh", 3600},        {"kWh", 3.6e6},
                                        {"MWh", 3.6e9},    {"GWh", 3.6e12}};
  return parse_with(text, k, Bare::ALLOWED, "an energy such as 5kWh, 3MWh or 1GJ (or joules)");
}

Parsed bandwidth_Bps(std::string_view text) {
  static const std::vector<Suffix> k = {
      {"bps", 1.0 / 8},   {"Kbps", 1e3 / 8},  {"kbps", 1e3 / 8},  {"Mbps", 1e6 / 8}, {"Gbps", 1e9 / 8},
      {"Tbps", 1e12 / 8}, {"b/s", 1.0 / 8},   {"Kb/s", 1e3 / 8},  {"Mb/s", 1e6 / 8}, {"Gb/s", 1e9 / 8},
      {"Tb/s", 1e12 / 8}, {"Bps", 1},         {"KBps", 1e3},      {"kBps", 1e3},     {"MBps", 1e6},
      {"GBps", 1e9},      {"TBps", 1e12},     {"B/s", 1},         {"KB/s", 1e3},     {"MB/s", 1e6},
      {"GB/s", 1e9},      {"TB/s", 1e12}};
  return parse_with(text, k, Bare::ALLOWED,
                    "a bandwidth such as 400Gbps (bits) or 900GBps (bytes), or a number of bytes/s");
}

Parsed bytes(std::string_view text) {
  static const std::vector<Suffix> k = {{"B", 1},
                                        {"KB", 1e3},
                                        {"kB", 1e3},
                                        {"MB", 1e6},
                                        {"GB", 1e9},
                                        {"TB", 1e12},
                                        {"PB", 1e15},
                                        {"KiB", 1024.0},
                                        {"MiB", 1024.0 * 1024},
                                        {"GiB", 1024.0 * 1024 * 1024},
                                        {"TiB", 1024.0 * 1024 * 1024 * 1024}};
  return parse_with(text, k, Bare::ALLOWED, "a size such as 80GB, 141GB or 192GiB (or bytes)");
}

Parsed flops(std::string_view text) {
  static const std::vector<Suffix> k = {{"FLOPS", 1},         {"FLOP/s", 1},       {"GFLOPS", 1e9},
                                        {"GFLOP/s", 1e9},     {"TFLOPS", 1e12},    {"TFLOP/s", 1e12},
                                        {"PFLOPS", 1e15},     {"PFLOP/s", 1e15}};
  return parse_with(text, k, Bare::ALLOWED, "a compute rate such as 989TFLOPS or 2.25PFLOPS (or FLOP/s)");
}

Parsed usd(std::string_view text) {
  std::string_view t = trim(text);
  if (!t.empty() && t.front() == '$') t.remove_prefix(1);
  static const std::vector<Suffix> k = {{"USD", 1}, {"k", 1e3}, {"M", 1e6}, {"B", 1e9}};
  return parse_with(t, k, Bare::ALLOWED, "an amount in US dollars such as $2.50, 25000 or $1.2M");
}

Parsed number(std::string_view text) {
  static const std::vector<Suffix> k = {{"k", 1e3}, {"K", 1e3}, {"M", 1e6}, {"G", 1e9}, {"T", 1e12}};
  return parse_with(text, k, Bare::ALLOWED, "a number");
}

std::string format_si(double value, std::string_view unit) {
  static const std::pair<double, const char*> prefixes[] = {{1e15, "P"}, {1e12, "T"}, {1e9, "G"},
                                                            {1e6, "M"},  {1e3, "k"},  {1, ""}};
  double a = std::fabs(value);
  for (const auto& [f, p] : prefixes)
    if (a >= f) return fmt::format("{:.4g} {}{}", value / f, p, unit);
  return fmt::format("{:.4g} {}", value, unit);
}

}  // namespace gwsim::units
