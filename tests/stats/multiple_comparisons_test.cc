#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <vector>

#include "switchyard/stats.h"

namespace switchyard::stats {
namespace {

using ::testing::DoubleNear;
using ::testing::ElementsAre;

// The 15 p-values of Benjamini & Hochberg (1995), §4.2: at 0.05 Holm rejects the 3 smallest,
// BH the 4 smallest.
const std::vector<double> kPaper{0.0001, 0.0004, 0.0019, 0.0095, 0.0201, 0.0278, 0.0298, 0.0344,
                                 0.0459, 0.3240, 0.4262, 0.5719, 0.6528, 0.7590, 1.0000};

int Rejected(const std::vector<double>& adjusted, double level) {
  int count = 0;
  for (double p : adjusted) count += p <= level ? 1 : 0;
  return count;
}

TEST(MultipleComparisonsTest, BenjaminiHochbergPaperExample) {
  Result<std::vector<double>> holm = HolmAdjust(kPaper);
  Result<std::vector<double>> bh = BenjaminiHochbergAdjust(kPaper);
  ASSERT_TRUE(holm.ok() && bh.ok());
  EXPECT_EQ(Rejected(*holm, 0.05), 3);
  EXPECT_EQ(Rejected(*bh, 0.05), 4);
  EXPECT_NEAR((*bh)[3], 0.0095 * 15 / 4, 1e-12);
}

// Worked by hand, in the input order (R's p.adjust gives the same).
TEST(MultipleComparisonsTest, SmallExampleInInputOrder) {
  const std::vector<double> p{0.01, 0.04, 0.03, 0.005};
  // Holm, sorted: 4·0.005 = 0.02, 3·0.01 = 0.03, 2·0.03 = 0.06, max(0.06, 1·0.04) = 0.06.
  EXPECT_THAT(*HolmAdjust(p), ElementsAre(DoubleNear(0.03, 1e-12), DoubleNear(0.06, 1e-12),
                                          DoubleNear(0.06, 1e-12), DoubleNear(0.02, 1e-12)));
  // BH, sorted: 0.005·4/1 = 0.02, 0.01·4/2 = 0.02, 0.03·4/3 = 0.04, 0.04·4/4 = 0.04.
  EXPECT_THAT(*BenjaminiHochbergAdjust(p), ElementsAre(DoubleNear(0.02, 1e-12), DoubleNear(0.04, 1e-12),
                                                       DoubleNear(0.04, 1e-12), DoubleNear(0.02, 1e-12)));
}

TEST(MultipleComparisonsTest, CapsAtOneAndRefusesNonProbabilities) {
  const std::vector<double> p{0.6, 0.9};
  EXPECT_THAT(*HolmAdjust(p), ElementsAre(1.0, 1.0));
  const std::vector<double> bad{0.1, 1.5};
  Result<std::vector<double>> r = BenjaminiHochbergAdjust(bad);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().field(), "p_values[1]");
  EXPECT_TRUE(HolmAdjust(std::vector<double>{})->empty());
}

}  // namespace
}  // namespace switchyard::stats
