// Small pieces of the accounts module: phone numbers, ages, the HTTP SMS adapter's signature.
#include <gtest/gtest.h>
#include <sodium.h>

#include <nlohmann/json.hpp>

#include "modules/accounts/birth_date.hpp"
#include "modules/accounts/http_sms_provider.hpp"
#include "modules/accounts/phone_number.hpp"
#include "util/encoding.hpp"
#include "util/rate_limiter.hpp"

namespace veil::accounts {
namespace {

TEST(PhoneNumber, AcceptsMainlandMobilesInCommonSpellings) {
  for (const char* in : {"13800138000", "+86 138 0013 8000", "0086-138-0013-8000", "86 13800138000"}) {
    auto p = normalize_phone(in);
    ASSERT_TRUE(p) << in;
    EXPECT_EQ(p->reveal(), "13800138000");
  }
}

TEST(PhoneNumber, RefusesWhatIsNotAMobileNumber) {
  for (const char* in : {"", "1380013800", "138001380001", "23800138000", "12800138000", "1380013800a", "138 0013 8000 ;"})
    EXPECT_FALSE(normalize_phone(in)) << in;
}

TEST(PhoneNumber, MaskShowsOnlyTheFirstThreeAndLastFourDigits) {
  EXPECT_EQ(mask_phone(Pi<std::string>("13800138000")), "138****8000");
}

TEST(BirthDate, ParsesRealDatesOnly) {
  EXPECT_TRUE(parse_birth_date("2012-02-29"));
  EXPECT_FALSE(parse_birth_date("2013-02-29"));
  EXPECT_FALSE(parse_birth_date("2013-13-01"));
  EXPECT_FALSE(parse_birth_date("13-01-2013"));
  EXPECT_FALSE(parse_birth_date("1899-01-01"));
}

TEST(BirthDate, AgeTurnsOnTheBirthday) {
  CivilDate birth{2012, 6, 15};
  EXPECT_EQ(age_on(birth, {2026, 6, 14}), 13);
  EXPECT_EQ(age_on(birth, {2026, 6, 15}), 14);
}

TEST(RateLimiter, AllowsTheLimitPerWindowThenWaits) {
  ManualClock clock(1'000'000);
  RateLimiter limiter(clock, 2, kMinute);
  EXPECT_TRUE(limiter.allow("k"));
  EXPECT_TRUE(limiter.allow("k"));
  EXPECT_FALSE(limiter.allow("k"));
  EXPECT_TRUE(limiter.allow("other"));
  EXPECT_GT(limiter.retry_after("k"), 0);
  clock.advance(kMinute);
  EXPECT_TRUE(limiter.allow("k"));
}

class RecordingClient final : public HttpClient {
 public:
  Result<HttpResponse> send(const HttpRequest& request) override {
    last = request;
    return HttpResponse{status, "", {}};
  }
  HttpRequest last;
  long status = 200;
};

TEST(HttpSmsProvider, SignsTheBodyWithTheSharedSecretAndSendsOnlyNumberAndText) {
  ASSERT_GE(sodium_init(), 0);
  RecordingClient client;
  ManualClock clock(1'700'000'000'000);
  SecretBytes secret = SecretBytes::random(32);
  SecretBytes copy = secret.copy();
  HttpSmsProvider sms(client, "https://sms.example/send", std::move(secret), clock);
  ASSERT_TRUE(sms.send(Pi<std::string>("13800138000"), "code 123456").ok());
  auto body = nlohmann::json::parse(client.last.body);
  EXPECT_EQ(body, (nlohmann::json{{"to", "13800138000"}, {"text", "code 123456"}}));
  std::string timestamp, signature;
  for (auto& [k, v] : client.last.headers) {
    if (k == "X-Veil-Timestamp") timestamp = v;
    if (k == "X-Veil-Signature") signature = v;
  }
  EXPECT_EQ(timestamp, "1700000000");
  std::string signed_text = timestamp + "." + client.last.body;
  unsigned char mac[crypto_auth_hmacsha256_BYTES];
  crypto_auth_hmacsha256_state st;
  crypto_auth_hmacsha256_init(&st, copy.data(), copy.size());
  crypto_auth_hmacsha256_update(&st, reinterpret_cast<const unsigned char*>(signed_text.data()), signed_text.size());
  crypto_auth_hmacsha256_final(&st, mac);
  EXPECT_EQ(signature, to_hex(std::span<const std::uint8_t>(mac, sizeof mac)));
}

TEST(HttpSmsProvider, AGatewayErrorIsUnavailable) {
  RecordingClient client;
  client.status = 502;
  ManualClock clock(0);
  HttpSmsProvider sms(client, "https://sms.example/send", SecretBytes::random(32), clock);
  auto st = sms.send(Pi<std::string>("13800138000"), "x");
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.error().reason, "sms_unavailable");
}

}  // namespace
}  // namespace veil::accounts
