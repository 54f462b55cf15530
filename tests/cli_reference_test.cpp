// docs/cli.md against the binary: the page holds the help text of gwsim and
// of every subcommand verbatim (a block that starts "$ gwsim ... --help"),
// no subcommand is left out, and every subcommand's help names its docs page.
// After changing help text: scripts/update_cli_doc.sh rewrites the blocks.
#include <gtest/gtest.h>

#include <filesystem>
#include <map>
#include <regex>

#include "cli_support.hpp"
#include "test_support.hpp"

namespace {

std::string without_trailing_newlines(std::string s) {
  while (!s.empty() && s.back() == '\n') s.pop_back();
  return s;
}

// `gwsim <args> --help` as a user sees it (gwsim found on PATH, so the usage
// line says "gwsim", not the build path).
std::string help(const std::string& args) {
  const std::string dir = gwsim::test::temp_dir();
  std::filesystem::create_directories(dir);
  const std::string bin = std::filesystem::path(GWSIM_BINARY).parent_path().string();
  const std::string cmd = "PATH='" + bin + "':$PATH gwsim " + args + (args.empty() ? "" : " ") + "--help > " + dir +
                          "/help.txt 2>&1";
  EXPECT_EQ(gwsim::test::shell(cmd), 0) << cmd;
  return gwsim::test::read_text(dir + "/help.txt");
}

// The names listed under "SUBCOMMANDS:" in a help text.
std::vector<std::string> subcommands(const std::string& text) {
  std::vector<std::string> out;
  size_t at = text.find("SUBCOMMANDS:\n");
  if (at == std::string::npos) at = text.find("Subcommands:\n");
  if (at == std::string::npos) return out;
  std::istringstream in(text.substr(at + 13));
  std::string line;
  const std::regex entry(R"(^  ([a-z][a-z0-9_-]*)\b)");
  std::smatch m;
  while (std::getline(in, line) && !line.empty())
    if (std::regex_search(line, m, entry)) out.push_back(m[1]);
  return out;
}

// docs/cli.md's blocks: "$ gwsim <args> --help" -> the text below it, up to the closing fence.
std::map<std::string, std::string> doc_blocks() {
  std::map<std::string, std::string> out;
  std::istringstream in(gwsim::test::read_text(gwsim::test::source_path("docs/cli.md")));
  std::string line, current;
  bool inside = false;
  const std::regex opener(R"(^\$ gwsim ?(.*?) ?--help$)");
  std::smatch m;
  while (std::getline(in, line)) {
    if (!inside && std::regex_match(line, m, opener)) {
      current = m[1];
      out[current].clear();
      inside = true;
    } else if (inside && line == "```") {
      inside = false;
    } else if (inside) {
      out[current] += line + "\n";
    }
  }
  return out;
}

// Every command with its own help: "", "run", ..., "trace convert", ...
std::vector<std::string> all_commands() {
  std::vector<std::string> out{""};
  for (const auto& sub : subcommands(help(""))) {
    out.push_back(sub);
    for (const auto& subsub : subcommands(help(sub))) out.push_back(sub + " " + subsub);
  }
  return out;
}

}  // namespace

TEST(CliReference, HelpLists) {
  const auto subs = subcommands(help(""));
  for (const char* expected : {"run", "topo", "estimate", "replay", "trace", "sweep"})
    EXPECT_NE(std::find(subs.begin(), subs.end(), expected), subs.end()) << expected;
}

TEST(CliReference, TheDocHoldsEveryHelpTextVerbatim) {
  const auto blocks = doc_blocks();
  for (const auto& cmd : all_commands()) {
    const std::string shown = "gwsim " + cmd + (cmd.empty() ? "" : " ") + "--help";
    const auto it = blocks.find(cmd);
    if (it == blocks.end()) {
      ADD_FAILURE() << "docs/cli.md has no block for `" << shown << "` (scripts/update_cli_doc.sh adds none: write "
                    << "a section with a ```text block that starts with \"$ " << shown << "\")";
      continue;
    }
    EXPECT_EQ(without_trailing_newlines(it->second), without_trailing_newlines(help(cmd))) << "docs/cli.md's block for `" << shown
                                     << "` differs from the binary's; run scripts/update_cli_doc.sh";
  }
}

TEST(CliReference, TheDocDescribesNoCommandThatDoesNotExist) {
  const auto commands = all_commands();
  for (const auto& [cmd, text] : doc_blocks())
    EXPECT_NE(std::find(commands.begin(), commands.end(), cmd), commands.end()) << "gwsim " << cmd;
}

TEST(CliReference, EveryHelpNamesADocsPageThatExists) {
  for (const auto& cmd : all_commands()) {
    const std::string text = help(cmd);
    std::smatch m;
    ASSERT_TRUE(std::regex_search(text, m, std::regex(R"(docs/([a-z0-9-]+)\.md)"))) << "gwsim " << cmd << " --help";
    EXPECT_TRUE(std::filesystem::exists(gwsim::test::source_path("docs/" + m[1].str() + ".md")))
        << "gwsim " << cmd << " --help names docs/" << m[1] << ".md, which does not exist";
  }
}

// docs/tutorial.md's commands are the quickstart example's: every command of
// its ```sh blocks (with build/sim/gwsim as gwsim and out/quickstart as $OUT)
// is a "$ " line of examples/quickstart/expected-output.txt, which
// example.quickstart runs and compares; ./scripts/ lines (install) excepted.
TEST(Tutorial, EveryCommandIsRunByTheQuickstartExampleTest) {
  const std::string expected = gwsim::test::read_text(gwsim::test::source_path("examples/quickstart/expected-output.txt"));
  std::istringstream in(gwsim::test::read_text(gwsim::test::source_path("docs/tutorial.md")));
  std::string line;
  bool in_sh = false;
  int commands = 0;
  while (std::getline(in, line)) {
    if (line == "```sh") in_sh = true;
    else if (line.rfind("```", 0) == 0) in_sh = false;
    else if (in_sh && line.rfind("./scripts/", 0) != 0) {
      std::string cmd = std::regex_replace(line, std::regex("build/sim/gwsim"), "gwsim");
      cmd = std::regex_replace(cmd, std::regex("out/quickstart"), "$$OUT");
      EXPECT_NE(expected.find("\n$ " + cmd + "\n"), std::string::npos)
          << "docs/tutorial.md runs `" << line << "`, which examples/quickstart/expected-output.txt does not";
      ++commands;
    }
  }
  EXPECT_GE(commands, 4);
}
