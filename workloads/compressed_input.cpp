#include "workloads/compressed_input.hpp"

#include <lzma.h>
#include <zlib.h>

#include <cerrno>
#include <cstring>
#include <fmt/format.h>
#include <vector>

#include "common/error.hpp"

namespace gwsim::workloads {
namespace {
constexpr size_t INPUT_BYTES = 1 << 16;
// RFC 1952 (gzip) and the .xz file format 1.1.0, section 2.1.1.1.
constexpr unsigned char GZIP_MAGIC[] = {0x1f, 0x8b};
constexpr unsigned char XZ_MAGIC[] = {0xfd, '7', 'z', 'X', 'Z', 0x00};
}  // namespace

const char* compression_name(Compression c) {
  switch (c) {
    case Compression::GZIP: return "gzip";
    case Compression::XZ: return "xz";
    case Compression::NONE: break;
  }
  return "none";
}

bool has_trace_suffix(const std::string& name, const std::string& suffix) {
  for (const std::string& s : {suffix, suffix + ".gz", suffix + ".xz"})
    if (name.size() >= s.size() && name.compare(name.size() - s.size(), s.size(), s) == 0) return true;
  return false;
}

// The compressed bytes read ahead (the magic number first) and the decoder's state.
struct CompressedInput::Decoder {
  std::vector<unsigned char> in = std::vector<unsigned char>(INPUT_BYTES);
  size_t in_begin = 0, in_end = 0;
  bool in_eof = false;
  bool done = false;  ///< the last stream ended at the end of the file
  z_stream z{};
  lzma_stream x = LZMA_STREAM_INIT;
  ~Decoder() {
    inflateEnd(&z);
    lzma_end(&x);
  }
};

CompressedInput::CompressedInput(const std::string& path) : path_(path), decoder_(std::make_unique<Decoder>()) {
  file_.reset(std::fopen(path_.c_str(), "rb"));
  if (!file_)
    throw Error(ExitCode::TRACE, fmt::format("{}: cannot open the trace file ({})", path_, std::strerror(errno)));
  Decoder& d = *decoder_;
  d.in_end = read_raw(reinterpret_cast<char*>(d.in.data()), sizeof XZ_MAGIC);
  auto starts_with = [&](const unsigned char* magic, size_t n) {
    return d.in_end >= n && std::memcmp(d.in.data(), magic, n) == 0;
  };
  if (starts_with(GZIP_MAGIC, sizeof GZIP_MAGIC)) {
    compression_ = Compression::GZIP;
    // 15 + 16: a gzip wrapper (not zlib's own) with the largest window.
    if (inflateInit2(&d.z, 15 + 16) != Z_OK)
      throw Error(ExitCode::INTERNAL, fmt::format("{}: zlib cannot start a decoder", path_));
  } else if (starts_with(XZ_MAGIC, sizeof XZ_MAGIC)) {
    compression_ = Compression::XZ;
    // LZMA_CONCATENATED: `xz` writes one stream, but a file of several (cat a.xz b.xz) is valid too.
    if (lzma_stream_decoder(&d.x, UINT64_MAX, LZMA_CONCATENATED) != LZMA_OK)
      throw Error(ExitCode::INTERNAL, fmt::format("{}: liblzma cannot start a decoder", path_));
  }
}

CompressedInput::~CompressedInput() = default;

size_t CompressedInput::read_raw(char* out, size_t n) {
  const size_t got = std::fread(out, 1, n, file_.get());
  if (got < n && std::ferror(file_.get()))
    throw Error(ExitCode::TRACE, fmt::format("{}: read error ({})", path_, std::strerror(errno)));
  return got;
}

size_t CompressedInput::read(char* out, size_t n) {
  Decoder& d = *decoder_;
  if (n == 0 || d.done) return 0;
  if (compression_ == Compression::NONE) {
    size_t got = 0;
    if (d.in_begin < d.in_end) {  // the bytes read to look for a magic number
      got = std::min(n, d.in_end - d.in_begin);
      std::memcpy(out, d.in.data() + d.in_begin, got);
      d.in_begin += got;
    }
    return got + read_raw(out + got, n - got);
  }
  auto corrupt = [&](const std::string& why) {
    return Error(ExitCode::TRACE, fmt::format("{}: expected {} data, found {}", path_, compression_name(compression_), why));
  };
  while (true) {
    if (d.in_begin == d.in_end && !d.in_eof) {
      d.in_begin = 0;
      d.in_end = read_raw(reinterpret_cast<char*>(d.in.data()), d.in.size());
      d.in_eof = d.in_end == 0;
    }
    const size_t avail = d.in_end - d.in_begin;
    if (compression_ == Compression::GZIP) {
      if (avail == 0) throw corrupt("a truncated file (the compressed data ends early)");
      d.z.next_in = d.in.data() + d.in_begin;
      d.z.avail_in = static_cast<uInt>(avail);
      d.z.next_out = reinterpret_cast<Bytef*>(out);
      d.z.avail_out = static_cast<uInt>(std::min<size_t>(n, 1u << 30));
      const int rc = inflate(&d.z, Z_NO_FLUSH);
      d.in_begin = d.in_end - d.z.avail_in;
      const size_t got = static_cast<size_t>(reinterpret_cast<char*>(d.z.next_out) - out);
      if (rc == Z_STREAM_END) {
        // gzip allows members one after another (cat a.gz b.gz): read on when more bytes follow.
        if (d.in_begin == d.in_end && !d.in_eof) {
          d.in_begin = 0;
          d.in_end = read_raw(reinterpret_cast<char*>(d.in.data()), d.in.size());
          d.in_eof = d.in_end == 0;
        }
        if (d.in_begin == d.in_end) d.done = true;
        else inflateReset(&d.z);
      } else if (rc != Z_OK && rc != Z_BUF_ERROR) {
        throw corrupt(fmt::format("corrupt data ({})", d.z.msg ? d.z.msg : "zlib error"));
      }
      if (got > 0 || d.done) return got;
    } else {
      d.x.next_in = d.in.data() + d.in_begin;
      d.x.avail_in = avail;
      d.x.next_out = reinterpret_cast<uint8_t*>(out);
      d.x.avail_out = n;
      const lzma_ret rc = lzma_code(&d.x, d.in_eof ? LZMA_FINISH : LZMA_RUN);
      d.in_begin = d.in_end - d.x.avail_in;
      const size_t got = n - d.x.avail_out;
      if (rc == LZMA_STREAM_END) {
        d.done = true;
      } else if (rc == LZMA_BUF_ERROR && d.in_eof) {
        throw corrupt("a truncated file (the compressed data ends early)");
      } else if (rc != LZMA_OK && rc != LZMA_BUF_ERROR) {
        throw corrupt(rc == LZMA_DATA_ERROR || rc == LZMA_FORMAT_ERROR ? "corrupt data"
                      : rc == LZMA_MEM_ERROR                            ? "data needing more memory than there is"
                                                                         : fmt::format("liblzma error {}", int(rc)));
      }
      if (got > 0 || d.done) return got;
    }
  }
}

}  // namespace gwsim::workloads
