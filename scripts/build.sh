#!/usr/bin/env bash
# Builds the server (CMake + Ninja) and the web app (Vite). Usage: scripts/build.sh [BuildType] [dir]
set -euo pipefail
cd "$(dirname "$0")/.."
TYPE="${1:-RelWithDebInfo}"
DIR="${2:-build}"
cmake -S . -B "$DIR" -G Ninja -DCMAKE_BUILD_TYPE="$TYPE" > /dev/null
cmake --build "$DIR"
(cd web && npm run build --silent)
