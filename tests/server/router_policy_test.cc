// Per-route policies applied by the router: where the key may come from, body encodings, CORS,
// and coroutine handlers — on a router of its own, so each rule is seen in isolation.
#include <gtest/gtest.h>

#include <boost/asio/post.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "server/api_harness.h"
#include "server/body_source.h"
#include "server/router.h"
#include "support/gzip.h"

namespace switchyard::server {
namespace {

namespace net = boost::asio;
using testing::ApiHarness;
using testing::kAdminKey;
using testing::kProjectKey;

Request Make(const std::string& method, const std::string& target, const std::string& body = "",
             std::vector<std::pair<std::string, std::string>> headers = {}) {
  Request request;
  request.method = method;
  request.target = target;
  ParseTarget(target, &request.path, &request.query);
  request.headers = std::move(headers);
  request.body = body;
  return request;
}

using testing::HeaderOf;
class RouterPolicyTest : public ::testing::Test {
 protected:
  RouterPolicyTest() : router_(keys_) {
    ApiHarness seeded;  // bootstraps the unit keys into a store of its own; we reload from it
    keys_.Reload(seeded.store());
    RoutePolicy token;
    token.key_source = KeySource::kBearerOrToken;
    token.accept_gzip = true;
    token.cors = true;
    token.max_body_bytes = 100;
    router_.Add("POST", "/capture", Access::kProject, "capture", token, [](RequestContext& ctx) {
      Response r;
      r.body = ctx.request().body;
      return r;
    });
    router_.Add("GET", "/capture", Access::kProject, "capture", token,
                [](RequestContext&) { return Response{}; });
    router_.Add("POST", "/admin", Access::kAdmin, "admin", [](RequestContext&) { return Response{}; });
    router_.AddAsync("GET", "/async", Access::kPublic, "async", RoutePolicy{},
                     [](RequestContext&) -> net::awaitable<Response> {
                       auto executor = co_await net::this_coro::executor;
                       co_await net::post(executor, net::use_awaitable);  // really suspends
                       Response r;
                       r.status = 202;
                       co_return r;
                     });
  }

  KeyRing keys_;
  Router router_;
};

// A route that reads its body as a stream and answers with what it saw.
void AddStreamingRoute(Router& router, std::size_t limit) {
  RoutePolicy streamed;
  streamed.stream_body = true;
  streamed.accept_gzip = true;
  streamed.max_body_bytes = limit;
  router.AddAsync("POST", "/stream", Access::kPublic, "stream", streamed,
                  [](RequestContext& ctx) -> net::awaitable<Response> {
                    std::string seen;
                    int pieces = 0;
                    for (;;) {
                      BodyChunk chunk = co_await ctx.Body().Read();
                      if (!chunk.ok()) co_return BodyErrorResponse(chunk);
                      if (chunk.end()) break;
                      ++pieces;
                      seen.append(chunk.data);
                    }
                    Response r;
                    r.body = std::to_string(pieces) + ":" + seen;
                    co_return r;
                  });
}

TEST_F(RouterPolicyTest, AStreamedBodyReachesItsHandlerDecodedAndBounded) {
  AddStreamingRoute(router_, 64 * 1024);
  EXPECT_TRUE(router_.BodyRulesFor("POST", "/stream").streamed);
  EXPECT_FALSE(router_.BodyRulesFor("POST", "/capture").streamed);
  std::vector<std::pair<std::string, std::string>> json{{"content-type", "application/json"}};
  auto plain = router_.Handle(Make("POST", "/stream", R"({"a":1})", json));
  EXPECT_EQ(plain.status, 200) << plain.body;
  EXPECT_EQ(plain.body, R"(1:{"a":1})");
  auto empty = router_.Handle(Make("POST", "/stream", "", json));
  EXPECT_EQ(empty.body, "0:");
  std::string big(40000, 'x');
  auto gzipped = json;
  gzipped.emplace_back("content-encoding", "gzip");
  auto decoded = router_.Handle(Make("POST", "/stream", switchyard::testing::Gzip(big), gzipped));
  EXPECT_EQ(decoded.status, 200);
  EXPECT_EQ(decoded.body.substr(decoded.body.find(':') + 1), big);
  auto bomb =
      router_.Handle(Make("POST", "/stream", switchyard::testing::Gzip(std::string(1 << 20, 'x')), gzipped));
  EXPECT_EQ(bomb.status, 413) << bomb.body;
  auto garbled = router_.Handle(Make("POST", "/stream", "not gzip", gzipped));
  EXPECT_EQ(garbled.status, 400) << garbled.body;
  EXPECT_NE(garbled.body.find("content-encoding"), std::string::npos) << garbled.body;
  EXPECT_EQ(router_.Handle(Make("POST", "/stream", "{}", {{"content-type", "text/plain"}})).status, 415);
}

TEST_F(RouterPolicyTest, ABodyErrorIsAnsweredEvenIfTheHandlerIgnoresIt) {
  RoutePolicy streamed;
  streamed.stream_body = true;
  streamed.accept_gzip = true;
  streamed.max_body_bytes = 1024;
  router_.AddAsync("POST", "/careless", Access::kPublic, "careless", streamed,
                   [](RequestContext& ctx) -> net::awaitable<Response> {
                     while (true) {
                       BodyChunk chunk = co_await ctx.Body().Read();
                       if (!chunk.ok() || chunk.end()) break;
                     }
                     co_return Response{};  // 200, as if all were well
                   });
  auto bomb = router_.Handle(Make("POST", "/careless", switchyard::testing::Gzip(std::string(4096, 'x')),
                                  {{"content-type", "application/json"}, {"content-encoding", "gzip"}}));
  EXPECT_EQ(bomb.status, 413) << bomb.body;
}

TEST_F(RouterPolicyTest, AStreamedBodyNeedsAnAsyncHandler) {
  RoutePolicy streamed;
  streamed.stream_body = true;
  EXPECT_THROW(router_.Add("POST", "/sync", Access::kPublic, "sync", streamed,
                           [](RequestContext&) { return Response{}; }),
               std::invalid_argument);
}

TEST_F(RouterPolicyTest, CancelOnDisconnectNeedsAnAsyncHandlerAndAWholeBody) {
  RoutePolicy watched;
  watched.cancel_on_disconnect = true;
  EXPECT_THROW(router_.Add("POST", "/sync", Access::kPublic, "sync", watched,
                           [](RequestContext&) { return Response{}; }),
               std::invalid_argument);
  RoutePolicy streamed = watched;
  streamed.stream_body = true;
  EXPECT_THROW(router_.AddAsync("POST", "/streamed", Access::kPublic, "streamed", streamed,
                                [](RequestContext&) -> net::awaitable<Response> { co_return Response{}; }),
               std::invalid_argument);
  router_.AddAsync("POST", "/watched", Access::kPublic, "watched", watched,
                   [](RequestContext&) -> net::awaitable<Response> { co_return Response{}; });
  EXPECT_TRUE(router_.BodyRulesFor("POST", "/watched").watch_disconnect);
  EXPECT_FALSE(router_.BodyRulesFor("POST", "/sync").watch_disconnect);
}

TEST_F(RouterPolicyTest, TokenInQueryOrBodyWhereTheRouteAllowsIt) {
  EXPECT_EQ(router_.Handle(Make("GET", "/capture?token=" + std::string(kProjectKey))).status, 200);
  EXPECT_EQ(router_.Handle(Make("GET", "/capture?api_key=" + std::string(kProjectKey))).status, 200);
  std::string body = std::string(R"({"api_key":")") + kProjectKey + "\"}";
  EXPECT_EQ(router_.Handle(Make("POST", "/capture", body, {{"content-type", "application/json"}})).status,
            200);
  EXPECT_EQ(router_.Handle(Make("GET", "/capture?token=nope_0123456789abcdefghijklmn")).status, 401);
  EXPECT_EQ(router_.Handle(Make("GET", "/capture")).status, 401);
  // Bearer-only routes ignore tokens elsewhere.
  EXPECT_EQ(router_.Handle(Make("POST", "/admin?token=" + std::string(kAdminKey))).status, 401);
}

TEST_F(RouterPolicyTest, GzipOnlyWhereAllowedAndBoundedByTheRouteLimit) {
  auto gzip = [](const std::string& text) { return switchyard::testing::Gzip(text); };
  std::string body = std::string(R"({"token":")") + kProjectKey + "\"}";
  auto decoded = router_.Handle(Make("POST", "/capture", gzip(body),
                                     {{"content-type", "application/json"}, {"content-encoding", "gzip"}}));
  EXPECT_EQ(decoded.status, 200) << decoded.body;
  EXPECT_EQ(decoded.body, body) << "the handler sees the decoded body";
  auto too_big = router_.Handle(Make("POST", "/capture", gzip(body + std::string(200, ' ')),
                                     {{"content-type", "application/json"}, {"content-encoding", "gzip"}}));
  EXPECT_EQ(too_big.status, 413) << too_big.body;
  auto not_here = router_.Handle(Make("POST", "/admin", gzip("{}"),
                                      {{"authorization", std::string("Bearer ") + kAdminKey},
                                       {"content-type", "application/json"},
                                       {"content-encoding", "gzip"}}));
  EXPECT_EQ(not_here.status, 415) << not_here.body;
}

TEST_F(RouterPolicyTest, CorsPreflightAndHeaders) {
  router_.SetCors(CorsPolicy{{"https://app.example.com"}});
  auto preflight = router_.Handle(Make("OPTIONS", "/capture", "", {{"origin", "https://app.example.com"}}));
  EXPECT_EQ(preflight.status, 204);
  EXPECT_EQ(HeaderOf(preflight, "Access-Control-Allow-Origin"), "https://app.example.com");
  EXPECT_EQ(HeaderOf(preflight, "Access-Control-Allow-Methods"), "POST, GET");
  EXPECT_EQ(HeaderOf(preflight, "Vary"), "Origin");
  EXPECT_EQ(router_.Handle(Make("OPTIONS", "/capture", "", {{"origin", "https://other.example"}})).status,
            403);
  EXPECT_EQ(router_.Handle(Make("OPTIONS", "/admin", "", {{"origin", "https://app.example.com"}})).status,
            405);
  // Errors carry the CORS headers too, so a browser script can read why it was refused.
  auto refused = router_.Handle(Make("GET", "/capture", "", {{"origin", "https://app.example.com"}}));
  EXPECT_EQ(refused.status, 401);
  EXPECT_EQ(HeaderOf(refused, "Access-Control-Allow-Origin"), "https://app.example.com");
  auto other = router_.Handle(Make("GET", "/capture", "", {{"origin", "https://other.example"}}));
  EXPECT_EQ(HeaderOf(other, "Access-Control-Allow-Origin"), "");
}

TEST_F(RouterPolicyTest, BodyLimitsPerRoute) {
  router_.SetDefaultMaxBodyBytes(5000);
  EXPECT_EQ(router_.BodyRulesFor("POST", "/capture").max_bytes, 100u);
  EXPECT_EQ(router_.BodyRulesFor("POST", "/admin").max_bytes, 5000u);
  EXPECT_EQ(router_.BodyRulesFor("POST", "/nowhere").max_bytes, 5000u);
}

TEST_F(RouterPolicyTest, OnlyRequestsThatCannotSuspendAreAnsweredInline) {
  RoutePolicy inline_policy;
  inline_policy.execution = Execution::kInline;
  router_.Add("GET", "/cheap", Access::kPublic, "cheap", inline_policy, [](RequestContext&) {
    Response r;
    r.status = 203;
    return r;
  });
  Request cheap = Make("GET", "/cheap");
  auto answered = router_.HandleInline(cheap);
  ASSERT_TRUE(answered);
  EXPECT_EQ(answered->status, 203);
  Request missing = Make("GET", "/nowhere");
  auto not_found = router_.HandleInline(missing);
  ASSERT_TRUE(not_found);
  EXPECT_EQ(not_found->status, 404);
  Request wrong_method = Make("DELETE", "/cheap");
  ASSERT_TRUE(router_.HandleInline(wrong_method));
  EXPECT_EQ(router_.HandleInline(wrong_method)->status, 405);
  // A worker or async route is left to HandleAsync, with the request untouched.
  for (std::string path : {"/admin", "/async"}) {
    Request deferred =
        Make(path == "/admin" ? "POST" : "GET", path, "{}", {{"content-type", "application/json"}});
    EXPECT_FALSE(router_.HandleInline(deferred)) << path;
    EXPECT_EQ(deferred.body, "{}");
  }
}

TEST_F(RouterPolicyTest, CoroutineHandlersRunToCompletion) {
  EXPECT_EQ(router_.Handle(Make("GET", "/async")).status, 202);
}

}  // namespace
}  // namespace switchyard::server

namespace switchyard::server {
namespace {

// OFREP providers may send the key as `X-API-Key`; it stands for `Authorization: Bearer`, which
// wins when both are sent.
TEST_F(RouterPolicyTest, XApiKeyHeaderAuthenticatesLikeBearer) {
  EXPECT_EQ(router_.Handle(Make("POST", "/admin", "", {{"x-api-key", kAdminKey}})).status, 200);
  EXPECT_EQ(router_.Handle(Make("POST", "/admin", "", {{"x-api-key", kProjectKey}})).status, 403);
  EXPECT_EQ(router_.Handle(Make("POST", "/admin", "", {{"x-api-key", "sy_admin_wrong"}})).status, 401);
  Request both = Make("POST", "/admin", "",
                      {{"authorization", std::string("Bearer ") + kProjectKey}, {"x-api-key", kAdminKey}});
  EXPECT_EQ(router_.Handle(both).status, 403);
  EXPECT_EQ(router_.Handle(Make("GET", "/capture", "", {{"x-api-key", kProjectKey}})).status, 200);
}

}  // namespace
}  // namespace switchyard::server

namespace switchyard::server {
namespace {

// An async route with an inline attempt: a hit is answered by HandleInline (authenticated, no
// coroutine); a miss leaves the request untouched for HandleAsync, which runs the coroutine.
TEST_F(RouterPolicyTest, AnInlineAttemptAnswersHitsAndLeavesMissesToTheCoroutine) {
  int attempts = 0;
  int coroutines = 0;
  RoutePolicy bearer;
  bearer.key_source = KeySource::kBearer;
  router_.AddAsync(
      "GET", "/cached", Access::kProject, "cached", bearer,
      [&coroutines](RequestContext&) -> net::awaitable<Response> {
        ++coroutines;
        Response r;
        r.status = 201;
        co_return r;
      },
      [&attempts](RequestContext& req) -> std::optional<Response> {
        ++attempts;
        if (req.request().QueryParam("miss") != nullptr) return std::nullopt;
        Response r;
        r.status = 200;
        r.body = req.principal().key_prefix;
        return r;
      });
  const std::vector<std::pair<std::string, std::string>> key = {
      {"authorization", std::string("Bearer ") + kProjectKey}};

  Request hit = Make("GET", "/cached", "", key);
  auto answered = router_.HandleInline(hit);
  ASSERT_TRUE(answered);
  EXPECT_EQ(answered->status, 200);
  EXPECT_EQ(answered->body, ApiKeyPrefix(kProjectKey));
  EXPECT_EQ(attempts, 1);

  // Refused before the attempt runs.
  Request anonymous = Make("GET", "/cached");
  auto refused = router_.HandleInline(anonymous);
  ASSERT_TRUE(refused);
  EXPECT_EQ(refused->status, 401);
  EXPECT_EQ(attempts, 1);

  Request miss = Make("GET", "/cached?miss", "", key);
  EXPECT_FALSE(router_.HandleInline(miss));
  EXPECT_EQ(attempts, 2);
  EXPECT_EQ(coroutines, 0);
  EXPECT_EQ(miss.path, "/cached");
  // Handle, like the transport, tries the attempt and then runs the coroutine.
  EXPECT_EQ(router_.Handle(miss).status, 201);
  EXPECT_EQ(attempts, 3);
  EXPECT_EQ(coroutines, 1);
  EXPECT_EQ(router_.Handle(hit).status, 200);
  EXPECT_EQ(coroutines, 1);

  // Routes with a body cannot have one: a body may be decoded in place before the attempt.
  EXPECT_THROW(router_.AddAsync(
                   "POST", "/cached", Access::kProject, "cached", bearer,
                   [](RequestContext&) -> net::awaitable<Response> { co_return Response{}; },
                   [](RequestContext&) -> std::optional<Response> { return std::nullopt; }),
               std::invalid_argument);
}

}  // namespace
}  // namespace switchyard::server
