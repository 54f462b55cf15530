#pragma once
// Published training runs the cost model is checked against, each with its
// source, and the model's error on each (docs/models.md#validation). The same
// rows serve the test suite (tests/gpu_models_validation_test.cpp) and
// `gwsim estimate --validate`.
#include <string>
#include <vector>

#include "gpu_models/cost_model.hpp"

namespace gwsim::gpu_models {

/// One row of Narayanan et al., SC'21 (arXiv 2104.04473), Table 1, with the
/// run settings of the authors' script for it (NVIDIA/Megatron-LM,
/// examples/sc21/run_table_1.sh), which the table leaves out.
struct MegatronRow {
  double params_billion;
  int heads, hidden, layers, tp, pp, gpus, global_batch;
  double achieved_tflops_per_gpu, percent_of_peak, aggregate_pflops;  ///< published
  int micro_batch;           ///< MBS in run_table_1.sh
  int virtual_stages;        ///< layers per stage / --num-layers-per-virtual-pipeline-stage (1 when unset)
  bool torch_ddp;            ///< DDP=torch (gradient all-reduce overlapped with backward) vs local
};

/// The ten rows of Table 1.
const std::vector<MegatronRow>& megatron_sc21_rows();

/// Selene's network as the cost model sees it: NVLink 3 (300 GB/s per
/// direction) among 8 GPUs, one 200 Gb/s HDR InfiniBand NIC per GPU.
Links selene_links();

/// The query reproducing a row: its model and degrees on A100-SXM-80GB, full
/// recomputation, unfused attention, no sequence parallelism and no ZeRO
/// (Megatron-LM as of 2021).
TrainingQuery megatron_query(const MegatronRow& row, const Catalog& catalog, ModelSpec& model_out);

/// One comparison of a modelled figure with a published one.
struct Comparison {
  std::string name;
  std::string quantity;   ///< what is compared, with its unit
  double published = 0;
  double modelled = 0;
  std::string plan;       ///< the plan the model used, in words
  std::string source;

  double error_pct() const { return published != 0 ? (modelled - published) / published * 100.0 : 0; }
};

/// Achieved TFLOP/s per GPU (paper convention) for every Megatron row.
std::vector<Comparison> validate_megatron(const Catalog& catalog);

/// Other published figures: GPT-3 175B and the 1T model end to end (SC'21,
/// Sec. 5.1), Llama 3 405B on 8k and 16k H100s (Dubey et al. 2024, Table 4).
std::vector<Comparison> validate_published_runs(const Catalog& catalog);

/// A plan in one line ("tp 8 pp 8 dp 16 cp 1 ep 1 mb 1 gbs 1536 vs 2 recompute full zero 1").
std::string describe_plan(const Plan& plan);

}  // namespace gwsim::gpu_models
