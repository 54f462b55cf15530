#pragma once
// report.html: one self-contained page per run (docs/results.md#report), read
// from the finished run.h5 alone: the headline numbers and the run's charts
// as inline SVG (svg_chart.hpp), with no script and no network asset, so it
// opens offline. Same run file, same bytes (no wall time in the page).
#include <string>
#include <vector>

namespace gwsim::results {

/// Ids of the charts a run report holds, in page order: each is an
/// <svg id="chart-<id>"> (the browser test checks every one rendered).
const std::vector<std::string>& run_report_chart_ids();

/// Reads the finished run file `h5_path` and writes its report to
/// `html_path` (through a temporary name, renamed when complete). `title`
/// heads the page ("gwsim run: quickstart (seed 42)"). Throws Error(OUTPUT).
void write_run_report(const std::string& h5_path, const std::string& html_path, const std::string& title);

/// The page around the charts, shared with the sweep report: <head> with the
/// report's style, the title, then `body` (HTML), then the closing tags.
std::string html_page(const std::string& title, const std::string& body);

/// Writes `text` to `path` through `path`.partial, renamed when complete.
/// Throws Error(OUTPUT) naming the file.
void write_file_atomically(const std::string& path, const std::string& text);

}  // namespace gwsim::results
