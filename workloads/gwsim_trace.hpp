#pragma once
// The gwsim Protobuf trace (schema: gwsim_trace.proto): writing, and the
// record streams the reader (read_gwsim.cpp) and the external sort
// (trace_sort.cpp) share. Records are length-delimited (varint size, then the
// message), so a file streams one record at a time.
#include <cstdint>
#include <memory>
#include <string>

#include "workloads/file_handle.hpp"
#include "workloads/job_request.hpp"
#include "workloads/trace_reader.hpp"

namespace gwsim::trace {
class TraceJob;
class TraceHeader;
}  // namespace gwsim::trace

namespace gwsim::workloads {

inline constexpr uint32_t GWSIM_TRACE_VERSION = 1;
inline constexpr const char* GWSIM_TRACE_MAGIC = "gwsim.trace";

void to_proto(const JobRequest& r, trace::TraceJob& out);
void from_proto(const trace::TraceJob& m, JobRequest& out);

/// Length-delimited records written to an open file descriptor (not owned).
class RecordWriter {
 public:
  explicit RecordWriter(int fd);
  ~RecordWriter();
  void write_header(const trace::TraceHeader& h);
  void write(const JobRequest& r);
  /// Flushes buffered bytes; false on an I/O error.
  bool flush();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

/// Length-delimited records read from an open file descriptor (not owned).
class RecordReader {
 public:
  explicit RecordReader(int fd);
  ~RecordReader();
  /// False at a clean end of the stream; throws Error(TRACE) naming `name`
  /// and the record number when a record is truncated or does not parse.
  bool read_header(trace::TraceHeader& h, const std::string& name);
  bool read(JobRequest& out, const std::string& name);
  uint64_t records() const { return records_; }

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
  uint64_t records_ = 0;
};

/// Writes a gwsim trace file. The bytes go to `<path>.partial`, renamed to
/// `path` by finish(); a writer destroyed before finish() removes the
/// partial file, so a failed conversion leaves nothing behind.
class TraceWriter {
 public:
  /// Throws Error(OUTPUT) when the file cannot be created.
  TraceWriter(const std::string& path, const TraceInfo& info, uint64_t job_count = 0);
  ~TraceWriter();
  /// Requests must come in arrival order (checked: Error(INTERNAL) otherwise).
  void write(const JobRequest& r);
  void finish();
  uint64_t written() const { return written_; }

 private:
  std::string path_;
  UniqueFd fd_;  // before out_: destroyed after it
  std::unique_ptr<RecordWriter> out_;
  uint64_t written_ = 0;
  double last_submit_s_ = -1e300;
  bool finished_ = false;
};

}  // namespace gwsim::workloads
