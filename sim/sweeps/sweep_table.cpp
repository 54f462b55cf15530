// sweep.h5: the runs table of a sweep (schema in docs/sweeps.md).
#include <cmath>
#include <fmt/format.h>
#include <fmt/ranges.h>
#include <limits>
#include <map>
#include <set>

#include "common/error.hpp"
#include "gwsim_version.hpp"
#include "results/hdf5_reader.hpp"
#include "results/table_file.hpp"
#include "sim/sweeps/sweep_runner.hpp"

namespace gwsim::sim {

namespace {
constexpr int SWEEP_SCHEMA_VERSION = 1;
constexpr size_t ERROR_WIDTH = 256;  // bytes of a run's error kept in /runs (its run.log has all of it)
using results::Column;
}  // namespace

void write_sweep_file(const SweepSpec& spec, const std::vector<SweepRun>& runs, std::vector<RunOutcome>& outcomes,
                      const SweepLayout& layout) {
  const double NaN = std::numeric_limits<double>::quiet_NaN();
  const size_t n = runs.size();

  // Every summary scalar of every complete run, in order of first appearance:
  // the table takes whatever scalars the runs wrote.
  std::vector<std::string> names, units;
  std::map<std::string, size_t> index;
  std::vector<std::vector<double>> values;
  for (size_t r = 0; r < n; ++r) {
    if (outcomes[r].status != RunStatus::OK) continue;
    std::vector<results::SummaryValue> summary;
    try {
      summary = results::read_summary(layout.run_dir(runs[r].id) + "/run.h5");
    } catch (const Error& e) {
      outcomes[r].status = RunStatus::FAILED;
      outcomes[r].error = fmt::format("cannot read its run.h5: {}", e.what());
      continue;
    }
    for (const auto& v : summary) {
      auto [it, added] = index.emplace(v.name, names.size());
      if (added) {
        names.push_back(v.name);
        units.push_back(v.unit);
        values.emplace_back(n, NaN);
      }
      values[it->second][r] = v.value;
    }
  }

  results::TableFile tf;
  tf.table_path = "runs";
  std::set<std::string> taken = {"run", "seed", "status", "exit_code", "run_file", "error"};
  auto ints = [&](auto&& f) {
    std::vector<int64_t> v(n);
    for (size_t r = 0; r < n; ++r) v[r] = static_cast<int64_t>(f(r));
    return v;
  };
  tf.table.push_back(Column::integer("run", Column::Type::UINT32, ints([&](size_t r) { return runs[r].id; })));
  for (size_t a = 0; a < spec.axes.size(); ++a) {
    const SweepAxis& axis = spec.axes[a];
    taken.insert(axis.name);
    results::Dataset1D ds;
    ds.path = "axes/" + axis.name;
    ds.attributes = {{"keys", fmt::format("{}", fmt::join(axis.keys, ", "))},
                     {"column", axis.numeric ? "the value" : "an index into this dataset"}};
    if (axis.numeric) {
      std::vector<double> col(n);
      for (size_t r = 0; r < n; ++r) col[r] = axis.numbers[runs[r].position[a]];
      tf.table.push_back(Column::real(axis.name, col, axis.unit));
      ds.values = Column::real(axis.name, axis.numbers, axis.unit);
    } else {
      tf.table.push_back(
          Column::integer(axis.name, Column::Type::UINT32, ints([&](size_t r) { return runs[r].position[a]; })));
      ds.values = Column::strings(axis.name, axis.labels);
    }
    tf.datasets.push_back(std::move(ds));
  }
  tf.table.push_back(Column::integer("seed", Column::Type::INT64, ints([&](size_t r) { return runs[r].seed; })));
  tf.table.push_back(Column::integer("status", Column::Type::UINT8,
                                     ints([&](size_t r) { return static_cast<int>(outcomes[r].status); })));
  tf.table.push_back(
      Column::integer("exit_code", Column::Type::INT32, ints([&](size_t r) { return outcomes[r].exit_code; })));
  for (size_t i = 0; i < names.size(); ++i) {
    // A scalar named like a fixed column or an axis keeps its value under "summary.<name>".
    const std::string name = taken.count(names[i]) ? "summary." + names[i] : names[i];
    tf.table.push_back(Column::real(name, values[i], units[i]));
  }
  std::vector<std::string> files(n), errors(n), hosts(n);
  std::vector<double> wall(n);
  for (size_t r = 0; r < n; ++r) {
    if (outcomes[r].status == RunStatus::OK) {
      files[r] = layout.run_rel(runs[r].id) + "/run.h5";
      tf.links.push_back({"run_files/" + layout.run_rel(runs[r].id).substr(5), files[r], "/"});
    }
    errors[r] = outcomes[r].error;
    hosts[r] = outcomes[r].host;
    wall[r] = outcomes[r].wall_time_s;
  }
  tf.table.push_back(Column::strings("run_file", files));
  tf.table.push_back(Column::strings("error", errors, ERROR_WIDTH));
  tf.table_attributes = {{"status", "code in /lookup/status"},
                         {"nondeterministic", "none: how long and where runs ran is in /nondeterministic"}};

  tf.datasets.push_back({"lookup/status", Column::strings("status", run_status_names()), {}});
  const std::string note = "differs between invocations of the same sweep (not a result)";
  tf.datasets.push_back({"nondeterministic/wall_time_s", Column::real("wall_time_s", wall, "s"), {{"note", note}}});
  tf.datasets.push_back({"nondeterministic/rank",
                         Column::integer("rank", Column::Type::INT32, ints([&](size_t r) { return outcomes[r].rank; })),
                         {{"note", note}}});
  tf.datasets.push_back({"nondeterministic/host", Column::strings("host", hosts), {{"note", note}}});
  tf.datasets.push_back({"nondeterministic/reused",
                         Column::integer("reused", Column::Type::UINT8,
                                         ints([&](size_t r) { return outcomes[r].reused ? 1 : 0; })),
                         {{"note", note + "; 1: complete before this invocation, not run again"}}});

  std::vector<std::string> axis_names;
  for (const auto& a : spec.axes) axis_names.push_back(a.name);
  size_t not_run = 0;
  for (const auto& o : outcomes) not_run += o.status == RunStatus::NOT_RUN;
  tf.attributes = {{"gwsim_version", VERSION},
                   {"git_revision", GIT_REVISION},
                   {"sweep_name", spec.name},
                   {"sweep_path", spec.path},
                   {"sweep_text", spec.text},
                   {"base_path", spec.base_path},
                   {"base_text", spec.base_text},
                   {"axes", fmt::format("{}", fmt::join(axis_names, ", "))}};
  tf.int_attributes = {{"schema_version", SWEEP_SCHEMA_VERSION},
                       {"runs", static_cast<int64_t>(n)},
                       {"complete", not_run == 0 ? 1 : 0}};
  results::write_table_file(layout.sweep_h5(), tf);
}

}  // namespace gwsim::sim
