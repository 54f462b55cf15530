#pragma once
// Market prices of GPU capacity over time: one monthly series per GPU type and
// contract kind (on_demand, lease_1y, spot), in USD per GPU-hour. A series is
// dense: one point per month from its first to its last, in order, each >= 0.
// Before its first month a series reads its first value, after its last its
// last (docs/finance.md#prices). The shipped series are CSV files under
// data/prices/ with their sources in the header.
#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "common/error.hpp"

namespace gwsim::finance {

enum class ContractKind : uint8_t { ON_DEMAND, LEASE_1Y, SPOT };
inline constexpr int CONTRACT_KIND_COUNT = 3;
const char* to_string(ContractKind k);
/// "on_demand", "lease_1y", "spot"; false when the name is none of them.
bool parse_contract_kind(const std::string& name, ContractKind& out);

class PriceSeries {
 public:
  /// Appends the point of `month`. Throws Error(SCENARIO) at `where` when the
  /// price is negative or not finite, when the month is not after the last
  /// one (out of order), or when months are missing between them (a gap).
  void add(int64_t month, double usd_per_gpu_hour, const Where& where);
  bool empty() const { return points_.empty(); }
  int64_t first_month() const { return first_; }
  int64_t last_month() const { return first_ + static_cast<int64_t>(points_.size()) - 1; }
  /// The month's price, held constant before the first and after the last month.
  double at_month(int64_t month) const;

 private:
  int64_t first_ = 0;
  std::vector<double> points_;
};

/// The series of each (GPU type, kind).
class PriceBook {
 public:
  PriceSeries& series(const std::string& gpu, ContractKind kind) { return series_[{gpu, kind}]; }
  /// nullptr when no series is given for the pair.
  const PriceSeries* find(const std::string& gpu, ContractKind kind) const;
  bool empty() const { return series_.empty(); }
  std::vector<std::pair<std::string, ContractKind>> keys() const;

 private:
  std::map<std::pair<std::string, ContractKind>, PriceSeries> series_;
};

/// Reads a price CSV into `book`: lines starting with '#' are comments, the
/// first other line is the header `month,gpu,kind,usd_per_gpu_hour`, then one
/// row per month and series (month as YYYY-MM or YYYY-MM-01). Throws
/// Error(SCENARIO) naming the file, line and column of the first bad row.
void read_price_csv(const std::string& path, PriceBook& book);

}  // namespace gwsim::finance
