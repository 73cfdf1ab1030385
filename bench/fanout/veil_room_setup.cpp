#include "fanout/veil_room_setup.hpp"

#include <nlohmann/json.hpp>
#include <regex>
#include <stdexcept>

#include "loopback_http.hpp"

namespace veil::bench::fanout {

using nlohmann::json;

namespace {

// A 1×1 PNG: the development face provider accepts any well-formed photo.
constexpr const char* kTinyPng =
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg"
    "==";

json expect_ok(const HttpReply& reply, const std::string& what) {
  if (reply.status < 200 || reply.status >= 300)
    throw std::runtime_error(what + ": HTTP " + std::to_string(reply.status) + " " + reply.body);
  return reply.body.empty() ? json() : json::parse(reply.body);
}

struct Policy {
  std::string version;
  json purposes = json::array();  // what a person (not a guardian) may consent to
};

Policy read_policy(LoopbackHttp& http) {
  json policy = expect_ok(http.request("GET", "/api/v1/policy"), "GET /api/v1/policy");
  Policy p;
  p.version = policy.at("version");
  for (const auto& purpose : policy.at("purposes")) {
    std::string basis = purpose.value("basis", "");
    if ((basis == "consent" || basis == "separate_consent") &&
        purpose.value("given_by", "") != "guardian")
      p.purposes.push_back(purpose.at("id"));
  }
  return p;
}

struct Person {
  std::string token, id;
};

// Code → outbox → verify, from the person's own address.
Person register_person(unsigned short port, int index, const Policy& policy) {
  LoopbackHttp http(port, person_address(index));
  std::string phone = std::to_string(13700000000LL + index);
  expect_ok(http.request("POST", "/api/v1/auth/code",
                         json{{"phone", phone}, {"policy_version", policy.version}}.dump()),
            "POST /api/v1/auth/code (person " + std::to_string(index) + ")");
  json outbox =
      expect_ok(http.request("GET", "/api/v1/dev/outbox?phone=" + phone), "GET /api/v1/dev/outbox");
  std::string text = outbox.at("messages").back().at("text");
  std::smatch code;
  if (!std::regex_search(text, code, std::regex("([0-9]{6})")))
    throw std::runtime_error("no code in: " + text);
  json verify = {{"phone", phone},
                 {"code", code[1].str()},
                 {"consent", {{"policy_version", policy.version}, {"purposes", policy.purposes}}},
                 {"birth_date", "1990-03-07"}};
  json signed_in = expect_ok(http.request("POST", "/api/v1/auth/verify", verify.dump()),
                             "POST /api/v1/auth/verify");
  return {signed_in.at("token"), signed_in.at("account").at("id")};
}

json call(unsigned short port, const std::string& method, const std::string& target,
          const json& body, const std::string& token) {
  LoopbackHttp http(port);
  return expect_ok(
      http.request(method, target, body.is_null() ? std::string() : body.dump(), token),
      method + " " + target);
}

}  // namespace

std::string person_address(int index) {
  int group = index / 10;
  return "127.77." + std::to_string(group / 250) + "." + std::to_string(group % 250 + 1);
}

std::string resident_id(const std::string& first17) {
  static const int kWeights[17] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
  static const char kCheck[] = "10X98765432";
  int sum = 0;
  for (int i = 0; i < 17; ++i) sum += (first17.at(static_cast<std::size_t>(i)) - '0') * kWeights[i];
  return first17 + kCheck[sum % 11];
}

VeilRoom prepare_veil_room(unsigned short port, int senders, int anonymous_viewers) {
  LoopbackHttp http(port);
  Policy policy = read_policy(http);
  int next_person = 0;

  Person host = register_person(port, next_person++, policy);
  call(port, "PATCH", "/api/v1/me/profile", {{"nickname", "Host Hua"}}, host.token);
  call(
      port, "POST", "/api/v1/me/real-name",
      {{"name", "张三"}, {"id_number", resident_id("11010519900307123")}, {"face_image", kTinyPng}},
      host.token);
  json application = call(
      port, "POST", "/api/v1/streamer/application",
      {{"scope", "career"}, {"intro", "Weekly live talks about changing careers."}}, host.token);
  Person staff = register_person(port, next_person++, policy);
  call(port, "POST", "/api/v1/dev/staff", {{"account_id", staff.id}}, "");
  std::string application_id = application.at("application").at("id");
  call(port, "POST", "/api/v1/staff/streamer-applications/" + application_id + "/decision",
       {{"approve", true}}, staff.token);
  json room = call(port, "POST", "/api/v1/rooms",
                   {{"title", "Fan-out benchmark"}, {"mode", "video"}}, host.token);
  VeilRoom out;
  out.room_id = room.at("room").at("id");
  call(port, "POST", "/api/v1/rooms/" + out.room_id + "/live", json(), host.token);

  for (int i = 0; i < senders; ++i) {
    Person sender = register_person(port, next_person++, policy);
    call(port, "PATCH", "/api/v1/me/profile", {{"nickname", "Sender " + std::to_string(i)}},
         sender.token);
    out.sender_sessions.push_back(sender.token);
  }
  for (int i = 0; i < anonymous_viewers; ++i) {
    json ticket = expect_ok(http.request("POST", "/api/v1/rooms/" + out.room_id + "/watch", "{}"),
                            "POST …/watch");
    out.viewer_tickets.push_back(ticket.at("token"));
  }
  return out;
}

}  // namespace veil::bench::fanout
