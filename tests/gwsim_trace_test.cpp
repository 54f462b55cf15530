// The gwsim Protobuf trace: every JobRequest field survives a write and a
// read, the header is checked, a failed write leaves nothing, and
// `gwsim trace convert` then `gwsim trace stats` give the same numbers as the
// original trace.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <nlohmann/json.hpp>
#include <sstream>

#include "common/error.hpp"
#include "test_support.hpp"
#include "workloads/file_handle.hpp"
#include "workloads/gwsim_trace.hpp"
#include "workloads/gwsim_trace.pb.h"

using namespace gwsim;
using namespace gwsim::workloads;

namespace {

std::string run(const std::string& args, int* rc = nullptr) {
  const std::string out = test::temp_dir("-stdout.txt");
  std::filesystem::create_directories(std::filesystem::path(out).parent_path());
  const int status = std::system((std::string(GWSIM_BINARY) + " " + args + " > " + out + " 2>&1").c_str());
  if (rc) *rc = WEXITSTATUS(status);
  std::ifstream in(out);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

}  // namespace

TEST(GwsimTrace, EveryFieldRoundTrips) {
  const std::string dir = test::temp_dir();
  std::filesystem::create_directories(dir);
  JobRequest a;
  a.id = 7;
  a.submit_s = 12.5;
  a.tenant = Tenant::EXTERNAL;
  a.kind = JobKind::INFERENCE;
  a.gpus = 16;
  a.gpu_type = "H100-SXM";
  a.duration_s = 3600;
  a.model = "llama3-70b";
  a.priority = -3;
  a.deadline_s = 99;
  a.patience_s = 0;
  a.price_usd_per_gpu_hour = 2.5;
  a.estimate_s = 7200;
  a.gpu_fraction = 0.25;
  a.cpu_milli = 6000;
  a.memory_mib = 12288;
  InferenceDemand d;
  d.mean_tokens_per_s = 123456;
  d.growth_per_week = 0.02;
  d.price_usd_per_million_output_tokens = 1.5;
  a.demand = std::make_shared<const InferenceDemand>(d);
  JobRequest b;
  b.submit_s = 20;
  b.duration_s = -1;
  b.work_tokens = 1e12;
  b.model = "gpt3-175b";
  TraceInfo info;
  info.origin = "test";
  info.origin_unix_s = 1504483200;
  info.utc_offset_s = -7 * 3600;
  {
    TraceWriter w(dir + "/t.pb", info);
    w.write(a);
    w.write(b);
    w.finish();
  }
  auto reader = open_trace("gwsim", {dir + "/t.pb"});
  EXPECT_EQ(reader->info().origin, "test");
  EXPECT_DOUBLE_EQ(*reader->info().origin_unix_s, 1504483200);
  EXPECT_DOUBLE_EQ(reader->info().utc_offset_s, -7 * 3600);
  auto x = reader->next();
  ASSERT_TRUE(x);
  EXPECT_EQ(x->id, 0u) << "the reader numbers jobs in arrival order";
  // Every field: the records of the written and the read request are equal (ids aside).
  trace::TraceJob pa, px;
  to_proto(a, pa);
  to_proto(*x, px);
  pa.set_id(0);
  EXPECT_EQ(pa.DebugString(), px.DebugString());
  EXPECT_EQ(x->estimate_s, 7200);
  EXPECT_EQ(x->gpu_fraction, 0.25);
  EXPECT_EQ(x->cpu_milli, 6000);
  EXPECT_EQ(x->memory_mib, 12288);
  ASSERT_TRUE(x->demand);
  EXPECT_EQ(x->demand->mean_tokens_per_s, 123456);
  EXPECT_EQ(x->demand->price_usd_per_million_output_tokens, 1.5);
  auto y = reader->next();
  ASSERT_TRUE(y);
  EXPECT_EQ(y->duration_s, -1);
  EXPECT_EQ(y->work_tokens, 1e12);
  EXPECT_FALSE(y->demand);
  EXPECT_EQ(y->gpu_type, "") << "fields of the previous record do not leak into the next";
  EXPECT_EQ(y->kind, JobKind::RESEARCH);
  EXPECT_EQ(y->tenant, Tenant::INTERNAL);
  EXPECT_EQ(y->gpu_fraction, 1.0);
  EXPECT_EQ(y->cpu_milli, 0);
  EXPECT_FALSE(reader->next());
}

TEST(GwsimTrace, WriterLeavesNothingWhenAbandonedAndRefusesDisorder) {
  const std::string dir = test::temp_dir();
  std::filesystem::create_directories(dir);
  {
    TraceWriter w(dir + "/t.pb", TraceInfo{});
    JobRequest r;
    r.submit_s = 10;
    w.write(r);
    r.submit_s = 5;
    EXPECT_THROW(w.write(r), Error);
  }
  EXPECT_FALSE(std::filesystem::exists(dir + "/t.pb"));
  EXPECT_FALSE(std::filesystem::exists(dir + "/t.pb.partial"));
}

TEST(GwsimTrace, ForeignAndTruncatedFilesAreErrors) {
  const std::string dir = test::temp_dir();
  std::filesystem::create_directories(dir);
  std::ofstream(dir + "/text.pb") << "timestamp,duration\n1,2\n";
  try {
    open_trace("gwsim", {dir + "/text.pb"});
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ExitCode::TRACE);
    EXPECT_NE(std::string(e.what()).find("text.pb"), std::string::npos) << e.what();
  }
  {
    TraceWriter w(dir + "/t.pb", TraceInfo{});
    JobRequest r;
    r.model = std::string(100, 'm');
    w.write(r);
    w.finish();
  }
  const auto size = std::filesystem::file_size(dir + "/t.pb");
  std::filesystem::resize_file(dir + "/t.pb", size - 10);
  try {
    open_trace("gwsim", {dir + "/t.pb"}, {});  // opening reads the first job
    FAIL() << "a truncated record is an error";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("record 2: expected a length-delimited gwsim.trace.TraceJob record"),
              std::string::npos)
        << e.what();
  }
}

// A reader whose constructor refuses the file closes it (found by
// trace_gwsim_fuzzer: a leaked descriptor per foreign file ended a long run
// with "too many open files").
TEST(GwsimTrace, RefusedFilesAreClosed) {
  const std::string dir = test::temp_dir();
  std::filesystem::create_directories(dir);
  std::ofstream(dir + "/text.pb") << "timestamp,duration\n1,2\n";
  {
    TraceInfo bad_zone;
    bad_zone.utc_offset_s = 1e9;  // the writer stores what it is given; the reader checks
    TraceWriter w(dir + "/zone.pb", bad_zone);
    w.finish();
  }
  const size_t before = open_fd_count();
  ASSERT_GT(before, 0u) << "no /proc/self/fd to count with";
  for (int i = 0; i < 20; ++i) {
    EXPECT_THROW(open_trace("gwsim", {dir + "/text.pb"}), Error);
    EXPECT_THROW(open_trace("gwsim", {dir + "/zone.pb"}), Error);
  }
  EXPECT_EQ(open_fd_count(), before);
  try {
    open_trace("gwsim", {dir + "/zone.pb"});
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ExitCode::TRACE);
    EXPECT_NE(std::string(e.what()).find("zone.pb: 'header.utc_offset_s': expected a value in [-64800, 64800], found 1000000000"),
              std::string::npos)
        << e.what();
  }
}

// A string field that is not UTF-8: protobuf refuses the record; the error
// says why, and protobuf's own log line is not printed.
TEST(GwsimTrace, InvalidUtf8IsAnErrorWithoutProtobufsLogLine) {
  const std::string dir = test::temp_dir();
  std::filesystem::create_directories(dir);
  {
    TraceInfo info;
    info.origin = "origin-marker";
    TraceWriter w(dir + "/t.pb", info);
    w.finish();
  }
  std::string bytes;
  {
    std::ifstream in(dir + "/t.pb", std::ios::binary);
    bytes.assign(std::istreambuf_iterator<char>(in), {});
  }
  const size_t at = bytes.find("origin-marker");
  ASSERT_NE(at, std::string::npos);
  bytes[at] = '\xff';
  std::ofstream(dir + "/bad.pb", std::ios::binary) << bytes;
  int rc = 0;
  const std::string out = run("trace stats " + dir + "/bad.pb --format gwsim", &rc);
  EXPECT_EQ(rc, 4) << out;
  EXPECT_NE(out.find("bad.pb: record 1: expected a length-delimited gwsim.trace.TraceHeader record, found one protobuf "
                     "refuses (String field 'gwsim.trace.TraceHeader.origin' contains invalid UTF-8"),
            std::string::npos)
      << out;
  EXPECT_EQ(out.find("libprotobuf"), std::string::npos) << out;
}

// convert then stats: the same numbers from the CSV and from the Protobuf file.
TEST(GwsimTrace, ConvertAndStatsRoundTripWithEqualNumbers) {
  const std::string dir = test::temp_dir();
  std::filesystem::create_directories(dir);
  for (const auto& [format, input] : std::vector<std::pair<std::string, std::string>>{
           {"philly", "tests/data/philly/philly_slice.csv"},
           {"itp", "tests/data/itp"},
           {"pai", "tests/data/pai"},
           {"helios", "tests/data/helios/trace_seren_sample.csv"}}) {
    const std::string in = test::source_path(input);
    const std::string pb = dir + "/" + format + ".pb";
    int rc = -1;
    const std::string conv = run("trace convert --from " + format + " " + in + " " + pb, &rc);
    ASSERT_EQ(rc, 0) << conv;
    const auto a = nlohmann::json::parse(run("trace stats --json --format " + format + " " + in));
    const auto b = nlohmann::json::parse(run("trace stats --json --format gwsim " + pb));
    for (const char* key : {"jobs", "gpu_hours", "gpus", "duration_s", "arrivals_per_hour", "arrivals_by_weekday",
                            "first_submit_s", "last_submit_s", "kinds", "tenants", "utc_offset_s"})
      EXPECT_EQ(a.at(key), b.at(key)) << format << ": " << key;
    EXPECT_EQ(a.value("origin_unix_s", -1.0), b.value("origin_unix_s", -1.0)) << format;
  }
}

TEST(GwsimTrace, StatsOfTheSliceByHand) {
  const auto j = nlohmann::json::parse(
      run("trace stats --json --format philly " + test::source_path("tests/data/philly/philly_slice.csv")));
  EXPECT_EQ(j["jobs"], 400);
  EXPECT_NEAR(j["gpu_hours"].get<double>(), 1530.8647222222, 1e-6);
  EXPECT_EQ(j["gpus"]["distribution"]["8"], 3);
  EXPECT_EQ(j["origin_local_time"], "2017-09-29 00:00:00");
  EXPECT_EQ(j["rows"], 400);
  EXPECT_EQ(j["skipped_rows"], 0);
}
