#include "server/person_events.h"

#include <gtest/gtest.h>

#include <string>

namespace switchyard::server {
namespace {

using nlohmann::json;

events::Event MakeEvent(std::string name, std::string distinct_id, const json& properties) {
  events::Event event;
  event.project_id = 7;
  event.event = std::move(name);
  event.distinct_id = std::move(distinct_id);
  event.properties = properties.dump();
  return event;
}

PersonChanges Changes(const events::Event& event) {
  PersonChanges changes;
  AddPersonChanges(event, &changes);
  return changes;
}

TEST(PersonEventsTest, IdentifyMergesTheAnonymousIdAndSetsProperties) {
  PersonChanges changes = Changes(MakeEvent(
      "$identify", "user-1",
      {{"$anon_distinct_id", "anon-1"}, {"$set", {{"email", "a@x.io"}}}, {"$set_once", {{"first", "ad"}}}}));
  ASSERT_EQ(changes.persons.size(), 1u);
  const store::PersonUpdate& update = changes.persons[0];
  EXPECT_EQ(update.project_id, 7);
  EXPECT_EQ(update.distinct_id, "user-1");
  EXPECT_EQ(update.alias, "anon-1");
  EXPECT_EQ(update.set, (json{{"email", "a@x.io"}}));
  EXPECT_EQ(update.set_once, (json{{"first", "ad"}}));
  EXPECT_TRUE(changes.groups.empty());
}

TEST(PersonEventsTest, CreateAliasJoinsTheTwoIds) {
  PersonChanges changes = Changes(MakeEvent("$create_alias", "user-1", {{"alias", "legacy-42"}}));
  ASSERT_EQ(changes.persons.size(), 1u);
  EXPECT_EQ(changes.persons[0].distinct_id, "user-1");
  EXPECT_EQ(changes.persons[0].alias, "legacy-42");
}

TEST(PersonEventsTest, AnyEventMaySetProperties) {
  PersonChanges changes =
      Changes(MakeEvent("$pageview", "u", {{"$set", {{"plan", "pro"}}}, {"$unset", json{"trial"}}}));
  ASSERT_EQ(changes.persons.size(), 1u);
  EXPECT_EQ(changes.persons[0].set, (json{{"plan", "pro"}}));
  EXPECT_EQ(changes.persons[0].unset, json{"trial"});
  EXPECT_TRUE(changes.persons[0].alias.empty());
}

// Each person part alone, after other $-properties, is found.
TEST(PersonEventsTest, EachPersonPartIsFoundAmongOtherDollarProperties) {
  const json before = {{"$lib", "web"}, {"$current_url", "/$"}, {"price$", 1}};
  json set_once = before;
  set_once["$set_once"] = {{"first", "ad"}};
  json unset = before;
  unset["$unset"] = json{"trial"};
  json set = before;
  set["zz"] = "$";
  set["$set"] = {{"plan", "pro"}};
  PersonChanges a = Changes(MakeEvent("$pageview", "u", set_once));
  ASSERT_EQ(a.persons.size(), 1u);
  EXPECT_EQ(a.persons[0].set_once, (json{{"first", "ad"}}));
  PersonChanges b = Changes(MakeEvent("$pageview", "u", unset));
  ASSERT_EQ(b.persons.size(), 1u);
  EXPECT_EQ(b.persons[0].unset, json{"trial"});
  PersonChanges c = Changes(MakeEvent("$pageview", "u", set));
  ASSERT_EQ(c.persons.size(), 1u);
  EXPECT_EQ(c.persons[0].set, (json{{"plan", "pro"}}));
  // Names that only look alike, or the text of a value, change nothing.
  EXPECT_TRUE(
      Changes(MakeEvent("$pageview", "u", {{"$unsettled", 1}, {"note", "$set"}, {"x", "\"$unset"}})).empty());
}

TEST(PersonEventsTest, EventsWithoutPersonPartsChangeNothing) {
  EXPECT_TRUE(Changes(MakeEvent("$pageview", "u", {{"$current_url", "/"}})).empty());
  // An identify of the id it already is, with nothing to set.
  EXPECT_TRUE(Changes(MakeEvent("$identify", "u", {{"$anon_distinct_id", "u"}})).empty());
  // Malformed parts are left out: the event is already stored.
  EXPECT_TRUE(Changes(MakeEvent("$identify", "u", {{"$set", "not an object"}, {"$unset", json{1}}})).empty());
  events::Event broken = MakeEvent("$identify", "u", json::object());
  broken.properties = "{not json";
  EXPECT_TRUE(Changes(broken).empty());
}

TEST(PersonEventsTest, GroupIdentifySetsGroupProperties) {
  PersonChanges changes = Changes(
      MakeEvent("$groupidentify", "u",
                {{"$group_type", "company"}, {"$group_key", 42}, {"$group_set", {{"plan", "enterprise"}}}}));
  ASSERT_EQ(changes.groups.size(), 1u);
  EXPECT_EQ(changes.groups[0].project_id, 7);
  EXPECT_EQ(changes.groups[0].group_type, "company");
  EXPECT_EQ(changes.groups[0].group_key, "42");
  EXPECT_EQ(changes.groups[0].set, (json{{"plan", "enterprise"}}));
  EXPECT_TRUE(changes.persons.empty());
  // Without a type or key there is no group to change.
  EXPECT_TRUE(Changes(MakeEvent("$groupidentify", "u", {{"$group_type", "company"}})).empty());
}

}  // namespace
}  // namespace switchyard::server
