#pragma once
// MPI for sweeps, built when GWSIM_HAVE_MPI (CMake option GWSIM_MPI). Rank 0
// is the dispatcher and a worker; every other rank is a worker. Protocol
// (tags below): a worker sends REQUEST once per slot it has, then RESULT
// (an outcome as JSON) whenever a run ends, which is also its request for
// the next run; rank 0 answers each with ASSIGN carrying a run id, or -1 for
// "stop". ABORT from rank 0 makes a worker terminate its runs (the sweep was
// interrupted). Nobody blocks in MPI: OpenMPI's blocking receive spins a
// core, which would slow the runs beside it; every loop probes and sleeps.
#include <memory>

#include "sim/sweeps/sweep_runner.hpp"

namespace gwsim::sim::mpi {

/// True when an MPI launcher started this process (mpirun/mpiexec, or srun
/// with PMI or PMIx): the environment carries the launcher's rank variables.
bool launched();

/// MPI_Init on creation, MPI_Finalize on destruction.
class Session {
 public:
  Session();
  ~Session();
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;
  int rank() const { return rank_; }
  int size() const { return size_; }

 private:
  int rank_ = 0;
  int size_ = 1;
};

/// Rank 0's view of the workers, each with `jobs` slots.
std::unique_ptr<RemoteRanks> remote_ranks(const Session& session, int jobs);

/// A worker's loop (ranks other than 0): asks for runs, runs them in
/// `slots`, reports each outcome, until rank 0 says stop for every slot.
/// Returns the process exit code (130 when interrupted).
int work(RunSlots& slots, int jobs);

}  // namespace gwsim::sim::mpi
