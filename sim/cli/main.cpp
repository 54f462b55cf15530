// gwsim: the command-line entry point. Thin by design: subcommands live in
// cmd_*.cpp, the work in the library targets. Every way out is an exit code
// of common/error.hpp with a one-paragraph message (docs/errors.md).
#include <CLI/CLI.hpp>
#include <fmt/format.h>
#include <iostream>
#include <new>

#include "common/error.hpp"
#include "common/exit_codes.hpp"
#include "gwsim_version.hpp"
#include "sim/cli/commands.hpp"

namespace {

std::string exit_code_footer() {
  std::string out = "Exit codes (docs/errors.md):";
  for (const auto& c : gwsim::exit_codes()) out += fmt::format(" {} {},", static_cast<int>(c.code), c.name);
  out.back() = '.';
  return out;
}

// CLI11's own messages, in gwsim's form, naming the help to read.
std::string usage_error(const CLI::App* app, const CLI::Error& e) {
  std::string help = "gwsim --help";
  for (const CLI::App* sub : app->get_subcommands()) help = fmt::format("gwsim {} --help", sub->get_name());
  return fmt::format("gwsim: error: {}\nRun `{}` for the usage.\n", e.what(), help);
}

}  // namespace

int main(int argc, char** argv) {
  using namespace gwsim;
  CLI::App app{"gwsim: a discrete-event simulator of gigawatt-scale GPU datacenters. Docs: docs/README.md"};
  app.set_version_flag("--version", fmt::format("gwsim {} ({})", VERSION, GIT_REVISION));
  app.footer(exit_code_footer());  // before the subcommands, which copy it
  app.failure_message(usage_error);
  app.require_subcommand(1);
  sim::CommandFn command;
  sim::add_run_command(app, command);
  sim::add_topo_command(app, command);
  sim::add_estimate_command(app, command);
  sim::add_replay_command(app, command);
  sim::add_trace_command(app, command);
  sim::add_sweep_command(app, command);
  std::string names;
  bool known = false;
  const CLI::App& commands = app;
  for (const CLI::App* sub : commands.get_subcommands([](const CLI::App*) { return true; })) {
    names += (names.empty() ? "" : ", ") + sub->get_name();
    known |= argc > 1 && sub->get_name() == argv[1];
  }
  if (argc > 1 && argv[1][0] != '-' && !known) {
    // CLI11 alone would only say that a subcommand is required.
    std::cerr << fmt::format("gwsim: error: expected a command ({}), found '{}'\nRun `gwsim --help` for the usage.\n",
                             names, argv[1]);
    return static_cast<int>(ExitCode::USAGE);
  }
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
  } catch (const std::bad_alloc&) {
    std::cerr << "gwsim: error: out of memory: the run needs more memory than this machine gives it "
                 "(docs/errors.md#infeasible)\n";
    return static_cast<int>(ExitCode::INFEASIBLE);
  } catch (const std::exception& e) {
    std::cerr << "gwsim: internal error: " << e.what()
              << " (a bug in gwsim: please report it with the command and its input files)\n";
    return static_cast<int>(ExitCode::INTERNAL);
  }
}
