#include "http/static_files.hpp"

#include <fstream>
#include <map>
#include <sstream>

namespace veil::http {

namespace {
std::string content_type_of(const std::filesystem::path& p) {
  static const std::map<std::string, std::string> kTypes = {
      {".html", "text/html; charset=utf-8"}, {".js", "text/javascript; charset=utf-8"},
      {".css", "text/css; charset=utf-8"},   {".json", "application/json; charset=utf-8"},
      {".svg", "image/svg+xml"},             {".png", "image/png"},
      {".ico", "image/x-icon"},              {".woff2", "font/woff2"},
      {".txt", "text/plain; charset=utf-8"}, {".webmanifest", "application/manifest+json"}};
  auto it = kTypes.find(p.extension().string());
  return it == kTypes.end() ? "application/octet-stream" : it->second;
}
}  // namespace

Handler static_files(std::filesystem::path root, Handler not_found) {
  std::error_code ec;
  auto canonical_root = std::filesystem::weakly_canonical(root, ec);
  return [canonical_root, not_found](Request& request) -> Response {
    if (request.method != "GET" && request.method != "HEAD") return not_found(request);
    std::string rel = percent_decode(request.path);
    if (rel.empty() || rel == "/") rel = "/index.html";
    if (rel.find("..") != std::string::npos || rel.find('\0') != std::string::npos) return not_found(request);
    std::error_code err;
    auto file = std::filesystem::weakly_canonical(canonical_root / rel.substr(1), err);
    auto [root_end, ignored] = std::mismatch(canonical_root.begin(), canonical_root.end(), file.begin(), file.end());
    if (err || root_end != canonical_root.end() || !std::filesystem::is_regular_file(file, err)) return not_found(request);
    std::ifstream in(file, std::ios::binary);
    std::stringstream buffer;
    buffer << in.rdbuf();
    Response r = Response::text(200, buffer.str(), content_type_of(file));
    bool hashed_asset = rel.starts_with("/assets/");
    r.headers.emplace_back("Cache-Control", hashed_asset ? "public, max-age=31536000, immutable" : "no-cache");
    // blob: for media and workers: the live player feeds the video element through Media Source
    // Extensions (a blob: URL) and demuxes HLS in a worker it starts from a blob.
    if (file.extension() == ".html")
      r.headers.emplace_back("Content-Security-Policy",
                             "default-src 'self'; img-src 'self' https: data:; style-src 'self' 'unsafe-inline'; "
                             "media-src 'self' blob:; worker-src 'self' blob:; "
                             "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'");
    if (request.method == "HEAD") r.body.clear();
    return r;
  };
}

}  // namespace veil::http
