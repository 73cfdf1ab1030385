#!/usr/bin/env bash
# The README's first command: install what is needed, build, and start Veil on
# http://127.0.0.1:8080 with the embedded SQLite database in ./data. Extra arguments go to
# `veil serve` (for example --dev for the SMS outbox and the clock endpoint).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
scripts/build.sh RelWithDebInfo build
exec build/src/app/veil serve "$@"
