#pragma once
// Money, without SimGrid: the energy tariff (integrated exactly over time),
// capital cost and its straight-line depreciation, rental prices, SLA credits,
// and the books per tenant class that the run's summary reports.
// docs/operations.md#economics has the equations and the source of each default.
#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "workloads/job_request.hpp"

namespace gwsim::sim {

/// A time-of-day period with its own energy price: [from_s, to_s) seconds after midnight.
struct TariffPeriod {
  double from_s = 0;
  double to_s = 0;
  double price_usd_per_kwh = 0;
};

/// Energy price as a function of the time of day (the run starts at midnight),
/// repeating daily: a base price, replaced inside the listed periods.
class Tariff {
 public:
  /// Throws Error(SCENARIO) on periods outside [0, 24h], empty or overlapping.
  explicit Tariff(double base_usd_per_kwh = 0, std::vector<TariffPeriod> periods = {});
  double price_at(double t_s) const;
  /// Integral of the price from 0 to t, in USD * s / kWh (exact, piecewise).
  double integral(double t_s) const;
  /// Cost of drawing a constant `power_w` from t0 to t1: P/1000 * (integral(t1) - integral(t0)) / 3600.
  double cost_usd(double power_w, double t0_s, double t1_s) const;
  double base_usd_per_kwh() const { return base_; }
  const std::vector<TariffPeriod>& periods() const { return periods_; }

 private:
  double within_day(double s) const;  ///< integral from midnight to s (0 <= s <= 1 day)
  double base_;
  std::vector<TariffPeriod> periods_;  ///< sorted by from_s
  double per_day_ = 0;
};

/// One step of an SLA's credit schedule: below `availability` (a fraction),
/// `credit_fraction` of the bill is credited.
struct SlaTier {
  double availability = 1;
  double credit_fraction = 0;
};

/// The credit fraction the schedule gives at an availability: the tier with the
/// lowest threshold still above it (tiers in any order); 0 when none is.
double sla_credit_fraction(const std::vector<SlaTier>& tiers, double availability);

/// Amazon Compute SLA, instance-level commitment (99.5% monthly uptime):
/// below 99.5% 10%, below 99.0% 30%, below 95.0% 100% of the instance's charges.
std::vector<SlaTier> aws_instance_sla();

struct EconomicsConfig {
  /// Straight-line life of the IT equipment. 5 years: Amazon's useful life for
  /// (a subset of) servers and networking equipment from 2025 (Amazon 10-K for
  /// 2024, shortened from 6 years).
  double depreciation_years = 5;
  /// Per node beyond its GPUs (CPUs, memory, NICs, storage, chassis): < 0 means
  /// 7,500 USD per GPU slot of the node, an assumption for HGX-class servers.
  double node_cost_usd = -1;
  /// Facility (building, power and cooling plant) per watt of IT capacity; 0
  /// leaves the building out of the capital cost.
  double facility_cost_usd_per_w = 0;
  Tariff tariff{0.081};  ///< EIA Electric Power Monthly: US average industrial retail price, 2024, about 8.1 cents/kWh
  /// Price per GPU-hour charged to external requests that carry none, per kind
  /// (H100 price points; see docs/operations.md#prices). Internal kinds: 0.
  std::array<double, workloads::JOB_KIND_COUNT> default_price_usd_per_gpu_hour{};
  std::vector<SlaTier> sla = aws_instance_sla();

  EconomicsConfig();
};

/// Capital cost of the installed fleet, spares included.
struct Capex {
  double gpus_usd = 0;
  double nodes_usd = 0;
  double network_usd = 0;
  double facility_usd = 0;
  double total_usd() const { return gpus_usd + nodes_usd + network_usd + facility_usd; }
};

Capex capex_of(int64_t gpus, double gpu_price_usd, int64_t nodes, double node_cost_usd, double network_cost_usd,
               double it_capacity_w, double facility_cost_usd_per_w);

/// Straight-line depreciation of `capex` over `years` (of 365.25 days), for `duration_s`.
double depreciation_usd(const Capex& capex, double years, double duration_s);

/// Who the money and the energy are booked to. IDLE holds what no job holds:
/// unallocated GPUs, spares, down nodes, the network and cooling of all that.
enum class TenantClass : uint8_t { INTERNAL, LEASE, ON_DEMAND, SPOT, API, IDLE };
inline constexpr int TENANT_CLASS_COUNT = 6;
const char* to_string(TenantClass c);
/// Inference services earn API revenue; other internal work is INTERNAL;
/// external work by kind (external jobs of other kinds count as on-demand).
TenantClass tenant_class(workloads::Tenant tenant, workloads::JobKind kind);

struct ClassBook {
  double gpu_hours = 0;
  double revenue_usd = 0;
  double sla_credit_usd = 0;
  double energy_j = 0;          ///< facility energy (PUE included)
  double energy_cost_usd = 0;
  double depreciation_usd = 0;
  double margin_usd() const { return revenue_usd - sla_credit_usd - energy_cost_usd - depreciation_usd; }
};

struct Books {
  std::array<ClassBook, TENANT_CLASS_COUNT> by_class{};
  ClassBook total() const;
  /// Rental and API revenue net of SLA credits, over the depreciation of the whole fleet for the run.
  double depreciation_offset() const;
};

/// Books each class's share of `depreciation_usd` by the GPU-hours it held, out
/// of the fleet's installed GPU-hours; what nobody held goes to IDLE (its
/// gpu_hours are set to the remainder).
void allocate_depreciation(Books& books, double depreciation_usd, double installed_gpu_hours);

}  // namespace gwsim::sim
