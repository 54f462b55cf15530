// `gwsim estimate`: the cost models from the command line. A training step
// for a model on N GPUs with a plan (or the planner's best plan), the best
// plans (--plan-search), serving estimates (--inference), and the validation
// against published runs (--validate). docs/models.md explains every number.
#include <fmt/format.h>

#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "common/error.hpp"
#include "common/units.hpp"
#include "gpu_models/backend.hpp"
#include "gpu_models/inference.hpp"
#include "gpu_models/validation.hpp"
#include "sim/cli/commands.hpp"
#include "sim/scenario/scenario_parts.hpp"

namespace gwsim::sim {
namespace {

namespace gm = gpu_models;
using nlohmann::json;

struct Args {
  std::string gpu = "H100-SXM";
  int gpus = 8;
  std::string model;
  // A model given by its shape instead of a catalog name.
  int layers = 0, hidden = 0, heads = 0, kv_heads = 0, ffn = 0, vocab = 51200, seq = 0;
  bool gated = false;
  // Plan.
  int tp = 1, pp = 1, dp = 0, cp = 1, ep = 1, micro_batch = 1, global_batch = 0, vp = 1, zero = 1;
  std::string recompute = "none";
  bool no_flash = false, no_sp = false, fp8 = false, overlap_ep = false;
  // Network (defaults: the GPU's reference system).
  std::string scaleup_bw, scaleout_bw, scaleup_latency, scaleout_latency;
  int scaleup_gpus = 0;
  // Modes.
  bool plan_search = false;
  int top = 10;
  bool inference = false;
  int batch = 1, prompt = 1024, output = 256;
  double concurrency = 0, rate = 0;
  bool fp8_kv = false;
  std::string validate;
  bool list = false;
  bool json = false;
  std::string catalog_file;
  std::vector<CLI::Option*> plan_options;
};

[[noreturn]] void usage(const std::string& flag, const std::string& expected, const std::string& found) {
  throw Error(ExitCode::USAGE, fmt::format("{}: expected {}, found {}", flag, expected, found));
}

double parse(const std::string& flag, const std::string& text, units::Parsed (*parser)(std::string_view)) {
  const units::Parsed p = parser(text);
  if (!p.value) usage(flag, p.expected, fmt::format("'{}'", text));
  return *p.value;
}

std::string names(const std::vector<std::string>& list) {
  std::string out;
  for (const auto& n : list) out += (out.empty() ? "" : ", ") + n;
  return out;
}

const gm::GpuSpec& gpu_of(const Args& a, const gm::Catalog& c) {
  const gm::GpuSpec* g = c.find_gpu(a.gpu);
  if (!g) usage("--gpu", fmt::format("a GPU type from the catalog ({})", names(c.gpu_names())), fmt::format("'{}'", a.gpu));
  return *g;
}

gm::ModelSpec model_of(const Args& a, const gm::Catalog& c) {
  if (!a.model.empty()) {
    const gm::ModelSpec* m = c.find_model(a.model);
    if (!m)
      usage("--model", fmt::format("a model from the catalog ({}) or --layers/--hidden/--heads", names(c.model_names())),
            fmt::format("'{}'", a.model));
    gm::ModelSpec out = *m;
    if (a.seq > 0) out.seq_len = a.seq;
    return out;
  }
  if (a.layers == 0) usage("--model", "a catalog model or a shape (--layers --hidden --heads ...)", "neither");
  gm::ModelSpec m;
  m.name = "custom";
  m.source = "command line";
  m.layers = a.layers;
  m.hidden = a.hidden;
  m.heads = a.heads;
  m.kv_heads = a.kv_heads;
  m.ffn = a.ffn > 0 ? a.ffn : 4 * a.hidden;
  m.gated_ffn = a.gated;
  m.vocab = a.vocab;
  m.seq_len = a.seq > 0 ? a.seq : 2048;
  m.train_batch_tokens = 4e6;
  for (const Problem& p : gm::validate(m)) usage("--" + p.key, p.expected, p.found);
  return m;
}

gm::Links links_of(const Args& a, const gm::GpuSpec& g) {
  gm::Links l = gm::reference_links(g);
  if (!a.scaleup_bw.empty()) l.scaleup_Bps = parse("--scaleup-bw", a.scaleup_bw, &units::bandwidth_Bps);
  if (!a.scaleout_bw.empty()) l.scaleout_Bps = parse("--scaleout-bw", a.scaleout_bw, &units::bandwidth_Bps);
  if (!a.scaleup_latency.empty()) l.scaleup_latency_s = parse("--scaleup-latency", a.scaleup_latency, &units::latency_s);
  if (!a.scaleout_latency.empty())
    l.scaleout_latency_s = parse("--scaleout-latency", a.scaleout_latency, &units::latency_s);
  if (a.scaleup_gpus > 0) l.scaleup_gpus = a.scaleup_gpus;
  if (!(l.scaleup_Bps > 0) || !(l.scaleout_Bps > 0)) usage("--scaleup-bw/--scaleout-bw", "a positive bandwidth", "0");
  return l;
}

gm::Recompute recompute_of(const std::string& name) {
  if (name == "none") return gm::Recompute::NONE;
  if (name == "selective") return gm::Recompute::SELECTIVE;
  if (name == "full") return gm::Recompute::FULL;
  if (name == "partial") return gm::Recompute::PARTIAL;
  usage("--recompute", "none, selective, full or partial", fmt::format("'{}'", name));
}

bool plan_given(const Args& a) {
  for (const CLI::Option* o : a.plan_options)
    if (o->count() > 0) return true;
  return false;
}

json plan_json(const gm::Plan& p) {
  return {{"tp", p.tp}, {"pp", p.pp}, {"dp", p.dp}, {"cp", p.cp}, {"ep", p.ep}, {"micro_batch", p.micro_batch},
          {"global_batch", p.global_batch}, {"virtual_stages", p.virtual_stages},
          {"recompute", gm::recompute_name(p.recompute)}, {"zero_stage", p.zero_stage},
          {"sequence_parallel", p.sequence_parallel && p.tp > 1}, {"flash_attention", p.flash_attention},
          {"fp8", p.fp8}, {"overlap_ep_comm", p.overlap_ep_comm}};
}

json estimate_json(const gm::TrainingEstimate& e) {
  return {{"feasible", e.feasible},
          {"reason", e.reason},
          {"step_time_s", e.step_time_s},
          {"tokens_per_s", e.tokens_per_s},
          {"achieved_tflops_per_gpu", e.achieved_flops_per_gpu / 1e12},
          {"mfu", e.mfu},
          {"memory_per_gpu_bytes", e.memory_per_gpu_bytes},
          {"recompute_fraction", e.recompute_fraction},
          {"microbatches", e.microbatches},
          {"time_s",
           {{"compute", e.compute_s}, {"bubble", e.bubble_s}, {"tp_comm", e.tp_comm_s}, {"cp_comm", e.cp_comm_s},
            {"ep_comm", e.ep_comm_s}, {"pp_comm", e.pp_comm_s}, {"dp_comm", e.dp_comm_s}, {"optimizer", e.optimizer_s}}},
          {"memory_bytes",
           {{"weights", e.weights_bytes}, {"gradients", e.grads_bytes}, {"optimizer", e.optimizer_bytes},
            {"activations", e.activations_bytes}, {"runtime", gm::formulas::RUNTIME_RESERVE_BYTES}}},
          {"flops_per_step", {{"model", e.model_flops_per_step}, {"executed", e.executed_flops_per_step}}}};
}

void print_estimate(const gm::ModelSpec& m, const gm::GpuSpec& g, int gpus, const gm::Plan& p,
                    const gm::TrainingEstimate& e, bool chosen) {
  std::cout << fmt::format("gwsim estimate: {} ({:.1f}B params, {:.1f}B active) on {} x {}\n", m.name, m.params() / 1e9,
                           m.active_params() / 1e9, gpus, g.name);
  std::cout << fmt::format("plan{}: {}\n", chosen ? " (planner)" : "", gm::describe_plan(p));
  if (!e.feasible) std::cout << "infeasible: " << e.reason << "\n";
  std::cout << fmt::format("{:<28}{:>14.4g} s\n", "step time", e.step_time_s)
            << fmt::format("{:<28}{:>14.4g} tokens/s\n", "throughput", e.tokens_per_s)
            << fmt::format("{:<28}{:>14.1f} TFLOP/s\n", "achieved per GPU", e.achieved_flops_per_gpu / 1e12)
            << fmt::format("{:<28}{:>14.1f} %\n", "MFU", e.mfu * 100)
            << fmt::format("{:<28}{:>14.1f} GB of {:.0f}\n", "memory per GPU", e.memory_per_gpu_bytes / 1e9, g.hbm_bytes / 1e9);
  std::cout << "time per step: " << fmt::format("compute {:.3g} s, bubble {:.3g}, tp {:.3g}, cp {:.3g}, ep {:.3g}, pp {:.3g}, dp {:.3g}, optimizer {:.3g}\n",
                                                e.compute_s, e.bubble_s, e.tp_comm_s, e.cp_comm_s, e.ep_comm_s,
                                                e.pp_comm_s, e.dp_comm_s, e.optimizer_s);
  std::cout << "memory per GPU: " << fmt::format("weights {:.1f} GB, gradients {:.1f}, optimizer {:.1f}, activations {:.1f} (recomputed {:.0f}% of layers), runtime {:.1f}\n",
                                                 e.weights_bytes / 1e9, e.grads_bytes / 1e9, e.optimizer_bytes / 1e9,
                                                 e.activations_bytes / 1e9, e.recompute_fraction * 100,
                                                 gm::formulas::RUNTIME_RESERVE_BYTES / 1e9);
}

int run_training(const Args& a, const gm::Catalog& c) {
  const gm::GpuSpec& g = gpu_of(a, c);
  const gm::ModelSpec m = model_of(a, c);
  const gm::Links links = links_of(a, g);
  gm::PlanSearchOptions options;
  options.global_batch = a.global_batch;
  options.seq_len = m.seq_len;
  options.allow_fp8 = a.fp8;

  if (a.plan_search || !plan_given(a)) {
    const gm::PlanSearchResult r = gm::search_plans(m, g, a.gpus, links, options, a.plan_search ? a.top : 1);
    if (!a.plan_search) {
      const gm::PlanCandidate& best = r.best.empty() ? r.closest : r.best.front();
      if (a.json) {
        json j = estimate_json(best.estimate);
        j["model"] = m.name;
        j["gpu"] = g.name;
        j["gpus"] = a.gpus;
        j["plan"] = plan_json(best.plan);
        j["plan_source"] = "planner";
        std::cout << j.dump(2) << "\n";
      } else {
        print_estimate(m, g, a.gpus, best.plan, best.estimate, true);
      }
      return best.estimate.feasible ? 0 : static_cast<int>(ExitCode::INFEASIBLE);
    }
    if (a.json) {
      json plans = json::array();
      for (const auto& cand : r.best) {
        json j = estimate_json(cand.estimate);
        j["plan"] = plan_json(cand.plan);
        plans.push_back(j);
      }
      std::cout << json{{"model", m.name}, {"gpu", g.name}, {"gpus", a.gpus}, {"searched", r.searched},
                        {"feasible", r.feasible}, {"plans", plans}}
                       .dump(2)
                << "\n";
    } else {
      std::cout << fmt::format("gwsim estimate --plan-search: {} on {} x {}: {} plans searched, {} fit\n", m.name,
                               a.gpus, g.name, r.searched, r.feasible);
      std::cout << fmt::format("{:>4} {:>3} {:>4} {:>5} {:>3} {:>3} {:>3} {:>6} {:>3} {:>9} {:>4} {:>11} {:>12} {:>8} {:>6} {:>8}\n",
                               "rank", "tp", "pp", "dp", "cp", "ep", "mb", "gbs", "vs", "recompute", "zero", "step s",
                               "tokens/s", "TFLOP/s", "MFU %", "mem GB");
      int rank = 1;
      for (const auto& cand : r.best) {
        const gm::Plan& p = cand.plan;
        const gm::TrainingEstimate& e = cand.estimate;
        std::cout << fmt::format("{:>4} {:>3} {:>4} {:>5} {:>3} {:>3} {:>3} {:>6} {:>3} {:>9} {:>4} {:>11.4g} {:>12.4g} {:>8.1f} {:>6.1f} {:>8.1f}\n",
                                 rank++, p.tp, p.pp, p.dp, p.cp, p.ep, p.micro_batch, p.global_batch, p.virtual_stages,
                                 gm::recompute_name(p.recompute), p.zero_stage, e.step_time_s, e.tokens_per_s,
                                 e.achieved_flops_per_gpu / 1e12, e.mfu * 100, e.memory_per_gpu_bytes / 1e9);
      }
      if (r.best.empty()) std::cout << "no plan fits; the closest: " << r.closest.estimate.reason << "\n";
    }
    return r.best.empty() ? static_cast<int>(ExitCode::INFEASIBLE) : 0;
  }

  gm::TrainingQuery q;
  q.model = &m;
  q.gpu = &g;
  q.gpus = a.gpus;
  q.seq_len = m.seq_len;
  q.links = links;
  gm::Plan& p = q.plan;
  p.tp = a.tp;
  p.pp = a.pp;
  p.cp = a.cp;
  p.ep = a.ep;
  const int model_parallel = std::max(1, a.tp * a.pp * a.cp);
  p.dp = a.dp > 0 ? a.dp : std::max(1, a.gpus / model_parallel);
  p.micro_batch = a.micro_batch;
  if (a.global_batch > 0) {
    p.global_batch = a.global_batch;
  } else {
    // The model's batch in tokens, rounded up to a multiple of dp x micro-batch.
    const long long unit = 1LL * p.dp * p.micro_batch * (a.vp > 1 ? p.pp : 1);
    const long long want = std::max(1LL, static_cast<long long>(m.train_batch_tokens / m.seq_len));
    p.global_batch = static_cast<int>((want + unit - 1) / unit * unit);
  }
  p.virtual_stages = a.vp;
  p.recompute = recompute_of(a.recompute);
  p.zero_stage = a.zero;
  p.flash_attention = !a.no_flash;
  p.sequence_parallel = !a.no_sp;
  p.fp8 = a.fp8;
  p.overlap_ep_comm = a.overlap_ep;
  const gm::TrainingEstimate e = gm::estimate_training(q);
  if (a.json) {
    json j = estimate_json(e);
    j["model"] = m.name;
    j["gpu"] = g.name;
    j["gpus"] = a.gpus;
    j["plan"] = plan_json(p);
    j["plan_source"] = "command line";
    std::cout << j.dump(2) << "\n";
  } else {
    print_estimate(m, g, a.gpus, p, e, false);
  }
  return e.feasible ? 0 : static_cast<int>(ExitCode::INFEASIBLE);
}

int run_inference(const Args& a, const gm::Catalog& c) {
  const gm::GpuSpec& g = gpu_of(a, c);
  const gm::ModelSpec m = model_of(a, c);
  gm::InferenceQuery q;
  q.model = &m;
  q.gpu = &g;
  q.links = links_of(a, g);
  q.plan.tp = a.tp;
  q.plan.pp = a.pp;
  q.plan.fp8_weights = a.fp8;
  q.plan.fp8_kv_cache = a.fp8_kv;
  q.batch = a.batch;
  q.prompt_tokens = a.prompt;
  q.output_tokens = a.output;
  const gm::InferenceEstimate e = gm::estimate_inference(q);
  json j = {{"model", m.name},
            {"gpu", g.name},
            {"gpus_per_replica", a.tp * a.pp},
            {"feasible", e.feasible},
            {"reason", e.reason},
            {"weights_bytes_per_gpu", e.weights_bytes_per_gpu},
            {"kv_bytes_per_token", e.kv_bytes_per_token},
            {"kv_capacity_tokens", e.kv_capacity_tokens},
            {"max_batch", e.max_batch},
            {"batch", a.batch},
            {"prefill_s", e.prefill_s},
            {"decode_step_s", e.decode_step_s},
            {"output_tokens_per_s", e.output_tokens_per_s}};
  gm::ServingEstimate s;
  const bool load = a.concurrency > 0 || a.rate > 0;
  if (load) {
    gm::ServingLoad l;
    l.concurrency = a.concurrency;
    l.arrival_rate_per_s = a.rate;
    l.prompt_tokens = a.prompt;
    l.output_tokens = a.output;
    s = gm::estimate_serving(q, l);
    j["serving"] = {{"feasible", s.feasible},       {"reason", s.reason},
                    {"requests_per_s", s.requests_per_s}, {"output_tokens_per_s", s.output_tokens_per_s},
                    {"ttft_s", s.ttft_s},           {"tpot_s", s.tpot_s},
                    {"running_batch", s.running_batch}, {"prefill_share", s.prefill_share},
                    {"saturated", s.saturated}};
  }
  if (a.json) {
    std::cout << j.dump(2) << "\n";
  } else {
    std::cout << fmt::format("gwsim estimate --inference: {} on {} x {} (tp {} pp {}{}{})\n", m.name, a.tp * a.pp,
                             g.name, a.tp, a.pp, a.fp8 ? ", FP8 weights" : "", a.fp8_kv ? ", FP8 KV cache" : "");
    if (!e.feasible) std::cout << "infeasible: " << e.reason << "\n";
    std::cout << fmt::format("{:<30}{:>12.1f} GB\n", "weights per GPU", e.weights_bytes_per_gpu / 1e9)
              << fmt::format("{:<30}{:>12.0f} bytes\n", "KV cache per token", e.kv_bytes_per_token)
              << fmt::format("{:<30}{:>12.0f} tokens ({:.0f} sequences of {})\n", "KV cache capacity",
                             e.kv_capacity_tokens, e.max_batch, a.prompt + a.output)
              << fmt::format("{:<30}{:>12.4g} s\n", fmt::format("prefill ({} x {} tokens)", a.batch, a.prompt), e.prefill_s)
              << fmt::format("{:<30}{:>12.4g} s\n", fmt::format("decode step (batch {})", a.batch), e.decode_step_s)
              << fmt::format("{:<30}{:>12.4g} tokens/s\n", "static batch output", e.output_tokens_per_s);
    if (load) {
      std::cout << fmt::format("under {}:\n", a.concurrency > 0 ? fmt::format("{} concurrent users", a.concurrency)
                                                                : fmt::format("{} requests/s", a.rate));
      if (!s.reason.empty()) std::cout << "  " << s.reason << "\n";
      std::cout << fmt::format("  {:<28}{:>12.4g} s\n", "time to first token", s.ttft_s)
                << fmt::format("  {:<28}{:>12.4g} s\n", "time per output token", s.tpot_s)
                << fmt::format("  {:<28}{:>12.4g} tokens/s\n", "output throughput", s.output_tokens_per_s)
                << fmt::format("  {:<28}{:>12.4g}\n", "running batch", s.running_batch)
                << fmt::format("  {:<28}{:>12}\n", "saturated", s.saturated ? "yes" : "no");
    }
  }
  if (!e.feasible || (load && !s.feasible)) return static_cast<int>(ExitCode::INFEASIBLE);
  return 0;
}

int run_validate(const Args& a, const gm::Catalog& c) {
  const std::string what = a.validate;
  if (what != "megatron" && what != "published" && what != "serving" && what != "all")
    usage("--validate", "megatron, published, serving or all", fmt::format("'{}'", what));
  json out = json::array();
  auto table = [&](const std::string& title, const std::vector<gm::Comparison>& rows) {
    if (a.json) {
      for (const auto& r : rows)
        out.push_back({{"name", r.name}, {"quantity", r.quantity}, {"published", r.published}, {"modelled", r.modelled},
                       {"error_pct", r.error_pct()}, {"plan", r.plan}, {"source", r.source}});
      return;
    }
    std::cout << title << "\n"
              << fmt::format("{:<42} {:<28} {:>10} {:>10} {:>8}\n", "run", "quantity", "published", "model", "error");
    double worst = 0;
    for (const auto& r : rows) {
      std::cout << fmt::format("{:<42} {:<28} {:>10.1f} {:>10.1f} {:>+7.1f}%\n", r.name, r.quantity, r.published,
                               r.modelled, r.error_pct());
      worst = std::max(worst, std::abs(r.error_pct()));
    }
    std::cout << fmt::format("largest error {:.1f}%\n\n", worst);
  };
  if (what == "megatron" || what == "all")
    table("Narayanan et al., SC'21, Table 1 (A100 80GB, Selene): achieved TFLOP/s per GPU, recomputation counted",
          gm::validate_megatron(c));
  if (what == "published" || what == "all") table("Other published training runs", gm::validate_published_runs(c));
  if (what == "serving" || what == "all") {
    std::vector<gm::Comparison> rows;
    for (const auto& s : gm::validate_serving(c)) rows.push_back({s.name, s.quantity, s.published, s.modelled, "", s.source});
    table("Serving: NVIDIA NIM 1.8.0 benchmarks, Llama 3.3 70B FP8 TP2 on 2 H100, 5000 in / 500 out", rows);
  }
  if (a.json) std::cout << out.dump(2) << "\n";
  return 0;
}

int run_list(const Args& a, const gm::Catalog& c) {
  if (a.json) {
    json gpus = json::array(), models = json::array();
    for (const auto& n : c.gpu_names()) {
      const gm::GpuSpec& g = *c.find_gpu(n);
      gpus.push_back({{"name", g.name}, {"peak_bf16_flops", g.peak_bf16_flops}, {"peak_fp8_flops", g.peak_fp8_flops},
                      {"peak_fp4_flops", g.peak_fp4_flops},
                      {"hbm_bytes", g.hbm_bytes}, {"hbm_bandwidth_Bps", g.hbm_bandwidth_Bps},
                      {"scaleup_bandwidth_Bps", g.scaleup_bandwidth_Bps},
                      {"scaleout_bandwidth_Bps", g.scaleout_bandwidth_Bps}, {"tdp_w", g.tdp_w},
                      {"scaleup_gpus", g.scaleup_gpus}, {"price_usd", g.price_usd},
                      {"rental_usd_per_gpu_hour", g.rental_usd_per_gpu_hour}, {"estimates", g.estimates},
                      {"source", g.source}});
    }
    for (const auto& n : c.model_names()) {
      const gm::ModelSpec& m = *c.find_model(n);
      models.push_back({{"name", m.name}, {"params", m.params()}, {"active_params", m.active_params()},
                        {"layers", m.layers}, {"hidden", m.hidden}, {"source", m.source}});
    }
    std::cout << json{{"gpus", gpus}, {"models", models}}.dump(2) << "\n";
    return 0;
  }
  std::cout << fmt::format("{:<14} {:>10} {:>10} {:>10} {:>8} {:>10} {:>8} {:>7}  {}\n", "gpu", "BF16 TF", "FP8 TF",
                           "FP4 TF", "HBM GB", "HBM TB/s", "TDP W", "domain", "source");
  for (const auto& n : c.gpu_names()) {
    const gm::GpuSpec& g = *c.find_gpu(n);
    std::cout << fmt::format("{:<14} {:>10.0f} {:>10.0f} {:>10.0f} {:>8.0f} {:>10.2f} {:>8.0f} {:>7}  {}\n", g.name,
                             g.peak_bf16_flops / 1e12, g.peak_fp8_flops / 1e12, g.peak_fp4_flops / 1e12, g.hbm_bytes / 1e9,
                             g.hbm_bandwidth_Bps / 1e12, g.tdp_w, g.scaleup_gpus, g.source);
  }
  std::cout << fmt::format("\n{:<16} {:>10} {:>10} {:>6} {:>7}  {}\n", "model", "params B", "active B", "layers", "hidden",
                           "source");
  for (const auto& n : c.model_names()) {
    const gm::ModelSpec& m = *c.find_model(n);
    std::cout << fmt::format("{:<16} {:>10.1f} {:>10.1f} {:>6} {:>7}  {}\n", m.name, m.params() / 1e9,
                             m.active_params() / 1e9, m.layers, m.hidden, m.source);
  }
  return 0;
}

/// The built-in catalog plus the `catalog:` section of a scenario file (the
/// file's other sections are not read).
gm::Catalog catalog_of(const Args& a) {
  gm::Catalog catalog = gm::Catalog::builtin();
  if (a.catalog_file.empty()) return catalog;
  std::ifstream in(a.catalog_file, std::ios::binary);
  if (!in) throw Error(ExitCode::SCENARIO, fmt::format("{}: cannot open the file", a.catalog_file));
  std::ostringstream text;
  text << in.rdbuf();
  YamlMap root(parse_yaml(text.str(), a.catalog_file), "", a.catalog_file);
  parse_catalog(root.map("catalog"), catalog);
  return catalog;
}

}  // namespace

void add_estimate_command(CLI::App& app, CommandFn& out) {
  auto a = std::make_shared<Args>();
  CLI::App* cmd = app.add_subcommand(
      "estimate",
      "Training step time, memory and MFU for a model on N GPUs with a plan (or the planner's best), the best plans "
      "(--plan-search), serving estimates (--inference), the validation (--validate) (docs/models.md)");
  cmd->add_option("--gpu", a->gpu, "GPU type from the catalog")->capture_default_str();
  cmd->add_option("--gpus", a->gpus, "GPUs for training")->capture_default_str()->check(CLI::Range(1, 1 << 30));
  cmd->add_option("--model", a->model, "Model from the catalog (see --list)");
  cmd->add_option("--layers", a->layers, "Custom model: transformer layers")->check(CLI::Range(1, 100000));
  cmd->add_option("--hidden", a->hidden, "Custom model: hidden size")->check(CLI::Range(1, 1 << 20));
  cmd->add_option("--heads", a->heads, "Custom model: attention heads")->check(CLI::Range(1, 1 << 16));
  cmd->add_option("--kv-heads", a->kv_heads, "Custom model: key/value heads (default: heads)")->check(CLI::Range(0, 1 << 16));
  cmd->add_option("--ffn", a->ffn, "Custom model: FFN size (default 4 x hidden)")->check(CLI::Range(0, 1 << 24));
  cmd->add_flag("--gated", a->gated, "Custom model: SwiGLU FFN (three matrices)");
  cmd->add_option("--vocab", a->vocab, "Custom model: vocabulary")->capture_default_str()->check(CLI::Range(1, 1 << 24));
  cmd->add_option("--seq", a->seq, "Sequence length (default: the model's)")->check(CLI::Range(1, 1 << 24));
  a->plan_options = {
      cmd->add_option("--tp", a->tp, "Tensor parallel degree")->check(CLI::Range(1, 4096)),
      cmd->add_option("--pp", a->pp, "Pipeline parallel degree")->check(CLI::Range(1, 4096)),
      cmd->add_option("--dp", a->dp, "Data parallel degree (default: gpus / (tp pp cp))")->check(CLI::Range(1, 1 << 30)),
      cmd->add_option("--cp", a->cp, "Context parallel degree")->check(CLI::Range(1, 4096)),
      cmd->add_option("--ep", a->ep, "Expert parallel degree (MoE)")->check(CLI::Range(1, 4096)),
      cmd->add_option("--micro-batch", a->micro_batch, "Sequences per micro-batch")->check(CLI::Range(1, 1 << 20)),
      cmd->add_option("--global-batch", a->global_batch, "Sequences per step (default: the model's batch)")
          ->check(CLI::Range(1, 1 << 30)),
      cmd->add_option("--vp", a->vp, "Virtual pipeline stages (1: 1F1B, >1: interleaved)")->check(CLI::Range(1, 1024)),
      cmd->add_option("--recompute", a->recompute, "Activation recomputation: none, selective, full, partial"),
      cmd->add_option("--zero", a->zero, "ZeRO stage 0-3")->check(CLI::Range(0, 3)),
      cmd->add_flag("--no-flash", a->no_flash, "Unfused attention (score matrix through HBM)"),
      cmd->add_flag("--no-sequence-parallel", a->no_sp, "Keep norms and dropout replicated over tp"),
      cmd->add_flag("--overlap-ep", a->overlap_ep, "Hide MoE all-to-alls under another micro-batch's compute (DualPipe)")};
  cmd->add_flag("--fp8", a->fp8, "FP8 GEMMs (training) or FP8 weights (inference), where the GPU has FP8");
  cmd->add_option("--scaleup-bw", a->scaleup_bw, "Scale-up bandwidth per GPU per direction, e.g. 450GBps (default: the GPU's)");
  cmd->add_option("--scaleup-gpus", a->scaleup_gpus, "GPUs per scale-up domain (default: the GPU's reference system)")
      ->check(CLI::Range(1, 1 << 20));
  cmd->add_option("--scaleout-bw", a->scaleout_bw, "Scale-out bandwidth per GPU per direction, e.g. 400Gbps");
  cmd->add_option("--scaleup-latency", a->scaleup_latency, "Scale-up latency, e.g. 1us");
  cmd->add_option("--scaleout-latency", a->scaleout_latency, "Scale-out latency, e.g. 5us");
  cmd->add_flag("--plan-search", a->plan_search, "Print the best plans (degrees given are ignored)");
  cmd->add_option("--top", a->top, "Plans to print with --plan-search")->capture_default_str()->check(CLI::Range(1, 1000));
  cmd->add_flag("--inference", a->inference, "Serving estimate for one replica of tp x pp GPUs");
  cmd->add_option("--batch", a->batch, "Inference: sequences per batch")->capture_default_str()->check(CLI::Range(1, 1 << 20));
  cmd->add_option("--prompt", a->prompt, "Inference: prompt tokens")->capture_default_str()->check(CLI::Range(1, 1 << 24));
  cmd->add_option("--tokens", a->output, "Inference: output tokens per request")->capture_default_str()->check(CLI::Range(1, 1 << 24));
  // The old spelling: every other command's -o/--output is a directory, so
  // it is refused with the new name rather than kept as a synonym (hidden from the help).
  cmd->add_option_function<std::string>(
         "--output",
         [](const std::string& v) {
           throw CLI::ValidationError("--output", fmt::format("estimate's output tokens are now --tokens (--tokens {}); "
                                                              "-o/--output is an output directory elsewhere",
                                                              v));
         })
      ->group("");
  cmd->add_option("--concurrency", a->concurrency, "Inference load: concurrent users (closed loop)")->check(CLI::Range(0.0, 1e9));
  cmd->add_option("--rate", a->rate, "Inference load: requests per second (open loop)")->check(CLI::Range(0.0, 1e12));
  cmd->add_flag("--fp8-kv", a->fp8_kv, "Inference: FP8 KV cache");
  cmd->add_option("--validate", a->validate, "Print the comparison with published figures: megatron, published, serving, all");
  cmd->add_flag("--list", a->list, "List the catalog's GPU types and models");
  cmd->add_flag("--json", a->json, "Print JSON instead of a table");
  cmd->add_option("--catalog", a->catalog_file,
                  "Add the GPU types and models of a scenario file's catalog: section (docs/models.md#catalog)");
  add_threads_option(*cmd);
  cmd->callback([a, &out] {
    out = [a] {
      const gm::Catalog catalog = catalog_of(*a);
      if (a->list) return run_list(*a, catalog);
      if (!a->validate.empty()) return run_validate(*a, catalog);
      if (a->inference) return run_inference(*a, catalog);
      return run_training(*a, catalog);
    };
  });
}

}  // namespace gwsim::sim
