// `flags apply` as a CI pipeline uses it, against the real server: the server plans and checks the
// whole file, a file with any bad flag applies nothing and lists every problem (in a dry run too),
// a hand-written file converges in one apply, prerequisites are created first, and a file that sets
// environments one by one changes only those.
#include <nlohmann/json.hpp>

#include "cli/cli_fixture.h"

namespace switchyard::cli {
namespace {

using Json = nlohmann::json;

using CliFlagsApplyTest = CliTest;

TEST_F(CliFlagsApplyTest, AFileWithBadFlagsAppliesNothingAndTheDryRunListsEveryProblem) {
  Ok({"flags", "create", "checkout", "--rollout", "10"});
  std::string file = WriteFile("bad.yaml", R"(project: default
flags:
  - key: added
  - key: checkout
    filters:
      groups:
        - rolout_percentage: 30
  - key: gated
    filters:
      groups:
        - properties: [{key: missing-flag, type: flag, value: true, operator: flag_evaluates_to}]
  - key: added
)");
  for (bool dry_run : {true, false}) {
    std::vector<std::string> args{"flags", "apply", file};
    if (dry_run) args.push_back("--dry-run");
    testing::CommandResult result = Run(args);
    SCOPED_TRACE(Describe(args, result));
    ExpectOneLineError(result, 1,
                       file +
                           ": flag 'checkout': unknown field 'rolout_percentage' in filters.groups[0]; "
                           "did you mean 'rollout_percentage'? (and 2 more problems, listed above)");
    EXPECT_NE(result.err.find("(field flags[1].filters.groups[0].rolout_percentage)"), std::string::npos);
    EXPECT_NE(result.err.find("[HTTP 422]"), std::string::npos);
    EXPECT_EQ(result.out,
              "3 problems; nothing was applied:\n"
              "  " +
                  file +
                  ": flag 'checkout': unknown field 'rolout_percentage' in filters.groups[0]; did you "
                  "mean 'rollout_percentage'? (field flags[1].filters.groups[0].rolout_percentage)\n"
                  "  " +
                  file +
                  ": flag 'gated': flag 'gated' uses flag 'missing-flag', which neither exists nor is "
                  "defined in the file (field flags[2].filters.groups[0].properties[0].key)\n"
                  "  " +
                  file + ": flag 'added': flag 'added' is also defined at flags[0] (field flags[3].key)\n");
  }
  Json flags = OkJson({"flags", "list"})["flags"];
  ASSERT_EQ(flags.size(), 1u);  // neither "added" nor "gated" was created
  EXPECT_EQ(flags[0]["version"], 1);

  // --json prints the server's answer: the plan of the rest and every problem.
  testing::CommandResult json = Run({"flags", "apply", file, "--json"});
  EXPECT_EQ(json.exit_code, 1);
  Json answer = Json::parse(json.out);
  EXPECT_EQ(answer["errors"].size(), 3u);
  EXPECT_EQ(answer["errors"][1]["index"], 2);
  EXPECT_EQ(answer["applied"], false);
}

TEST_F(CliFlagsApplyTest, AHandWrittenFileConvergesInOneApplyWithPrerequisitesCreatedFirst) {
  // Defaults left out: a property without `type` or `operator`, variants without `name`, no
  // `active`, a group without a rollout. `checkout` uses `gate` as a prerequisite and comes first.
  std::string file = WriteFile("flags.yaml", R"(flags:
  - key: checkout
    filters:
      groups:
        - properties:
            - {key: gate, type: flag, value: true, operator: flag_evaluates_to}
            - {key: plan, value: pro}
      multivariate:
        variants:
          - {key: control, rollout_percentage: 50}
          - {key: test, rollout_percentage: 50}
  - key: gate
    tags: [infra]
)");
  EXPECT_EQ(Ok({"flags", "apply", file}),
            "+ create gate\n+ create checkout\n2 to create, 0 to update, 0 to delete, 0 unchanged\n"
            "applied 2 changes\n");
  EXPECT_EQ(Ok({"flags", "apply", file}), "0 to create, 0 to update, 0 to delete, 2 unchanged\n");
  EXPECT_EQ(Ok({"flags", "apply", file, "--dry-run"}),
            "0 to create, 0 to update, 0 to delete, 2 unchanged\ndry run: nothing applied\n");

  // The audit log shows the creates in the order they were applied.
  Json audit = OkJson({"audit"});
  std::vector<std::string> created;
  for (const Json& entry : audit["entries"]) {
    if (entry["action"] == "flag.create")
      created.insert(created.begin(), entry["entity_key"].get<std::string>());
  }
  EXPECT_EQ(created, (std::vector<std::string>{"gate", "checkout"}));

  // An export of what was applied applies as unchanged too.
  std::string exported = dir_ + "/exported.yaml";
  Ok({"flags", "export", exported});
  EXPECT_EQ(Ok({"flags", "apply", exported}), "0 to create, 0 to update, 0 to delete, 2 unchanged\n");
}

TEST_F(CliFlagsApplyTest, AFileChangesOnlyTheEnvironmentsItNames) {
  Ok({"flags", "create", "banner", "--rollout", "10"});
  std::string exported = dir_ + "/flags.yaml";
  Ok({"flags", "export", exported});
  std::string text = ReadFile(exported);
  ASSERT_NE(text.find("environments:"), std::string::npos) << text;

  // Raise staging's rollout only, in the exported file.
  const std::string staging = "staging:";
  std::size_t at = text.find(staging);
  ASSERT_NE(at, std::string::npos) << text;
  std::size_t rollout = text.find("rollout_percentage: 10", at);
  ASSERT_NE(rollout, std::string::npos) << text;
  text.replace(rollout, std::string("rollout_percentage: 10").size(), "rollout_percentage: 60");
  std::string edited = WriteFile("edited.yaml", text);

  EXPECT_EQ(Ok({"flags", "apply", edited}),
            "~ update banner\n"
            "  filters.groups[0].rollout_percentage: 10 -> 60 (in staging)\n"
            "0 to create, 1 to update, 0 to delete, 0 unchanged\napplied 1 change\n");
  Json flag = OkJson({"flags", "get", "banner"});
  EXPECT_EQ(flag["environments"]["staging"]["filters"]["groups"][0]["rollout_percentage"], 60);
  EXPECT_EQ(flag["environments"]["production"]["filters"]["groups"][0]["rollout_percentage"], 10);

  // Scoped to one environment, a file's top-level targeting applies there only.
  std::string dev = WriteFile("dev.yaml", "flags:\n  - key: banner\n    active: false\n");
  Ok({"flags", "apply", dev, "--env", "development"});
  flag = OkJson({"flags", "get", "banner"});
  EXPECT_EQ(flag["environments"]["development"]["active"], false);
  EXPECT_EQ(flag["environments"]["production"]["active"], true);
  ExpectOneLineError(Run({"flags", "apply", dev, "--env", "development", "--prune"}), 2, "--prune");
}

}  // namespace
}  // namespace switchyard::cli
