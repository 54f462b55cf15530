#pragma once
// The gwsim command line: each subcommand registers itself on the CLI11 app
// and returns the function that runs it. main() stays thin: parse, dispatch,
// turn errors into messages and exit codes.
#include <CLI/CLI.hpp>
#include <functional>

namespace gwsim::sim {

using CommandFn = std::function<int()>;

/// `gwsim run <scenario.yaml> -o <dir>`
void add_run_command(CLI::App& app, CommandFn& out);
/// `gwsim topo <scenario.yaml> [--json] [--dot] [--between A B] [--max-flow]`
void add_topo_command(CLI::App& app, CommandFn& out);

/// `gwsim estimate --model M --gpus N [plan] [--plan-search | --inference | --validate]`
void add_estimate_command(CLI::App& app, CommandFn& out);

}  // namespace gwsim::sim
