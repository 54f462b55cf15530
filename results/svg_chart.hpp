#pragma once
// Charts as inline SVG text, for report.html (docs/results.md#report): no
// script, no font or asset from the network, so a report opens offline in any
// browser. Every chart is an <svg id="chart-<id>"> with a title, axes with
// ticks and their units, a legend, and one <path class="series"> per line or
// <rect class="bar"> per bar; a chart without data says so in its plot area
// (class "no-data") instead of being blank. Output depends only on the input:
// numbers are printed with fixed precision.
#include <string>
#include <vector>

namespace gwsim::results::svg {

/// One line of a line chart: points in data units, drawn in order.
struct Line {
  std::string label;  ///< legend text
  std::string color;  ///< CSS colour
  std::vector<double> x, y;
  bool dashed = false;  ///< a reference line (a budget)
  bool step = false;    ///< hold each y until the next x (a counter), instead of joining points
};

struct LineChart {
  std::string id;       ///< becomes id="chart-<id>"
  std::string title;
  std::string x_label;  ///< with its unit: "simulated time (days)"
  std::string y_label;  ///< with its unit: "GPUs in use (fraction)"
  std::vector<Line> lines;
  std::string note;     ///< a line under the title ("12 jobs never started"); optional
  std::string empty;    ///< what the plot area says when no line has a point
  bool y_from_zero = true;
};

/// One series of a bar chart: a value per category; lo/hi, when given, an
/// error bar (a confidence interval) per category.
struct Bars {
  std::string label;
  std::string color;
  std::vector<double> value;
  std::vector<double> lo, hi;  ///< empty, or one per category
};

struct BarChart {
  std::string id, title, y_label, note, empty;
  std::vector<std::string> categories;  ///< x-axis labels
  std::vector<Bars> series;             ///< grouped side by side in each category
  std::string x_label;                  ///< under the category labels; optional
};

std::string render(const LineChart& chart);
std::string render(const BarChart& chart);

/// "Nice" tick positions (1, 2 or 5 times a power of ten apart) covering
/// [lo, hi] with about `target` intervals: nice_ticks(0, 0.87) = 0, 0.2, ..., 1.
std::vector<double> nice_ticks(double lo, double hi, int target = 5);
/// A tick's text with as many decimals as the step between ticks needs:
/// format_tick(0.25, 0.05) = "0.25", format_tick(2000000, 500000) = "2M".
std::string format_tick(double value, double step);
/// Text made safe for HTML/SVG content and attribute values.
std::string escape(const std::string& text);

/// Colours of the report, colour-blind safe (Okabe and Ito, "Color Universal
/// Design", 2008): tenant and variant series take them in this order.
const std::vector<std::string>& palette();

}  // namespace gwsim::results::svg
