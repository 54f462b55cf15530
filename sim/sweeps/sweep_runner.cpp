#include "sim/sweeps/sweep_runner.hpp"

#include <fcntl.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmath>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fmt/format.h>
#include <fmt/ranges.h>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <thread>

#include "common/error.hpp"
#include "common/interrupt.hpp"
#include "sim/sweeps/sweep_compare.hpp"
#include "results/hdf5_reader.hpp"
#include "sim/sweeps/sweep_mpi.hpp"

namespace gwsim::sim {
namespace fs = std::filesystem;

namespace {

// How long a loop with nothing to do sleeps before it looks again. Runs last
// seconds to hours; 10 ms of latency per run is nothing, and a rank waiting
// for work costs no CPU.
constexpr auto IDLE_WAIT = std::chrono::milliseconds(10);
constexpr size_t MAX_ERROR_CHARS = 4096;  // of a run's message kept in memory and sweep_run.json

std::string self_exe() {
  std::error_code ec;
  const fs::path p = fs::read_symlink("/proc/self/exe", ec);
  if (ec) throw Error(ExitCode::INTERNAL, fmt::format("cannot find the gwsim binary (/proc/self/exe: {})", ec.message()));
  return p.string();
}

std::string host_name() {
  char buf[256] = {};
  if (gethostname(buf, sizeof buf - 1) != 0) return "unknown";
  return buf;
}

std::string read_text(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// A failed run's message: the last "gwsim: error: ..." (or "gwsim: ...") line
// of its log without the prefix, else the log's last line.
std::string error_from_log(const std::string& log) {
  std::istringstream in(log);
  std::string line, last, gwsim;
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    last = line;
    if (line.rfind("gwsim: ", 0) == 0) gwsim = line.substr(7);
  }
  std::string msg = gwsim.empty() ? last : gwsim;
  if (msg.rfind("error: ", 0) == 0) msg = msg.substr(7);
  return msg.substr(0, MAX_ERROR_CHARS);
}

std::string signal_name(int sig) {
  const char* d = strsignal(sig);
  return d ? d : fmt::format("signal {}", sig);
}

void write_file_atomically(const std::string& path, const std::string& text) {
  const std::string tmp = path + ".partial";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    out << text;
    if (!out) throw Error(ExitCode::OUTPUT, fmt::format("{}: cannot write", tmp));
  }
  std::error_code ec;
  fs::rename(tmp, path, ec);
  if (ec) throw Error(ExitCode::OUTPUT, fmt::format("{}: cannot move into place ({})", path, ec.message()));
}

int default_jobs() {
  const unsigned n = std::thread::hardware_concurrency();
  return n > 0 ? static_cast<int>(n) : 1;
}

}  // namespace

namespace mpi {
// Here rather than in sweep_mpi.cpp: a gwsim built without MPI must notice it was started by mpirun.
bool launched() {
  for (const char* v : {"OMPI_COMM_WORLD_SIZE", "PMI_SIZE", "PMI_RANK", "PMIX_RANK", "MPI_LOCALNRANKS"})
    if (std::getenv(v) != nullptr) return true;
  return false;
}
}  // namespace mpi

const std::vector<std::string>& run_status_names() {
  static const std::vector<std::string> names = {"ok", "failed", "not_run"};
  return names;
}

std::string outcome_to_json(const RunOutcome& o) {
  nlohmann::ordered_json j;
  j["run"] = o.id;
  j["status"] = run_status_names().at(static_cast<size_t>(o.status));
  j["exit_code"] = o.exit_code;
  j["error"] = o.error;
  j["wall_time_s"] = std::isfinite(o.wall_time_s) ? nlohmann::ordered_json(o.wall_time_s) : nlohmann::ordered_json();
  j["rank"] = o.rank;
  j["host"] = o.host;
  return j.dump(2) + "\n";
}

RunOutcome outcome_from_json(const std::string& text) {
  const auto j = nlohmann::json::parse(text);
  RunOutcome o;
  o.id = j.at("run").get<uint32_t>();
  const std::string status = j.at("status").get<std::string>();
  for (size_t i = 0; i < run_status_names().size(); ++i)
    if (run_status_names()[i] == status) o.status = static_cast<RunStatus>(i);
  o.exit_code = j.at("exit_code").get<int>();
  o.error = j.at("error").get<std::string>();
  if (j.at("wall_time_s").is_number()) o.wall_time_s = j.at("wall_time_s").get<double>();
  o.rank = j.at("rank").get<int>();
  o.host = j.at("host").get<std::string>();
  return o;
}

SweepLayout::SweepLayout(std::string out_dir, size_t runs) : out_dir_(std::move(out_dir)) {
  // At least 4 digits, so listings sort in run order.
  width_ = std::max<int>(4, static_cast<int>(fmt::format("{}", runs > 0 ? runs - 1 : 0).size()));
}

std::string SweepLayout::run_rel(uint32_t id) const { return fmt::format("runs/{:0{}}", id, width_); }

bool run_is_complete(const std::string& dir, const std::string& scenario_text) {
  const std::string h5 = dir + "/run.h5";
  std::error_code ec;
  if (!fs::exists(h5, ec)) return false;
  try {
    return results::read_root_attribute(h5, "complete") == "1" &&
           results::read_root_attribute(h5, "scenario_text") == scenario_text;
  } catch (const Error&) {
    return false;  // unreadable: run it again
  }
}

RunSlots::RunSlots(const std::vector<SweepRun>& runs, const SweepLayout& layout, int slots, int rank)
    : runs_(runs), layout_(layout), slots_(slots), rank_(rank), exe_(self_exe()), host_(host_name()) {}

RunSlots::~RunSlots() {
  terminate();
  try {
    while (!children_.empty()) {
      reap();
      if (!children_.empty()) std::this_thread::sleep_for(IDLE_WAIT);
    }
  } catch (...) {
    for (const auto& c : children_) waitpid(c.pid, nullptr, 0);
  }
}

void RunSlots::start(uint32_t id) {
  const std::string dir = fs::absolute(layout_.run_dir(id)).lexically_normal().string();
  RunOutcome failed;
  failed.id = id;
  failed.status = RunStatus::FAILED;
  failed.rank = rank_;
  failed.host = host_;
  try {
    std::error_code ec;
    fs::create_directories(dir, ec);
    if (ec) throw Error(ExitCode::OUTPUT, fmt::format("{}: cannot create the run directory ({})", dir, ec.message()));
    // Older results of a different scenario (the sweep changed) must not outlive this run.
    for (const char* f : {"run.h5", "summary.json", "sweep_run.json", "run.log"}) fs::remove(dir + "/" + f, ec);
    write_file_atomically(dir + "/scenario.yaml", runs_.at(id).scenario_text);
  } catch (const Error& e) {
    failed.error = e.what();
    ready_.push_back(failed);
    return;
  }

  // Everything the child needs is made before fork(): after it, only
  // async-signal-safe calls.
  const std::vector<std::string> args = {exe_, "run", "scenario.yaml", "-o", ".", "-q"};
  std::vector<char*> argv;
  for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  const std::string exec_failed = fmt::format("gwsim: error: cannot start {} in {}\n", exe_, dir);
  const pid_t parent = getpid();
  sigset_t none;
  sigemptyset(&none);

  const pid_t pid = fork();
  if (pid < 0) {
    failed.error = fmt::format("cannot start a process: {}", std::strerror(errno));
    ready_.push_back(failed);
    return;
  }
  if (pid == 0) {
    // The run dies with the process that started it (kill -9 of a sweep or a rank).
    prctl(PR_SET_PDEATHSIG, SIGTERM);
    if (getppid() != parent) _exit(128 + SIGTERM);
    sigprocmask(SIG_SETMASK, &none, nullptr);
    if (chdir(dir.c_str()) != 0) _exit(127);
    const int in = open("/dev/null", O_RDONLY);
    const int log = open("run.log", O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (in < 0 || log < 0) _exit(127);
    dup2(in, 0);
    dup2(log, 1);
    dup2(log, 2);
    close_range(3, ~0U, 0);  // MPI's sockets and the sweep's files stay with the sweep
    execv(argv[0], argv.data());
    const ssize_t w = write(2, exec_failed.data(), exec_failed.size());
    (void)w;
    _exit(127);
  }
  children_.push_back({pid, id, std::chrono::steady_clock::now()});
}

RunOutcome RunSlots::finished(const Child& c, int wait_status) {
  RunOutcome o;
  o.id = c.id;
  o.rank = rank_;
  o.host = host_;
  o.wall_time_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - c.start).count();
  int signal = 0;
  if (WIFEXITED(wait_status)) {
    o.exit_code = WEXITSTATUS(wait_status);
  } else if (WIFSIGNALED(wait_status)) {
    signal = WTERMSIG(wait_status);
    o.exit_code = 128 + signal;
  }
  const std::string dir = layout_.run_dir(c.id);
  const bool stopping = terminating_ || interrupt_requested();
  // A run stopped after its run.h5 was complete is done: a resume would keep it too.
  if ((o.exit_code == 0 || stopping) && run_is_complete(dir, runs_.at(c.id).scenario_text)) {
    o.status = RunStatus::OK;
    o.exit_code = 0;  // as a resume would record it: the table does not depend on when the signal came
  } else if (stopping) {
    o.status = RunStatus::NOT_RUN;  // stopped with the sweep: resumed next time
    o.error = "interrupted";
  } else {
    o.status = RunStatus::FAILED;
    o.error = error_from_log(read_text(dir + "/run.log"));
    if (o.exit_code == 0) o.error = "gwsim run exited 0 but run.h5 is missing or not complete";
    if (signal != 0) o.error = fmt::format("killed by {} (signal {}){}{}", signal_name(signal), signal,
                                           o.error.empty() ? "" : "; last output: ", o.error);
  }
  if (o.status != RunStatus::NOT_RUN) {
    try {
      write_file_atomically(dir + "/sweep_run.json", outcome_to_json(o));
    } catch (const Error&) {
      // The outcome still reaches the table; only a later resume loses its wall time.
    }
  }
  return o;
}

std::vector<RunOutcome> RunSlots::reap() {
  if (terminating_ && !killed_ && std::chrono::steady_clock::now() - terminated_at_ > KILL_AFTER) {
    killed_ = true;  // a run that ignores SIGTERM must not hold the sweep
    for (const auto& c : children_) kill(c.pid, SIGKILL);
  }
  std::vector<RunOutcome> out;
  out.swap(ready_);
  for (size_t i = 0; i < children_.size();) {
    int status = 0;
    const pid_t r = waitpid(children_[i].pid, &status, WNOHANG);
    if (r == children_[i].pid) {
      out.push_back(finished(children_[i], status));
      children_.erase(children_.begin() + static_cast<std::ptrdiff_t>(i));
    } else {
      ++i;
    }
  }
  return out;
}

void RunSlots::terminate() {
  if (!terminating_) terminated_at_ = std::chrono::steady_clock::now();
  terminating_ = true;
  for (const auto& c : children_) kill(c.pid, SIGTERM);
}

int run_sweep_command(const std::string& sweep_path, const SweepOptions& options) {
  std::unique_ptr<mpi::Session> session;  // first made, last gone: MPI_Finalize after everything
  if (mpi::launched()) {
#ifdef GWSIM_HAVE_MPI
    session = std::make_unique<mpi::Session>();
#else
    throw Error(ExitCode::USAGE,
                "gwsim sweep was started by an MPI launcher, but this gwsim was built without MPI (GWSIM_MPI=OFF or "
                "no MPI found at configure time): every rank would run the whole sweep. Rebuild with MPI "
                "(scripts/setup.sh installs OpenMPI) or run the sweep without mpirun/srun (docs/sweeps.md)");
#endif
  }
  const int rank = session ? session->rank() : 0;
  const int ranks = session ? session->size() : 1;

  SweepSpec spec;
  std::vector<SweepRun> runs;
  try {
    spec = load_sweep(sweep_path);
    if (!options.sets.empty()) {
      apply_sets(spec.base, options.sets);
      YAML::Emitter e;
      e << spec.base;
      spec.base_text = fmt::format("# {} with --set {}\n{}\n", spec.base_path.empty() ? spec.path : spec.base_path,
                                   fmt::join(options.sets, " --set "), e.c_str());
    }
    runs = expand_sweep(spec);
  } catch (const Error& e) {
    // Every rank reads the same files and fails alike; rank 0 alone says so.
    if (rank != 0) return static_cast<int>(e.code());
    throw;
  }
  const SweepLayout layout(options.out_dir, runs.size());
  const int jobs = options.jobs > 0 ? options.jobs : session ? 1 : default_jobs();

  if (options.dry_run) {
    if (rank == 0) {
      std::cout << fmt::format("gwsim sweep {}: {} runs ({} axes{}), nothing run (--dry-run)\n", spec.name,
                               runs.size(), spec.axes.size(),
                               spec.seeds.empty() ? "" : fmt::format(" x {} seeds", spec.seeds.size()));
      for (const auto& r : runs) std::cout << fmt::format("{}  {}\n", layout.run_rel(r.id), describe_run(spec, r));
    }
    return 0;
  }

  catch_interrupts();
#ifdef GWSIM_HAVE_MPI
  if (rank != 0) {
    RunSlots slots(runs, layout, jobs, rank);
    return mpi::work(slots, jobs);
  }
#endif

  std::error_code ec;
  fs::create_directories(layout.out_dir(), ec);
  if (ec || !fs::is_directory(layout.out_dir()))
    throw Error(ExitCode::OUTPUT, fmt::format("{}: cannot create the output directory ({})", layout.out_dir(),
                                              ec ? ec.message() : "not a directory"));

  std::vector<RunOutcome> outcomes(runs.size());
  std::deque<uint32_t> pending;
  size_t reused = 0;
  for (const auto& r : runs) {
    RunOutcome& o = outcomes[r.id];
    o.id = r.id;
    const std::string dir = layout.run_dir(r.id);
    if (run_is_complete(dir, r.scenario_text)) {
      // Keep how it went the first time (wall time, rank, host) when recorded.
      try {
        o = outcome_from_json(read_text(dir + "/sweep_run.json"));
      } catch (const std::exception&) {
        o = RunOutcome{};
      }
      o.id = r.id;
      o.status = RunStatus::OK;
      o.exit_code = 0;
      o.error.clear();
      o.reused = true;
      ++reused;
    } else {
      pending.push_back(r.id);
    }
  }
  const size_t to_run = pending.size();
  if (!options.quiet)
    std::cout << fmt::format("gwsim sweep {}: {} runs, {} complete already, {} to run on {} rank{} x {} job{}; "
                             "output {}\n",
                             spec.name, runs.size(), reused, to_run, ranks, ranks > 1 ? "s" : "", jobs,
                             jobs > 1 ? "s" : "", layout.out_dir())
              << std::flush;

  std::unique_ptr<RemoteRanks> remote;
#ifdef GWSIM_HAVE_MPI
  if (session && ranks > 1) remote = mpi::remote_ranks(*session, jobs);
#endif
  RunSlots slots(runs, layout, jobs, rank);
  bool stopping = false;
  size_t done_count = 0;
  const int id_width = static_cast<int>(fmt::format("{}", to_run).size());
  while (true) {
    if (!stopping && interrupt_requested()) {
      stopping = true;
      pending.clear();
      slots.terminate();
      if (remote) remote->abort();
      if (!options.quiet) std::cout << "gwsim sweep: interrupted; stopping the runs in flight\n" << std::flush;
    }
    bool progress = false;
    while (!stopping && slots.free() > 0 && !pending.empty()) {
      slots.start(pending.front());
      pending.pop_front();
      progress = true;
    }
    std::vector<RunOutcome> done = slots.reap();
    if (remote) progress |= remote->poll(pending, stopping, done);
    for (auto& o : done) {
      progress = true;
      // A rank that was interrupted (Slurm's time limit signals every rank) stops the sweep.
      if (o.status == RunStatus::NOT_RUN) request_interrupt();
      outcomes.at(o.id) = o;
      ++done_count;
      if (options.quiet) continue;
      const std::string what =
          o.status == RunStatus::OK       ? fmt::format("ok      {:8.1f} s", o.wall_time_s)
          : o.status == RunStatus::FAILED ? fmt::format("FAILED (exit {}): {}", o.exit_code, o.error)
                                          : std::string("not run (interrupted)");
      std::cout << fmt::format("[{:>{}}/{}] {} {}  {}\n", done_count, id_width, to_run, layout.run_rel(o.id), what,
                               describe_run(spec, runs[o.id]))
                << std::flush;
    }
    if (pending.empty() && !slots.busy() && (!remote || remote->finished())) break;
    if (!progress) std::this_thread::sleep_for(IDLE_WAIT);
  }

  write_sweep_file(spec, runs, outcomes, layout);
  const SweepComparison comparison = collect_comparison(spec, runs, outcomes, layout);
  write_sweep_report(comparison, spec, layout.out_dir() + "/report.html");
  size_t ok = 0, failed = 0, not_run = 0;
  for (const auto& o : outcomes)
    (o.status == RunStatus::OK ? ok : o.status == RunStatus::FAILED ? failed : not_run)++;
  if (!options.quiet)
    std::cout << format_comparison(comparison, key_metrics(comparison))
              << fmt::format("gwsim sweep {}: {} ok ({} from before), {} failed, {} not run; results {}, report {}\n",
                             spec.name, ok, reused, failed, not_run, layout.sweep_h5(),
                             layout.out_dir() + "/report.html");
  if (stopping || not_run > 0) {
    std::cerr << fmt::format("gwsim: interrupted: {} runs not run; run the same command again to resume\n", not_run);
    return static_cast<int>(ExitCode::INTERRUPTED);
  }
  if (failed > 0) {
    std::cerr << fmt::format("gwsim: error: {} of {} runs failed (status, exit_code and error in {} /runs; each "
                             "run's log in runs/<id>/run.log)\n",
                             failed, runs.size(), layout.sweep_h5());
    return static_cast<int>(ExitCode::RUNS_FAILED);
  }
  return 0;
}

}  // namespace gwsim::sim
