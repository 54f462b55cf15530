#pragma once
// Unit strings are parsed here, at the edge, and nowhere else: everything
// inside gwsim is SI (seconds, bytes, bytes/s, FLOP/s, watts, joules, USD).
//
// Each parser accepts a plain number (already SI) or a number followed by a
// unit of its dimension, with optional space: "3h", "400Gbps", "900GBps",
// "700W", "1.2GW", "80GiB", "989TFLOPS". Bits and bytes are told apart by
// case: "b" is a bit, "B" a byte. Values must be finite; ranges are checked by
// the caller, which knows the key.
#include <optional>
#include <string>
#include <string_view>

namespace gwsim::units {

/// The result of a parse: the SI value, or an explanation of what was expected.
struct Parsed {
  std::optional<double> value;
  std::string expected;  ///< set when value is empty: e.g. "a duration such as 30s, 2h, 7d"
};

Parsed duration_s(std::string_view text);       ///< s, ms, min (or m), h, d, w
Parsed power_w(std::string_view text);          ///< W, kW, MW, GW
Parsed energy_j(std::string_view text);         ///< J, kJ, MJ, Wh, kWh, MWh, GWh
Parsed bandwidth_Bps(std::string_view text);    ///< bps, Kbps, Mbps, Gbps, Tbps (bits); Bps, KBps, MBps, GBps, TBps (bytes); also Gb/s, GB/s
Parsed bytes(std::string_view text);            ///< B, KB, MB, GB, TB, PB (10^3); KiB, MiB, GiB, TiB (2^10)
Parsed flops(std::string_view text);            ///< FLOPS, TFLOPS, PFLOPS (also FLOP/s)
Parsed usd(std::string_view text);              ///< "$2.50", "2.5", "2.5USD"
Parsed number(std::string_view text);           ///< a plain finite number, with optional k/M/G/T suffix for counts ("1.5M")
Parsed latency_s(std::string_view text);        ///< s, ms, us, ns

/// Shortest human form of an SI quantity for messages and tables: 1.2e9 W -> "1.2 GW".
std::string format_si(double value, std::string_view unit);

}  // namespace gwsim::units
