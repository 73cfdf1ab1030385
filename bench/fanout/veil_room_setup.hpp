#pragma once
// A live Veil room with people in it, made through the public API as people would make it: each
// account registers with a code from the development SMS outbox and consents to every purpose a
// person may consent to; the host passes real-name verification (development face provider),
// applies to stream, is approved by staff, creates a room and goes live; senders set a nickname
// (their presence card); anonymous viewers take a watch ticket each.
#include <string>
#include <vector>

namespace veil::bench::fanout {

struct VeilRoom {
  std::string room_id;
  std::vector<std::string> sender_sessions;  // bearer tokens of signed-in senders
  std::vector<std::string> viewer_tickets;   // watch tickets of anonymous viewers
};

// Throws std::runtime_error naming the step the server refused.
VeilRoom prepare_veil_room(unsigned short port, int senders, int anonymous_viewers);

// The source address person `index` connects from: ten people per address, so the server's
// per-address limit on code messages (20 an hour) is never what a benchmark measures.
std::string person_address(int index);

// GB 11643: an 18-character resident ID number with its check character.
std::string resident_id(const std::string& first17);

}  // namespace veil::bench::fanout
