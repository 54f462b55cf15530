#pragma once
// The coarse engine (`engine: coarse`, docs/finance.md#the-coarse-engine):
// years of a fleet in calendar months, as fluids. Each month every cohort
// offers its online GPU-hours; internal demand (the workload's internal
// generators at their mean rates, grown by their growth_per_year, plus dated
// list jobs) is served first, newest cohorts first, and what does not fit
// waits for the next month; leases hold the GPUs they signed for their terms;
// on-demand and spot take what is left, oldest cohorts first. Rental demand
// answers to price: base * (operator price / market price)^(-elasticity).
// No SimGrid: a run of 5 years is 60 steps per cohort.
#include "results/recorder.hpp"
#include "sim/engine/simulation.hpp"
#include "sim/scenario/scenario.hpp"

namespace gwsim::sim {

/// Runs `scenario` (capex.coarse) month by month; the summary, /finance tables
/// and monthly time series go to `recorder`.
RunStats run_coarse(const Scenario& scenario, results::Recorder& recorder);

}  // namespace gwsim::sim
