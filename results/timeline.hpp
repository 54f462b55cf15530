#pragma once
// The job timeline of a run as Chrome/Perfetto trace events (JSON object
// format of the Trace Event Format), for ui.perfetto.dev or chrome://tracing:
//   - one process per pod ("pod 3"), whose threads are lanes: each /segments
//     row is a complete ("X") slice on the lowest lane of its pod that is free
//     at its start, so slices on one lane never overlap (Perfetto requires
//     slices on a thread to nest);
//   - one process "site" whose counter ("C") tracks are the run's time series
//     (utilization by tenant, queue length, power when present).
// Simulated seconds become trace microseconds. Layout: docs/results.md#timeline.
#include <string>

namespace gwsim::results {

/// Reads a finished run file (run.h5) and writes its timeline to `json_path`
/// (through a temporary name, renamed when complete). Throws Error(OUTPUT).
void write_timeline(const std::string& h5_path, const std::string& json_path);

}  // namespace gwsim::results
