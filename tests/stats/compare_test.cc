#include <gtest/gtest.h>

#include "switchyard/stats.h"

namespace switchyard::stats {
namespace {

const Moments kControl{0.10, 0.09, 10000};
const Moments kTreatment{0.11, 0.11 * 0.89, 10000};

TEST(CompareTest, FrequentistAndSequentialAnswerPValuesNotChances) {
  for (Method method : {Method::kFrequentist, Method::kSequential}) {
    CompareOptions options;
    options.method = method;
    Result<Comparison> c = Compare(kControl, kTreatment, options);
    ASSERT_TRUE(c.ok()) << c.status().ToString();
    EXPECT_NEAR(c->expected, 0.1, 1e-12);
    EXPECT_TRUE(c->p_value.has_value());
    EXPECT_FALSE(c->chance_to_win.has_value());
    EXPECT_EQ(c->significant, *c->p_value < 0.05);
    EXPECT_EQ(c->significant, c->ci.Excludes(0));
  }
}

TEST(CompareTest, SequentialIsTheDefaultAndMoreCautious) {
  CompareOptions frequentist;
  frequentist.method = Method::kFrequentist;
  Result<Comparison> fixed = Compare(kControl, kTreatment, frequentist);
  Result<Comparison> sequential = Compare(kControl, kTreatment, CompareOptions{});
  ASSERT_TRUE(fixed.ok() && sequential.ok());
  EXPECT_FALSE(sequential->degrees_of_freedom.has_value());
  EXPECT_GT(*sequential->p_value, *fixed->p_value);
  EXPECT_LT(sequential->ci.lower, fixed->ci.lower);
}

TEST(CompareTest, BayesianAnswersChanceToWinAndLosses) {
  CompareOptions options;
  options.method = Method::kBayesian;
  options.difference = Difference::kAbsolute;
  Result<Comparison> c = Compare(kControl, kTreatment, options);
  ASSERT_TRUE(c.ok());
  EXPECT_NEAR(c->expected, 0.01, 1e-12);
  EXPECT_FALSE(c->p_value.has_value());
  EXPECT_GT(*c->chance_to_win, 0.98);
  EXPECT_LT(*c->expected_loss_treatment, *c->expected_loss_control);
  EXPECT_TRUE(c->significant);
}

TEST(CompareTest, RefusesBadOptionsNamingThem) {
  CompareOptions options;
  options.tuning = -1;
  EXPECT_EQ(Compare(kControl, kTreatment, options).status().field(), "tuning");
  options = {};
  options.alpha = 0;
  EXPECT_EQ(Compare(kControl, kTreatment, options).status().field(), "alpha");
  options = {};
  options.method = Method::kBayesian;
  options.prior = GaussianPrior{0, -1};
  EXPECT_EQ(Compare(kControl, kTreatment, options).status().field(), "prior.variance");
}

}  // namespace
}  // namespace switchyard::stats
