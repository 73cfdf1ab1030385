#include "live_server.hpp"

#include <spdlog/sinks/basic_file_sink.h>
#include <spdlog/spdlog.h>

#include <nlohmann/json.hpp>
#include <regex>

#include "loopback_http.hpp"

namespace veil::bench {

namespace {
nlohmann::json expect(const HttpReply& reply, int status, std::string_view what) {
  if (reply.status != status)
    throw std::runtime_error(std::string(what) + ": HTTP " + std::to_string(reply.status) + " " +
                             reply.body);
  return reply.body.empty() ? nlohmann::json() : nlohmann::json::parse(reply.body);
}
}  // namespace

LiveServer::LiveServer(int threads) {
  // As `veil serve` logs (app::set_up_logging): every access line to <data_dir>/logs/veil.log,
  // flushed per line. The stderr copy is left out so it does not interleave with the report.
  std::filesystem::create_directories(dir_.path() / "logs");
  auto logger = spdlog::basic_logger_mt("veil", (dir_.path() / "logs" / "veil.log").string());
  logger->flush_on(spdlog::level::info);
  spdlog::set_default_logger(logger);

  app::Config config;
  config.host = "127.0.0.1";
  config.port = 0;
  config.data_dir = dir_.path();
  config.resources = VEIL_SOURCE_DIR;
  config.dev = true;
  config.threads = threads;
  platform_ = must(app::Platform::open(std::move(config)));
  server_ = must(app::WebServer::create(*platform_));
  serving_ = std::thread([this] { server_->run(false); });
}

LiveServer::~LiveServer() {
  server_->stop();
  serving_.join();
  spdlog::drop_all();
}

RegisteredAccount LiveServer::register_account(std::string_view phone_number,
                                               const std::vector<std::string>& purposes) {
  LoopbackHttp client(port());
  const std::string version = platform_->engine().map().version();
  const std::string phone(phone_number);
  expect(client.request("POST", "/api/v1/auth/code",
                        nlohmann::json{{"phone", phone}, {"policy_version", version}}.dump()),
         202, "POST /api/v1/auth/code");
  auto outbox = expect(client.request("GET", "/api/v1/dev/outbox?phone=" + phone), 200,
                       "GET /api/v1/dev/outbox");
  const std::string text = outbox.at("messages").at(0).at("text").get<std::string>();
  std::smatch code;
  if (!std::regex_search(text, code, std::regex("code is ([0-9]+)")))
    throw std::runtime_error("no code in the development outbox message");
  nlohmann::json verify = {{"phone", phone},
                           {"code", code[1].str()},
                           {"consent", {{"policy_version", version}, {"purposes", purposes}}}};
  auto signed_in = expect(client.request("POST", "/api/v1/auth/verify", verify.dump()), 201,
                          "POST /api/v1/auth/verify");
  return {signed_in.at("token").get<std::string>(),
          signed_in.at("account").at("id").get<std::string>()};
}

}  // namespace veil::bench
