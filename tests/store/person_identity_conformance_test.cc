// Persons with several distinct ids (merges by $identify / $create_alias) and groups: the part of
// the Store contract (store.h, "Persons", "Groups") checked identically against every backend.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "store/memory_store.h"
#include "store/sqlite_store.h"
#include "store/store.h"
#include "store/store_test_support.h"
#include "store/temp_dir.h"

namespace switchyard::store {
namespace {

using nlohmann::json;
using test_support::IsError;
using test_support::kAlice;
using test_support::Must;
using ::testing::UnorderedElementsAre;

using test_support::BackendNames;
using test_support::MemoryBackend;
using test_support::SqliteBackend;

template <typename Backend>
class PersonIdentityTest : public ::testing::Test {
 protected:
  void SetUp() override {
    Result<std::unique_ptr<Store>> opened = Backend::Open(dir_);
    ASSERT_TRUE(opened.ok()) << opened.status().ToString();
    store_ = std::move(*opened);
    project_ = Must(store_->CreateProject("acme", "Acme", kAlice)).id;
  }

  Store& store() { return *store_; }
  std::int64_t project() const { return project_; }
  PersonUpdate Merge(const std::string& distinct_id, const std::string& alias, json set = nullptr) {
    return PersonUpdate{project_, distinct_id, std::move(set), nullptr, nullptr, alias};
  }

 private:
  test_support::TempDir dir_;
  std::unique_ptr<Store> store_;
  std::int64_t project_ = 0;
};

using Backends = ::testing::Types<MemoryBackend, SqliteBackend>;
TYPED_TEST_SUITE(PersonIdentityTest, Backends, BackendNames);

TYPED_TEST(PersonIdentityTest, IdentifyMakesTheAnonymousIdTheSamePerson) {
  const std::int64_t p = this->project();
  Must(this->store().UpdatePerson(p, "anon-1", json{{"referrer", "ad"}, {"plan", "free"}}, nullptr, nullptr));
  Must(this->store().UpdatePerson(p, "user-1", json{{"plan", "pro"}}, nullptr, nullptr));
  Must(this->store().UpdatePersons({this->Merge("user-1", "anon-1", json{{"email", "a@x.io"}})}));

  for (const char* id : {"anon-1", "user-1"}) {
    Person person = Must(this->store().GetPerson(p, id));
    // The identified person wins a clash; the anonymous one fills the gaps.
    EXPECT_EQ(person.properties, (json{{"referrer", "ad"}, {"plan", "pro"}, {"email", "a@x.io"}})) << id;
    EXPECT_EQ(person.distinct_id, "user-1");
    EXPECT_THAT(person.distinct_ids, UnorderedElementsAre("user-1", "anon-1"));
  }
  // Either id changes the one person.
  Must(this->store().UpdatePerson(p, "anon-1", json{{"seen", true}}, nullptr, nullptr));
  EXPECT_EQ(Must(this->store().GetPerson(p, "user-1")).properties["seen"], true);
}

TYPED_TEST(PersonIdentityTest, AliasOfAnUnknownIdJoinsTheExistingPerson) {
  const std::int64_t p = this->project();
  Must(this->store().UpdatePersons({this->Merge("user-2", "device-9")}));
  Person person = Must(this->store().GetPerson(p, "device-9"));
  EXPECT_EQ(person.distinct_id, "user-2");
  EXPECT_THAT(person.distinct_ids, UnorderedElementsAre("user-2", "device-9"));
}

TYPED_TEST(PersonIdentityTest, MergingAMergedPersonMovesAllItsIds) {
  const std::int64_t p = this->project();
  Must(this->store().UpdatePersons({this->Merge("b", "a", json{{"from", "b"}})}));
  Must(this->store().UpdatePersons({this->Merge("c", "b", json{{"c", 1}})}));
  for (const char* id : {"a", "b", "c"}) {
    Person person = Must(this->store().GetPerson(p, id));
    EXPECT_EQ(person.distinct_id, "c") << id;
    EXPECT_EQ(person.properties, (json{{"from", "b"}, {"c", 1}})) << id;
    EXPECT_THAT(person.distinct_ids, UnorderedElementsAre("a", "b", "c"));
  }
  // Merging ids that already are one person changes nothing.
  Must(this->store().UpdatePersons({this->Merge("a", "c")}));
  EXPECT_EQ(Must(this->store().GetPerson(p, "a")).distinct_id, "c");
}

TYPED_TEST(PersonIdentityTest, ListingShowsEveryIdOfAMergedPerson) {
  const std::int64_t p = this->project();
  Must(this->store().UpdatePersons({this->Merge("user-7", "anon-7"), this->Merge("user-7", "device-7")}));
  Must(this->store().UpdatePerson(p, "solo", json{{"plan", "free"}}, nullptr, nullptr));
  for (const std::optional<std::string>& after :
       {std::optional<std::string>(), std::optional<std::string>("a")}) {
    std::vector<Person> persons = Must(this->store().ListPersons(p, {after, 0, 10}));
    ASSERT_EQ(persons.size(), 2u);
    EXPECT_EQ(persons[0].distinct_id, "solo");
    EXPECT_THAT(persons[0].distinct_ids, ::testing::ElementsAre("solo"));
    EXPECT_EQ(persons[1].distinct_id, "user-7");
    EXPECT_EQ(persons[1].distinct_ids.front(), "user-7");
    EXPECT_THAT(persons[1].distinct_ids, UnorderedElementsAre("user-7", "anon-7", "device-7"));
  }
}

TYPED_TEST(PersonIdentityTest, DeletingByAnyIdDeletesThePersonAndItsIds) {
  const std::int64_t p = this->project();
  Must(this->store().UpdatePersons({this->Merge("user", "anon", json{{"x", 1}})}));
  Must(this->store().DeletePerson(p, "anon"));
  EXPECT_THAT(this->store().GetPerson(p, "user"), IsError(StatusCode::kNotFound, "distinct_id"));
  EXPECT_THAT(this->store().GetPerson(p, "anon"), IsError(StatusCode::kNotFound, "distinct_id"));
  // The freed id starts a new person of its own.
  Must(this->store().UpdatePerson(p, "anon", json{{"y", 2}}, nullptr, nullptr));
  EXPECT_EQ(Must(this->store().GetPerson(p, "anon")).properties, (json{{"y", 2}}));
  EXPECT_THAT(this->store().GetPerson(p, "user"), IsError(StatusCode::kNotFound, "distinct_id"));
}

TYPED_TEST(PersonIdentityTest, ABadAliasWritesNothing) {
  const std::int64_t p = this->project();
  EXPECT_THAT(this->store().UpdatePersons({this->Merge("ok", "", json{{"x", 1}}), this->Merge("", "anon")}),
              IsError(StatusCode::kInvalidArgument, "updates[1].distinct_id"));
  EXPECT_THAT(this->store().GetPerson(p, "ok"), IsError(StatusCode::kNotFound, "distinct_id"));
}

TYPED_TEST(PersonIdentityTest, GroupTypesGetStableIndexesAndGroupsKeepProperties) {
  const std::int64_t p = this->project();
  Must(this->store().UpdateGroups({{p, "company", "acme", json{{"plan", "enterprise"}, {"seats", 10}}},
                                   {p, "team", "core", json::object()},
                                   {p, "company", "acme", json{{"seats", 12}}}}));
  Group acme = Must(this->store().GetGroup(p, "company", "acme"));
  EXPECT_EQ(acme.properties, (json{{"plan", "enterprise"}, {"seats", 12}}));
  std::vector<GroupType> types = Must(this->store().ListGroupTypes(p));
  ASSERT_EQ(types.size(), 2u);
  EXPECT_EQ(types[0].name, "company");
  EXPECT_EQ(types[0].index, 0);
  EXPECT_EQ(types[1].name, "team");
  EXPECT_EQ(types[1].index, 1);
  EXPECT_THAT(this->store().GetGroup(p, "company", "globex"), IsError(StatusCode::kNotFound, "group_key"));
}

TYPED_TEST(PersonIdentityTest, AProjectHasAtMostFiveGroupTypes) {
  const std::int64_t p = this->project();
  std::vector<GroupUpdate> updates;
  for (const char* type : {"t0", "t1", "t2", "t3", "t4", "t5"})
    updates.push_back({p, type, "k", json::object()});
  Must(this->store().UpdateGroups(updates));
  std::vector<GroupType> types = Must(this->store().ListGroupTypes(p));
  ASSERT_EQ(types.size(), static_cast<std::size_t>(kMaxGroupTypes));
  EXPECT_EQ(types.back().name, "t4");
  EXPECT_THAT(this->store().GetGroup(p, "t5", "k"), IsError(StatusCode::kNotFound, "group_key"));
}

TYPED_TEST(PersonIdentityTest, DeclaredGroupTypesTakeTheNextIndexAndEventsKeepIt) {
  const std::int64_t p = this->project();
  Must(this->store().UpdateGroups({{p, "company", "acme", json::object()}}));
  GroupType team = Must(this->store().CreateGroupType(p, "team", kAlice));
  EXPECT_EQ(team.name, "team");
  EXPECT_EQ(team.index, 1);
  // An event for the declared type reuses its index.
  Must(this->store().UpdateGroups({{p, "team", "core", json{{"size", 4}}}}));
  std::vector<GroupType> types = Must(this->store().ListGroupTypes(p));
  ASSERT_EQ(types.size(), 2u);
  EXPECT_EQ(types[1].name, "team");
  EXPECT_EQ(types[1].index, 1);
  EXPECT_THAT(this->store().CreateGroupType(p, "team", kAlice), IsError(StatusCode::kAlreadyExists, "name"));
  EXPECT_THAT(this->store().CreateGroupType(p, "company", kAlice),
              IsError(StatusCode::kAlreadyExists, "name"));
  EXPECT_THAT(this->store().CreateGroupType(p, "", kAlice), IsError(StatusCode::kInvalidArgument, "name"));
  EXPECT_THAT(this->store().CreateGroupType(p, "bad\nname", kAlice),
              IsError(StatusCode::kInvalidArgument, "name"));
  for (const char* name : {"t2", "t3", "t4"}) Must(this->store().CreateGroupType(p, name, kAlice));
  EXPECT_THAT(this->store().CreateGroupType(p, "t5", kAlice), IsError(StatusCode::kConflict, "name"));
  EXPECT_EQ(Must(this->store().ListGroupTypes(p)).size(), static_cast<std::size_t>(kMaxGroupTypes));
  EXPECT_THAT(this->store().CreateGroupType(p + 1000, "team", kAlice),
              IsError(StatusCode::kNotFound, "project_id"));

  AuditQuery query;
  query.project_id = p;
  query.entity_type = "group_type";
  std::vector<AuditEntry> audit = Must(this->store().ListAudit(query));
  int declared = 0;
  for (const AuditEntry& entry : audit) declared += entry.action == "group_type.create" ? 1 : 0;
  EXPECT_EQ(declared, 4);
}

TYPED_TEST(PersonIdentityTest, BadGroupUpdatesWriteNothing) {
  const std::int64_t p = this->project();
  EXPECT_THAT(this->store().UpdateGroups(
                  {{p, "company", "acme", json::object()}, {p, "company", "", json::object()}}),
              IsError(StatusCode::kInvalidArgument, "updates[1].$group_key"));
  EXPECT_THAT(this->store().UpdateGroups({{p, "company", "acme", json::array()}}),
              IsError(StatusCode::kInvalidArgument, "updates[0].$group_set"));
  EXPECT_THAT(this->store().UpdateGroups(
                  {{p, "company", "acme", json::object()}, {9999, "company", "x", json::object()}}),
              IsError(StatusCode::kNotFound, "project_id"));
  EXPECT_TRUE(Must(this->store().ListGroupTypes(p)).empty());
}

}  // namespace
}  // namespace switchyard::store
