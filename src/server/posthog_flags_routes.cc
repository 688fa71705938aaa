// PostHog's remote evaluation, for the SDKs teams already run: POST /flags (v1 and v2 answers),
// the retired POST /decide (v1-v4, mapped onto /flags as PostHog's server does), and the remote
// configuration posthog-js and posthog-node fetch (GET /array/{token}/config[.js]). Every answer
// is a projection of EvaluateUser's one result, so it agrees with POST /api/v1/evaluate.
#include <chrono>
#include <functional>
#include <thread>

#include "server/api_error.h"
#include "server/api_routes.h"
#include "server/evaluate_user.h"
#include "server/evaluation_inputs.h"
#include "server/evaluation_json.h"
#include "server/handler_support.h"
#include "server/posthog_flags_json.h"
#include "server/posthog_flags_request.h"
#include "server/wall_clock.h"

namespace switchyard::server {
namespace {

namespace net = boost::asio;

// posthog-js sends every stored person property with each request; 64 KiB (decoded) is ample.
constexpr std::size_t kMaxFlagsBodyBytes = 64 * 1024;

// PostHog's requestId: an id to trace one answer by (SDKs copy it into $feature_flag_called). It
// is neither secret nor stored, so it is UUID-shaped (version 7: the time first) from the clock,
// the request and the thread instead of cryptographic randomness, whose per-call cost (~1 us) was
// a tenth of the whole request.
std::string RequestId(std::string_view distinct_id) {
  const std::int64_t ms = NowMs();
  const auto ns = static_cast<std::uint64_t>(std::chrono::steady_clock::now().time_since_epoch().count());
  std::uint64_t mix = std::hash<std::string_view>{}(distinct_id) ^ (ns * 0x9e3779b97f4a7c15ULL) ^
                      (std::hash<std::thread::id>{}(std::this_thread::get_id()) << 1);
  mix ^= mix >> 31;
  mix *= 0xbf58476d1ce4e5b9ULL;
  mix ^= mix >> 29;
  // 8-4-4-4-12 hex digits: 48 bits of ms, version 7, 12 bits of ns, variant 10, 62 bits of mix.
  const std::uint64_t high = (static_cast<std::uint64_t>(ms) << 16) | 0x7000 | (ns & 0xfff);
  const std::uint64_t low = (std::uint64_t{0x2} << 62) | (mix >> 2);
  std::string text(36, '-');
  auto hex = [&text](std::size_t at, std::uint64_t value, int digits) {
    for (int i = digits - 1; i >= 0; --i, value >>= 4) text[at + i] = "0123456789abcdef"[value & 0xf];
  };
  hex(0, high >> 32, 8);
  hex(9, (high >> 16) & 0xffff, 4);
  hex(14, high & 0xffff, 4);
  hex(19, low >> 48, 4);
  hex(24, low & 0xffffffffffffULL, 12);
  return text;
}

// PostHog answers a request it cannot read with 400, whichever field is wrong.
Response BadRequest(const Status& status) {
  return ErrorResponse(400, "invalid_argument", status.message(), status.field());
}

net::awaitable<Response> Flags(ServerContext& ctx, RequestContext& req, bool decide) {
  auto body = req.JsonBody();
  if (!body.ok()) co_return BadJsonResponse(body.status());
  std::optional<std::string> project;
  std::optional<std::string> environment;
  if (body->is_object()) {
    if (Status s = ReadEvaluationScope(*body, &project, &environment); !s.ok()) co_return BadRequest(s);
  }
  auto request = ParsePostHogFlagsRequest(std::move(*body));
  if (!request.ok()) co_return BadRequest(request.status());
  auto where = EvaluationWhere(ctx.store, req.principal(), project, environment);
  if (!where.ok()) co_return ErrorResponse(where.status());

  PostHogAnswerOptions options;
  options.version = PostHogAnswerVersion(req.request(), decide);
  const std::string* config = req.request().QueryParam("config");
  options.with_config = decide || (config != nullptr && (*config == "true" || *config == "1"));
  options.request_id = RequestId(request->evaluate.distinct_id);
  Response response;
  if (request->disable_flags) {
    response.body = PostHogFlagsJson({}, options);
    co_return response;
  }
  auto evaluated = co_await EvaluateUser(ctx, *where, request->evaluate);
  if (!evaluated.ok()) co_return PersonReadFailedResponse(evaluated.status());
  response.body = PostHogFlagsJson(evaluated->results, options);
  co_return response;
}

// The token in the path must be a key of this server: the configuration is the same for every
// project, but answering for any string would tell a misconfigured SDK it is fine.
Result<std::string> PathToken(ServerContext& ctx, const RequestContext& req) {
  const std::string& token = req.Param("token");
  auto principal = ctx.keys.AuthenticateKey(token);
  if (!principal.ok()) return principal.status();
  return token;
}

Response RemoteConfig(ServerContext& ctx, RequestContext& req) {
  auto token = PathToken(ctx, req);
  if (!token.ok()) return ErrorResponse(token.status());
  Response response;
  response.body = PostHogRemoteConfigJson(*token);
  return response;
}

// The script form posthog-js loads first: it leaves the configuration where the SDK looks for it.
Response RemoteConfigScript(ServerContext& ctx, RequestContext& req) {
  auto token = PathToken(ctx, req);
  if (!token.ok()) return ErrorResponse(token.status());
  std::string quoted;
  AppendJsonString(quoted, *token);
  Response response;
  response.content_type = "application/javascript";
  response.body =
      "(function(){var w=window;w._POSTHOG_REMOTE_CONFIG=w._POSTHOG_REMOTE_CONFIG||{};"
      "w._POSTHOG_REMOTE_CONFIG[" +
      quoted + "]={config:" + PostHogRemoteConfigJson(*token) + ",siteApps:[]};})();";
  return response;
}

}  // namespace

void RegisterPostHogFlagsRoutes(Router& router, ServerContext& ctx) {
  RoutePolicy policy = EvaluationRoutePolicy(kMaxFlagsBodyBytes);
  policy.key_source = KeySource::kBearerOrToken;
  policy.posthog_body = true;
  router.AddAsync("POST", "/flags", Access::kProject,
                  "PostHog remote evaluation: ?v=1 featureFlags/featureFlagPayloads, v=2 (and newer) flags; "
                  "&config=true adds the remote configuration",
                  policy, [&ctx](RequestContext& req) { return Flags(ctx, req, false); });
  router.AddAsync("POST", "/decide", Access::kProject,
                  "PostHog's retired decide: v<=3 answered as /flags v1, v>=4 as v2, with the configuration",
                  policy, [&ctx](RequestContext& req) { return Flags(ctx, req, true); });

  RoutePolicy config;
  config.execution = Execution::kInline;
  config.cors = true;
  router.Add("GET", "/array/{token}/config", Access::kPublic,
             "PostHog remote configuration (minimal: flags only) for the project key in the path", config,
             Bind(ctx, RemoteConfig));
  router.Add("GET", "/array/{token}/config.js", Access::kPublic,
             "The same configuration as the script posthog-js loads", config, Bind(ctx, RemoteConfigScript));
}

}  // namespace switchyard::server
