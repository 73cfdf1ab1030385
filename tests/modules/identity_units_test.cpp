// Names, face photos, the HTTP verification adapter and the provider signing scheme.
#include <gtest/gtest.h>
#include <sodium.h>

#include <nlohmann/json.hpp>

#include "modules/identity/http_face_provider.hpp"
#include "modules/identity/person_name.hpp"
#include "support/scripted_http_client.hpp"
#include "util/signed_request.hpp"

namespace veil::identity {
namespace {

TEST(PersonName, AcceptsNamesAsWrittenOnIdCards) {
  EXPECT_EQ(parse_person_name("  张三 ")->reveal(), "张三");
  EXPECT_TRUE(parse_person_name("欧阳娜娜").ok());
  EXPECT_TRUE(parse_person_name("阿依古丽·买买提").ok());
  EXPECT_TRUE(parse_person_name("Anna Li").ok());
}

TEST(PersonName, RefusesWhatNoNameContains) {
  for (const std::string& bad : std::vector<std::string>{"张", "李4", "<b>王</b>", "a  b", std::string(41, 'a'), std::string("\xE5\xBC", 2) + "x"}) {
    auto r = parse_person_name(bad);
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_EQ(r.error().reason, "real_name_invalid");
  }
}

TEST(PersonName, MasksKeepOnlyTheFirstCharacterAndTheIdEnds) {
  EXPECT_EQ(mask_person_name(Pi<std::string>("张三")), "张*");
  EXPECT_EQ(mask_person_name(Pi<std::string>("欧阳娜娜")), "欧***");
  EXPECT_EQ(mask_person_name(Pi<std::string>("Anna")), "A***");
  EXPECT_EQ(mask_resident_id(Pi<std::string>("11010519491231002X")), "110105***********X");
}

std::string b64(const std::string& bytes) {
  std::string out(sodium_base64_encoded_len(bytes.size(), sodium_base64_VARIANT_ORIGINAL), '\0');
  sodium_bin2base64(out.data(), out.size(), reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size(),
                    sodium_base64_VARIANT_ORIGINAL);
  out.pop_back();
  return out;
}

TEST(FacePhotoDecoding, AcceptsJpegAndPngInPlainBase64OrADataUrl) {
  std::string jpeg = std::string("\xFF\xD8\xFF\xE0", 4) + std::string(100, 'x');
  std::string png = std::string("\x89PNG\r\n\x1A\n", 8) + std::string(100, 'y');
  auto a = decode_face_photo(b64(jpeg));
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(std::string(reinterpret_cast<const char*>(a->data()), a->size()), jpeg);
  EXPECT_TRUE(decode_face_photo("data:image/png;base64," + b64(png)).ok());
}

TEST(FacePhotoDecoding, RefusesOtherBytesBadBase64AndOversizedPhotos) {
  EXPECT_EQ(decode_face_photo(b64("GIF89a and the rest")).error().reason, "face_image_invalid");
  EXPECT_EQ(decode_face_photo("not base64 at all!").error().reason, "face_image_invalid");
  EXPECT_EQ(decode_face_photo("data:image/jpeg," + b64("\xFF\xD8\xFF")).error().reason, "face_image_invalid");
  std::string huge = std::string("\xFF\xD8\xFF\xE0", 4) + std::string(kMaxFacePhotoBytes, 'z');
  EXPECT_EQ(decode_face_photo(b64(huge)).error().reason, "face_image_too_large");
}

using test::ScriptedClient;

struct Claim {
  Pi<std::string> name{"张三"}, id{"11010519491231002X"}, phone{"13800138000"};
  SecretBytes photo{reinterpret_cast<const std::uint8_t*>("\xFF\xD8\xFF\xE0photo"), 9};
  FaceClaim get() const { return {name, id, phone, photo}; }
};

TEST(HttpFaceProvider, SendsTheSignedClaimAndReadsTheAnswer) {
  ASSERT_GE(sodium_init(), 0);
  ScriptedClient client(R"({"match": true})");
  ManualClock clock(1'700'000'000'000);
  SecretBytes secret = SecretBytes::random(32);
  SecretBytes copy = secret.copy();
  HttpFaceProvider faces(client, "https://kyc.example/verify", std::move(secret), clock);
  Claim c;
  auto match = faces.matches(c.get());
  ASSERT_TRUE(match.ok());
  EXPECT_TRUE(*match);
  // Exactly these four values went out, signed.
  EXPECT_EQ(client.last.url, "https://kyc.example/verify");
  std::string timestamp, signature;
  for (auto& [k, v] : client.last.headers) {
    if (k == kTimestampHeader) timestamp = v;
    if (k == kSignatureHeader) signature = v;
  }
  EXPECT_EQ(timestamp, "1700000000");
  std::string sent = nlohmann::json{{"id_number", "11010519491231002X"}, {"name", "张三"}, {"phone", "13800138000"},
                                    {"photo", b64("\xFF\xD8\xFF\xE0photo")}}.dump();
  EXPECT_EQ(client.last.body, sent);
  EXPECT_EQ(signature, sign_body(copy, timestamp, sent));
  client.answer = R"({"match": false})";
  EXPECT_FALSE(*faces.matches(c.get()));
}

TEST(HttpFaceProvider, AnythingButAClearAnswerIsUnavailable) {
  ScriptedClient client(R"({"match": true})");
  ManualClock clock(0);
  HttpFaceProvider faces(client, "https://kyc.example/verify", SecretBytes::random(32), clock);
  Claim c;
  client.status = 500;
  EXPECT_EQ(faces.matches(c.get()).error().reason, "face_unavailable");
  client.status = 200;
  client.answer = R"({"match": "yes"})";
  EXPECT_EQ(faces.matches(c.get()).error().reason, "face_unavailable");
  client.fail = true;
  EXPECT_EQ(faces.matches(c.get()).error().reason, "face_unavailable");
}

TEST(SignedBody, AcceptsTheRightSignatureInTimeAndNothingElse) {
  SecretBytes secret = SecretBytes::random(32);
  Millis now = 1'700'000'000'000;
  std::string ts = "1700000000", body = R"({"order":"o1","amount":100})";
  std::string sig = sign_body(secret, ts, body);
  EXPECT_TRUE(verify_signed_body(secret, ts, sig, body, now).ok());
  EXPECT_EQ(verify_signed_body(secret, ts, sig, R"({"order":"o1","amount":900})", now).error().reason, "signature_invalid");
  EXPECT_EQ(verify_signed_body(SecretBytes::random(32), ts, sig, body, now).error().reason, "signature_invalid");
  EXPECT_EQ(verify_signed_body(secret, ts, sig, body, now + 6 * kMinute).error().reason, "signature_expired");
  EXPECT_EQ(verify_signed_body(secret, "17x", sig, body, now).error().reason, "signature_invalid");
}

}  // namespace
}  // namespace veil::identity
