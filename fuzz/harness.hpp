#pragma once
// What the libFuzzer targets do with one input (docs/reliability.md#fuzzing),
// as plain functions: the targets under fuzz/ call them from
// LLVMFuzzerTestOneInput, and tests/fuzz_regressions_test.cpp replays the
// seed corpora and every input that once crashed through them in the
// ordinary build.
//
// A reader may refuse an input only with a gwsim::Error of its documented
// exit code and a message. Anything else -- a crash, a sanitizer report,
// another exception, a refusal with the wrong code, or an accepted input
// that breaks an invariant the simulation relies on -- is a defect: the
// harness calls the defect handler (by default: print and abort, which
// libFuzzer records with the input).
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace gwsim::fuzz {

/// Called with a description of a defect; must not return normally.
using DefectHandler = void (*)(const std::string& what);
/// Replaces the defect handler (tests throw instead of aborting).
void set_defect_handler(DefectHandler handler);

/// The scenario loader (sim::parse_scenario) on `text`: refused with
/// Error(SCENARIO), or a scenario whose values keep their invariants.
void fuzz_scenario(std::string_view text);

/// A trace of `format` whose files are the parts of `input` split at
/// FILE_SEPARATOR (trace_files(format) says which part is which file), read
/// to the end strictly and then skipping bad rows: refused with Error(TRACE),
/// or requests in arrival order with finite, in-range values. `chakra` is
/// read as a job's ranks and timed on an H100.
void fuzz_trace(const std::string& format, std::string_view input);

/// The formats fuzz_trace() knows, and the files of each, in input order.
const std::vector<std::string>& fuzzed_trace_formats();
const std::vector<std::string>& trace_files(const std::string& format);

/// Separates the files of a multi-file input (a PAI job table and its task
/// table, the ranks of a Chakra job). The seed corpora use it; the
/// dictionary offers it to the mutator.
inline constexpr std::string_view FILE_SEPARATOR = "\n--- gwsim-fuzz next file ---\n";

/// Splits `input` into at most `max_files` parts at FILE_SEPARATOR (the last
/// part keeps any further separators).
std::vector<std::string_view> split_files(std::string_view input, size_t max_files);

}  // namespace gwsim::fuzz
