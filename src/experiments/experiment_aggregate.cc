#include "experiments/experiment_aggregate.h"

namespace switchyard::experiments {

void MetricSums::Merge(const MetricSums& other) {
  n += other.n;
  sum += other.sum;
  sum_squares += other.sum_squares;
  denominator_sum += other.denominator_sum;
  denominator_sum_squares += other.denominator_sum_squares;
  cross_sum += other.cross_sum;
  covariate_sum += other.covariate_sum;
  covariate_sum_squares += other.covariate_sum_squares;
  covariate_cross_sum += other.covariate_cross_sum;
  if (!other.sketch) return;
  if (!sketch) {
    sketch = other.sketch;
  } else {
    // Both are made with the default accuracy, so merging cannot fail.
    (void)sketch->Merge(*other.sketch);
  }
}

}  // namespace switchyard::experiments
