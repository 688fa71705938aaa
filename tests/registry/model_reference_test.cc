#include "registry/model_reference.h"

#include <gtest/gtest.h>

namespace switchyard::registry {
namespace {

TEST(ModelReferenceTest, NameAloneMeansLatest) {
  auto ref = ParseModelReference("chat");
  ASSERT_TRUE(ref.ok());
  EXPECT_EQ(ref->name, "chat");
  EXPECT_EQ(ref->alias, "latest");
  EXPECT_EQ(ref->version, "");
  EXPECT_EQ(ref->ToString(), "chat@latest");
}

TEST(ModelReferenceTest, AliasOrVersionByTheirFirstCharacter) {
  auto alias = ParseModelReference("gpt-4o.mini@canary-2");
  ASSERT_TRUE(alias.ok());
  EXPECT_EQ(alias->name, "gpt-4o.mini");
  EXPECT_EQ(alias->alias, "canary-2");
  auto version = ParseModelReference("chat@1.10.0");
  ASSERT_TRUE(version.ok());
  EXPECT_EQ(version->version, "1.10.0");
  EXPECT_EQ(version->alias, "");
}

TEST(ModelReferenceTest, MalformedReferencesNameTheField) {
  for (const char* bad : {"", "@stable", "Chat@stable", "chat@", "chat@1.0", "chat@01.0.0", "chat@Stable",
                          "chat@stable@x", "chat@1.0.0-rc1", "chat stable"}) {
    auto ref = ParseModelReference(bad, "variants.true");
    EXPECT_FALSE(ref.ok()) << bad;
    EXPECT_EQ(ref.status().field(), "variants.true") << bad;
  }
}

TEST(ModelReferenceTest, VersionsAreStrictAndOrderNumerically) {
  EXPECT_TRUE(ValidateModelVersionString("0.0.0").ok());
  EXPECT_TRUE(ValidateModelVersionString("10.20.30").ok());
  EXPECT_FALSE(ValidateModelVersionString("v1.0.0").ok());
  EXPECT_FALSE(ValidateModelVersionString("1.0.0.0").ok());
  EXPECT_FALSE(ValidateModelVersionString("1..0").ok());
  EXPECT_LT(VersionOrder("1.9.0"), VersionOrder("1.10.0"));
  EXPECT_LT(VersionOrder("1.10.9"), VersionOrder("2.0.0"));
}

TEST(ModelReferenceTest, AliasNames) {
  EXPECT_TRUE(ValidateAliasName("stable").ok());
  EXPECT_TRUE(ValidateAliasName("team-a2").ok());
  EXPECT_FALSE(ValidateAliasName("2fast").ok());
  EXPECT_FALSE(ValidateAliasName("with_underscore").ok());
  EXPECT_FALSE(ValidateAliasName(std::string(65, 'a')).ok());
}

}  // namespace
}  // namespace switchyard::registry
