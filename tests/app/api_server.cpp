#include "app/api_server.hpp"

#include <stdlib.h>

#include <regex>

#include "app/commands.hpp"
#include "support/postgres_server.hpp"

namespace veil::test {

Result<std::unique_ptr<ApiServer>> ApiServer::start(store::Backend backend, bool dev,
                                                    const std::function<void(app::Config&)>& configure) {
  std::unique_ptr<ApiServer> s(new ApiServer());
  char pattern[] = "/tmp/veil-api-XXXXXX";
  if (!mkdtemp(pattern)) return Error::internal("mkdtemp failed");
  s->data_dir_ = pattern;
  app::Config config;
  config.host = "127.0.0.1";
  config.port = 0;
  config.data_dir = s->data_dir_;
  config.resources = VEIL_SOURCE_DIR;
  config.web_root = s->data_dir_ / "no-web-app";
  config.dev = dev;
  // nginx-rtmp on a fixed port would clash between suites run in parallel: tests that push over
  // RTMP turn it on, on a free port.
  config.media.rtmp = false;
  if (backend == store::Backend::Postgres) {
    s->database_ = VEIL_TRY(TestDatabase::create(backend));
    config.database = s->database_->location();
  }
  if (configure) configure(config);
  app::set_up_logging(config);  // the real log file, so tests can read what the server logs
  s->platform_ = VEIL_TRY(app::Platform::open(config));
  s->server_ = VEIL_TRY(app::WebServer::create(*s->platform_));
  s->port_ = s->server_->port();
  s->serving_ = std::thread([srv = s->server_.get()] { srv->run(false); });
  return s;
}

ApiServer::~ApiServer() {
  if (server_) server_->stop();
  if (serving_.joinable()) serving_.join();
  server_.reset();
  platform_.reset();
  std::error_code ec;
  if (!data_dir_.empty()) std::filesystem::remove_all(data_dir_, ec);
}

ApiReply ApiServer::send_raw(const std::string& method, const std::string& path, const std::string& body,
                             const std::string& content_type, const std::string& token,
                             const std::vector<std::pair<std::string, std::string>>& headers) {
  HttpRequest request;
  request.method = method;
  request.url = "http://127.0.0.1:" + std::to_string(port_) + path;
  if (!content_type.empty()) request.headers.emplace_back("Content-Type", content_type);
  if (!token.empty()) request.headers.emplace_back("Authorization", "Bearer " + token);
  for (const auto& h : headers) request.headers.push_back(h);
  request.body = body;
  auto response = client_.send(request);
  ApiReply reply;
  if (!response.ok()) return reply;
  reply.status = response->status;
  reply.raw = response->body;
  reply.http = response.value();
  reply.body = nlohmann::json::parse(reply.raw, nullptr, false);
  return reply;
}

ApiReply ApiServer::call(const std::string& method, const std::string& path, const std::optional<nlohmann::json>& body,
                         const std::string& token, const std::string& content_type) {
  return send_raw(method, path, body ? body->dump() : std::string(), body ? content_type : std::string(), token);
}

std::string ApiServer::latest_code(const std::string& phone) {
  ApiReply outbox = get("/api/v1/dev/outbox?phone=" + phone);
  if (outbox.status != 200 || outbox.body["messages"].empty()) return {};
  std::string text = outbox.body["messages"][0]["text"];
  std::smatch m;
  std::regex six_digits("([0-9]{6})");
  return std::regex_search(text, m, six_digits) ? m[1].str() : std::string();
}

std::string ApiServer::register_user(const std::string& phone, const std::vector<std::string>& purposes,
                                     const std::optional<std::string>& birth_date) {
  const std::string version = platform_->engine().map().version();
  post("/api/v1/auth/code", {{"phone", phone}, {"policy_version", version}});
  nlohmann::json body{{"phone", phone}, {"code", latest_code(phone)}, {"consent", {{"policy_version", version}, {"purposes", purposes}}}};
  if (birth_date) body["birth_date"] = *birth_date;
  ApiReply reply = post("/api/v1/auth/verify", body);
  return reply.body.value("token", "");
}

std::map<std::string, std::int64_t> ApiServer::row_counts() {
  std::map<std::string, std::int64_t> counts;
  auto columns = platform_->db().columns();
  if (!columns.ok()) return counts;
  for (const auto& c : *columns) {
    if (counts.count(c.table)) continue;
    auto n = store::read<std::int64_t>(platform_->db(), [&](store::Session& s) -> Result<std::int64_t> {
      auto rows = VEIL_TRY(s.query("SELECT COUNT(*) FROM " + c.table, {}));
      return rows[0].integer(0);
    });
    counts[c.table] = n.ok() ? *n : -1;
  }
  return counts;
}

void ApiServer::advance_clock_seconds(std::int64_t seconds) {
  post("/api/v1/dev/clock", {{"advance_seconds", seconds}});
}

std::int64_t ApiServer::audit_count(const std::string& action) {
  auto rows = store::read<std::vector<store::Row>>(platform_->db(), [&](store::Session& s) {
    return s.query("SELECT COUNT(*) FROM audit_log WHERE action = ?", {store::Value{action}});
  });
  return rows.ok() ? (*rows)[0].integer(0) : -1;
}

}  // namespace veil::test
