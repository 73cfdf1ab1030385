#pragma once
// The cheap side of the viewers-per-core benchmark: many WebRTC viewers in one thread on one UDP
// socket, doing only what a server needs from a viewer to keep sending — ICE (answering the
// server's STUN connectivity checks) and the DTLS-SRTP handshake (OpenSSL, as the DTLS client) —
// and then counting the SRTP packets that arrive without decrypting them: the RTP header (sequence
// number, marker bit) is in the clear in SRTP, so loss and frames are counted from it.
//
// All viewers share one socket: packets are told apart by the server's address, which differs per
// viewer (Janus and every webrtcbin send each viewer's media from a port of its own). The socket's
// own drops are counted (SO_RXQ_OVFL), so a loss the client caused is never blamed on the server.
#include <netinet/in.h>

#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "util/result.hpp"

namespace veil::bench::media {

struct ViewerCounts {
  std::uint64_t packets = 0, bytes = 0, frames = 0, lost = 0;
  bool connected = false;  // DTLS done
};

class CountingClient {
 public:
  // Binds a UDP socket on `address` (the interface the servers gather on). `busy_poll`: the
  // receiving thread never sleeps in the kernel, it polls without waiting and yields when the
  // socket is empty. A sleeping receiver must be woken for each packet, and on loopback that
  // wake-up runs in, and is charged to, the server's sendmsg(); a polling one never sleeps, so
  // the server pays only for delivering the packet.
  static Result<std::unique_ptr<CountingClient>> create(const std::string& address, bool busy_poll = false);
  ~CountingClient();
  CountingClient(const CountingClient&) = delete;
  CountingClient& operator=(const CountingClient&) = delete;

  // A new viewer for the server's `offer`: the answer to send back (receive-only H.264, one host
  // candidate, DTLS client, candidates complete). Returns the viewer's index.
  Result<std::pair<int, std::string>> answer(const std::string& offer);
  int connected() const;  // viewers whose DTLS handshake completed
  // Counters of every viewer since the previous call (the window's), the socket's drops, and the
  // share of polls that found the socket empty (busy polling; 1 otherwise): near 0, the client
  // could not keep up.
  std::vector<ViewerCounts> take_window(std::uint64_t* socket_drops, double* idle_polls = nullptr);
  void forget_all();  // drops every viewer (between servers)

 private:
  struct Viewer;
  CountingClient() = default;
  void receive_loop();
  void on_stun(const std::uint8_t* data, std::size_t size, const sockaddr_in& from);
  void on_dtls(Viewer& viewer, const std::uint8_t* data, std::size_t size);
  void flush_dtls(Viewer& viewer);
  void tick_timers();

  int fd_ = -1;
  std::string address_;
  int port_ = 0;
  void* ssl_ctx_ = nullptr;  // SSL_CTX*
  std::string fingerprint_;
  mutable std::mutex mutex_;  // guards viewers_, by_ufrag_, by_source_, socket_drops_
  std::vector<std::unique_ptr<Viewer>> viewers_;
  std::map<std::string, Viewer*> by_ufrag_;
  std::map<std::uint64_t, Viewer*> by_source_;  // (address << 16) | port
  std::uint64_t socket_drops_ = 0, drops_taken_ = 0;
  bool busy_poll_ = false;
  std::atomic<std::uint64_t> polls_{0}, empty_polls_{0};
  std::atomic<bool> stopping_{false};
  std::thread thread_;
};

}  // namespace veil::bench::media
