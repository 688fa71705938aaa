// The calculator's one call: an Effect through the chosen method, in the shape results show.
#include <cmath>

#include "stats/checks.h"
#include "switchyard/stats.h"

namespace switchyard::stats {

Result<Comparison> Compare(const Effect& effect, const CompareOptions& options) {
  Comparison out;
  out.control_mean = effect.control_mean;
  out.treatment_mean = effect.treatment_mean;
  switch (options.method) {
    case Method::kFrequentist: {
      Result<FrequentistResult> r = FrequentistTest(effect, options.alpha);
      if (!r.ok()) return r.status();
      out.expected = r->expected;
      out.standard_error = r->standard_error;
      out.ci = r->ci;
      out.p_value = r->p_value;
      out.degrees_of_freedom = r->degrees_of_freedom;
      out.significant = r->ci.Excludes(0);
      return out;
    }
    case Method::kSequential: {
      Result<SequentialResult> r = SequentialTest(effect, options.alpha, options.tuning);
      if (!r.ok()) return r.status();
      out.expected = r->expected;
      out.standard_error = r->standard_error;
      out.ci = r->ci;
      out.p_value = r->p_value;
      out.significant = r->ci.Excludes(0);
      return out;
    }
    case Method::kBayesian: {
      Result<BayesianResult> r = BayesianTest(effect, options.prior, options.alpha, options.direction);
      if (!r.ok()) return r.status();
      out.expected = r->expected;
      out.standard_error = r->standard_deviation;
      out.ci = r->credible_interval;
      out.chance_to_win = r->chance_to_win;
      out.expected_loss_treatment = r->expected_loss_treatment;
      out.expected_loss_control = r->expected_loss_control;
      out.significant = r->credible_interval.Excludes(0);
      return out;
    }
  }
  return Status::InvalidArgument("unknown method", "method");
}

Result<Comparison> Compare(const Moments& control, const Moments& treatment, const CompareOptions& options) {
  Result<Effect> effect = EstimateEffect(control, treatment, options.difference);
  if (!effect.ok()) return effect.status();
  return Compare(*effect, options);
}

}  // namespace switchyard::stats
