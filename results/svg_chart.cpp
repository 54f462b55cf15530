#include "results/svg_chart.hpp"

#include <algorithm>
#include <cmath>
#include <fmt/format.h>
#include <limits>

namespace gwsim::results::svg {
namespace {

// Geometry of every chart, in SVG user units (the page scales them).
constexpr double WIDTH = 760, HEIGHT = 330;
constexpr double LEFT = 88, RIGHT = 24, TOP = 56, BOTTOM = 86;
constexpr double PLOT_W = WIDTH - LEFT - RIGHT, PLOT_H = HEIGHT - TOP - BOTTOM;

std::string num(double v) { return fmt::format("{:.1f}", v); }

struct Range {
  double lo = std::numeric_limits<double>::infinity();
  double hi = -std::numeric_limits<double>::infinity();
  void add(double v) {
    if (!std::isfinite(v)) return;
    lo = std::min(lo, v);
    hi = std::max(hi, v);
  }
  bool empty() const { return lo > hi; }
};

// The frame every chart shares: background, title, note and, when there is
// nothing to draw, the plot area's message.
std::string open_chart(const std::string& id, const std::string& title, const std::string& note) {
  std::string s = fmt::format(
      "<svg id=\"chart-{}\" class=\"chart\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {} {}\" role=\"img\" "
      "aria-label=\"{}\">\n",
      escape(id), WIDTH, HEIGHT, escape(title));
  s += fmt::format("<text class=\"title\" x=\"{}\" y=\"22\">{}</text>\n", num(LEFT), escape(title));
  if (!note.empty()) s += fmt::format("<text class=\"note\" x=\"{}\" y=\"40\">{}</text>\n", num(LEFT), escape(note));
  return s;
}

std::string no_data(const std::string& message) {
  return fmt::format(
      "<rect class=\"frame\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\"/>\n"
      "<text class=\"no-data\" x=\"{}\" y=\"{}\" text-anchor=\"middle\">{}</text>\n</svg>\n",
      num(LEFT), num(TOP), num(PLOT_W), num(PLOT_H), num(LEFT + PLOT_W / 2), num(TOP + PLOT_H / 2),
      escape(message.empty() ? "no data in this run" : message));
}

std::string y_axis(const std::vector<double>& ticks, double lo, double hi, const std::string& label) {
  std::string s;
  const double step = ticks.size() > 1 ? ticks[1] - ticks[0] : 1.0;
  for (double t : ticks) {
    const double y = TOP + PLOT_H * (1 - (t - lo) / (hi - lo));
    s += fmt::format("<line class=\"grid\" x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\"/>", num(LEFT), num(y),
                     num(LEFT + PLOT_W), num(y));
    s += fmt::format("<text class=\"tick\" x=\"{}\" y=\"{}\" text-anchor=\"end\">{}</text>\n", num(LEFT - 6),
                     num(y + 4), format_tick(t, step));
  }
  s += fmt::format(
      "<text class=\"axis-label\" transform=\"translate(16 {}) rotate(-90)\" text-anchor=\"middle\">{}</text>\n",
      num(TOP + PLOT_H / 2), escape(label));
  return s;
}

std::string legend(const std::vector<std::pair<std::string, std::string>>& entries,
                   const std::vector<bool>& dashed) {
  std::string s = "<g class=\"legend\">";
  double x = LEFT;
  const double y = HEIGHT - 18;
  for (size_t i = 0; i < entries.size(); ++i) {
    const auto& [label, color] = entries[i];
    s += fmt::format("<line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke=\"{}\" stroke-width=\"3\"{}/>", num(x),
                     num(y - 4), num(x + 22), num(y - 4), escape(color),
                     i < dashed.size() && dashed[i] ? " stroke-dasharray=\"6 4\"" : "");
    s += fmt::format("<text class=\"legend-label\" x=\"{}\" y=\"{}\">{}</text>", num(x + 28), num(y), escape(label));
    // Text of about 7 units per character at the legend's size.
    x += 44 + 7.0 * static_cast<double>(label.size());
  }
  return s + "</g>\n";
}

}  // namespace

const std::vector<std::string>& palette() {
  static const std::vector<std::string> colors = {"#0072B2", "#E69F00", "#009E73", "#CC79A7",
                                                  "#56B4E9", "#D55E00", "#F0E442", "#000000"};
  return colors;
}

std::string escape(const std::string& text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      default: out += c;
    }
  }
  return out;
}

std::vector<double> nice_ticks(double lo, double hi, int target) {
  if (!(hi > lo)) hi = lo + 1;
  const double raw = (hi - lo) / std::max(target, 1);
  const double mag = std::pow(10.0, std::floor(std::log10(raw)));
  const double norm = raw / mag;
  const double step = (norm < 1.5 ? 1 : norm < 3 ? 2 : norm < 7 ? 5 : 10) * mag;
  const auto first = static_cast<int64_t>(std::floor(lo / step + 1e-9));
  const auto last = static_cast<int64_t>(std::ceil(hi / step - 1e-9));
  std::vector<double> ticks;
  for (int64_t k = first; k <= last; ++k) ticks.push_back(static_cast<double>(k) * step);
  return ticks;
}

std::string format_tick(double value, double step) {
  const int decimals = step > 0 ? std::max(0, static_cast<int>(-std::floor(std::log10(step) + 1e-9))) : 0;
  if (std::abs(value) < step * 1e-6) value = 0;  // no "-0"
  std::string s = fmt::format("{:.{}f}", value, decimals);
  // Thousands separators in the integer part, for large ticks.
  const size_t dot = s.find('.');
  const size_t int_end = dot == std::string::npos ? s.size() : dot;
  const size_t int_begin = s[0] == '-' ? 1 : 0;
  if (int_end - int_begin > 4)
    for (size_t i = int_end; i > int_begin + 3; i -= 3) s.insert(i - 3, ",");
  return s;
}

std::string render(const LineChart& chart) {
  std::string s = open_chart(chart.id, chart.title, chart.note);
  Range xr, yr;
  for (const auto& l : chart.lines)
    for (size_t i = 0; i < l.x.size() && i < l.y.size(); ++i) {
      if (!std::isfinite(l.x[i]) || !std::isfinite(l.y[i])) continue;
      xr.add(l.x[i]);
      yr.add(l.y[i]);
    }
  if (xr.empty()) return s + no_data(chart.empty);
  if (chart.y_from_zero) yr.add(0);
  const auto xt = nice_ticks(xr.lo, xr.hi, 8);
  const auto yt = nice_ticks(yr.lo, yr.hi, 5);
  const double x0 = xt.front(), x1 = xt.back(), y0 = yt.front(), y1 = yt.back();
  auto px = [&](double x) { return LEFT + PLOT_W * (x - x0) / (x1 - x0); };
  auto py = [&](double y) { return TOP + PLOT_H * (1 - (y - y0) / (y1 - y0)); };

  s += y_axis(yt, y0, y1, chart.y_label);
  const double xstep = xt.size() > 1 ? xt[1] - xt[0] : 1.0;
  for (double t : xt)
    s += fmt::format("<line class=\"tick-mark\" x1=\"{0}\" y1=\"{1}\" x2=\"{0}\" y2=\"{2}\"/>"
                     "<text class=\"tick\" x=\"{0}\" y=\"{3}\" text-anchor=\"middle\">{4}</text>\n",
                     num(px(t)), num(TOP + PLOT_H), num(TOP + PLOT_H + 5), num(TOP + PLOT_H + 19),
                     format_tick(t, xstep));
  s += fmt::format("<text class=\"axis-label\" x=\"{}\" y=\"{}\" text-anchor=\"middle\">{}</text>\n",
                   num(LEFT + PLOT_W / 2), num(TOP + PLOT_H + 40), escape(chart.x_label));
  s += fmt::format("<rect class=\"frame\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\"/>\n", num(LEFT), num(TOP),
                   num(PLOT_W), num(PLOT_H));

  std::vector<std::pair<std::string, std::string>> entries;
  std::vector<bool> dashed;
  for (const auto& l : chart.lines) {
    std::string d;
    for (size_t i = 0; i < l.x.size() && i < l.y.size(); ++i) {
      if (!std::isfinite(l.x[i]) || !std::isfinite(l.y[i])) continue;
      if (d.empty()) d = fmt::format("M{} {}", num(px(l.x[i])), num(py(l.y[i])));
      else if (l.step) d += fmt::format("H{}V{}", num(px(l.x[i])), num(py(l.y[i])));
      else d += fmt::format("L{} {}", num(px(l.x[i])), num(py(l.y[i])));
    }
    if (d.empty()) continue;
    s += fmt::format("<path class=\"series\" data-label=\"{}\" d=\"{}\" fill=\"none\" stroke=\"{}\" "
                     "stroke-width=\"2\"{}/>\n",
                     escape(l.label), d, escape(l.color), l.dashed ? " stroke-dasharray=\"6 4\"" : "");
    entries.emplace_back(l.label, l.color);
    dashed.push_back(l.dashed);
  }
  return s + legend(entries, dashed) + "</svg>\n";
}

std::string render(const BarChart& chart) {
  std::string s = open_chart(chart.id, chart.title, chart.note);
  Range yr;
  for (const auto& b : chart.series) {
    for (double v : b.value) yr.add(v);
    for (double v : b.lo) yr.add(v);
    for (double v : b.hi) yr.add(v);
  }
  if (chart.categories.empty() || yr.empty()) return s + no_data(chart.empty);
  yr.add(0);
  const auto yt = nice_ticks(yr.lo, yr.hi, 5);
  const double y0 = yt.front(), y1 = yt.back();
  auto py = [&](double y) { return TOP + PLOT_H * (1 - (y - y0) / (y1 - y0)); };
  s += y_axis(yt, y0, y1, chart.y_label);
  s += fmt::format("<rect class=\"frame\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\"/>\n", num(LEFT), num(TOP),
                   num(PLOT_W), num(PLOT_H));

  const double slot = PLOT_W / static_cast<double>(chart.categories.size());
  const double group = slot * 0.8;
  const double bar = group / static_cast<double>(std::max<size_t>(chart.series.size(), 1));
  // Category labels are thinned so that they do not overlap (about 7 units a character).
  size_t longest = 1;
  for (const auto& c : chart.categories) longest = std::max(longest, c.size());
  const auto every = static_cast<size_t>(std::max(1.0, std::ceil(7.0 * static_cast<double>(longest) / slot)));
  for (size_t c = 0; c < chart.categories.size(); ++c) {
    const double cx = LEFT + slot * (static_cast<double>(c) + 0.5);
    if (c % every == 0)
      s += fmt::format("<text class=\"tick\" x=\"{}\" y=\"{}\" text-anchor=\"middle\">{}</text>\n", num(cx),
                       num(TOP + PLOT_H + 19), escape(chart.categories[c]));
    for (size_t k = 0; k < chart.series.size(); ++k) {
      const Bars& b = chart.series[k];
      if (c >= b.value.size() || !std::isfinite(b.value[c])) continue;
      const double x = cx - group / 2 + bar * static_cast<double>(k);
      const double top = py(std::max(b.value[c], 0.0)), base = py(std::min(b.value[c], 0.0));
      s += fmt::format("<rect class=\"bar\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"{}\">"
                       "<title>{}: {}</title></rect>\n",
                       num(x + 1), num(top), num(std::max(bar - 2, 1.0)), num(std::max(base - top, 0.5)),
                       escape(b.color), escape(chart.categories[c]), escape(b.label));
      if (c < b.lo.size() && c < b.hi.size() && std::isfinite(b.lo[c]) && std::isfinite(b.hi[c])) {
        const double mx = x + bar / 2;
        s += fmt::format("<path class=\"error-bar\" d=\"M{0} {1}V{2}M{3} {1}H{4}M{3} {2}H{4}\" stroke=\"#333\" "
                         "stroke-width=\"1.5\" fill=\"none\"/>\n",
                         num(mx), num(py(b.lo[c])), num(py(b.hi[c])), num(mx - 4), num(mx + 4));
      }
    }
  }
  if (!chart.x_label.empty())
    s += fmt::format("<text class=\"axis-label\" x=\"{}\" y=\"{}\" text-anchor=\"middle\">{}</text>\n",
                     num(LEFT + PLOT_W / 2), num(TOP + PLOT_H + 40), escape(chart.x_label));
  if (y0 < 0)
    s += fmt::format("<line class=\"zero\" x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\"/>\n", num(LEFT), num(py(0)),
                     num(LEFT + PLOT_W), num(py(0)));
  std::vector<std::pair<std::string, std::string>> entries;
  for (const auto& b : chart.series) entries.emplace_back(b.label, b.color);
  return s + legend(entries, {}) + "</svg>\n";
}

}  // namespace gwsim::results::svg
