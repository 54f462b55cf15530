// The trace readers: each format on its fixture in tests/data (numbers
// computed by hand from the rows, see tests/data/README.md) and on malformed
// input (file, line, column, expected and found in the message; skipping
// counts), the text helpers, the external sort, and the shared real traces.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>

#include "common/error.hpp"
#include "test_support.hpp"
#include "workloads/trace_reader.hpp"
#include "workloads/trace_sort.hpp"
#include "workloads/trace_stats.hpp"

using namespace gwsim;
using namespace gwsim::workloads;

namespace {

std::string data(const std::string& rel) { return test::source_path("tests/data/" + rel); }

struct Read {
  std::vector<JobRequest> jobs;
  TraceInfo info;
  ReadReport report;
};

Read read_all(const std::string& format, const std::vector<std::string>& paths, ReadOptions o = {}) {
  auto reader = open_trace(format, paths, o);
  Read out;
  while (auto r = reader->next()) out.jobs.push_back(*r);
  out.info = reader->info();
  out.report = reader->report();
  return out;
}

double gpu_hours(const std::vector<JobRequest>& jobs) {
  double h = 0;
  for (const auto& j : jobs) h += static_cast<double>(j.gpus) * j.duration_s / 3600.0;
  return h;
}

void expect_arrival_order(const std::vector<JobRequest>& jobs) {
  for (size_t i = 0; i < jobs.size(); ++i) {
    EXPECT_EQ(jobs[i].id, i) << "ids number the jobs in arrival order";
    if (i) {
      EXPECT_LE(jobs[i - 1].submit_s, jobs[i].submit_s) << "job " << i;
    }
  }
}

// A file with `text`, in a fresh directory for the test.
std::string write_file(const std::string& name, const std::string& text) {
  const std::string dir = test::temp_dir();
  std::filesystem::create_directories(dir);
  const std::string path = dir + "/" + name;
  std::ofstream(path, std::ios::binary) << text;
  return path;
}

// The message of the Error(TRACE) reading `paths` throws ("" when it does not).
std::string error_of(const std::string& format, const std::vector<std::string>& paths, ReadOptions o = {}) {
  try {
    read_all(format, paths, o);
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ExitCode::TRACE) << e.what();
    return e.what();
  }
  return "";
}

void expect_contains(const std::string& text, const std::string& part) {
  EXPECT_NE(text.find(part), std::string::npos) << "'" << part << "' not in: " << text;
}

// Reading a file `name` holding `text` fails with a message containing `part`.
void expect_error(const std::string& format, const std::string& name, const std::string& text, const std::string& part) {
  expect_contains(error_of(format, {write_file(name, text)}), part);
}

}  // namespace

// ---------------------------------------------------------------------------
// Text helpers

TEST(TextInput, TimestampsAreUnixSecondsWithZones) {
  EXPECT_EQ(days_from_civil(1970, 1, 1), 0);
  EXPECT_EQ(days_from_civil(2000, 3, 1), 11017);  // 30 years incl. 7 leap days + Jan and Feb 2000 (31 + 29)
  EXPECT_DOUBLE_EQ(parse_timestamp("1970-01-02 00:00:01", "t"), 86401);
  EXPECT_DOUBLE_EQ(parse_timestamp("2017-09-04 00:00:00", "t"), 1504483200);  // a Monday
  double offset = 0;
  EXPECT_DOUBLE_EQ(parse_timestamp("2023-03-01 00:18:22+08:00", "t", &offset), 1677601102);
  EXPECT_DOUBLE_EQ(offset, 8 * 3600);
  EXPECT_DOUBLE_EQ(parse_timestamp("2023-11-16T18:15:46.680590Z", "t"), 1700158546.680590);
  EXPECT_EQ(format_timestamp(1504483200), "2017-09-04 00:00:00");
  EXPECT_EQ(format_timestamp(-1), "1969-12-31 23:59:59");
}

TEST(TextInput, BadFieldsSayWhatWasExpected) {
  try {
    parse_timestamp("2017-13-04 00:00:00", "timestamp");
    FAIL();
  } catch (const RowError& e) {
    EXPECT_EQ(e.column, "timestamp");
    expect_contains(e.expected, "2017-10-03 14:05:09");
    EXPECT_EQ(e.found, "'2017-13-04 00:00:00'");
  }
  EXPECT_THROW(parse_number("12x", "duration"), RowError);
  EXPECT_THROW(parse_number("nan", "duration"), RowError);
  EXPECT_EQ(parse_integer("8.0", "gpus"), 8);
  EXPECT_THROW(parse_integer("8.5", "gpus"), RowError);
  EXPECT_THROW(parse_count("0", "gpus", 1), RowError);
  EXPECT_THROW(parse_duration("-1", "duration"), RowError);
  EXPECT_THROW(parse_timestamp("2023-03-01 00:18:22+19:00", "t"), RowError) << "zones end at +-18 h";
  EXPECT_THROW(parse_timestamp("2023-03-01 00:18:22+08:60", "t"), RowError);
  EXPECT_NO_THROW(parse_timestamp("2023-03-01 00:18:22-18:00", "t"));
}

TEST(TextInput, CsvSplitsQuotedFieldsAndLinesWithoutFinalNewline) {
  std::vector<std::string_view> f;
  split_csv("a,\"b,c\",,d", f);
  ASSERT_EQ(f.size(), 4u);
  EXPECT_EQ(f[1], "b,c");
  EXPECT_EQ(f[2], "");
  const std::string path = write_file("lines.csv", "x\r\ny\n\nz");
  LineReader in(path);
  std::string_view line;
  std::vector<std::string> lines;
  while (in.next(line)) lines.emplace_back(line);
  EXPECT_EQ(lines, (std::vector<std::string>{"x", "y", "", "z"}));
  EXPECT_EQ(in.line_number(), 4);
}

// ---------------------------------------------------------------------------
// Statistics

TEST(TraceStats, PercentilesAreNearestRankAndExactForSmallIntegers) {
  TraceStats st;
  for (int i = 1; i <= 100; ++i) {
    JobRequest r;
    r.submit_s = i * 3600.0;
    r.gpus = i <= 90 ? 1 : 8;
    r.duration_s = i;
    st.add(r);
  }
  EXPECT_EQ(st.jobs(), 100u);
  EXPECT_DOUBLE_EQ(st.durations().percentile(50), 50);
  EXPECT_DOUBLE_EQ(st.durations().percentile(99), 99);
  EXPECT_DOUBLE_EQ(st.durations().percentile(100), 100);
  EXPECT_EQ(st.gpus_percentile(90), 1);
  EXPECT_EQ(st.gpus_percentile(91), 8);
  // GPU-hours: sum over i of gpus * i seconds = (1+...+90) + 8 (91+...+100) = 4095 + 7640 s.
  EXPECT_NEAR(st.gpu_hours(), (4095.0 + 7640.0) / 3600.0, 1e-12);
  // One job per hour for 99 hours: every hour of the day gets about one arrival per day.
  double sum = 0;
  for (double v : st.arrivals_per_hour()) sum += v;
  EXPECT_NEAR(sum / 24, 100.0 / 99.0, 1e-12) << "mean of the 24 hourly rates = jobs / span in hours";
}

TEST(TraceStats, LargeDurationsAreWithinTheBinResolution) {
  LogHistogram h;
  h.add(254884);
  h.add(4628226);
  EXPECT_NEAR(h.percentile(50), 254884, 254884 * std::ldexp(1.0, -10));
  EXPECT_DOUBLE_EQ(h.percentile(50), 254884) << "one value per bin: the value itself";
  EXPECT_DOUBLE_EQ(h.max(), 4628226);
}

// ---------------------------------------------------------------------------
// External sort

TEST(SortedSource, SortsThroughManyRunsKeepingTiesInFileOrder) {
  // 301 jobs in chunks of 2: 151 runs, more than the fan-in (64), so runs
  // are merged in cascades; times repeat so ties must keep file order.
  std::vector<JobRequest> input;
  for (int i = 0; i < 301; ++i) {
    JobRequest r;
    r.submit_s = double((i * 37) % 50);
    r.id = static_cast<uint64_t>(i);  // file position
    input.push_back(r);
  }
  struct Unsorted : Source {
    std::vector<JobRequest> v;
    size_t i = 0;
    std::optional<JobRequest> next() override {
      if (i == v.size()) return std::nullopt;
      return v[i++];
    }
  };
  auto src = std::make_unique<Unsorted>();
  src->v = input;
  SortedSource sorted(std::move(src), 2, "");
  std::vector<JobRequest> out;
  while (auto r = sorted.next()) out.push_back(*r);
  EXPECT_GT(sorted.runs_written(), SortedSource::MAX_FAN_IN);
  ASSERT_EQ(out.size(), input.size());
  std::stable_sort(input.begin(), input.end(), [](auto& a, auto& b) { return a.submit_s < b.submit_s; });
  for (size_t i = 0; i < out.size(); ++i) EXPECT_EQ(out[i].submit_s, input[i].submit_s) << i;
}

// ---------------------------------------------------------------------------
// philly

TEST(PhillyReader, SliceIsSortedAndRebasedToMidnight) {
  const Read r = read_all("philly", {data("philly/philly_slice.csv")});
  ASSERT_EQ(r.jobs.size(), 400u);
  expect_arrival_order(r.jobs);
  // The slice's earliest job: 2017-09-29 07:58:32; t = 0 is that day's midnight.
  EXPECT_DOUBLE_EQ(*r.info.origin_unix_s, double(days_from_civil(2017, 9, 29)) * 86400);
  EXPECT_DOUBLE_EQ(r.jobs.front().submit_s, 7 * 3600 + 58 * 60 + 32);
  EXPECT_DOUBLE_EQ(r.jobs.front().duration_s, 860662);
  EXPECT_NEAR(gpu_hours(r.jobs), 1530.8647222222, 1e-6);
  for (const auto& j : r.jobs) EXPECT_EQ(j.kind, JobKind::RESEARCH);
}

TEST(PhillyReader, MalformedRowsNameFileLineAndColumn) {
  const std::string header = "timestamp,duration,num_gpus,gpu_time,cluster\n";
  const std::string ok = "2017-10-09 07:01:55,66.0,1,66.0,11cb48\n";
  expect_error("philly", "p.csv", header + ok + "2017-10-09 07:02:00,abc,1,66.0,x\n",
               "p.csv:3: 'duration': expected a number, found 'abc'");
  expect_error("philly", "p.csv", header + ok + "2017-10-09 07:02:00,10,2,66.0,x\n",
               ":3: 'gpu_time': expected duration * num_gpus = 20, found 66");
  expect_error("philly", "p.csv", header + "09/10/2017 07:02,10,1,10,x\n",
               ":2: 'timestamp': expected a time such as");
  expect_error("philly", "p.csv", "when,duration,num_gpus\n" + ok,
               ":1: 'header': expected a header with the column 'timestamp', found the columns 'when,duration,num_gpus'");
}

TEST(PhillyReader, SkippingBadRowsCountsThem) {
  const std::string text = "timestamp,duration,num_gpus,gpu_time,cluster\n"
                           "2017-10-09 07:01:55,66.0,1,66.0,a\n"
                           "2017-10-09 07:02:00,abc,1,66.0,b\n"
                           "2017-10-09 07:03:00,10,0,0,c\n"
                           "2017-10-09 07:00:00,30,2,60,d\n";
  ReadOptions o;
  o.skip_bad_rows = true;
  const Read r = read_all("philly", {write_file("p.csv", text)}, o);
  ASSERT_EQ(r.jobs.size(), 2u);
  EXPECT_EQ(r.report.rows, 4u);
  EXPECT_EQ(r.report.skipped, 2u);
  expect_contains(r.report.first_skipped, "p.csv:3: 'duration'");
  EXPECT_EQ(r.jobs[0].gpus, 2) << "sorted: 07:00:00 comes first";
}

// ---------------------------------------------------------------------------
// itp

TEST(ItpReader, MergesFilesOfADirectoryByTime) {
  const Read r = read_all("itp", {data("itp")});
  ASSERT_EQ(r.jobs.size(), 70u);  // 40 + 30 rows; cluster09_slice.csv has no final newline
  expect_arrival_order(r.jobs);
  EXPECT_DOUBLE_EQ(r.jobs.front().submit_s, 2816);  // cluster09's first row
  EXPECT_DOUBLE_EQ(r.jobs.back().submit_s, 2016151);  // cluster01's last row
  EXPECT_NEAR(gpu_hours(r.jobs), 60.8180555556 + 188.1366666667, 1e-6);
  EXPECT_FALSE(r.info.origin_unix_s) << "ITP times are seconds since collection began: no wall clock";
}

TEST(ItpReader, OutOfOrderRowsAndBadFieldsAreErrors) {
  const std::string h = "job_id,submission_time,duration,num_gpu\n";
  expect_error("itp", "c.csv", h + "a,100,10,1\nb,50,10,1",
               "c.csv:3: 'submission_time': expected a time >= 100");
  expect_error("itp", "c.csv", h + "a,100,10,0\n",
               "c.csv:2: 'num_gpu': expected a count >= 1, found 0");
  expect_error("itp", "c.csv", h + "a,100\n",
               "c.csv:2: 'duration': expected at least 3 fields, found 2 fields");
}

// ---------------------------------------------------------------------------
// swf

TEST(SwfReader, ReadsHeaderFieldsAndTreatsMinusOneAsMissing) {
  const Read r = read_all("swf", {data("swf/sample.swf")});
  ASSERT_EQ(r.jobs.size(), 11u);
  expect_arrival_order(r.jobs);
  EXPECT_EQ(r.report.rows, 12u);
  EXPECT_EQ(r.report.filtered.at("run time missing (-1)"), 1u);  // job 4, cancelled
  EXPECT_DOUBLE_EQ(*r.info.origin_unix_s, 1041379200);        // ; UnixStartTime
  EXPECT_EQ(r.jobs[3].gpus, 16) << "job 5: no allocation, 16 requested";
  EXPECT_DOUBLE_EQ(r.jobs[3].estimate_s, 1200);
  EXPECT_EQ(r.jobs[3].user, "1") << "field 12, for estimate: user_history";
  EXPECT_EQ(r.jobs[1].user, "2");
  // 4*3600 + 8*1800 + 7200 + 16*600 + 64*86400 + 2*30 + 32*5400 + 4*900 + 16*14400 + 100 + 8*3600 seconds.
  EXPECT_NEAR(gpu_hours(r.jobs), 6010960.0 / 3600.0, 1e-9);
}

TEST(SwfReader, ProcessorsPerGpuGroupsProcessors) {
  ReadOptions o;
  o.procs_per_gpu = 4;
  const Read r = read_all("swf", {data("swf/sample.swf")}, o);
  std::vector<int64_t> gpus;
  for (const auto& j : r.jobs) gpus.push_back(j.gpus);
  EXPECT_EQ(gpus, (std::vector<int64_t>{1, 2, 1, 4, 16, 1, 8, 1, 4, 1, 2}));
}

TEST(SwfReader, WrongFieldCountsAndMaxProcsAreErrors) {
  const std::string h = "; MaxProcs: 8\n";
  expect_error("swf", "a.swf", h + "1 0 0 10 4 -1 -1 4 -1 -1 1 1 1 1 1 1 -1\n",
               "a.swf:2: 'fields': expected 18 whitespace-separated fields, found 17");
  expect_error("swf", "a.swf", h + "1 0 0 10 16 -1 -1 16 -1 -1 1 1 1 1 1 1 -1 -1\n",
               "expected at most MaxProcs = 8 (from the header), found 16");
  expect_error("swf", "a.swf", "; MaxProcs: many\n",
               "a.swf:1: '; MaxProcs': expected a number, found 'many'");
}

// -1 is SWF's only code for "missing": a run time of -50 is no SWF value,
// not a missing one (it was counted as missing, and the trace ran empty).
TEST(SwfReader, NegativeValuesOtherThanMinusOneAreBadRows) {
  expect_error("swf", "a.swf", "1 0 0 -50 4 -1 -1 4 -1 -1 1 1 1 1 1 1 -1 -1\n",
               "a.swf:1: 'run_time (field 4)': expected a value >= 0, or -1 (missing), found -50");
  expect_error("swf", "a.swf", "1 0 0 10 -2 -1 -1 4 -1 -1 1 1 1 1 1 1 -1 -1\n",
               "a.swf:1: 'allocated_processors (field 5)': expected a value >= 0, or -1 (missing), found -2");
  expect_error("swf", "a.swf", "1 0 0 10 -1 -1 -1 -4 -1 -1 1 1 1 1 1 1 -1 -1\n",
               "a.swf:1: 'requested_processors (field 8)': expected a value >= 0, or -1 (missing), found -4");
  expect_error("swf", "a.swf", "1 0 0 10 4 -1 -1 4 -7 -1 1 1 1 1 1 1 -1 -1\n",
               "a.swf:1: 'requested_time (field 9)': expected a value >= 0, or -1 (missing), found -7");
}

// A trace that yields no job is an error in every reader (it would run empty).
TEST(TraceFormats, ATraceWithNoJobIsAnError) {
  expect_error("swf", "a.swf", "; MaxProcs: 8\n1 0 0 -1 4 -1 -1 4 -1 -1 1 1 1 1 1 1 -1 -1\n",
               "a.swf: expected a trace with at least one job, found none (1 data rows; 1 filtered: run time missing (-1))");
  expect_error("philly", "p.csv", "timestamp,duration,num_gpus\n", "expected a trace with at least one job, found none (0 data rows)");
  expect_error("itp", "i.csv", "job_id,submission_time,duration,num_gpu\n", "expected a trace with at least one job");
  ReadOptions skip;
  skip.skip_bad_rows = true;
  expect_contains(error_of("itp", {write_file("i.csv", "job_id,submission_time,duration,num_gpu\na,1,oops,1\n")}, skip),
                  "found none (1 data rows; 1 malformed skipped, the first: ");
}

// Found by trace_swf_fuzzer: a start time of 1e35 s reached the hour-of-day
// statistics' integer conversion (undefined behaviour).
TEST(SwfReader, StartTimesBeyondRangeAreErrorsAndNotKeptWhenSkipped) {
  const std::string text = "; UnixStartTime: 1e35\n1 0 0 10 4 -1 -1 4 -1 -1 1 1 1 1 1 1 -1 -1\n";
  expect_error("swf", "a.swf", text, "a.swf:1: '; UnixStartTime': expected a value in [-1e+12, 1e+12], found 1e+35");
  ReadOptions skip;
  skip.skip_bad_rows = true;
  const Read r = read_all("swf", {write_file("a.swf", text)}, skip);
  EXPECT_EQ(r.report.skipped, 1u);
  EXPECT_EQ(r.jobs.size(), 1u);
  EXPECT_FALSE(r.info.origin_unix_s.has_value()) << "the refused start time was kept";
}

// ---------------------------------------------------------------------------
// pai

TEST(PaiReader, JoinsJobsWithTheirTasks) {
  const Read r = read_all("pai", {data("pai")});
  ASSERT_EQ(r.jobs.size(), 4u);
  expect_arrival_order(r.jobs);
  EXPECT_EQ(r.report.filtered.at("no GPUs (CPU-only job)"), 1u);
  EXPECT_EQ(r.report.filtered.at("not finished in the trace (Running, Waiting or no task end time)"), 1u);
  EXPECT_EQ(r.report.filtered.at("task row of a job not in the job table"), 1u);
  // Origin: local (UTC+8) midnight before the first submission at 100000 s.
  EXPECT_DOUBLE_EQ(r.info.utc_offset_s, 8 * 3600);
  EXPECT_DOUBLE_EQ(*r.info.origin_unix_s, 86400 - 8 * 3600);
  const JobRequest& first = r.jobs[0];  // 0a1b...: ps (no GPU) + 2 workers of 1 V100
  EXPECT_DOUBLE_EQ(first.submit_s, 100000 - 57600);
  EXPECT_EQ(first.gpus, 2);
  EXPECT_DOUBLE_EQ(first.duration_s, 103650 - 100050);
  EXPECT_EQ(first.gpu_type, "V100");
  const JobRequest& mixed = r.jobs[1];  // 5e6f...: 8 x 100 % V100M32 + 1 x 25 % V100
  EXPECT_EQ(mixed.gpus, 9);
  EXPECT_DOUBLE_EQ(mixed.gpu_fraction, 8.25 / 9);
  EXPECT_EQ(mixed.gpu_type, "V100|V100M32");
  EXPECT_DOUBLE_EQ(mixed.duration_s, 10800);
  EXPECT_DOUBLE_EQ(r.jobs[3].gpu_fraction, 0.5);  // 1c2d...: half a T4
  // CPU: ps 1 x 600 % + workers 2 x 800 % = 22 cores; memory 29.296875 + 2 x 58.59375 GB = 150000 MiB.
  EXPECT_EQ(first.cpu_milli, 22000);
  EXPECT_EQ(first.memory_mib, 150000);
  EXPECT_EQ(r.jobs[3].cpu_milli, 6000);
  EXPECT_EQ(r.jobs[3].memory_mib, 30000);
  EXPECT_NEAR(gpu_hours(r.jobs), 2 + 27 + 4 * 300 / 3600.0 + 0.5, 1e-12);
}

TEST(PaiReader, UnsortedTablesAndMissingHeadersAreErrors) {
  const std::string dir = test::temp_dir();
  std::filesystem::create_directories(dir);
  std::ofstream(dir + "/pai_job_table.header") << "job_name,inst_id,user,status,start_time,end_time\n";
  std::ofstream(dir + "/pai_task_table.header")
      << "job_name,task_name,inst_num,status,start_time,end_time,plan_cpu,plan_mem,plan_gpu,gpu_type\n";
  std::ofstream(dir + "/pai_job_table.csv") << "b,i,u,Terminated,10,20\na,i,u,Terminated,10,20\n";
  std::ofstream(dir + "/pai_task_table.csv") << "a,w,1,Terminated,10,20,1,1,100,T4\nb,w,1,Terminated,10,20,1,1,100,T4\n";
  expect_contains(error_of("pai", {dir}), "pai_job_table.csv:2: 'job_name': expected a name after 'b'");
  std::filesystem::remove(dir + "/pai_task_table.header");
  expect_contains(error_of("pai", {dir}), "expected a header file");
}

// ---------------------------------------------------------------------------
// openb

TEST(OpenbReader, FractionalGpusTypesAndTheNodeList) {
  const Read r = read_all("openb", {data("openb/openb_pod_list_sample.csv")});
  ASSERT_EQ(r.jobs.size(), 6u);
  EXPECT_EQ(r.info.cluster, "6 nodes, 30 GPUs (G2, T4, V100M16, V100M32)") << "node list found beside the pods";
  EXPECT_EQ(r.report.filtered.at("no GPUs (CPU-only pod)"), 1u);
  EXPECT_EQ(r.report.filtered.at("never scheduled (no scheduled_time or deletion_time)"), 1u);
  EXPECT_DOUBLE_EQ(r.jobs[1].gpu_fraction, 0.46);
  EXPECT_EQ(r.jobs[1].cpu_milli, 6000);
  EXPECT_EQ(r.jobs[1].memory_mib, 12288);
  EXPECT_EQ(r.jobs[1].gpus, 1);
  EXPECT_DOUBLE_EQ(r.jobs[1].duration_s, 12902 - 427);
  EXPECT_EQ(r.jobs[3].gpu_type, "V100M16|V100M32");
  EXPECT_EQ(r.jobs[5].gpu_type, "T4");
  EXPECT_DOUBLE_EQ(r.jobs[5].duration_s, 13700 - 10200) << "runs from scheduled_time";
  EXPECT_NEAR(gpu_hours(r.jobs), 49703.0 / 3600.0, 1e-12);
}

TEST(OpenbReader, UnknownGpuModelsAndSharedMultiGpuPodsAreErrors) {
  const std::string dir = test::temp_dir();
  std::filesystem::create_directories(dir);
  std::ofstream(dir + "/nodes.csv") << "sn,cpu_milli,memory_mib,gpu,model\nn0,1,1,8,G2\n";
  const std::string h = "name,cpu_milli,memory_mib,num_gpu,gpu_milli,gpu_spec,qos,pod_phase,creation_time,deletion_time,scheduled_time\n";
  std::ofstream(dir + "/pods.csv") << h << "p0,1,1,1,1000,A100,LS,Running,0,10,0\n";
  expect_contains(error_of("openb", {dir + "/pods.csv", dir + "/nodes.csv"}),
                  "pods.csv:2: 'gpu_spec': expected GPU models of the node list (G2), found 'A100'");
  std::ofstream(dir + "/pods.csv") << h << "p0,1,1,2,500,,LS,Running,0,10,0\n";
  expect_contains(error_of("openb", {dir + "/pods.csv"}), "'gpu_milli': expected 1000 for a pod of several GPUs");
}

// ---------------------------------------------------------------------------
// helios

TEST(HeliosReader, HeliosLogIsSortedAndFiltered) {
  const Read r = read_all("helios", {data("helios/cluster_log.csv")});
  ASSERT_EQ(r.jobs.size(), 4u);
  expect_arrival_order(r.jobs);
  EXPECT_EQ(r.report.filtered.at("no GPUs (CPU-only job)"), 1u);
  EXPECT_EQ(r.report.filtered.at("never ran (no duration)"), 1u);
  EXPECT_DOUBLE_EQ(r.jobs[0].submit_s, 8 * 3600 + 15 * 60);  // 2020-04-01 08:15:00, origin that midnight
  EXPECT_NEAR(gpu_hours(r.jobs), 8 + 60 / 3600.0 + 32 + 1, 1e-12);
}

TEST(HeliosReader, AcmeTypesAndZones) {
  const Read r = read_all("helios", {data("helios/trace_seren_sample.csv")});
  ASSERT_EQ(r.jobs.size(), 4u);
  EXPECT_DOUBLE_EQ(r.info.utc_offset_s, 8 * 3600);
  EXPECT_DOUBLE_EQ(r.jobs[0].submit_s, 18 * 60 + 22) << "00:18:22 local, origin local midnight";
  EXPECT_EQ(r.jobs[2].kind, JobKind::PRETRAIN);
  EXPECT_EQ(r.jobs[3].kind, JobKind::FINETUNE);
  EXPECT_EQ(r.jobs[0].kind, JobKind::RESEARCH);
}

TEST(HeliosReader, MissingColumnsAndBadTimes) {
  expect_error("helios", "h.csv", "job_id,gpu_num\n1,8\n",
               "h.csv:1: 'header': expected a header with the column 'submit_time'");
  expect_error("helios", "h.csv", "gpu_num,submit_time,duration\n8,yesterday,10\n",
               "h.csv:2: 'submit_time': expected a time such as");
}

// ---------------------------------------------------------------------------
// Formats and paths

TEST(TraceFormats, UnknownFormatsAndMissingFilesAreClear) {
  try {
    open_trace("philly2", {data("philly/philly_slice.csv")});
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ExitCode::USAGE);
    expect_contains(e.what(), "unknown trace format 'philly2' (expected one of philly, itp, swf");
  }
  expect_contains(error_of("philly", {"/nonexistent/philly.csv"}), "/nonexistent/philly.csv: no such file");
}

// ---------------------------------------------------------------------------
// Compressed traces: .gz and .xz read as the plain file

namespace {
void expect_same_jobs(const Read& a, const Read& b) {
  ASSERT_EQ(a.jobs.size(), b.jobs.size());
  for (size_t i = 0; i < a.jobs.size(); ++i) {
    EXPECT_EQ(a.jobs[i].submit_s, b.jobs[i].submit_s) << i;
    EXPECT_EQ(a.jobs[i].duration_s, b.jobs[i].duration_s) << i;
    EXPECT_EQ(a.jobs[i].gpus, b.jobs[i].gpus) << i;
  }
  EXPECT_EQ(a.report.rows, b.report.rows);
  EXPECT_EQ(a.info.origin_unix_s, b.info.origin_unix_s);
}
}  // namespace

TEST(CompressedTraces, GzipAndXzGiveTheJobsOfThePlainFile) {
  const Read philly = read_all("philly", {data("philly/philly_slice.csv")});
  ASSERT_EQ(philly.jobs.size(), 400u);
  expect_same_jobs(read_all("philly", {data("compressed/philly_slice.csv.gz")}), philly);
  expect_same_jobs(read_all("philly", {data("compressed/philly_slice.csv.xz")}), philly);
  const Read itp = read_all("itp", {data("itp/cluster01_slice.csv")});
  ASSERT_EQ(itp.jobs.size(), 40u);
  expect_same_jobs(read_all("itp", {data("compressed/cluster01_slice.csv.gz")}), itp);
  expect_same_jobs(read_all("itp", {data("compressed/cluster01_slice.csv.xz")}), itp);
}

TEST(CompressedTraces, TheMagicNumberDecidesNotTheName) {
  // An xz file named .csv is read as xz; a directory takes *.csv.gz and *.csv.xz files.
  const std::string dir = test::temp_dir();
  std::filesystem::create_directories(dir + "/itp");
  std::filesystem::copy_file(data("compressed/cluster01_slice.csv.xz"), dir + "/itp/a.csv");
  std::filesystem::copy_file(data("compressed/cluster01_slice.csv.gz"), dir + "/itp/b.csv.gz");
  std::filesystem::copy_file(data("itp/cluster09_slice.csv"), dir + "/itp/c.csv");
  const Read merged = read_all("itp", {dir + "/itp"});
  EXPECT_EQ(merged.jobs.size(), 40u + 40u + 30u);
  expect_arrival_order(merged.jobs);
}

TEST(CompressedTraces, TruncatedOrCorruptDataIsAnErrorNamingTheFile) {
  for (const char* name : {"compressed/philly_slice.csv.gz", "compressed/philly_slice.csv.xz"}) {
    std::ifstream in(data(name), std::ios::binary);
    const std::string whole((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    ASSERT_GT(whole.size(), 1000u) << name;
    const std::string ext = std::string(name).substr(std::string(name).size() - 3);
    const std::string cut = write_file("cut" + ext, whole.substr(0, whole.size() / 2));
    const std::string what = ext == ".gz" ? "gzip" : "xz";
    expect_contains(error_of("philly", {cut}), cut + ": expected " + what + " data, found a truncated file");
    std::string flipped = whole;
    for (size_t i = 20; i < 60; ++i) flipped[i] = static_cast<char>(flipped[i] ^ 0x5a);
    const std::string bad = write_file("bad" + ext, flipped);
    expect_contains(error_of("philly", {bad}), bad + ": expected " + what + " data, found corrupt data");
  }
}

// ---------------------------------------------------------------------------
// The public traces shipped in data/traces (compressed with xz)

TEST(ShippedTraces, PhillyAndItpHaveThePublishedCounts) {
  const std::string philly = test::source_path("data/traces/philly/philly.csv.xz");
  const std::string itp = test::source_path("data/traces/itp");
  TraceStats p, i;
  auto rp = open_trace("philly", {philly});
  while (auto r = rp->next()) p.add(*r);
  auto ri = open_trace("itp", {itp});
  while (auto r = ri->next()) i.add(*r);
  EXPECT_EQ(p.jobs(), 82247u);  // data/traces/README.md
  EXPECT_EQ(i.jobs(), 69351u);
  EXPECT_NEAR(i.gpu_hours(), 1632720, 1) << "README: 1,632,720 GPU-hours";
  EXPECT_EQ(p.by_gpus().rbegin()->first, 128);  // num_gpus 1 to 128
  EXPECT_DOUBLE_EQ(p.durations().max(), 4628226);  // duration 1 to 4,628,226
  EXPECT_EQ(i.by_gpus().rbegin()->first, 64);
}
