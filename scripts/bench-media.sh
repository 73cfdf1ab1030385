#!/usr/bin/env bash
# HLS segment requests per second (docs/benchmarks.md, "HLS segment requests"): the real
# `veil serve` with one live room, and nginx serving the very same live folder from disk, each
# pinned to core 0 and loaded in turn by the same wrk from core 1, in one run.
#
# What it does: starts `veil serve --dev` on core 0 with a temp data dir, makes a room live through
# the public API as people do (register with the dev SMS outbox, real-name check with the dev face
# provider, streamer application approved by a dev staff account, POST /rooms, POST /rooms/{id}/live),
# publishes into it by WHIP with bench/media's veil_whip_publisher (a 640x360 30 fps noise picture,
# so the room's x264 spends its whole 1 Mbit/s; the publisher runs on core 1 beside wrk), waits for
# the playlist, then starts nginx (1 worker, core 0, access log on, sendfile on, keep-alive) with
# the room's HLS folder as the same URL path. Then, for each of REPEAT rounds: 2 s warm-up and
# DURATION of `wrk -t1 -c32` on Veil, then the same on nginx, both with
# bench/media/hls_newest_segment.lua (every request asks for the newest listed segment). Veil's CPU
# while the room is live but nobody requests (its own room pipeline, which shares core 0 with both
# servers) is measured first, from /proc/<pid>/stat.
#
# Usage: scripts/bench-media.sh [build-dir]   (default: build; needs veil and veil_whip_publisher)
# Environment: REPEAT (rounds, default 3), DURATION (wrk, default 10s), CONNECTIONS (default 32).
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
BUILD="$(realpath -m "${1:-$ROOT/build}")"
REPEAT="${REPEAT:-3}"
DURATION="${DURATION:-10s}"
CONNECTIONS="${CONNECTIONS:-32}"
VEIL="$BUILD/src/app/veil"
PUBLISHER="$BUILD/bench/media/veil_whip_publisher"
for tool in taskset wrk nginx curl jq; do
  command -v "$tool" >/dev/null || { echo "bench-media.sh: $tool not found" >&2; exit 1; }
done
for bin in "$VEIL" "$PUBLISHER"; do
  [ -x "$bin" ] || { echo "bench-media.sh: $bin missing: cmake --build $BUILD --target veil veil_whip_publisher" >&2; exit 1; }
done

WORK="$(mktemp -d "${TMPDIR:-/tmp}/veil-bench-media.XXXXXX")"
PIDS=()
cleanup() {
  for ((i = ${#PIDS[@]} - 1; i >= 0; i--)); do kill "${PIDS[$i]}" 2>/dev/null || true; wait "${PIDS[$i]}" 2>/dev/null || true; done
  rm -rf "$WORK"
}
trap cleanup EXIT

free_port() {
  local port
  for _ in $(seq 200); do
    port=$((20000 + RANDOM % 30000))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then echo "$port"; return 0; fi
  done
  return 1
}
wait_ready() { for _ in $(seq 150); do curl -fsS -o /dev/null "$1" 2>/dev/null && return 0; sleep 0.2; done; echo "bench-media.sh: $1 did not answer" >&2; return 1; }
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }  # utime + stime of every thread, in clock ticks
core_idle() { awk -v c="cpu$1" '$1 == c {print $5 + $6}' /proc/stat; }  # idle + iowait ticks of one core
HZ="$(getconf CLK_TCK)"

echo "== load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
PORT="$(free_port)"
taskset -c 0 "$VEIL" serve --dev --listen "127.0.0.1:$PORT" --data-dir "$WORK/veil-data" --resources "$ROOT" 2>"$WORK/veil.stderr" &
VEIL_PID=$!
PIDS+=("$VEIL_PID")
BASE="http://127.0.0.1:$PORT"
API="$BASE/api/v1"
wait_ready "$BASE/healthz"

post() {  # post PATH JSON [TOKEN]
  curl -fsS -X POST -H 'Content-Type: application/json' ${3:+-H "Authorization: Bearer $3"} -d "$2" "$API$1"
}
POLICY="$(curl -fsS "$API/policy")"
VERSION="$(jq -r .version <<<"$POLICY")"
PURPOSES="$(jq -c '[.purposes[] | select((.basis == "consent" or .basis == "separate_consent") and .given_by != "guardian") | .id]' <<<"$POLICY")"
register() {  # register PHONE -> "token account_id"
  post /auth/code "{\"phone\":\"$1\",\"policy_version\":\"$VERSION\"}" >/dev/null
  local code
  code="$(curl -fsS "$API/dev/outbox?phone=$1" | jq -r '.messages[-1].text' | grep -oE '[0-9]{6}' | head -1)"
  post /auth/verify "{\"phone\":\"$1\",\"code\":\"$code\",\"birth_date\":\"1990-03-07\",\"consent\":{\"policy_version\":\"$VERSION\",\"purposes\":$PURPOSES}}" |
    jq -r '.token + " " + .account.id'
}
read -r HOST _ <<<"$(register 13700000001)"
curl -fsS -X PATCH -H 'Content-Type: application/json' -H "Authorization: Bearer $HOST" -d '{"nickname":"Host Hua"}' "$API/me/profile" >/dev/null
# The development face provider accepts any well-formed photo: a 1x1 PNG.
PNG='iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=='
post /me/real-name "{\"name\":\"张三\",\"id_number\":\"110105199003071239\",\"face_image\":\"$PNG\"}" "$HOST" >/dev/null
APPLICATION="$(post /streamer/application '{"scope":"career","intro":"Weekly live talks about changing careers."}' "$HOST" | jq -r .application.id)"
read -r STAFF STAFF_ID <<<"$(register 13700000002)"
post /dev/staff "{\"account_id\":\"$STAFF_ID\"}" >/dev/null
post "/staff/streamer-applications/$APPLICATION/decision" '{"approve":true}' "$STAFF" >/dev/null
ROOM="$(post /rooms '{"title":"HLS benchmark","mode":"video"}' "$HOST" | jq -r .room.id)"
PUBLISH="$(post "/rooms/$ROOM/live" '{}' "$HOST" | jq -r .publish.token)"

taskset -c 1 "$PUBLISHER" "$BASE" "$ROOM" "$PUBLISH" snow >"$WORK/publisher.log" 2>&1 &
PIDS+=("$!")
HLS_DIR="$WORK/veil-data/media/live/$ROOM"
HLS_PATH="/api/v1/rooms/$ROOM/hls/"
for _ in $(seq 100); do [ "$(grep -c '^segment' "$HLS_DIR/index.m3u8" 2>/dev/null || echo 0)" -ge 4 ] && break; sleep 0.2; done
[ -f "$HLS_DIR/index.m3u8" ] || { echo "bench-media.sh: no playlist; publisher said: $(cat "$WORK/publisher.log")" >&2; exit 1; }
NEWEST="$(grep '^segment' "$HLS_DIR/index.m3u8" | tail -1)"
curl -fsS -o "$WORK/probe.ts" "$API/rooms/$ROOM/hls/$NEWEST"
SIZES="$(for f in $(grep '^segment' "$HLS_DIR/index.m3u8"); do stat -c %s "$HLS_DIR/$f"; done | sort -n | tr '\n' ' ')"

# What the live room costs Veil with nobody asking: its pipeline shares core 0 with both servers.
T0="$(cpu_ticks "$VEIL_PID")"; sleep 5; T1="$(cpu_ticks "$VEIL_PID")"
IDLE_CPU="$(awk -v a="$T0" -v b="$T1" -v hz="$HZ" 'BEGIN { printf "%.0f", 100 * (b - a) / hz / 5 }')"

NGINX_PORT="$(free_port)"
mkdir -p "$WORK/nginx/logs" "$WORK/nginx/tmp"
chmod -R a+rX "$WORK"  # nginx's worker runs as nobody when started as root
cat >"$WORK/nginx/nginx.conf" <<CONF
worker_processes 1;
daemon off;
pid $WORK/nginx/nginx.pid;
error_log $WORK/nginx/logs/error.log;
events { worker_connections 1024; }
http {
  access_log $WORK/nginx/logs/access.log;
  sendfile on;
  keepalive_requests 1000000;
  client_body_temp_path $WORK/nginx/tmp/body;
  proxy_temp_path $WORK/nginx/tmp/proxy;
  fastcgi_temp_path $WORK/nginx/tmp/fastcgi;
  uwsgi_temp_path $WORK/nginx/tmp/uwsgi;
  scgi_temp_path $WORK/nginx/tmp/scgi;
  types { video/mp2t ts; application/vnd.apple.mpegurl m3u8; }
  server {
    listen 127.0.0.1:$NGINX_PORT;
    location $HLS_PATH { alias $HLS_DIR/; add_header Cache-Control "max-age=60"; }
  }
}
CONF
taskset -c 0 nginx -p "$WORK/nginx" -c "$WORK/nginx/nginx.conf" -e "$WORK/nginx/logs/error.log" &
NGINX_PID=$!
PIDS+=("$NGINX_PID")
wait_ready "http://127.0.0.1:$NGINX_PORT$HLS_PATH$NEWEST"
NGINX_WORKER="$(pgrep -P "$NGINX_PID" | head -1)"  # the worker serves; the master only waits
cmp -s "$WORK/probe.ts" "$HLS_DIR/$NEWEST" || { echo "bench-media.sh: Veil served other bytes than the file" >&2; exit 1; }

export HLS_DIR HLS_PATH
# One server under wrk: prints "req/s MB/s p50 p99 non2xx server-CPU% wrk-CPU% core0-idle% core1-idle%".
# A core with no idle time was saturated: core 0 idle means the server had room to do more, and
# core 1 without idle means wrk could have been starved (by itself, or by other work on core 1).
load() {
  local url="$1" pid="$2" out="$WORK/wrk.txt"
  taskset -c 1 wrk -t1 -c"$CONNECTIONS" -d2s -s "$ROOT/bench/media/hls_newest_segment.lua" "$url" >/dev/null
  local t0 t1 i0 i1 j0 j1; t0="$(cpu_ticks "$pid")"; i0="$(core_idle 0)"; j0="$(core_idle 1)"
  /usr/bin/time -f '%U %S %e' -o "$WORK/time.txt" taskset -c 1 wrk -t1 -c"$CONNECTIONS" -d"$DURATION" --latency \
    -s "$ROOT/bench/media/hls_newest_segment.lua" "$url" >"$out"
  t1="$(cpu_ticks "$pid")"; i1="$(core_idle 0)"; j1="$(core_idle 1)"
  local rps mbs p50 p99 bad server client
  rps="$(awk '/^Requests\/sec:/ {print $2}' "$out")"
  mbs="$(awk '/^Transfer\/sec:/ {print $2}' "$out")"
  p50="$(awk '$1 == "50%" {print $2}' "$out")"
  p99="$(awk '$1 == "99%" {print $2}' "$out")"
  bad="$(awk '/Non-2xx/ {print $5} END {}' "$out")"
  read -r u s e <"$WORK/time.txt"
  server="$(awk -v a="$t0" -v b="$t1" -v hz="$HZ" -v e="$e" 'BEGIN { printf "%.0f", 100 * (b - a) / hz / e }')"
  client="$(awk -v u="$u" -v s="$s" -v e="$e" 'BEGIN { printf "%.0f", 100 * (u + s) / e }')"
  local idle0 idle1
  idle0="$(awk -v a="$i0" -v b="$i1" -v hz="$HZ" -v e="$e" 'BEGIN { printf "%.0f", 100 * (b - a) / hz / e }')"
  idle1="$(awk -v a="$j0" -v b="$j1" -v hz="$HZ" -v e="$e" 'BEGIN { printf "%.0f", 100 * (b - a) / hz / e }')"
  echo "$rps $mbs $p50 $p99 ${bad:-0} $server $client $idle0 $idle1"
}

echo "== room $ROOM live; segments on disk now (bytes): $SIZES"
echo "== Veil's CPU with the room live and no requests: $IDLE_CPU % of core 0 (its room pipeline)"
printf '%-6s %-6s %-16s %10s %10s %9s %9s %7s %12s %9s %7s %7s %10s\n' round server "load (1/5/15)" "req/s" "transfer" "p50" "p99" "non-2xx" "server CPU%" "wrk CPU%" "idle0%" "idle1%" "µs CPU/req"
for round in $(seq "$REPEAT"); do
  for server in veil nginx; do
    la="$(cut -d' ' -f1-3 /proc/loadavg | tr ' ' '/')"
    if [ "$server" = veil ]; then r="$(load "$BASE" "$VEIL_PID")"; else r="$(load "http://127.0.0.1:$NGINX_PORT" "$NGINX_WORKER")"; fi
    read -r rps mbs p50 p99 bad scpu ccpu idle0 idle1 <<<"$r"
    printf '%-6s %-6s %-16s %10s %10s %9s %9s %7s %12s %9s %7s %7s %10s\n' "$round" "$server" "$la" "$rps" "$mbs" "$p50" "$p99" "$bad" "$scpu" "$ccpu" "$idle0" "$idle1" \
      "$(awk -v c="$scpu" -v r="$rps" 'BEGIN { printf "%.0f", 1e4 * c / r }')"
    echo "$server $rps" >>"$WORK/results"
  done
done
for server in veil nginx; do
  echo "== $server median req/s over $REPEAT rounds: $(awk -v s="$server" '$1 == s {print $2}' "$WORK/results" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')"
done
echo "== load average at end: $(cut -d' ' -f1-3 /proc/loadavg)"
