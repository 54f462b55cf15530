#pragma once
// The headline a run prints on stdout: the summary (the flat list that
// summary.json keeps in full) read for a person, in at most 30 lines, grouped
// (fleet and demand; internal work; rented; money; power; failures), in the
// units a person uses (h, d, MWh, kW/MW, $k/$M/$B, %), with no scientific
// notation, and with rows and groups that have nothing to say left out.
// docs/results.md#the-headline describes every row.
//
// The headline is built from the summary values by name, so a report (HTML,
// a notebook) can show the same lines from a summary.json: make_headline()
// gives the groups as data, format_headline() renders them as text.
#include <cstdint>
#include <string>
#include <vector>

#include "results/records.hpp"

namespace gwsim::results {

/// What the headline says beside the summary values.
struct HeadlineNotes {
  std::string title;                            ///< first line, e.g. "gwsim run: quickstart (seed 42)"
  std::vector<uint64_t> larger_than_cluster;    ///< ids of the first jobs larger than the cluster (named in the headline)
};

/// One line of a group: a label and its value, already in words and units.
struct HeadlineRow {
  std::string label;
  std::string value;
};

/// A titled group of rows; a group is never empty.
struct HeadlineGroup {
  std::string title;
  std::vector<HeadlineRow> rows;
};

struct Headline {
  std::string title;
  std::vector<HeadlineGroup> groups;
};

/// Reads the summary values by name (a name that is absent reads as 0) and
/// keeps the rows with something to say.
Headline make_headline(const std::vector<SummaryValue>& summary, const HeadlineNotes& notes);

/// "== title ==", then each group's title and its rows, indented and aligned.
std::string format_headline(const Headline& headline);

// The formats the headline uses, for other views of the same numbers. None
// ever writes an exponent; a value that is not finite reads "n/a".

/// Whole number with thousands separators: 1774 -> "1,774".
std::string format_count(double n);
/// Large counts in words: 1.64395e11 -> "164.4 billion"; below a million, format_count.
std::string format_large_count(double n);
/// Duration from seconds: "45 s", "6.5 min", "2.6 h", "14 d", "3.5 d" (minutes from 100 s,
/// hours from 60 min, days from 48 h; whole days print whole).
std::string format_duration(double seconds);
/// Dollars: "$950", "$105.9k", "$21.7M", "$1.25B"; negative as "-$68.5k".
std::string format_usd(double usd);
/// Energy from MWh: "850 kWh" below 1 MWh, "44.1 MWh" below 100, else whole: "103 MWh", "33,320 MWh".
std::string format_energy_mwh(double mwh);
/// Power from MW: "306 kW" below 1 MW, else "1.26 MW", "25.7 MW".
std::string format_power_mw(double mw);
/// A fraction as a percentage: 0.615264 -> "61.5%".
std::string format_percent(double fraction);

}  // namespace gwsim::results
