#include <gtest/gtest.h>

#include "common/units.hpp"

using namespace gwsim::units;

TEST(Units, DurationsAcceptSuffixes) {
  EXPECT_DOUBLE_EQ(*duration_s("30s").value, 30);
  EXPECT_DOUBLE_EQ(*duration_s("15min").value, 900);
  EXPECT_DOUBLE_EQ(*duration_s("2h").value, 7200);
  EXPECT_DOUBLE_EQ(*duration_s("7d").value, 604800);
  EXPECT_DOUBLE_EQ(*duration_s("1w").value, 604800);
  EXPECT_DOUBLE_EQ(*duration_s(" 1.5 h ").value, 5400);
}

// `horizon: 72` could mean seconds, hours or days: a time needs its unit
// (issue 20); 0 is 0 in every unit.
TEST(Units, ATimeWithoutAUnitIsRefusedExceptZero) {
  for (auto parse : {&duration_s, &latency_s}) {
    const Parsed p = parse("72");
    EXPECT_FALSE(p.value);
    EXPECT_NE(p.expected.find("with a unit, e.g."), std::string::npos) << p.expected;
    EXPECT_FALSE(parse("1.5").value);
    EXPECT_DOUBLE_EQ(*parse("0").value, 0);
  }
  EXPECT_NE(duration_s("72").expected.find("72h"), std::string::npos);
  EXPECT_DOUBLE_EQ(*duration_s("72h").value, 72 * 3600.0);
}

TEST(Units, BitsAndBytesAreToldApartByCase) {
  EXPECT_DOUBLE_EQ(*bandwidth_Bps("400Gbps").value, 50e9);
  EXPECT_DOUBLE_EQ(*bandwidth_Bps("900GBps").value, 900e9);
  EXPECT_DOUBLE_EQ(*bandwidth_Bps("200Gb/s").value, 25e9);
  EXPECT_DOUBLE_EQ(*bandwidth_Bps("1e9").value, 1e9);
}

TEST(Units, PowerEnergySizeFlopsMoney) {
  EXPECT_DOUBLE_EQ(*power_w("700W").value, 700);
  EXPECT_DOUBLE_EQ(*power_w("1.2GW").value, 1.2e9);
  EXPECT_DOUBLE_EQ(*power_w("120kW").value, 120e3);
  EXPECT_DOUBLE_EQ(*energy_j("1kWh").value, 3.6e6);
  EXPECT_DOUBLE_EQ(*bytes("80GB").value, 80e9);
  EXPECT_DOUBLE_EQ(*bytes("1GiB").value, 1073741824.0);
  EXPECT_DOUBLE_EQ(*flops("989.4TFLOPS").value, 989.4e12);
  EXPECT_DOUBLE_EQ(*usd("$2.50").value, 2.5);
  EXPECT_DOUBLE_EQ(*number("16k").value, 16000);
  EXPECT_DOUBLE_EQ(*latency_s("2us").value, 2e-6);
}

TEST(Units, RejectsWrongDimensionGarbageAndNonFinite) {
  EXPECT_FALSE(duration_s("5GW").value);
  EXPECT_FALSE(power_w("3h").value);
  EXPECT_FALSE(bandwidth_Bps("fast").value);
  EXPECT_FALSE(number("nan").value);
  EXPECT_FALSE(number("inf").value);
  EXPECT_FALSE(number("").value);
  EXPECT_FALSE(number("0x10").value);
  EXPECT_NE(duration_s("soon").expected.find("duration"), std::string::npos);
}
