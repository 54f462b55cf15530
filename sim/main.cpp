// gwsim: the command-line entry point. Thin by design: subcommands live in
// cmd_*.cpp, the work in the library targets.
#include <CLI/CLI.hpp>
#include <fmt/format.h>
#include <iostream>

#include "common/error.hpp"
#include "gwsim_version.hpp"
#include "sim/commands.hpp"

int main(int argc, char** argv) {
  using namespace gwsim;
  CLI::App app{"gwsim: a discrete-event simulator of gigawatt-scale GPU datacenters. Docs: docs/README.md"};
  app.set_version_flag("--version", fmt::format("gwsim {} ({})", VERSION, GIT_REVISION));
  app.require_subcommand(1);
  sim::CommandFn command;
  sim::add_run_command(app, command);
  sim::add_topo_command(app, command);
  sim::add_estimate_command(app, command);
  sim::add_replay_command(app, command);
  sim::add_trace_command(app, command);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int rc = app.exit(e);
    return rc == 0 ? 0 : static_cast<int>(ExitCode::USAGE);
  }
  try {
    return command ? command() : 0;
  } catch (const Error& e) {
    std::cerr << "gwsim: error: " << e.what() << "\n";
    return static_cast<int>(e.code());
  } catch (const std::exception& e) {
    std::cerr << "gwsim: internal error: " << e.what() << "\n";
    return static_cast<int>(ExitCode::INTERNAL);
  }
}
