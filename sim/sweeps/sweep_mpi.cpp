#include "sim/sweeps/sweep_mpi.hpp"

// The C API only: OpenMPI's and MPICH's mpi.h otherwise pull in the removed C++ bindings.
#define OMPI_SKIP_MPICXX 1
#define MPICH_SKIP_MPICXX 1
#include <mpi.h>

#include <dlfcn.h>

#include <algorithm>
#include <cstring>
#include <fmt/format.h>
#include <string>
#include <thread>
#include <vector>

#include "common/error.hpp"
#include "common/interrupt.hpp"

namespace gwsim::sim::mpi {
namespace {

enum Tag : int { REQUEST = 1, RESULT = 2, ASSIGN = 3, ABORT = 4 };
constexpr int STOP = -1;  // ASSIGN's run id meaning "no more runs for this slot"
constexpr auto IDLE_WAIT = std::chrono::milliseconds(10);

void check(int rc, const char* what) {
  if (rc != MPI_SUCCESS) throw Error(ExitCode::INTERNAL, fmt::format("MPI: {} failed (error {})", what, rc));
}

// The message waiting from `source` (or any), if one is: its tag, source and bytes.
struct Message {
  int tag = 0;
  int source = 0;
  std::string bytes;
};

bool receive(int source, Message& m) {
  int flag = 0;
  MPI_Status st;
  check(MPI_Iprobe(source, MPI_ANY_TAG, MPI_COMM_WORLD, &flag, &st), "MPI_Iprobe");
  if (!flag) return false;
  int count = 0;
  MPI_Get_count(&st, MPI_CHAR, &count);
  m.tag = st.MPI_TAG;
  m.source = st.MPI_SOURCE;
  m.bytes.assign(static_cast<size_t>(count), '\0');
  check(MPI_Recv(m.bytes.data(), count, MPI_CHAR, st.MPI_SOURCE, st.MPI_TAG, MPI_COMM_WORLD, MPI_STATUS_IGNORE),
        "MPI_Recv");
  return true;
}

void send(int dest, int tag, const std::string& bytes) {
  check(MPI_Send(bytes.data(), static_cast<int>(bytes.size()), MPI_CHAR, dest, tag, MPI_COMM_WORLD), "MPI_Send");
}

class Dispatcher final : public RemoteRanks {
 public:
  Dispatcher(int ranks, int jobs) : stops_(static_cast<size_t>(ranks), 0), jobs_(jobs) {}

  bool poll(std::deque<uint32_t>& pending, bool stopping, std::vector<RunOutcome>& done) override {
    bool any = false;
    Message m;
    while (receive(MPI_ANY_SOURCE, m)) {
      any = true;
      if (m.tag == RESULT) done.push_back(outcome_from_json(m.bytes));
      // Every REQUEST and RESULT asks for one run.
      int id = STOP;
      if (!stopping && !pending.empty()) {
        id = static_cast<int>(pending.front());
        pending.pop_front();
      } else {
        ++stops_[static_cast<size_t>(m.source)];
      }
      send(m.source, ASSIGN, std::string(reinterpret_cast<const char*>(&id), sizeof id));
    }
    return any;
  }

  void abort() override {
    for (size_t r = 1; r < stops_.size(); ++r)
      if (stops_[r] < jobs_) send(static_cast<int>(r), ABORT, {});
  }

  bool finished() const override {
    for (size_t r = 1; r < stops_.size(); ++r)
      if (stops_[r] < jobs_) return false;
    return true;
  }

 private:
  std::vector<int> stops_;  ///< per rank: slots told to stop
  int jobs_;
};

}  // namespace

Session::Session() {
  // libsimgrid defines MPI_* too (SMPI); the link puts MPI's library first
  // (sim/CMakeLists.txt). Refuse to start on SMPI's, which aborts the process.
  Dl_info info{};
  if (dladdr(reinterpret_cast<void*>(&MPI_Init_thread), &info) != 0 && info.dli_fname != nullptr &&
      std::string(info.dli_fname).find("simgrid") != std::string::npos)
    throw Error(ExitCode::INTERNAL, fmt::format("MPI_Init resolves to SimGrid's SMPI ({}), not to the MPI library: "
                                                "link the MPI library before SimGrid (sim/CMakeLists.txt)",
                                                info.dli_fname));
  int provided = 0;
  // Only the main thread calls MPI.
  check(MPI_Init_thread(nullptr, nullptr, MPI_THREAD_SINGLE, &provided), "MPI_Init");
  MPI_Comm_rank(MPI_COMM_WORLD, &rank_);
  MPI_Comm_size(MPI_COMM_WORLD, &size_);
}

Session::~Session() { MPI_Finalize(); }

std::unique_ptr<RemoteRanks> remote_ranks(const Session& session, int jobs) {
  return std::make_unique<Dispatcher>(session.size(), jobs);
}

int work(RunSlots& slots, int jobs) {
  for (int s = 0; s < jobs; ++s) send(0, REQUEST, {});
  int stops = 0;
  bool aborting = false;
  while (stops < jobs) {
    bool progress = false;
    if (!aborting && interrupt_requested()) {
      aborting = true;
      slots.terminate();
    }
    Message m;
    while (receive(0, m)) {
      progress = true;
      if (m.tag == ABORT) {
        aborting = true;
        slots.terminate();
        continue;
      }
      int id = STOP;
      std::memcpy(&id, m.bytes.data(), std::min(m.bytes.size(), sizeof id));
      if (id == STOP) {
        ++stops;
      } else if (aborting) {
        RunOutcome o;  // handed out after the stop: give it back not run
        o.id = static_cast<uint32_t>(id);
        o.error = "interrupted";
        send(0, RESULT, outcome_to_json(o));
      } else {
        slots.start(static_cast<uint32_t>(id));
      }
    }
    for (const auto& o : slots.reap()) {
      progress = true;
      send(0, RESULT, outcome_to_json(o));
    }
    if (!progress) std::this_thread::sleep_for(IDLE_WAIT);
  }
  return aborting ? static_cast<int>(ExitCode::INTERRUPTED) : 0;
}

}  // namespace gwsim::sim::mpi
