// The fuzz targets' harness (fuzz/harness.hpp) in the ordinary build: every
// seed of fuzz/corpus/<target>/ and every input that once made a target
// crash (tests/data/fuzz/<target>/, one file per defect, named for it) goes
// through the same checks the fuzzer applies, so a fixed defect stays fixed
// without clang or libFuzzer.
#include <gtest/gtest.h>

#include <filesystem>
#include <stdexcept>

#include "cli_support.hpp"
#include "harness.hpp"

namespace {

namespace fs = std::filesystem;

[[noreturn]] void throw_defect(const std::string& what) { throw std::logic_error(what); }

// The fuzz target names: scenario, trace_<format>.
std::vector<std::string> targets() {
  std::vector<std::string> out = {"scenario"};
  for (const auto& f : gwsim::fuzz::fuzzed_trace_formats()) out.push_back("trace_" + f);
  return out;
}

void run_target(const std::string& target, const std::string& input) {
  if (target == "scenario")
    gwsim::fuzz::fuzz_scenario(input);
  else
    gwsim::fuzz::fuzz_trace(target.substr(6), input);
}

// Files of a directory, sorted (none when it does not exist).
std::vector<fs::path> files_in(const fs::path& dir) {
  std::vector<fs::path> out;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(dir, ec))
    if (e.is_regular_file() && e.path().filename() != "README.md") out.push_back(e.path());
  std::sort(out.begin(), out.end());
  return out;
}

class FuzzTarget : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override { gwsim::fuzz::set_defect_handler(throw_defect); }
  void replay(const fs::path& dir) {
    for (const auto& file : files_in(dir)) {
      try {
        run_target(GetParam(), gwsim::test::read_text(file.string()));
      } catch (const std::logic_error& e) {
        ADD_FAILURE() << file.string() << ": " << e.what();
      }
    }
  }
};

}  // namespace

TEST_P(FuzzTarget, EverySeedIsReadOrRefusedWithItsExitCode) {
  const auto seeds = files_in(fs::path(GWSIM_SOURCE_DIR) / "fuzz/corpus" / GetParam());
  EXPECT_FALSE(seeds.empty()) << "fuzz/corpus/" << GetParam() << " holds no seed";
  replay(fs::path(GWSIM_SOURCE_DIR) / "fuzz/corpus" / GetParam());
}

TEST_P(FuzzTarget, EveryInputThatOnceCrashedIsReadOrRefusedWithItsExitCode) {
  replay(fs::path(GWSIM_SOURCE_DIR) / "tests/data/fuzz" / GetParam());
}

INSTANTIATE_TEST_SUITE_P(Targets, FuzzTarget, ::testing::ValuesIn(targets()),
                         [](const ::testing::TestParamInfo<std::string>& p) { return p.param; });

TEST(FuzzHarness, SplitsAnInputIntoFilesAtTheSeparator) {
  const std::string sep(gwsim::fuzz::FILE_SEPARATOR);
  const std::string input = "a" + sep + "b" + sep + "c";
  const auto parts = gwsim::fuzz::split_files(input, 2);
  ASSERT_EQ(parts.size(), 2u);
  EXPECT_EQ(parts[0], "a");
  EXPECT_EQ(parts[1], "b" + sep + "c") << "the last part keeps further separators";
  EXPECT_EQ(gwsim::fuzz::split_files("no separator", 4).size(), 1u);
}
