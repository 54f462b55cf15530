// Where a run's output cannot go (docs/errors.md#output): an unwritable
// location and a full one are errors (exit 5) before anything is simulated,
// a location that fills up during the run stops it with exit 5 and a message
// (not SimGrid's abort), and in every case nothing is left behind. A full
// disk is simulated with RLIMIT_FSIZE (writes past the limit fail with
// EFBIG, "File too large") and, where this process may mount, a tiny tmpfs.
#include <gtest/gtest.h>
#include <fcntl.h>
#include <sys/mount.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <csignal>

#include "cli_support.hpp"
#include "common/error.hpp"
#include "test_support.hpp"

namespace {

namespace fs = std::filesystem;
using gwsim::test::read_text;

struct Outcome {
  int status = -1;  ///< exit status, or -1 when killed by a signal
  std::string err;
};

// `gwsim run <scenario> -q -o <out>` with files limited to `max_file_bytes` (0: no limit).
Outcome run_limited(const std::string& scenario, const std::string& out, const std::string& err_file,
                    rlim_t max_file_bytes = 0) {
  const pid_t pid = fork();
  if (pid == 0) {
    if (max_file_bytes > 0) {
      const rlimit limit{max_file_bytes, max_file_bytes};
      setrlimit(RLIMIT_FSIZE, &limit);
      std::signal(SIGXFSZ, SIG_IGN);  // a write past the limit fails with EFBIG instead of killing
    }
    const int fd = ::open(err_file.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    dup2(fd, 2);
    const int null = ::open("/dev/null", O_WRONLY);
    dup2(null, 1);
    execl(GWSIM_BINARY, "gwsim", "run", scenario.c_str(), "-q", "-o", out.c_str(), static_cast<char*>(nullptr));
    _exit(127);
  }
  int status = 0;
  waitpid(pid, &status, 0);
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, gwsim::test::without_sanitizer_notice(read_text(err_file))};
}

// The quickstart with a sample every simulated second: about 2 MB of output
// written in blocks while the simulation runs.
std::string dense_scenario(const std::string& dir) {
  std::string text = read_text(gwsim::test::source_path("examples/quickstart/scenario.yaml"));
  const std::string from = "sample_interval: 1h";
  const auto at = text.find(from);
  EXPECT_NE(at, std::string::npos);
  text.replace(at, from.size(), "sample_interval: 1s");
  gwsim::test::write_text(dir + "/dense.yaml", text);
  return dir + "/dense.yaml";
}

void expect_nothing_left(const std::string& out) {
  EXPECT_FALSE(fs::exists(out + "/run.h5"));
  EXPECT_FALSE(fs::exists(out + "/run.h5.partial"));
  EXPECT_FALSE(fs::exists(out + "/summary.json.partial"));
  EXPECT_FALSE(fs::exists(out)) << "the directory the run created is removed again";
}

void expect_no_crash(const std::string& err) {
  for (const char* crash : {"backtrace", "Uncaught exception", "Segmentation", "HDF5-DIAG", "internal error"})
    EXPECT_EQ(err.find(crash), std::string::npos) << crash << " in: " << err;
}

}  // namespace

TEST(OutputFaults, AnUnwritableLocationIsAnErrorBeforeSimulating) {
  const std::string dir = gwsim::test::temp_dir();
  fs::create_directories(dir);
  const std::string scenario = gwsim::test::source_path("examples/quickstart/scenario.yaml");
  // /proc refuses new directories even to root.
  Outcome o = run_limited(scenario, "/proc/gwsim-out", dir + "/err1");
  EXPECT_EQ(o.status, static_cast<int>(gwsim::ExitCode::OUTPUT)) << o.err;
  EXPECT_NE(o.err.find("/proc/gwsim-out: cannot create the output directory"), std::string::npos) << o.err;
  // A directory without write permission (root writes anyway: skipped for root).
  if (geteuid() != 0) {
    fs::create_directories(dir + "/ro");
    fs::permissions(dir + "/ro", fs::perms::owner_read | fs::perms::owner_exec);
    o = run_limited(scenario, dir + "/ro", dir + "/err2");
    fs::permissions(dir + "/ro", fs::perms::owner_all);
    EXPECT_EQ(o.status, static_cast<int>(gwsim::ExitCode::OUTPUT)) << o.err;
    EXPECT_NE(o.err.find(dir + "/ro/run.h5.partial: cannot create the file (Permission denied)"), std::string::npos)
        << o.err;
    EXPECT_TRUE(fs::is_empty(dir + "/ro"));
  }
}

TEST(OutputFaults, AFileSizeLimitBelowTheFirstWriteIsAnErrorBeforeSimulating) {
  const std::string dir = gwsim::test::temp_dir();
  fs::create_directories(dir);
  const Outcome o = run_limited(dense_scenario(dir), dir + "/out", dir + "/err", 2048);
  EXPECT_EQ(o.status, static_cast<int>(gwsim::ExitCode::OUTPUT)) << o.err;
  // The provenance is written through to the disk when the file is created:
  // the failure is that write's, not one of the run's blocks of rows.
  EXPECT_NE(o.err.find(dir + "/out/run.h5.partial: cannot write the file (File too large)"), std::string::npos)
      << o.err;
  expect_no_crash(o.err);
  expect_nothing_left(dir + "/out");
}

TEST(OutputFaults, ALocationThatFillsDuringTheRunStopsItWithExitFive) {
  const std::string dir = gwsim::test::temp_dir();
  fs::create_directories(dir);
  // 256 KiB: the provenance fits, the time series do not.
  const Outcome o = run_limited(dense_scenario(dir), dir + "/out", dir + "/err", 256 * 1024);
  EXPECT_EQ(o.status, static_cast<int>(gwsim::ExitCode::OUTPUT)) << o.err;
  EXPECT_EQ(o.err.rfind("gwsim: error: " + dir + "/out/run.h5.partial: cannot", 0), 0u) << o.err;
  EXPECT_NE(o.err.find("(File too large)"), std::string::npos) << o.err;
  expect_no_crash(o.err);
  expect_nothing_left(dir + "/out");
}

namespace {

// Runs `scenario` into a fresh tmpfs of `size` mounted under `dir`; false
// when this process may not mount one.
bool run_on_tmpfs(const std::string& dir, const std::string& size, const std::string& scenario, Outcome& o) {
  const std::string mnt = dir + "/tmpfs-" + size;
  fs::create_directories(mnt);
  if (mount("tmpfs", mnt.c_str(), "tmpfs", 0, ("size=" + size).c_str()) != 0) return false;
  o = run_limited(scenario, mnt + "/out", dir + "/err-" + size);
  const bool left = fs::exists(mnt + "/out");
  umount(mnt.c_str());
  EXPECT_FALSE(left) << "the directory the run created is removed again";
  return true;
}

}  // namespace

TEST(OutputFaults, AFullFileSystemIsRefusedAndOneThatFillsStopsTheRun) {
  const std::string dir = gwsim::test::temp_dir();
  Outcome o;
  // 64 KiB: below the 1 MiB a location must have free.
  if (!run_on_tmpfs(dir, "64k", gwsim::test::source_path("examples/quickstart/scenario.yaml"), o))
    GTEST_SKIP() << "cannot mount a tmpfs here (" << std::strerror(errno) << "): needs root and CAP_SYS_ADMIN";
  EXPECT_EQ(o.status, static_cast<int>(gwsim::ExitCode::OUTPUT)) << o.err;
  EXPECT_NE(o.err.find("/out: expected at least 1 MiB free for the output, found"), std::string::npos) << o.err;
  EXPECT_NE(o.err.find("KiB free (the location is full)"), std::string::npos) << o.err;
  expect_no_crash(o.err);
  // 1500 KiB: the check passes, the dense run's 2 MB do not fit.
  ASSERT_TRUE(run_on_tmpfs(dir, "1500k", dense_scenario(dir), o));
  EXPECT_EQ(o.status, static_cast<int>(gwsim::ExitCode::OUTPUT)) << o.err;
  EXPECT_NE(o.err.find("/out/run.h5.partial: cannot write rows (No space left on device)"), std::string::npos)
      << o.err;
  expect_no_crash(o.err);
}
