#!/usr/bin/env bash
# Room fan-out, side by side (docs/benchmarks.md, "Room fan-out"): builds Release, then for each
# viewer count runs the same load (bench/fanout, `veil_fanout_bench`, pinned to core 1) against a
# real `veil serve --dev` and against the reference, the ws README's broadcast server
# (bench/peers/ws-broadcast, pinned ws version), each pinned to core 0. Prints one table. Loopback
# only; everything it starts is stopped and its temp dir removed on exit. Not part of
# scripts/test.sh: timings belong to a pinned, quiet machine.
#
# Usage: scripts/bench-fanout.sh [build-dir]        (default: build-bench)
# Environment:
#   VIEWERS      viewer counts, default "1000 5000"
#   DELIVERIES   deliveries per second to aim at, default 100000 (rate = DELIVERIES / viewers)
#   DURATION     measured seconds per run, default 20;  WARMUP default 5;  DRAIN default 3
#   REPEAT       runs of each pair, default 1
#   VEIL_THREADS veil's I/O threads, default 2 (`veil serve`'s own default)
#   TARGETS      default "veil ws"
#   VEIL_BIN     another veil binary to measure (e.g. an older build), default <build-dir>/src/app/veil
#   VEIL_CONFIG  a TOML file for `veil serve --config` (e.g. [live] round_hold_ms = 0: no rounds)
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
BUILD="$(realpath -m "${1:-$ROOT/build-bench}")"
VIEWERS="${VIEWERS:-1000 5000}"
DELIVERIES="${DELIVERIES:-100000}"
DURATION="${DURATION:-20}"
WARMUP="${WARMUP:-5}"
DRAIN="${DRAIN:-3}"
REPEAT="${REPEAT:-1}"
VEIL_THREADS="${VEIL_THREADS:-2}"
TARGETS="${TARGETS:-veil ws}"
VEIL_BIN="${VEIL_BIN:-$BUILD/src/app/veil}"
VEIL_CONFIG="${VEIL_CONFIG:-}"
PEER="$ROOT/bench/peers/ws-broadcast"

for tool in cmake ninja taskset node npm curl jq; do
  command -v "$tool" >/dev/null || { echo "bench-fanout.sh: $tool not found (scripts/setup.sh, apt-get install $tool)" >&2; exit 1; }
done
[ "$(nproc)" -ge 2 ] || { echo "bench-fanout.sh: needs 2 cores (servers on 0, the load on 1)" >&2; exit 1; }
# Each side holds one socket per viewer, plus the server's own files.
max_viewers=0
for n in $VIEWERS; do [ "$n" -gt "$max_viewers" ] && max_viewers=$n; done
want=$((max_viewers + 1024))
if [ "$(ulimit -n)" -lt "$want" ]; then
  ulimit -n "$want" 2>/dev/null || { echo "bench-fanout.sh: ulimit -n $want refused (hard limit $(ulimit -Hn))" >&2; exit 1; }
fi

WORK="$(mktemp -d "${TMPDIR:-/tmp}/veil-fanout.XXXXXX")"
SERVER_PID=""
stop_server() {
  if [ -n "$SERVER_PID" ]; then
    kill "$SERVER_PID" 2>/dev/null || true
    wait "$SERVER_PID" 2>/dev/null || true
    SERVER_PID=""
  fi
}
cleanup() { stop_server; rm -rf "$WORK"; }
trap cleanup EXIT

# ---------------------------------------------------------------- build
# As scripts/bench.sh: GCC 12 at -O3 reports a false -Wrestrict inside libstdc++'s std::string;
# it stays a warning here, -Werror still guards everything else.
cmake -S "$ROOT" -B "$BUILD" -G Ninja -DCMAKE_BUILD_TYPE=Release -DCMAKE_CXX_FLAGS=-Wno-error=restrict >/dev/null
cmake --build "$BUILD" --target veil veil_fanout_bench
(cd "$PEER" && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
WS_VERSION="$(node -p "require('$PEER/node_modules/ws/package.json').version")"

# A loopback port nothing listens on (bash's /dev/tcp connect is refused), below the ephemeral
# range: a port the last run's thousands of client sockets still hold in TIME_WAIT is refused on
# connect, yet cannot be listened on.
EPHEMERAL_LOW="$(cut -f1 /proc/sys/net/ipv4/ip_local_port_range)"
free_port() {
  local port
  for _ in $(seq 200); do
    port=$((10000 + RANDOM % (EPHEMERAL_LOW - 10000)))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then echo "$port"; return 0; fi
  done
  echo "bench-fanout.sh: no free loopback port" >&2
  return 1
}
wait_listening() {
  for _ in $(seq 100); do (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0; sleep 0.1; done
  echo "bench-fanout.sh: nothing listens on $1" >&2
  return 1
}

# Starts TARGET on core 0 on a free port; sets SERVER_PID and PORT.
start_server() {
  local target="$1" run="$2"
  PORT="$(free_port)"
  case "$target" in
    veil)
      taskset -c 0 "$VEIL_BIN" serve --dev ${VEIL_CONFIG:+--config "$VEIL_CONFIG"} --listen "127.0.0.1:$PORT" \
        --data-dir "$WORK/$run-data" --resources "$ROOT" --threads "$VEIL_THREADS" 2>"$WORK/$run-server.log" &
      ;;
    ws)
      PORT="$PORT" taskset -c 0 node "$PEER/server.js" >"$WORK/$run-server.log" 2>&1 &
      ;;
  esac
  SERVER_PID=$!
  wait_listening "$PORT"
}

echo "== $(date -u +%Y-%m-%dT%H:%M:%SZ), $(nproc) cores, load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "== veil: $VEIL_BIN (Release, --threads $VEIL_THREADS${VEIL_CONFIG:+, --config $VEIL_CONFIG}); reference: ws $WS_VERSION on node $(node --version)"
echo "== each run: ${WARMUP}s warm-up, ${DURATION}s measured, ${DRAIN}s drain; rate = $DELIVERIES deliveries/s / viewers"
RESULTS=()
for ((r = 1; r <= REPEAT; r++)); do
  for n in $VIEWERS; do
    rate="$(awk -v d="$DELIVERIES" -v n="$n" 'BEGIN { printf "%.3f", d / n }')"
    for target in $TARGETS; do
      run="$target-$n-$r"
      echo "== $run: $n viewers, $rate msg/s (load average $(cut -d' ' -f1-3 /proc/loadavg))"
      start_server "$target" "$run"
      if taskset -c 1 "$BUILD/bench/fanout/veil_fanout_bench" --target "$target" --port "$PORT" \
          --server-pid "$SERVER_PID" --viewers "$n" --rate "$rate" --warmup "$WARMUP" --duration "$DURATION" \
          --drain "$DRAIN" --label "$run" --json "$WORK/$run.json"; then
        RESULTS+=("$WORK/$run.json")
      else
        echo "== $run failed; server log:" && tail -20 "$WORK/$run-server.log"
      fi
      stop_server
      sleep 2  # let the closed connections' TIME_WAIT and the other side settle
    done
  done
done

# ---------------------------------------------------------------- summary
echo
echo "== summary ($(date -u +%Y-%m-%dT%H:%MZ), load average now $(cut -d' ' -f1-3 /proc/loadavg))"
printf '%-14s %7s %7s %10s %9s %7s %8s %8s %8s %9s %8s %8s %s\n' \
  run viewers msg/s deliv/s "srv µs/d" "srv %" "p50 ms" "p99 ms" "max ms" loss "cli %" "waited" valid
for f in "${RESULTS[@]}"; do
  jq -r '[.label, .connections, .rate, .deliveries_per_second, .server_cpu_us_per_delivery, 100 * .server_cpu_share,
          .latency_ms.p50, .latency_ms.p99, .latency_ms.max, 100 * .loss, 100 * .client_cpu_share,
          .server_wait_seconds, (if .valid then "yes" else "INVALID (client saturated)" end)] | @tsv' "$f" |
    awk -F'\t' '{ printf "%-14s %7d %7.1f %10.0f %9.3f %7.1f %8.2f %8.2f %8.2f %8.4f%% %7.1f %7.2fs %s\n", $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13 }'
done
echo "(srv µs/d: server CPU µs per delivery; srv %: of one core; cli %: the load tool's share of its core;"
echo " waited: seconds the server was runnable but its core busy, with another process or its own other thread)"

# Veil against the reference, per viewer count and repetition: the goal is half the CPU per delivery
# or less, and at 5,000 viewers p99 under 100 ms at the full rate.
echo
for ((r = 1; r <= REPEAT; r++)); do
  for n in $VIEWERS; do
    v="$WORK/veil-$n-$r.json"; w="$WORK/ws-$n-$r.json"
    [ -f "$v" ] && [ -f "$w" ] || continue
    jq -rn --slurpfile v "$v" --slurpfile w "$w" --arg n "$n" --arg r "$r" --argjson d "$DELIVERIES" '
      ($v[0]) as $v | ($w[0]) as $w
      | ($v.server_cpu_us_per_delivery / $w.server_cpu_us_per_delivery) as $ratio
      | "viewers \($n), run \($r): Veil/ws CPU per delivery = \($ratio * 1000 | round / 1000)"
        + " (goal <= 0.5: \(if $ratio <= 0.5 then "met" else "NOT met" end));"
        + " Veil p99 \($v.latency_ms.p99) ms (goal < 100: \(if $v.latency_ms.p99 < 100 then "met" else "NOT met" end));"
        + " Veil \($v.deliveries_per_second | round) deliveries/s of \($d)"
        + (if ($v.valid and $w.valid) then "" else "; INVALID: a client was saturated" end)'
  done
done
