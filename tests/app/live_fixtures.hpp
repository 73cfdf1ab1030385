#pragma once
// People the live tests need: an approved streamer (optionally real-name verified) and staff.
#include "app/api_server.hpp"
#include "app/identity_fixtures.hpp"

namespace veil::test {

inline std::string make_staff(ApiServer& api, const std::string& phone) {
  std::string token = api.register_user(phone);
  std::string id = api.get("/api/v1/me", token).body["id"];
  api.post("/api/v1/dev/staff", {{"account_id", id}});
  return token;
}

// Registers, applies, is approved by a fresh staff member, and (when `verified`) passes real-name
// verification with a generated ID number. Returns the streamer's session token.
inline std::string make_streamer(ApiServer& api, const std::string& phone, bool verified = true, int id_seq = 321) {
  std::string token = api.register_user(phone, {"login", "real_name", "profile"});
  nlohmann::json application = {{"name", "黄忠"}, {"scope", "entertainment"}, {"intro", "每晚八点唱歌聊天，欢迎来玩。"}};
  std::string id = api.post("/api/v1/streamer/application", application, token).body["application"]["id"];
  std::string staff = make_staff(api, "199" + phone.substr(3));
  api.post("/api/v1/staff/streamer-applications/" + id + "/decision", {{"approve", true}}, staff);
  if (verified)
    api.post("/api/v1/me/real-name", {{"name", "黄忠"}, {"id_number", resident_id_aged(30, id_seq)}, {"face_image", face_photo().base64}},
             token);
  return token;
}

}  // namespace veil::test
