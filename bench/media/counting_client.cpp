#include "counting_client.hpp"

#include <arpa/inet.h>
#include <sched.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <cstring>
#include <sstream>

namespace veil::bench::media {

namespace {

constexpr std::uint32_t kMagicCookie = 0x2112A442;

std::string random_token(int length) {
  static const char kAlphabet[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
  std::string s(static_cast<std::size_t>(length), 'a');
  std::vector<unsigned char> bytes(s.size());
  RAND_bytes(bytes.data(), static_cast<int>(bytes.size()));
  for (std::size_t i = 0; i < s.size(); ++i) s[i] = kAlphabet[bytes[i] % 62];
  return s;
}

void put16(std::vector<std::uint8_t>& b, std::size_t at, unsigned v) {
  b[at] = static_cast<std::uint8_t>(v >> 8);
  b[at + 1] = static_cast<std::uint8_t>(v);
}
void append16(std::vector<std::uint8_t>& b, unsigned v) {
  b.push_back(static_cast<std::uint8_t>(v >> 8));
  b.push_back(static_cast<std::uint8_t>(v));
}
void append32(std::vector<std::uint8_t>& b, std::uint32_t v) {
  for (int shift = 24; shift >= 0; shift -= 8) b.push_back(static_cast<std::uint8_t>(v >> shift));
}

// One self-signed P-256 certificate for every viewer: its fingerprint goes in every answer.
Result<SSL_CTX*> make_context(std::string& fingerprint) {
  EVP_PKEY* key = EVP_EC_gen("P-256");
  X509* cert = X509_new();
  if (key == nullptr || cert == nullptr) return Error::internal("cannot make a key");
  X509_set_version(cert, 2);
  ASN1_INTEGER_set(X509_get_serialNumber(cert), 1);
  X509_gmtime_adj(X509_getm_notBefore(cert), -3600);
  X509_gmtime_adj(X509_getm_notAfter(cert), 86400);
  X509_set_pubkey(cert, key);
  X509_NAME* name = X509_get_subject_name(cert);
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, reinterpret_cast<const unsigned char*>("bench"), -1, -1, 0);
  X509_set_issuer_name(cert, name);
  X509_sign(cert, key, EVP_sha256());
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned length = 0;
  X509_digest(cert, EVP_sha256(), digest, &length);
  std::ostringstream hex;
  for (unsigned i = 0; i < length; ++i) {
    char part[4];
    std::snprintf(part, sizeof part, i == 0 ? "%02X" : ":%02X", digest[i]);
    hex << part;
  }
  fingerprint = hex.str();
  SSL_CTX* ctx = SSL_CTX_new(DTLS_client_method());
  SSL_CTX_use_certificate(ctx, cert);
  SSL_CTX_use_PrivateKey(ctx, key);
  // The server's certificate is self-signed; its fingerprint is not checked: we only count.
  SSL_CTX_set_verify(ctx, SSL_VERIFY_NONE, nullptr);
  if (SSL_CTX_set_tlsext_use_srtp(ctx, "SRTP_AES128_CM_SHA1_80") != 0) return Error::internal("no DTLS-SRTP");
  X509_free(cert);
  EVP_PKEY_free(key);
  return ctx;
}

// CRC-32 (the IEEE polynomial, reflected), as STUN's FINGERPRINT wants it.
std::uint32_t crc32_of(const std::uint8_t* data, std::size_t size) {
  std::uint32_t crc = 0xFFFFFFFFu;
  for (std::size_t i = 0; i < size; ++i) {
    crc ^= data[i];
    for (int bit = 0; bit < 8; ++bit) crc = (crc >> 1) ^ (0xEDB88320u & (0u - (crc & 1u)));
  }
  return ~crc;
}

std::uint64_t source_key(const sockaddr_in& a) {
  return (static_cast<std::uint64_t>(ntohl(a.sin_addr.s_addr)) << 16) | ntohs(a.sin_port);
}

}  // namespace

struct CountingClient::Viewer {
  std::string ufrag, pwd;
  SSL* ssl = nullptr;
  BIO* in = nullptr;   // datagrams from the server, for OpenSSL
  BIO* out = nullptr;  // OpenSSL's records, to send
  sockaddr_in source{};
  bool has_source = false, dtls_started = false, dtls_done = false;
  std::chrono::steady_clock::time_point first_check;
  bool have_seq = false;
  std::uint16_t last_seq = 0;
  ViewerCounts window;
  ~Viewer() {
    if (ssl != nullptr) SSL_free(ssl);  // frees both BIOs
  }
};

Result<std::unique_ptr<CountingClient>> CountingClient::create(const std::string& address, bool busy_poll) {
  std::unique_ptr<CountingClient> c(new CountingClient());
  c->address_ = address;
  c->busy_poll_ = busy_poll;
  c->fd_ = ::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  sockaddr_in local{};
  local.sin_family = AF_INET;
  inet_pton(AF_INET, address.c_str(), &local.sin_addr);
  if (::bind(c->fd_, reinterpret_cast<sockaddr*>(&local), sizeof local) != 0) return Error::internal("bind " + address);
  socklen_t length = sizeof local;
  getsockname(c->fd_, reinterpret_cast<sockaddr*>(&local), &length);
  c->port_ = ntohs(local.sin_port);
  int buffer = 64 << 20;  // bursts of every viewer's frame at once; FORCE goes past rmem_max (root)
  if (setsockopt(c->fd_, SOL_SOCKET, SO_RCVBUFFORCE, &buffer, sizeof buffer) != 0)
    setsockopt(c->fd_, SOL_SOCKET, SO_RCVBUF, &buffer, sizeof buffer);
  int on = 1;
  setsockopt(c->fd_, SOL_SOCKET, SO_RXQ_OVFL, &on, sizeof on);
  timeval timeout{0, 50'000};  // the loop wakes at least every 50 ms for DTLS timers
  setsockopt(c->fd_, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
  c->ssl_ctx_ = VEIL_TRY(make_context(c->fingerprint_));
  c->thread_ = std::thread([raw = c.get()] { raw->receive_loop(); });
  return c;
}

CountingClient::~CountingClient() {
  stopping_ = true;
  if (thread_.joinable()) thread_.join();
  {
    std::lock_guard lock(mutex_);
    viewers_.clear();
  }
  if (ssl_ctx_ != nullptr) SSL_CTX_free(static_cast<SSL_CTX*>(ssl_ctx_));
  if (fd_ >= 0) ::close(fd_);
}

Result<std::pair<int, std::string>> CountingClient::answer(const std::string& offer) {
  auto viewer = std::make_unique<Viewer>();
  viewer->ufrag = random_token(8);
  viewer->pwd = random_token(24);
  viewer->ssl = SSL_new(static_cast<SSL_CTX*>(ssl_ctx_));
  viewer->in = BIO_new(BIO_s_mem());
  viewer->out = BIO_new(BIO_s_mem());
  BIO_set_mem_eof_return(viewer->in, -1);
  SSL_set_bio(viewer->ssl, viewer->in, viewer->out);
  SSL_set_connect_state(viewer->ssl);
  SSL_set_options(viewer->ssl, SSL_OP_NO_QUERY_MTU);
  DTLS_set_link_mtu(viewer->ssl, 1400);

  // Receive-only H.264 in each video section (the first H.264 payload with packetization-mode 1),
  // every other section refused (port 0).
  std::istringstream lines(offer);
  std::string line;
  struct Section {
    std::string kind, mid, pt, fmtp, rtpmap, proto;
  };
  std::vector<Section> sections;
  while (std::getline(lines, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.rfind("m=", 0) == 0) {
      Section s;
      std::istringstream m(line.substr(2));
      std::string port;
      m >> s.kind >> port >> s.proto;
      sections.push_back(s);
    } else if (sections.empty()) {
      continue;
    } else if (line.rfind("a=mid:", 0) == 0) {
      sections.back().mid = line.substr(6);
    } else if (line.rfind("a=rtpmap:", 0) == 0 && line.find(" H264/90000") != std::string::npos) {
      std::string pt = line.substr(9, line.find(' ') - 9);
      if (sections.back().pt.empty()) sections.back().pt = pt, sections.back().rtpmap = line;
    } else if (line.rfind("a=fmtp:", 0) == 0) {
      std::string pt = line.substr(7, line.find(' ') - 7);
      // Keep the fmtp of the chosen payload; prefer one with packetization-mode=1.
      if (pt == sections.back().pt && sections.back().fmtp.empty()) sections.back().fmtp = line;
    }
  }
  std::ostringstream a;
  a << "v=0\r\no=- 1 2 IN IP4 0.0.0.0\r\ns=-\r\nt=0 0\r\na=group:BUNDLE";
  for (const auto& s : sections)
    if (s.kind == "video" && !s.pt.empty()) a << ' ' << s.mid;
  a << "\r\na=msid-semantic: WMS\r\n";
  for (const auto& s : sections) {
    if (s.kind != "video" || s.pt.empty()) {
      a << "m=" << s.kind << " 0 " << s.proto << " 0\r\nc=IN IP4 0.0.0.0\r\na=mid:" << s.mid << "\r\na=inactive\r\n";
      continue;
    }
    a << "m=video 9 " << s.proto << ' ' << s.pt << "\r\nc=IN IP4 0.0.0.0\r\na=mid:" << s.mid << "\r\na=recvonly\r\na=rtcp-mux\r\n"
      << "a=ice-ufrag:" << viewer->ufrag << "\r\na=ice-pwd:" << viewer->pwd << "\r\n"
      << "a=fingerprint:sha-256 " << fingerprint_ << "\r\na=setup:active\r\n"
      << s.rtpmap << "\r\n" << (s.fmtp.empty() ? "" : s.fmtp + "\r\n")
      << "a=candidate:1 1 udp 2130706431 " << address_ << ' ' << port_ << " typ host\r\na=end-of-candidates\r\n";
  }
  std::lock_guard lock(mutex_);
  const int index = static_cast<int>(viewers_.size());
  by_ufrag_[viewer->ufrag] = viewer.get();
  viewers_.push_back(std::move(viewer));
  return std::make_pair(index, a.str());
}

int CountingClient::connected() const {
  std::lock_guard lock(mutex_);
  int n = 0;
  for (const auto& v : viewers_) n += v->dtls_done ? 1 : 0;
  return n;
}

std::vector<ViewerCounts> CountingClient::take_window(std::uint64_t* socket_drops, double* idle_polls) {
  const std::uint64_t polls = polls_.exchange(0), empty = empty_polls_.exchange(0);
  if (idle_polls != nullptr) *idle_polls = busy_poll_ && polls > 0 ? static_cast<double>(empty) / static_cast<double>(polls) : 1.0;
  std::lock_guard lock(mutex_);
  std::vector<ViewerCounts> out;
  for (auto& v : viewers_) {
    v->window.connected = v->dtls_done;
    out.push_back(v->window);
    v->window = ViewerCounts{};
  }
  if (socket_drops != nullptr) *socket_drops = socket_drops_ - drops_taken_;
  drops_taken_ = socket_drops_;
  return out;
}

void CountingClient::forget_all() {
  std::lock_guard lock(mutex_);
  by_ufrag_.clear();
  by_source_.clear();
  viewers_.clear();
}

// Answers a connectivity check: Binding Success with XOR-MAPPED-ADDRESS, MESSAGE-INTEGRITY (our
// password) and FINGERPRINT. With USE-CANDIDATE (the server nominated the pair) the DTLS
// handshake starts towards that address.
void CountingClient::on_stun(const std::uint8_t* data, std::size_t size, const sockaddr_in& from) {
  if (size < 20 || ((data[0] << 8) | data[1]) != 0x0001) return;  // only Binding Requests
  std::string username;
  bool nominated = false;
  for (std::size_t at = 20; at + 4 <= size;) {
    const unsigned type = (data[at] << 8) | data[at + 1], length = (data[at + 2] << 8) | data[at + 3];
    if (at + 4 + length > size) break;
    if (type == 0x0006) username.assign(reinterpret_cast<const char*>(data + at + 4), length);
    if (type == 0x0025) nominated = true;
    at += 4 + ((length + 3) & ~3u);
  }
  auto colon = username.find(':');
  auto it = by_ufrag_.find(username.substr(0, colon));
  if (it == by_ufrag_.end()) return;
  Viewer& viewer = *it->second;

  std::vector<std::uint8_t> r(20);
  put16(r, 0, 0x0101);
  std::memcpy(r.data() + 4, data + 4, 16);  // cookie and transaction id
  append16(r, 0x0020);
  append16(r, 8);
  r.push_back(0);
  r.push_back(1);
  append16(r, ntohs(from.sin_port) ^ (kMagicCookie >> 16));
  append32(r, ntohl(from.sin_addr.s_addr) ^ kMagicCookie);
  put16(r, 2, static_cast<unsigned>(r.size() - 20 + 24));
  unsigned char mac[20];
  unsigned mac_length = 0;
  HMAC(EVP_sha1(), viewer.pwd.data(), static_cast<int>(viewer.pwd.size()), r.data(), r.size(), mac, &mac_length);
  append16(r, 0x0008);
  append16(r, 20);
  r.insert(r.end(), mac, mac + 20);
  put16(r, 2, static_cast<unsigned>(r.size() - 20 + 8));
  const std::uint32_t crc = crc32_of(r.data(), r.size()) ^ 0x5354554e;
  append16(r, 0x8028);
  append16(r, 4);
  append32(r, crc);
  sendto(fd_, r.data(), r.size(), 0, reinterpret_cast<const sockaddr*>(&from), sizeof from);

  if (!viewer.has_source) {
    viewer.has_source = true;
    viewer.first_check = std::chrono::steady_clock::now();
  }
  if (source_key(viewer.source) != source_key(from) || nominated) {
    if (viewer.has_source) by_source_.erase(source_key(viewer.source));
    viewer.source = from;
    by_source_[source_key(from)] = &viewer;
  }
  if (nominated && !viewer.dtls_started) {
    viewer.dtls_started = true;
    SSL_do_handshake(viewer.ssl);
    flush_dtls(viewer);
  }
}

void CountingClient::on_dtls(Viewer& viewer, const std::uint8_t* data, std::size_t size) {
  BIO_write(viewer.in, data, static_cast<int>(size));
  if (!viewer.dtls_done) {
    if (SSL_do_handshake(viewer.ssl) == 1) viewer.dtls_done = true;
  } else {
    char sink[2048];
    while (SSL_read(viewer.ssl, sink, sizeof sink) > 0) {
    }
  }
  flush_dtls(viewer);
}

void CountingClient::flush_dtls(Viewer& viewer) {
  char* pending = nullptr;
  const long length = BIO_get_mem_data(viewer.out, &pending);
  if (length <= 0) return;
  // Loopback: one datagram holds the whole flight (records keep their own boundaries inside it).
  sendto(fd_, pending, static_cast<std::size_t>(length), 0, reinterpret_cast<const sockaddr*>(&viewer.source), sizeof viewer.source);
  (void)BIO_reset(viewer.out);
}

void CountingClient::tick_timers() {
  const auto now = std::chrono::steady_clock::now();
  for (auto& v : viewers_) {
    if (v->dtls_done || !v->has_source) continue;
    // A server that checks without ever nominating (regular nomination we missed): start anyway.
    if (!v->dtls_started && now - v->first_check > std::chrono::milliseconds(500)) {
      v->dtls_started = true;
      SSL_do_handshake(v->ssl);
      flush_dtls(*v);
      continue;
    }
    if (v->dtls_started && DTLSv1_handle_timeout(v->ssl) > 0) flush_dtls(*v);
  }
}

void CountingClient::receive_loop() {
  constexpr int kBatch = 64;
  static thread_local std::uint8_t buffers[kBatch][2048];
  mmsghdr messages[kBatch];
  iovec vectors[kBatch];
  sockaddr_in sources[kBatch];
  char controls[kBatch][CMSG_SPACE(sizeof(std::uint32_t))];
  auto last_tick = std::chrono::steady_clock::now();
  while (!stopping_) {
    for (int i = 0; i < kBatch; ++i) {
      vectors[i] = {buffers[i], sizeof buffers[i]};
      messages[i].msg_hdr = msghdr{&sources[i], sizeof sources[i], &vectors[i], 1, controls[i], sizeof controls[i], 0};
    }
    const int n = recvmmsg(fd_, messages, kBatch, busy_poll_ ? MSG_DONTWAIT : MSG_WAITFORONE, nullptr);
    if (busy_poll_) {
      polls_.fetch_add(1, std::memory_order_relaxed);
      if (n <= 0) {
        empty_polls_.fetch_add(1, std::memory_order_relaxed);
        sched_yield();  // the feed shares this core
      }
    }
    std::lock_guard lock(mutex_);
    for (int i = 0; i < n; ++i) {
      const std::uint8_t* d = buffers[i];
      const std::size_t size = messages[i].msg_len;
      for (cmsghdr* c = CMSG_FIRSTHDR(&messages[i].msg_hdr); c != nullptr; c = CMSG_NXTHDR(&messages[i].msg_hdr, c))
        if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SO_RXQ_OVFL) {
          std::uint32_t dropped = 0;
          std::memcpy(&dropped, CMSG_DATA(c), sizeof dropped);
          socket_drops_ = dropped;  // the socket's running total
        }
      if (size == 0) continue;
      if (d[0] < 4) {
        on_stun(d, size, sources[i]);
        continue;
      }
      auto it = by_source_.find(source_key(sources[i]));
      if (it == by_source_.end()) continue;
      Viewer& v = *it->second;
      if (d[0] >= 20 && d[0] <= 63) {
        on_dtls(v, d, size);
      } else if (d[0] >= 128 && d[0] <= 191 && size >= 12) {
        const unsigned pt = d[1] & 0x7f;
        if (pt >= 72 && pt <= 79) continue;  // RTCP (200-207 with the marker bit's place)
        const auto seq = static_cast<std::uint16_t>((d[2] << 8) | d[3]);
        if (v.have_seq) {
          const auto gap = static_cast<std::int16_t>(static_cast<std::uint16_t>(seq - v.last_seq));
          if (gap <= 0) continue;  // duplicate or late
          v.window.lost += static_cast<std::uint64_t>(gap - 1);
        }
        v.have_seq = true;
        v.last_seq = seq;
        ++v.window.packets;
        v.window.bytes += size;
        if ((d[1] & 0x80) != 0) ++v.window.frames;
      }
    }
    const auto now = std::chrono::steady_clock::now();
    if (now - last_tick > std::chrono::milliseconds(100)) {
      tick_timers();
      last_tick = now;
    }
  }
}

}  // namespace veil::bench::media
