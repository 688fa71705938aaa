#include "server/posthog_flags_request.h"

#include <charconv>
#include <string>

namespace switchyard::server {
namespace {

using nlohmann::json;

// ParseEvaluateRequest names our fields; the client sent PostHog's.
Status Renamed(const Status& status, const std::string& flags_field) {
  std::string field = status.field();
  auto rename = [&field](std::string_view ours, const std::string& theirs) {
    if (field.starts_with(ours)) field = theirs + field.substr(ours.size());
  };
  rename("properties", "person_properties");
  rename("flags", flags_field);
  std::string message = status.message();
  if (field != status.field() && message.starts_with(status.field())) {
    message = field + message.substr(status.field().size());
  }
  return Status::InvalidArgument(message, field);
}

}  // namespace

Result<PostHogFlagsRequest> ParsePostHogFlagsRequest(json body) {
  if (!body.is_object()) return Status::InvalidArgument("the body must be a JSON object", "body");
  PostHogFlagsRequest out;
  json ours = json::object();

  auto id = body.find("distinct_id");
  if (id == body.end() || id->is_null()) {
    return Status::InvalidArgument("distinct_id is required", "distinct_id");
  }
  if (id->is_number_integer()) {
    ours["distinct_id"] = id->dump();
  } else {
    ours["distinct_id"] = std::move(*id);  // its type and size are checked below
  }

  auto properties = body.find("person_properties");
  if (properties != body.end() && !properties->is_null()) ours["properties"] = std::move(*properties);

  std::string flags_field = "flag_keys_to_evaluate";
  auto flags = body.find(flags_field);
  if (flags == body.end() || flags->is_null()) {
    flags_field = "flag_keys";
    flags = body.find(flags_field);
  }
  if (flags != body.end() && !flags->is_null()) ours["flags"] = std::move(*flags);

  auto disable = body.find("disable_flags");
  if (disable != body.end() && !disable->is_null()) {
    if (!disable->is_boolean())
      return Status::InvalidArgument("disable_flags must be a boolean", "disable_flags");
    out.disable_flags = disable->get<bool>();
  }

  // Groups are read as /api/v1/evaluate reads them (the same field names as PostHog's).
  auto groups = ReadRequestGroups(body);
  if (!groups.ok()) return groups.status();

  auto evaluate = ParseEvaluateRequest(std::move(ours));
  if (!evaluate.ok()) return Renamed(evaluate.status(), flags_field);
  out.evaluate = std::move(*evaluate);
  out.evaluate.groups = std::move(*groups);
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
