#pragma once
// Reading a stream of length-delimited Protobuf records (the gwsim trace
// format, Chakra .et files) with errors in gwsim's form. Protobuf's own log
// line about a record it refuses ("String field ... contains invalid UTF-8")
// is not printed: its reason goes into the error instead.
#include <cstdint>
#include <string>
#include <string_view>

namespace google::protobuf {
class Message;
namespace io {
class ZeroCopyInputStream;
}  // namespace io
}  // namespace google::protobuf

namespace gwsim::workloads {

/// Reads the next record of `in` into `m` (cleared first): false at a clean
/// end of the stream. Otherwise throws Error(TRACE): "`name`: record
/// `record_number`: expected a length-delimited `what` record, found ..."
/// with protobuf's reason when it gave one, then `hint`.
bool read_delimited_record(google::protobuf::io::ZeroCopyInputStream& in, google::protobuf::Message& m,
                           const std::string& name, uint64_t record_number, std::string_view what,
                           std::string_view hint = {});

}  // namespace gwsim::workloads
