#include "finance/ledger.hpp"

#include "finance/calendar.hpp"
#include "finance/metrics.hpp"

namespace gwsim::finance {

double MonthBooks::rental_revenue_usd() const {
  double s = 0;
  for (double r : revenue_usd) s += r;
  return s;
}

MonthBooks& MonthBooks::operator+=(const MonthBooks& o) {
  gpus_online += o.gpus_online;
  internal_gpu_hours += o.internal_gpu_hours;
  for (int k = 0; k < CONTRACT_KIND_COUNT; ++k) {
    rented_gpu_hours[k] += o.rented_gpu_hours[k];
    revenue_usd[k] += o.revenue_usd[k];
  }
  internal_value_usd += o.internal_value_usd;
  energy_usd += o.energy_usd;
  depreciation_usd += o.depreciation_usd;
  capex_usd += o.capex_usd;
  salvage_usd += o.salvage_usd;
  return *this;
}

Measures measure(const std::vector<MonthBooks>& months, int64_t first_month, double rate, double terminal_value) {
  Measures out;
  std::vector<double> flows;
  flows.reserve(months.size());
  for (size_t i = 0; i < months.size(); ++i) {
    const MonthBooks& m = months[i];
    flows.push_back(m.cash_flow_usd());
    out.cash_flow_usd += flows.back();
    const int year = year_of_month(first_month + static_cast<int64_t>(i));
    if (out.years.empty() || out.years.back().year != year) out.years.push_back(YearCoverage{year});
    YearCoverage& y = out.years.back();
    y.rental_revenue_usd += m.rental_revenue_usd();
    y.depreciation_usd += m.depreciation_usd;
    y.cash_flow_usd += flows.back();
  }
  out.payback_months = payback_months(flows);
  out.terminal_value_usd = terminal_value;
  if (!flows.empty()) flows.back() += terminal_value;
  out.npv_usd = npv(rate, flows);
  out.irr = irr(flows);
  return out;
}

}  // namespace gwsim::finance
