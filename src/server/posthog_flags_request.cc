#include "server/posthog_flags_request.h"

#include <charconv>
#include <string>

namespace switchyard::server {

Result<PostHogFlagsRequest> ParsePostHogFlagsRequest(nlohmann::json body) {
  if (!body.is_object()) return Status::InvalidArgument("the body must be a JSON object", "body");
  PostHogFlagsRequest out;
  EvaluateRequest& evaluate = out.evaluate;

  // Read field by field into the evaluate request, with PostHog's names, rather than rewritten
  // into /api/v1/evaluate's body first: the rewrite was 3 % of the server's CPU under /flags load.
  auto id = body.find("distinct_id");
  if (id == body.end() || id->is_null()) {
    return Status::InvalidArgument("distinct_id is required", "distinct_id");
  }
  if (id->is_number_integer()) *id = id->dump();  // posthog-js may send a number
  auto distinct_id = ReadDistinctId(body);
  if (!distinct_id.ok()) return distinct_id.status();
  evaluate.distinct_id = std::move(*distinct_id);

  auto properties = TakeRequestProperties(&body, "person_properties");
  if (!properties.ok()) return properties.status();
  evaluate.properties = std::move(*properties);

  std::string_view flags_field = "flag_keys_to_evaluate";
  auto flags = body.find(flags_field);
  if (flags == body.end() || flags->is_null()) flags_field = "flag_keys";
  auto requested = ReadRequestedFlags(body, flags_field);
  if (!requested.ok()) return requested.status();
  evaluate.flags = std::move(*requested);

  auto disable = body.find("disable_flags");
  if (disable != body.end() && !disable->is_null()) {
    if (!disable->is_boolean())
      return Status::InvalidArgument("disable_flags must be a boolean", "disable_flags");
    out.disable_flags = disable->get<bool>();
  }

  // Groups are read as /api/v1/evaluate reads them (the same field names as PostHog's).
  auto groups = ReadRequestGroups(body);
  if (!groups.ok()) return groups.status();
  evaluate.groups = std::move(*groups);
  return out;
}

int PostHogAnswerVersion(const Request& request, bool decide) {
  const std::string* text = request.QueryParam("v");
  int v = 1;
  if (text != nullptr) {
    int parsed = 0;
    auto [end, error] = std::from_chars(text->data(), text->data() + text->size(), parsed);
    if (error == std::errc() && end == text->data() + text->size()) v = parsed;
  }
  if (decide) return v >= 4 ? 2 : 1;
  return v >= 2 ? 2 : 1;
}

}  // namespace switchyard::server
