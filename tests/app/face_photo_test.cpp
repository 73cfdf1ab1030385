// The face photo is processed in memory and never written anywhere ([000] 人脸识别; PRIVACY_ENGINE
// ephemeral fields): after a verification its bytes are in no file of the data directory (the
// database, its WAL, the logs). And a face that does not match, or a service that is down,
// verifies nothing.
#include <fstream>
#include <iterator>

#include <gtest/gtest.h>
#include <spdlog/spdlog.h>

#include "app/api_server.hpp"
#include "app/identity_fixtures.hpp"

namespace veil::test {
namespace {

using nlohmann::json;

std::string file_bytes(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

TEST(FacePhoto, ItsBytesAreInNoFileAfterVerification) {
  VEIL_START_API_SERVER(api, store::Backend::Sqlite);
  std::string token = api.register_user("13700137000", {"login", "profile", "real_name"});
  api.call("PATCH", "/api/v1/me/profile", json{{"nickname", "Scanner check"}}, token);
  FacePhoto photo = face_photo(300000);  // a camera-sized photo, over the default 64 KiB body limit
  json body = {{"name", "张三"}, {"id_number", resident_id_aged(30)}, {"face_image", photo.base64}};
  ASSERT_EQ(api.post("/api/v1/me/real-name", body, token).status, 200);
  ASSERT_EQ(api.post("/api/v1/me/real-name/face", {{"face_image", photo.base64}}, token).status, 200);
  spdlog::default_logger()->flush();
  const std::string raw_piece = photo.bytes.substr(1000, 32), base64_piece = photo.base64.substr(0, 64);
  bool saw_db = false, saw_log = false, found_plain = false;
  for (const auto& e : std::filesystem::recursive_directory_iterator(api.data_dir())) {
    if (!e.is_regular_file()) continue;
    saw_db |= e.path().filename() == "veil.db-wal";
    saw_log |= e.path().extension() == ".log";
    std::string bytes = file_bytes(e.path());
    EXPECT_EQ(bytes.find(raw_piece), std::string::npos) << e.path();
    EXPECT_EQ(bytes.find(base64_piece), std::string::npos) << e.path();
    found_plain |= bytes.find("Scanner check") != std::string::npos;
  }
  EXPECT_TRUE(saw_db && saw_log) << "the scan must cover the WAL and the logs";
  EXPECT_TRUE(found_plain) << "the scanner would not notice plaintext at all";
}

// A provider whose answer the test chooses.
class ScriptedFaces final : public identity::FaceProvider {
 public:
  Result<bool> matches(const identity::FaceClaim& claim) override {
    ++calls;
    last_photo_size = claim.photo.size();
    if (down) return Error{ErrorCode::Unavailable, "face_unavailable", "test"};
    return match;
  }
  bool match = false, down = false;
  int calls = 0;
  std::size_t last_photo_size = 0;
};

class FaceOutcome : public ::testing::TestWithParam<store::Backend> {};

TEST_P(FaceOutcome, AMismatchOrAnOutageVerifiesNothingAndAttemptsAreLimited) {
  VEIL_START_API_SERVER(api, GetParam());
  std::string token = api.register_user("13700137001", {"login", "real_name"});
  std::string account = api.get("/api/v1/me", token).body["id"];
  app::Platform& p = api.platform();
  ScriptedFaces faces;
  identity::RealNameService service(p.db(), p.engine(), p.accounts(), faces, p.clock());
  FacePhoto photo = face_photo();
  auto decoded = identity::decode_face_photo(photo.base64);
  ASSERT_TRUE(decoded.ok());
  auto before = api.row_counts();
  auto mismatch = service.verify(account, "张三", resident_id_aged(30), *decoded);
  ASSERT_FALSE(mismatch.ok());
  EXPECT_EQ(mismatch.error().reason, "face_mismatch");
  EXPECT_EQ(faces.last_photo_size, photo.bytes.size());
  faces.down = true;
  auto outage = service.verify(account, "张三", resident_id_aged(30), *decoded);
  ASSERT_FALSE(outage.ok());
  EXPECT_EQ(outage.error().reason, "face_unavailable");
  auto after = api.row_counts();
  EXPECT_EQ(after["real_name_verifications"], before["real_name_verifications"]);
  EXPECT_EQ(after["audit_log"], before["audit_log"] + 1) << "the mismatch is audited, without personal details";
  faces.down = false;
  for (int i = 0; i < 3; ++i) EXPECT_EQ(service.verify(account, "张三", resident_id_aged(30), *decoded).error().reason, "face_mismatch");
  auto limited = service.verify(account, "张三", resident_id_aged(30), *decoded);
  EXPECT_EQ(limited.error().reason, "real_name_attempts_exceeded");
  EXPECT_GT(limited.error().retry_after_ms, 0) << "the client is told when it may try again";
  EXPECT_LE(limited.error().retry_after_ms, 24 * kHour);
  EXPECT_EQ(faces.calls, 5) << "the sixth attempt of the day never reaches the provider";
  faces.match = true;
  EXPECT_EQ(service.verify(account, "张三", resident_id_aged(30), *decoded).error().reason, "real_name_attempts_exceeded");
}

VEIL_ON_BOTH_BACKENDS(FaceOutcome);

}  // namespace
}  // namespace veil::test
