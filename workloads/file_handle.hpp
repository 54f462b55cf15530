#pragma once
// Owners of open files. A constructor that opens a file and then throws runs
// no destructor of its own, only its members': a file held by one of these
// members is closed on every path (a bad header read ten thousand times must
// not exhaust the process's descriptors).
#include <cstddef>
#include <cstdio>
#include <filesystem>
#include <unistd.h>
#include <utility>

namespace gwsim::workloads {

/// An open POSIX file descriptor (-1: none), closed when destroyed.
class UniqueFd {
 public:
  UniqueFd() = default;
  explicit UniqueFd(int fd) : fd_(fd) {}
  UniqueFd(UniqueFd&& other) noexcept : fd_(std::exchange(other.fd_, -1)) {}
  UniqueFd& operator=(UniqueFd&& other) noexcept {
    if (this != &other) {
      close();
      fd_ = std::exchange(other.fd_, -1);
    }
    return *this;
  }
  UniqueFd(const UniqueFd&) = delete;
  UniqueFd& operator=(const UniqueFd&) = delete;
  ~UniqueFd() { close(); }

  int get() const { return fd_; }
  bool valid() const { return fd_ >= 0; }
  /// Closes now; false (errno set) when close() reports an error, such as a
  /// write the kernel could not complete.
  bool close() {
    if (fd_ < 0) return true;
    return ::close(std::exchange(fd_, -1)) == 0;
  }

 private:
  int fd_ = -1;
};

/// File descriptors open in this process now (Linux's /proc/self/fd; 0
/// where it is missing). The fuzz harness and the tests check with it that
/// what an input opened is closed again.
inline size_t open_fd_count() {
  std::error_code ec;
  size_t n = 0;
  for (std::filesystem::directory_iterator it("/proc/self/fd", ec), end; !ec && it != end; it.increment(ec)) ++n;
  return n;
}

/// Deleter for std::unique_ptr<std::FILE, FileCloser>.
struct FileCloser {
  void operator()(std::FILE* f) const { std::fclose(f); }
};

}  // namespace gwsim::workloads
