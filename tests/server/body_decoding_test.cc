#include "server/body_decoding.h"
#include "support/gzip.h"

#include <gtest/gtest.h>

#include <memory>
#include <string>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>

namespace switchyard::server {
namespace {

using switchyard::testing::Gzip;

TEST(BodyDecodingTest, RoundTrips) {
  std::string text = R"({"event":"x","properties":{"a":1}})";
  DecodedBody decoded = GunzipBounded(Gzip(text), 1024);
  EXPECT_EQ(decoded.error, BodyDecodeError::kNone) << decoded.message;
  EXPECT_EQ(decoded.body, text);
}

TEST(BodyDecodingTest, ExactlyAtTheLimitIsFineOneByteOverIsNot) {
  std::string text(100000, 'x');
  EXPECT_EQ(GunzipBounded(Gzip(text), 100000).error, BodyDecodeError::kNone);
  EXPECT_EQ(GunzipBounded(Gzip(text), 99999).error, BodyDecodeError::kTooLarge);
}

TEST(BodyDecodingTest, ABombStopsAtTheLimit) {
  std::string bomb = Gzip(std::string(50 * 1024 * 1024, '\0'));
  EXPECT_LT(bomb.size(), 100u * 1024);
  DecodedBody decoded = GunzipBounded(bomb, 1024 * 1024);
  EXPECT_EQ(decoded.error, BodyDecodeError::kTooLarge);
  EXPECT_TRUE(decoded.body.empty());
  EXPECT_NE(decoded.message.find("1048576"), std::string::npos) << decoded.message;
}

TEST(BodyDecodingTest, MalformedTruncatedAndTrailingInputIsRefused) {
  std::string good = Gzip("hello world");
  EXPECT_EQ(GunzipBounded("not gzip at all", 1024).error, BodyDecodeError::kMalformed);
  EXPECT_EQ(GunzipBounded("", 1024).error, BodyDecodeError::kMalformed);
  EXPECT_EQ(GunzipBounded(good.substr(0, good.size() - 4), 1024).error, BodyDecodeError::kMalformed);
  EXPECT_EQ(GunzipBounded(good + "junk", 1024).error, BodyDecodeError::kMalformed);
}

// Reads a streamed body to its end (or first error); `pieces` counts the non-empty ones.
BodyChunk Drain(BodySource& source, std::string* out, int* pieces) {
  boost::asio::io_context ioc;
  auto reader = [&]() -> boost::asio::awaitable<BodyChunk> {
    for (;;) {
      BodyChunk chunk = co_await source.Read();
      if (!chunk.ok() || chunk.end()) co_return chunk;
      ++*pieces;
      out->append(chunk.data);
    }
  };
  auto done = boost::asio::co_spawn(ioc, reader(), boost::asio::use_future);
  ioc.run();
  return done.get();
}

std::shared_ptr<BodySource> Gunzipped(const std::string& compressed, std::size_t piece_bytes,
                                      std::size_t max_bytes) {
  return std::make_shared<GunzipBodySource>(std::make_shared<StringBodySource>(compressed, piece_bytes),
                                            max_bytes);
}

TEST(GunzipBodySourceTest, InflatesPieceByPieceEvenFromOneByteInputs) {
  std::string text;
  for (int i = 0; i < 20000; ++i) text += "event " + std::to_string(i) + "\n";
  for (std::size_t piece : {std::size_t{1}, std::size_t{7}, std::size_t{4096}}) {
    auto source = Gunzipped(Gzip(text), piece, text.size());
    std::string out;
    int pieces = 0;
    BodyChunk last = Drain(*source, &out, &pieces);
    EXPECT_TRUE(last.end()) << last.message;
    EXPECT_EQ(out, text);
    EXPECT_GT(pieces, 1) << "handed out in pieces, not whole";
    EXPECT_TRUE(source->finished());
    EXPECT_FALSE(source->failure());
  }
}

TEST(GunzipBodySourceTest, ABombFailsAtTheLimitWithoutInflatingTheRest) {
  auto source = Gunzipped(Gzip(std::string(50 * 1024 * 1024, '\0')), 4096, 1024 * 1024);
  std::string out;
  int pieces = 0;
  BodyChunk last = Drain(*source, &out, &pieces);
  EXPECT_EQ(last.error, BodyError::kTooLarge);
  EXPECT_LE(out.size(), 1024u * 1024);
  ASSERT_TRUE(source->failure());
  EXPECT_EQ(source->failure()->error, BodyError::kTooLarge);
  EXPECT_EQ(BodyErrorResponse(last).status, 413);
  // Every later read repeats the failure.
  EXPECT_EQ(Drain(*source, &out, &pieces).error, BodyError::kTooLarge);
}

TEST(GunzipBodySourceTest, TruncatedGarbledAndTrailingStreamsAreBadEncodings) {
  std::string good = Gzip(std::string(10000, 'x'));
  for (const std::string& bad :
       {good.substr(0, good.size() - 4), std::string("not gzip at all"), good + "junk"}) {
    auto source = Gunzipped(bad, 3, 1 << 20);
    std::string out;
    int pieces = 0;
    BodyChunk last = Drain(*source, &out, &pieces);
    EXPECT_EQ(last.error, BodyError::kBadEncoding) << last.message;
    EXPECT_EQ(BodyErrorResponse(last).status, 400);
    EXPECT_FALSE(source->finished());
  }
}

}  // namespace
}  // namespace switchyard::server
