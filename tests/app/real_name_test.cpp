// Real-name verification (B1, B2; [000] 实名认证, [004] 一(三)4(4)) over the API, on both backends.
#include <gtest/gtest.h>

#include "app/api_server.hpp"
#include "app/identity_fixtures.hpp"

namespace veil::test {
namespace {

using nlohmann::json;
class RealName : public ::testing::TestWithParam<store::Backend> {};

std::string verified_user(ApiServer& api, const std::string& phone) {
  std::string token = api.register_user(phone, {"login"});
  EXPECT_EQ(api.post("/api/v1/me/consents", {{"grant", {"real_name"}}}, token).status, 200);
  return token;
}

json claim(const std::string& name, const std::string& id, const FacePhoto& photo) {
  return {{"name", name}, {"id_number", id}, {"face_image", "data:image/jpeg;base64," + photo.base64}};
}

TEST_P(RealName, VerifiesAndShowsOnlyMaskedValues) {
  VEIL_START_API_SERVER(api, GetParam());
  std::string token = verified_user(api, "13600136000");
  EXPECT_FALSE(api.get("/api/v1/me/real-name", token).body["verified"].get<bool>());
  std::string id = resident_id_aged(30);
  ApiReply done = api.post("/api/v1/me/real-name", claim("张三丰", id, face_photo()), token);
  ASSERT_EQ(done.status, 200) << done.raw;
  EXPECT_TRUE(done.body["verified"].get<bool>());
  EXPECT_EQ(done.body["name_masked"], "张**");
  EXPECT_EQ(done.body["id_number_masked"], id.substr(0, 6) + "***********" + id.substr(17));
  EXPECT_EQ(done.raw.find(id), std::string::npos);
  EXPECT_EQ(api.get("/api/v1/me/real-name", token).body, done.body);
  EXPECT_FALSE(api.get("/api/v1/me", token).body["minor"].get<bool>());
  EXPECT_EQ(api.row_counts()["real_name_verifications"], 1);
}

TEST_P(RealName, WithoutTheSeparateConsentNothingIsSentOrStored) {
  VEIL_START_API_SERVER(api, GetParam());
  std::string token = api.register_user("13600136001", {"login"});
  auto before = api.row_counts();
  ApiReply refused = api.post("/api/v1/me/real-name", claim("李四", resident_id_aged(30), face_photo()), token);
  EXPECT_EQ(refused.status, 403);
  EXPECT_EQ(refused.error_code(), "consent_required");
  EXPECT_EQ(api.row_counts(), before);
}

TEST_P(RealName, BadIdNumbersAreRefusedWithTheirReason) {
  VEIL_START_API_SERVER(api, GetParam());
  std::string token = verified_user(api, "13600136002");
  std::string good = resident_id_aged(30);
  std::string wrong_check = good.substr(0, 17) + (good[17] == '1' ? "2" : "1");
  std::string bad_date = "11010519990231123";
  bad_date += identity::resident_id_check_character(bad_date);
  std::string bad_region = "99" + good.substr(2, 15);
  bad_region += identity::resident_id_check_character(bad_region);
  auto before = api.row_counts();
  auto photo = face_photo();
  EXPECT_EQ(api.post("/api/v1/me/real-name", claim("李四", wrong_check, photo), token).error_code(), "id_check_digit_wrong");
  EXPECT_EQ(api.post("/api/v1/me/real-name", claim("李四", bad_date, photo), token).error_code(), "id_birth_date_invalid");
  EXPECT_EQ(api.post("/api/v1/me/real-name", claim("李四", bad_region, photo), token).error_code(), "id_region_unknown");
  EXPECT_EQ(api.post("/api/v1/me/real-name", claim("李四", "12345", photo), token).error_code(), "id_number_length");
  EXPECT_EQ(api.post("/api/v1/me/real-name", claim("李4", good, photo), token).error_code(), "real_name_invalid");
  json not_a_photo = claim("李四", good, photo);
  not_a_photo["face_image"] = "aGVsbG8gd29ybGQ=";
  EXPECT_EQ(api.post("/api/v1/me/real-name", not_a_photo, token).error_code(), "face_image_invalid");
  EXPECT_EQ(api.row_counts(), before);
}

TEST_P(RealName, OneIdNumberVerifiesOneAccountAndFixedFieldsCannotBeRedone) {
  VEIL_START_API_SERVER(api, GetParam());
  std::string first = verified_user(api, "13600136003");
  std::string second = verified_user(api, "13600136004");
  std::string id = resident_id_aged(25);
  ASSERT_EQ(api.post("/api/v1/me/real-name", claim("王五", id, face_photo()), first).status, 200);
  ApiReply again = api.post("/api/v1/me/real-name", claim("王六", resident_id_aged(26), face_photo()), first);
  EXPECT_EQ(again.status, 409);
  EXPECT_EQ(again.error_code(), "real_name_already_verified");
  ApiReply taken = api.post("/api/v1/me/real-name", claim("王五", id, face_photo()), second);
  EXPECT_EQ(taken.status, 409);
  EXPECT_EQ(taken.error_code(), "id_number_in_use");
  EXPECT_EQ(api.row_counts()["real_name_verifications"], 1);
}

TEST_P(RealName, ALaterCheckReusesTheVerificationWithANewPhoto) {
  VEIL_START_API_SERVER(api, GetParam());
  std::string token = verified_user(api, "13600136005");
  EXPECT_EQ(api.post("/api/v1/me/real-name/face", {{"face_image", face_photo().base64}}, token).error_code(),
            "real_name_required");
  ApiReply first = api.post("/api/v1/me/real-name", claim("赵六", resident_id_aged(40), face_photo()), token);
  ASSERT_EQ(first.status, 200);
  api.advance_clock_seconds(3600);
  ApiReply later = api.post("/api/v1/me/real-name/face", {{"face_image", face_photo().base64}}, token);
  ASSERT_EQ(later.status, 200) << later.raw;
  EXPECT_EQ(later.body["verified_at"], first.body["verified_at"]);
  EXPECT_GE(later.body["face_checked_at"].get<std::int64_t>(), first.body["face_checked_at"].get<std::int64_t>() + 3'600'000);
}

TEST_P(RealName, TheIdNumberSettlesTheAge) {
  VEIL_START_API_SERVER(api, GetParam());
  std::string teen = verified_user(api, "13600136006");
  ASSERT_EQ(api.post("/api/v1/me/real-name", claim("钱七", resident_id_aged(16), face_photo()), teen).status, 200);
  EXPECT_TRUE(api.get("/api/v1/me", teen).body["minor"].get<bool>());
  // Under 14 with no guardian on record: the account waits for one, and nothing of the child's
  // name, number or face is kept.
  std::string child = verified_user(api, "13600136007");
  ApiReply refused = api.post("/api/v1/me/real-name", claim("孙八", resident_id_aged(10), face_photo()), child);
  EXPECT_EQ(refused.error_code(), "guardian_consent_required");
  ApiReply me = api.get("/api/v1/me", child);
  EXPECT_EQ(me.body["status"], "awaiting_guardian");
  EXPECT_TRUE(me.body["minor"].get<bool>());
  EXPECT_EQ(api.row_counts()["real_name_verifications"], 1);
}

TEST_P(RealName, WithdrawingTheConsentErasesNameAndNumber) {
  VEIL_START_API_SERVER(api, GetParam());
  std::string token = verified_user(api, "13600136008");
  std::string id = resident_id_aged(33);
  ASSERT_EQ(api.post("/api/v1/me/real-name", claim("周九", id, face_photo()), token).status, 200);
  ASSERT_EQ(api.post("/api/v1/me/consents", {{"withdraw", {"real_name"}}}, token).status, 200);
  EXPECT_FALSE(api.get("/api/v1/me/real-name", token).body["verified"].get<bool>());
  auto& db = api.platform().db();
  auto rows = store::read<std::vector<store::Row>>(db, [](store::Session& s) {
    return s.query("SELECT name_cipher, id_number_cipher, id_number_bidx FROM real_name_verifications", {});
  });
  ASSERT_TRUE(rows.ok());
  ASSERT_EQ(rows->size(), 1u);
  EXPECT_TRUE((*rows)[0].is_null(0) && (*rows)[0].is_null(1) && (*rows)[0].is_null(2));
  // The number is free again, and the person may verify again after consenting again.
  std::string other = verified_user(api, "13600136009");
  EXPECT_EQ(api.post("/api/v1/me/real-name", claim("周九", id, face_photo()), other).status, 200);
}

VEIL_ON_BOTH_BACKENDS(RealName);

}  // namespace
}  // namespace veil::test
