#include "workloads/job_request.hpp"

#include <array>

namespace gwsim::workloads {
namespace {
constexpr std::array<std::string_view, TENANT_COUNT> TENANT_NAMES = {"internal", "external"};
constexpr std::array<std::string_view, JOB_KIND_COUNT> KIND_NAMES = {"pretrain", "finetune", "research", "lease",
                                                                     "on_demand", "spot", "inference"};
}  // namespace

std::string_view to_string(Tenant t) { return TENANT_NAMES[static_cast<size_t>(t)]; }
std::string_view to_string(JobKind k) { return KIND_NAMES[static_cast<size_t>(k)]; }

bool parse_tenant(std::string_view text, Tenant& out) {
  for (size_t i = 0; i < TENANT_NAMES.size(); ++i)
    if (TENANT_NAMES[i] == text) {
      out = static_cast<Tenant>(i);
      return true;
    }
  return false;
}

bool parse_job_kind(std::string_view text, JobKind& out) {
  for (size_t i = 0; i < KIND_NAMES.size(); ++i)
    if (KIND_NAMES[i] == text) {
      out = static_cast<JobKind>(i);
      return true;
    }
  return false;
}

Tenant default_tenant(JobKind k) {
  switch (k) {
    case JobKind::PRETRAIN:
    case JobKind::FINETUNE:
    case JobKind::RESEARCH: return Tenant::INTERNAL;
    default: return Tenant::EXTERNAL;
  }
}

}  // namespace gwsim::workloads
