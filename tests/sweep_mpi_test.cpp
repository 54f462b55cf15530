// `mpirun -np 3 gwsim sweep`: rank 0 hands runs out to all three ranks, and
// the runs table is the one a local sweep writes. Registered only when CMake
// found MPI (GWSIM_HAVE_MPI).
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <set>

#include "sweep_support.hpp"

namespace fs = std::filesystem;

namespace {

// As root (containers, CI) OpenMPI wants to be told; --oversubscribe lets
// three ranks share fewer cores. All ranks are local, so no remote shell is
// needed: OpenMPI refuses to start when it finds no ssh/rsh unless its agent
// is set to something that exists.
// In the sanitizer build (docs/reliability.md#sanitizers) the ranks run
// without leak detection: OpenMPI keeps allocations of plugins it has
// unloaded by exit, which LeakSanitizer reports and cannot be told apart.
int mpi_sweep(const std::string& args) {
  return gwsim::test::shell("ASAN_OPTIONS=\"${ASAN_OPTIONS:-}:detect_leaks=0\" OMPI_MCA_plm_rsh_agent=false " +
                            std::string(MPIEXEC) +
                            " -np 3 --oversubscribe --allow-run-as-root " + GWSIM_BINARY + " sweep " + args +
                            " > /dev/null 2>&1");
}

}  // namespace

TEST(SweepMpi, ThreeRanksShareTheRunsAndWriteTheLocalTable) {
  const std::string dir = gwsim::test::temp_dir();
  const std::string file = gwsim::test::write_tiny_sweep(dir);
  ASSERT_EQ(mpi_sweep(file + " -q -o " + dir + "/mpi"), 0);
  ASSERT_EQ(gwsim::test::run_gwsim("sweep " + file + " -q -o " + dir + "/local"), 0);

  const auto mpi = gwsim::test::read_runs(dir + "/mpi");
  ASSERT_EQ(mpi.rows(), 8u);
  EXPECT_EQ(mpi["status"].integers, std::vector<int64_t>(8, 0));
  gwsim::test::expect_same_table(mpi, gwsim::test::read_runs(dir + "/local"));
  gwsim::test::expect_summaries_in_table(dir + "/mpi", mpi);

  const auto ranks = gwsim::results::read_dataset(dir + "/mpi/sweep.h5", "nondeterministic/rank").integers;
  for (int64_t r : ranks) EXPECT_TRUE(r >= 0 && r < 3) << r;
  // Each of the three ranks asks for a run as soon as it starts, and 8 runs
  // last longer than that: more than one rank ran some.
  EXPECT_GE(std::set<int64_t>(ranks.begin(), ranks.end()).size(), 2u);
}

TEST(SweepMpi, ResumesUnderMpirun) {
  const std::string dir = gwsim::test::temp_dir();
  const std::string file = gwsim::test::write_tiny_sweep(dir);
  const std::string out = dir + "/out";
  ASSERT_EQ(mpi_sweep(file + " -q -o " + out), 0);
  fs::remove_all(out + "/runs/0001");
  fs::remove_all(out + "/runs/0006");
  ASSERT_EQ(mpi_sweep(file + " -q -o " + out), 0);
  EXPECT_EQ(gwsim::test::reused_flags(out), (std::vector<int64_t>{1, 0, 1, 1, 1, 1, 0, 1}));
  EXPECT_EQ(gwsim::test::read_runs(out)["status"].integers, std::vector<int64_t>(8, 0));
}
