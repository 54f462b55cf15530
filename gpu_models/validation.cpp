#include "gpu_models/validation.hpp"

#include <fmt/format.h>
#include <stdexcept>

namespace gwsim::gpu_models {

const std::vector<MegatronRow>& megatron_sc21_rows() {
  // Narayanan et al., SC'21, Table 1 (columns as in
  // ../shared/reference/megatron_sc21_weak_scaling.csv), then MBS, virtual
  // stages (layers per stage / --num-layers-per-virtual-pipeline-stage) and
  // DDP implementation from NVIDIA/Megatron-LM examples/sc21/run_table_1.sh.
  static const std::vector<MegatronRow> rows = {
      {1.7, 24, 2304, 24, 1, 1, 32, 512, 137, 44, 4.4, 16, 1, true},
      {3.6, 32, 3072, 30, 2, 1, 64, 512, 138, 44, 8.8, 16, 1, true},
      {7.5, 32, 4096, 36, 4, 1, 128, 512, 142, 46, 18.2, 16, 1, true},
      {18.4, 48, 6144, 40, 8, 1, 256, 1024, 135, 43, 34.6, 8, 1, true},
      {39.1, 64, 8192, 48, 8, 2, 512, 1536, 138, 44, 70.8, 4, 1, false},
      {76.1, 80, 10240, 60, 8, 4, 1024, 1792, 140, 45, 143.8, 2, 3, false},   // 15 layers/stage, 5 per chunk
      {145.6, 96, 12288, 80, 8, 8, 1536, 2304, 148, 47, 227.1, 2, 2, false},  // 10 layers/stage, 5 per chunk
      {310.1, 128, 16384, 96, 8, 16, 1920, 2160, 155, 50, 297.4, 1, 2, false}, // 6 layers/stage, 3 per chunk
      {529.6, 128, 20480, 105, 8, 35, 2520, 2520, 163, 52, 410.2, 1, 3, false}, // 3 layers/stage, 1 per chunk
      {1008.0, 160, 25600, 128, 8, 64, 3072, 3072, 163, 52, 502.0, 1, 1, false},
  };
  return rows;
}

Links selene_links() {
  Links l;
  l.scaleup_Bps = 300e9;  // NVLink 3, per direction (A100 datasheet)
  l.scaleup_gpus = 8;     // DGX A100
  l.scaleout_Bps = 25e9;  // 8x 200 Gb/s HDR InfiniBand per node (Narayanan et al. 2021, Sec. 5)
  return l;
}

namespace {

/// Megatron-LM as of 2021: unfused attention, no sequence parallelism, no
/// distributed optimizer.
Plan megatron_2021_software() {
  Plan p;
  p.flash_attention = false;
  p.sequence_parallel = false;
  p.zero_stage = 0;
  p.recompute = Recompute::FULL;
  p.overlap_grad_reduce = false;
  p.overlap_param_gather = false;
  return p;
}

const GpuSpec& find_gpu_or_throw(const Catalog& catalog, const std::string& name) {
  const GpuSpec* gpu = catalog.find_gpu(name);
  if (!gpu) throw std::invalid_argument("validation needs " + name + " in the catalog");
  return *gpu;
}

const ModelSpec& find_model_or_throw(const Catalog& catalog, const std::string& name) {
  const ModelSpec* model = catalog.find_model(name);
  if (!model) throw std::invalid_argument("validation needs " + name + " in the catalog");
  return *model;
}

}  // namespace

std::string describe_plan(const Plan& p) {
  return fmt::format("tp {} pp {} dp {} cp {} ep {} mb {} gbs {} vs {} recompute {} zero {}{}{}{}", p.tp, p.pp, p.dp,
                     p.cp, p.ep, p.micro_batch, p.global_batch, p.virtual_stages, recompute_name(p.recompute),
                     p.zero_stage, p.flash_attention ? " flash" : "", p.sequence_parallel && p.tp > 1 ? " sp" : "",
                     p.fp8 ? " fp8" : "");
}

TrainingQuery megatron_query(const MegatronRow& row, const Catalog& catalog, ModelSpec& model_out) {
  model_out = megatron_gpt(fmt::format("megatron-{}b", row.params_billion), row.layers, row.hidden, row.heads,
                           row.global_batch);
  TrainingQuery q;
  q.model = &model_out;
  q.gpu = &find_gpu_or_throw(catalog, "A100-SXM-80GB");
  q.gpus = row.gpus;
  q.links = selene_links();
  q.plan = megatron_2021_software();
  q.plan.tp = row.tp;
  q.plan.pp = row.pp;
  q.plan.dp = row.gpus / (row.tp * row.pp);
  q.plan.micro_batch = row.micro_batch;
  q.plan.global_batch = row.global_batch;
  q.plan.virtual_stages = row.virtual_stages;
  q.plan.overlap_grad_reduce = row.torch_ddp;
  return q;
}

std::vector<Comparison> validate_megatron(const Catalog& catalog) {
  std::vector<Comparison> out;
  for (const MegatronRow& row : megatron_sc21_rows()) {
    ModelSpec model;
    const TrainingQuery q = megatron_query(row, catalog, model);
    const TrainingEstimate e = estimate_training(q);
    Comparison c;
    c.name = fmt::format("GPT {}B on {} A100", row.params_billion, row.gpus);
    c.quantity = "achieved TFLOP/s per GPU";
    c.published = row.achieved_tflops_per_gpu;
    c.modelled = e.feasible ? e.achieved_flops_per_gpu / 1e12 : 0;
    c.plan = describe_plan(q.plan);
    c.source = "Narayanan et al., SC'21, Table 1";
    out.push_back(c);
  }
  return out;
}

std::vector<Comparison> validate_published_runs(const Catalog& catalog) {
  std::vector<Comparison> out;
  const GpuSpec& a100 = find_gpu_or_throw(catalog, "A100-SXM-80GB");
  const GpuSpec& h100 = find_gpu_or_throw(catalog, "H100-SXM");

  // GPT-3 175B on 1,024 A100s, batch 1,536: 140 TFLOP/s per GPU and 34 days
  // for 300B tokens (SC'21, Sec. 5.1). The paper does not give the plan; the
  // authors' GPT-3 175B script (NVIDIA/Megatron-LM,
  // examples/gpt3/train_gpt3_175b_distributed.sh) uses tp 8, pp 16,
  // micro-batch 1, global batch 1536; 2021 software, full recomputation.
  {
    const ModelSpec& gpt3 = find_model_or_throw(catalog, "gpt3-175b");
    TrainingQuery q;
    q.model = &gpt3;
    q.gpu = &a100;
    q.gpus = 1024;
    q.links = selene_links();
    q.plan = megatron_2021_software();
    q.plan.tp = 8;
    q.plan.pp = 16;
    q.plan.dp = 8;
    q.plan.micro_batch = 1;
    q.plan.global_batch = 1536;
    const TrainingEstimate e = estimate_training(q);
    out.push_back({"GPT-3 175B on 1024 A100, batch 1536", "achieved TFLOP/s per GPU", 140,
                   e.feasible ? e.achieved_flops_per_gpu / 1e12 : 0, describe_plan(q.plan),
                   "Narayanan et al., SC'21, Sec. 5.1; plan: Megatron-LM examples/gpt3"});
    out.push_back({"GPT-3 175B on 1024 A100, 300B tokens", "days", 34, e.feasible ? 300e9 / e.tokens_per_s / 86400 : 0,
                   describe_plan(q.plan), "Narayanan et al., SC'21, Sec. 5.1; plan: Megatron-LM examples/gpt3"});
  }
  // The 1T model on 3,072 A100s, 450B tokens: about 84 days (SC'21, Sec. 5.1).
  {
    const MegatronRow& row = megatron_sc21_rows().back();
    ModelSpec model;
    const TrainingQuery q = megatron_query(row, catalog, model);
    const TrainingEstimate e = estimate_training(q);
    out.push_back({"GPT 1T on 3072 A100, 450B tokens", "days", 84, e.feasible ? 450e9 / e.tokens_per_s / 86400 : 0,
                   describe_plan(q.plan), "Narayanan et al., SC'21, Sec. 5.1"});
  }
  // Llama 3 405B (Dubey et al. 2024, Table 4): TP 8, PP 16, micro-batch 1,
  // 16M-token batches on H100 SXM with 400 Gb/s per GPU; BF16 model TFLOP/s
  // per GPU 430 (8,192 GPUs, DP 64), 400 (16,384, DP 128) and 380 (16,384,
  // CP 16, DP 8, 131,072-token sequences). Virtual stages, recomputation and
  // ZeRO stage are not published: the planner picks them.
  {
    const ModelSpec& llama = find_model_or_throw(catalog, "llama3-405b");
    struct Run {
      int gpus, cp, seq;
      double tflops;
    };
    for (const Run& run : {Run{8192, 1, 8192, 430}, Run{16384, 1, 8192, 400}, Run{16384, 16, 131072, 380}}) {
      PlanSearchOptions o;
      o.seq_len = run.seq;
      o.global_batch = static_cast<int>(16 * 1024 * 1024 / run.seq);
      o.tp = 8;
      o.pp = 16;
      o.cp = run.cp;
      o.micro_batch = 1;
      const PlanSearchResult r = search_plans(llama, h100, run.gpus, reference_links(h100), o, 1);
      const double tflops = r.best.empty() ? 0 : r.best.front().estimate.mfu * h100.peak_bf16_flops / 1e12;
      out.push_back({fmt::format("Llama 3 405B on {} H100, seq {}", run.gpus, run.seq), "BF16 model TFLOP/s per GPU",
                     run.tflops, tflops, r.best.empty() ? "none fits" : describe_plan(r.best.front().plan),
                     "Dubey et al. 2024 (The Llama 3 Herd of Models), Table 4"});
    }
  }
  return out;
}

}  // namespace gwsim::gpu_models
