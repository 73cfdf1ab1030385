#pragma once
// How a Veil server is configured: a TOML file (optional) and command-line flags over it. Secrets
// are never in the file itself: it names a file (0600) or an environment variable holding them.
#include <filesystem>
#include <string>

#include "util/result.hpp"

namespace veil::app {

struct Config {
  std::string host = "127.0.0.1";
  unsigned short port = 8080;
  std::filesystem::path data_dir = "data";
  std::string database;               // empty: SQLite at <data_dir>/veil.db; else a libpq conninfo/URL
  std::filesystem::path resources;    // folder holding datamap/ and i18n/
  std::filesystem::path web_root;     // the built web app (web/dist)
  bool dev = false;                   // development endpoints (outbox, clock)
  int threads = 2;
  std::string sms_provider = "dev";   // dev | http
  std::string sms_url;                // http provider: gateway URL
  std::filesystem::path sms_secret_file;  // http provider: file with the signing secret

  static Result<Config> load_file(const std::filesystem::path& path);
  Status set_listen(const std::string& host_port);
  // Fills resources/web_root when not given: the working directory if it holds datamap/, else
  // the source tree this binary was built from.
  void resolve_defaults();
};

}  // namespace veil::app
