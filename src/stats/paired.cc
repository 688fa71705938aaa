// The paired-difference effect (Student 1908): each pair gives one difference d = treatment −
// control measured on the same request, so the per-request noise both share cancels and the
// test needs far fewer pairs than two independent samples would. Shadow comparisons use it.
#include <cmath>

#include "switchyard/stats.h"

namespace switchyard::stats {

Result<Effect> PairedEffect(const MeanSums& differences) {
  if (!(differences.n >= 2)) return Status::InvalidArgument("a paired test needs at least 2 pairs", "n");
  Result<Moments> moments = MomentsOf(differences);
  if (!moments.ok()) return moments.status();
  Effect effect;
  effect.estimate = moments.value().mean;
  effect.variance = moments.value().variance / differences.n;
  effect.degrees_of_freedom = differences.n - 1;
  effect.total_n = differences.n;
  if (!std::isfinite(effect.estimate) || !std::isfinite(effect.variance))
    return Status::InvalidArgument("the differences are not finite", "sum");
  return effect;
}

}  // namespace switchyard::stats
