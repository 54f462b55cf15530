#include "finance/price_series.hpp"

#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <fmt/format.h>
#include <fstream>
#include <sstream>

#include "finance/calendar.hpp"

namespace gwsim::finance {

const char* to_string(ContractKind k) {
  switch (k) {
    case ContractKind::ON_DEMAND: return "on_demand";
    case ContractKind::LEASE_1Y: return "lease_1y";
    case ContractKind::SPOT: return "spot";
  }
  return "?";
}

bool parse_contract_kind(const std::string& name, ContractKind& out) {
  for (int i = 0; i < CONTRACT_KIND_COUNT; ++i)
    if (name == to_string(static_cast<ContractKind>(i))) {
      out = static_cast<ContractKind>(i);
      return true;
    }
  return false;
}

void PriceSeries::add(int64_t month, double price, const Where& where) {
  if (!std::isfinite(price) || price < 0)
    fail(ExitCode::SCENARIO, where, "a price in USD per GPU-hour >= 0", fmt::format("{}", price));
  if (!points_.empty()) {
    const int64_t next = last_month() + 1;
    if (month < next)
      fail(ExitCode::SCENARIO, where, fmt::format("months in order, the next after {} being {}", format_month(next - 1),
                                                  format_month(next)),
           fmt::format("{} (out of order)", format_month(month)));
    if (month > next)
      fail(ExitCode::SCENARIO, where, fmt::format("one point per month: {} after {}", format_month(next),
                                                  format_month(next - 1)),
           fmt::format("{} (a gap of {} months)", format_month(month), month - next));
  } else {
    first_ = month;
  }
  points_.push_back(price);
}

double PriceSeries::at_month(int64_t month) const {
  if (points_.empty()) return 0;
  if (month <= first_) return points_.front();
  if (month >= last_month()) return points_.back();
  return points_[static_cast<size_t>(month - first_)];
}

const PriceSeries* PriceBook::find(const std::string& gpu, ContractKind kind) const {
  const auto it = series_.find({gpu, kind});
  return it == series_.end() ? nullptr : &it->second;
}

std::vector<std::pair<std::string, ContractKind>> PriceBook::keys() const {
  std::vector<std::pair<std::string, ContractKind>> out;
  for (const auto& [k, s] : series_) out.push_back(k);
  return out;
}

namespace {
std::vector<std::string> split_csv(const std::string& line) {
  std::vector<std::string> out;
  std::string cell;
  std::istringstream ss(line);
  while (std::getline(ss, cell, ',')) {
    while (!cell.empty() && std::isspace(static_cast<unsigned char>(cell.back()))) cell.pop_back();
    size_t b = 0;
    while (b < cell.size() && std::isspace(static_cast<unsigned char>(cell[b]))) ++b;
    out.push_back(cell.substr(b));
  }
  if (!line.empty() && line.back() == ',') out.emplace_back();
  return out;
}
}  // namespace

void read_price_csv(const std::string& path, PriceBook& book) {
  std::ifstream in(path);
  if (!in)
    throw Error(ExitCode::SCENARIO, fmt::format("{}: cannot open the price file ({})", path, std::strerror(errno)));
  static const std::vector<std::string> HEADER = {"month", "gpu", "kind", "usd_per_gpu_hour"};
  std::string line;
  int n = 0;
  bool header = false;
  while (std::getline(in, line)) {
    ++n;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty() || line[0] == '#') continue;
    const auto cells = split_csv(line);
    if (!header) {
      if (cells != HEADER)
        fail(ExitCode::SCENARIO, Where{path, n, ""}, "the header month,gpu,kind,usd_per_gpu_hour", line);
      header = true;
      continue;
    }
    if (cells.size() != 4)
      fail(ExitCode::SCENARIO, Where{path, n, ""}, "4 columns (month,gpu,kind,usd_per_gpu_hour)",
           fmt::format("{} columns", cells.size()));
    const auto day = parse_iso_date(cells[0]);
    if (!day || civil_from_days(*day).day != 1)
      fail(ExitCode::SCENARIO, Where{path, n, "month"}, "a month such as 2024-03 (or 2024-03-01)", cells[0]);
    ContractKind kind;
    if (!parse_contract_kind(cells[2], kind))
      fail(ExitCode::SCENARIO, Where{path, n, "kind"}, "on_demand, lease_1y or spot", cells[2]);
    if (cells[1].empty()) fail(ExitCode::SCENARIO, Where{path, n, "gpu"}, "a GPU type such as H100", "nothing");
    char* end = nullptr;
    const double price = std::strtod(cells[3].c_str(), &end);
    if (cells[3].empty() || end != cells[3].c_str() + cells[3].size())
      fail(ExitCode::SCENARIO, Where{path, n, "usd_per_gpu_hour"}, "a number", cells[3]);
    book.series(cells[1], kind).add(month_of(*day), price, Where{path, n, ""});
  }
  if (!header) fail(ExitCode::SCENARIO, Where{path, 0, ""}, "a header and monthly rows", "no rows");
}

}  // namespace gwsim::finance
