#!/usr/bin/env bash
# Installs everything Veil needs on Debian 12: Debian packages with apt-get, the web app's and the
# browser tests' npm packages with npm ci. Nothing is downloaded any other way. Safe to re-run.
set -euo pipefail
cd "$(dirname "$0")/.."

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi

PACKAGES=(
  build-essential cmake ninja-build pkg-config git ca-certificates
  libboost-dev libboost-system-dev            # Beast / Asio (header-only, separately compiled)
  libsqlite3-dev sqlite3                      # embedded database
  libpq-dev postgresql                        # server database (the tests start their own)
  libsodium-dev                               # AEAD, BLAKE2b, Argon2id, Ed25519
  nlohmann-json3-dev libtomlplusplus-dev libspdlog-dev libfmt-dev libcli11-dev
  libcurl4-openssl-dev                        # provider adapters (HTTPS)
  libhiredis-dev redis-server                 # rooms shared by several nodes (the tests start their own)
  libgtest-dev libgmock-dev libbenchmark-dev  # tests and benchmarks
  nodejs npm                                  # the web app build and browser tests
  chromium                                    # browser tests (driven by playwright-core)
  nginx-light wrk jq                          # benchmarks: reference server, load generator, JSON
  # media: GStreamer pipelines (webrtcbin, compositor, x264, opus, hlssink2, rtmp2), OpenCV's Haar
  # face detector for masked co-hosts, Janus for WebRTC viewers, nginx's RTMP module for OBS
  libgstreamer1.0-dev libgstreamer-plugins-base1.0-dev libgstreamer-plugins-bad1.0-dev
  gstreamer1.0-plugins-base gstreamer1.0-plugins-good gstreamer1.0-plugins-bad
  gstreamer1.0-plugins-ugly gstreamer1.0-libav gstreamer1.0-nice gstreamer1.0-tools
  libopencv-core-dev libopencv-imgproc-dev libopencv-objdetect-dev opencv-data
  janus libnginx-mod-rtmp
)
# Only the tests need these: real pictures with faces (messi5.jpg, Megamind.avi) and a CJK font.
if [ "${1:-}" = "--tests" ]; then PACKAGES+=(opencv-doc fonts-wqy-microhei); fi

missing=()
for p in "${PACKAGES[@]}"; do
  case "$p" in \#*) continue ;; esac
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
# Node may come from elsewhere (e.g. a newer build already on PATH); then Debian's is not needed.
if command -v node >/dev/null && command -v npm >/dev/null; then
  missing=("${missing[@]/nodejs}"); missing=("${missing[@]/npm}")
fi
want=()
for p in "${missing[@]}"; do [ -n "$p" ] && want+=("$p"); done
if [ "${#want[@]}" -gt 0 ]; then
  echo "setup: installing ${want[*]}"
  $SUDO apt-get update
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y --no-install-recommends "${want[@]}"
fi

for dir in web tests/browser; do
  [ -f "$dir/package-lock.json" ] || continue
  # npm ci only when node_modules is missing or older than the lock file: re-runs stay fast.
  if [ ! -f "$dir/node_modules/.package-lock.json" ] || [ "$dir/package-lock.json" -nt "$dir/node_modules/.package-lock.json" ]; then
    (cd "$dir" && npm ci --no-audit --no-fund)
  fi
done
echo "setup: done"
