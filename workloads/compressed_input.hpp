#pragma once
// A trace file's bytes, decompressed on the fly: plain, gzip (.gz, zlib) or
// xz (.xz, liblzma), told apart by the file's first bytes (its magic number),
// not its name. The trace readers read through it, so every text format
// reads `philly.csv.xz` as it reads `philly.csv` (docs/workloads.md#compressed-traces).
#include <cstddef>
#include <cstdio>
#include <memory>
#include <string>

#include "workloads/file_handle.hpp"

namespace gwsim::workloads {

enum class Compression { NONE, GZIP, XZ };

/// "gzip", "xz" or "none" (for messages).
const char* compression_name(Compression c);

/// The file names a trace file may have besides its own: `name`, `name.gz`, `name.xz`.
bool has_trace_suffix(const std::string& name, const std::string& suffix);

class CompressedInput {
 public:
  /// Opens `path`; throws Error(TRACE) naming it when it cannot be opened.
  explicit CompressedInput(const std::string& path);
  ~CompressedInput();
  CompressedInput(const CompressedInput&) = delete;
  CompressedInput& operator=(const CompressedInput&) = delete;

  /// Up to `n` decompressed bytes into `out`; 0 at the end. Throws
  /// Error(TRACE) naming the file on a read error or corrupt or truncated
  /// compressed data.
  size_t read(char* out, size_t n);
  Compression compression() const { return compression_; }

 private:
  struct Decoder;
  size_t read_raw(char* out, size_t n);

  std::string path_;
  std::unique_ptr<std::FILE, FileCloser> file_;
  Compression compression_ = Compression::NONE;
  std::unique_ptr<Decoder> decoder_;
};

}  // namespace gwsim::workloads
