// Money without SimGrid: the tariff's integral, SLA credits, capital cost,
// depreciation and the books per tenant class, by hand.
#include <gtest/gtest.h>

#include "common/error.hpp"
#include "sim/operations/economics.hpp"

using namespace gwsim::sim;

namespace {
constexpr double H = 3600;
}

TEST(Economics, TariffIntegratesPiecewiseAndRepeatsDaily) {
  const Tariff t(0.10, {{17 * H, 21 * H, 0.25}, {0, 6 * H, 0.05}});
  EXPECT_DOUBLE_EQ(t.price_at(3 * H), 0.05);
  EXPECT_DOUBLE_EQ(t.price_at(12 * H), 0.10);
  EXPECT_DOUBLE_EQ(t.price_at(18 * H + 86400), 0.25);
  // One day: 6h x 0.05 + 4h x 0.25 + 14h x 0.10 = 2.7 $*h/kWh.
  EXPECT_NEAR(t.integral(86400), 2.7 * H, 1e-9);
  // 1 MW from 16h to 30h (next day 6h): 1h x 0.10 + 4h x 0.25 + 3h x 0.10 + 6h x 0.05 = 1.7 $/kWh*h.
  EXPECT_NEAR(t.cost_usd(1e6, 16 * H, 30 * H), 1000 * 1.7, 1e-9);
  EXPECT_THROW(Tariff(0.1, {{0, 10 * H, 0.2}, {9 * H, 12 * H, 0.3}}), gwsim::Error) << "overlap";
  EXPECT_THROW(Tariff(0.1, {{20 * H, 25 * H, 0.2}}), gwsim::Error) << "past midnight";
}

TEST(Economics, AwsInstanceSlaCreditsByMonthlyUptime) {
  const auto sla = aws_instance_sla();
  EXPECT_DOUBLE_EQ(sla_credit_fraction(sla, 1.0), 0);
  EXPECT_DOUBLE_EQ(sla_credit_fraction(sla, 0.995), 0) << "99.5% meets the commitment";
  EXPECT_DOUBLE_EQ(sla_credit_fraction(sla, 0.994), 0.10);
  EXPECT_DOUBLE_EQ(sla_credit_fraction(sla, 0.99), 0.10);
  EXPECT_DOUBLE_EQ(sla_credit_fraction(sla, 0.975), 0.30);
  EXPECT_DOUBLE_EQ(sla_credit_fraction(sla, 0.949), 1.00);
}

TEST(Economics, DepreciationIsStraightLineOverTheLife) {
  // 512 H100 at $25k, 64 nodes at $60k, a $1M network: $17.64M over 5 years; 30 days of it.
  const Capex c = capex_of(512, 25000, 64, 60000, 1e6, 0, 10);
  EXPECT_DOUBLE_EQ(c.total_usd(), 512 * 25000.0 + 64 * 60000.0 + 1e6);
  EXPECT_NEAR(depreciation_usd(c, 5, 30 * 86400), 17.64e6 * 30 / (5 * 365.25), 1e-6);
  EXPECT_DOUBLE_EQ(capex_of(8, 1, 1, 1, 0, 2e6, 10).facility_usd, 2e7) << "$10/W of IT capacity";
}

TEST(Economics, BooksAllocateDepreciationByGpuHoursAndMarginIsWhatIsLeft) {
  // 100 installed GPU-hours, $1,000 of depreciation: internal held 50, a lease 30
  // (paid $60, $6 credited), the rest idle.
  Books b;
  auto& internal = b.by_class[size_t(TenantClass::INTERNAL)];
  auto& lease = b.by_class[size_t(TenantClass::LEASE)];
  internal.gpu_hours = 50;
  internal.energy_cost_usd = 40;
  lease.gpu_hours = 30;
  lease.revenue_usd = 60;
  lease.sla_credit_usd = 6;
  lease.energy_cost_usd = 20;
  allocate_depreciation(b, 1000, 100);
  EXPECT_DOUBLE_EQ(internal.depreciation_usd, 500);
  EXPECT_DOUBLE_EQ(lease.depreciation_usd, 300);
  EXPECT_DOUBLE_EQ(b.by_class[size_t(TenantClass::IDLE)].gpu_hours, 20);
  EXPECT_DOUBLE_EQ(b.by_class[size_t(TenantClass::IDLE)].depreciation_usd, 200);
  EXPECT_DOUBLE_EQ(lease.margin_usd(), 60 - 6 - 20 - 300);
  EXPECT_DOUBLE_EQ(b.total().margin_usd(), 60 - 6 - 60 - 1000);
  EXPECT_DOUBLE_EQ(b.depreciation_offset(), (60 - 6) / 1000.0);
}

TEST(Economics, TenantClassesFollowTenantAndKind) {
  using gwsim::workloads::JobKind;
  using gwsim::workloads::Tenant;
  EXPECT_EQ(tenant_class(Tenant::INTERNAL, JobKind::PRETRAIN), TenantClass::INTERNAL);
  EXPECT_EQ(tenant_class(Tenant::EXTERNAL, JobKind::LEASE), TenantClass::LEASE);
  EXPECT_EQ(tenant_class(Tenant::EXTERNAL, JobKind::SPOT), TenantClass::SPOT);
  EXPECT_EQ(tenant_class(Tenant::EXTERNAL, JobKind::RESEARCH), TenantClass::ON_DEMAND);
  EXPECT_EQ(tenant_class(Tenant::INTERNAL, JobKind::INFERENCE), TenantClass::API);
}

TEST(Economics, DefaultPricesAreForExternalKindsOnly) {
  const EconomicsConfig c;
  using gwsim::workloads::JobKind;
  EXPECT_DOUBLE_EQ(c.default_price_usd_per_gpu_hour[size_t(JobKind::ON_DEMAND)], 2.99);
  EXPECT_LT(c.default_price_usd_per_gpu_hour[size_t(JobKind::LEASE)], 2.99) << "reserved below on-demand";
  EXPECT_LT(c.default_price_usd_per_gpu_hour[size_t(JobKind::SPOT)],
            c.default_price_usd_per_gpu_hour[size_t(JobKind::LEASE)]);
  EXPECT_DOUBLE_EQ(c.default_price_usd_per_gpu_hour[size_t(JobKind::PRETRAIN)], 0);
}
