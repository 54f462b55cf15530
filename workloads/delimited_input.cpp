#include "workloads/delimited_input.hpp"

#include <cstdio>
#include <fmt/format.h>
#include <google/protobuf/io/zero_copy_stream.h>
#include <google/protobuf/message.h>
#include <google/protobuf/stubs/common.h>
#include <google/protobuf/util/delimited_message_util.h>

#include "common/error.hpp"

#if GOOGLE_PROTOBUF_VERSION < 4022000  // 22.x moved logging to Abseil, without a handler to set
#define GWSIM_PROTOBUF_LOG_HANDLER 1
#include <google/protobuf/stubs/logging.h>
#endif

namespace gwsim::workloads {
namespace {

// While this thread parses a record, protobuf's log messages are kept here
// instead of printed; other messages keep protobuf's default form on stderr.
thread_local bool capturing = false;
thread_local std::string captured;

#ifdef GWSIM_PROTOBUF_LOG_HANDLER
void log_handler(google::protobuf::LogLevel level, const char* file, int line, const std::string& message) {
  if (capturing) {
    if (captured.empty()) captured = message;
    return;
  }
  static const char* const names[] = {"INFO", "WARNING", "ERROR", "FATAL"};
  std::fprintf(stderr, "[libprotobuf %s %s:%d] %s\n", names[level], file, line, message.c_str());
}
#endif

void install_log_handler() {
#ifdef GWSIM_PROTOBUF_LOG_HANDLER
  static const bool installed = [] {
    google::protobuf::SetLogHandler(&log_handler);
    return true;
  }();
  (void)installed;
#endif
}

// "String field 'x' contains invalid UTF-8 data when parsing a protocol
// buffer. Use the 'bytes' type ..." -> its first sentence.
std::string first_sentence(const std::string& message) {
  const size_t end = message.find(". ");
  return message.substr(0, end);
}

}  // namespace

bool read_delimited_record(google::protobuf::io::ZeroCopyInputStream& in, google::protobuf::Message& m,
                           const std::string& name, uint64_t record_number, std::string_view what,
                           std::string_view hint) {
  install_log_handler();
  m.Clear();  // parsing merges into the message: fields of the previous record must not survive
  bool clean_eof = false;
  capturing = true;
  captured.clear();
  const bool ok = google::protobuf::util::ParseDelimitedFromZeroCopyStream(&m, &in, &clean_eof);
  capturing = false;
  if (ok) return true;
  if (clean_eof) return false;
  const std::string found = captured.empty() ? std::string("a truncated or corrupt one")
                                             : fmt::format("one protobuf refuses ({})", first_sentence(captured));
  throw Error(ExitCode::TRACE, fmt::format("{}: record {}: expected a length-delimited {} record, found {}{}", name,
                                           record_number, what, found, hint));
}

}  // namespace gwsim::workloads
