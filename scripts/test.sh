#!/usr/bin/env bash
# The README's second command: install what is needed, build, and run every test:
#   1. all C++ test suites (storage against SQLite and a throwaway PostgreSQL, engine, accounts,
#      the HTTP API end to end);
#   2. the engine's and storage's suites once more under AddressSanitizer + UndefinedBehaviorSanitizer;
#   3. the browser tests (playwright-core driving Debian's Chromium against a real `veil serve --dev`).
# Ends with one line "N passed, N failed" counting every test case.
set -uo pipefail
cd "$(dirname "$0")/.."
ROOT="$(pwd)"
JOBS="$(nproc)"

scripts/setup.sh --tests || { echo "0 passed, 1 failed"; exit 1; }

failed_steps=0
step() { echo; echo "==> $*"; }

step "build (RelWithDebInfo)"
if ! scripts/build.sh RelWithDebInfo build; then echo "build failed"; echo "0 passed, 1 failed"; exit 1; fi
rm -rf build/test-results

step "C++ tests"
ctest --test-dir build --output-on-failure -j "$JOBS" || failed_steps=$((failed_steps + 1))

step "engine and storage tests under ASan + UBSan"
cmake -S . -B build-asan -G Ninja -DCMAKE_BUILD_TYPE=Debug -DVEIL_SANITIZE=ON -DVEIL_ENGINE_ONLY=ON > /dev/null \
  && cmake --build build-asan \
  && rm -rf build-asan/test-results \
  && ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 ctest --test-dir build-asan --output-on-failure -j "$JOBS" \
  || failed_steps=$((failed_steps + 1))

step "browser tests"
browser_pass=0; browser_fail=0
if [ -d tests/browser ] && [ -f tests/browser/package.json ]; then
  out="$(cd tests/browser && VEIL_BIN="$ROOT/build/src/app/veil" node --test --test-reporter=tap --test-concurrency=1 2>&1)"
  status=$?
  echo "$out"
  browser_pass=$(echo "$out" | awk '/^# pass /{print $3}' | tail -1)
  browser_fail=$(echo "$out" | awk '/^# fail /{print $3}' | tail -1)
  browser_pass=${browser_pass:-0}; browser_fail=${browser_fail:-0}
  if [ "$status" -ne 0 ] && [ "$browser_fail" -eq 0 ]; then browser_fail=1; fi
fi

# Sum the GoogleTest reports; a suite binary that crashed before writing its report counts as
# one failure (ctest knows it failed).
read -r gpass gfail <<<"$(scripts/sum-gtest-reports.sh build/test-results build-asan/test-results)"
missing=0
for dir in build build-asan; do
  [ -f "$dir/Testing/Temporary/LastTestsFailed.log" ] || continue
  while read -r line; do
    name="${line#*:}"
    [ -f "$dir/test-results/$name.xml" ] || missing=$((missing + 1))
  done < "$dir/Testing/Temporary/LastTestsFailed.log"
done
passed=$((gpass + browser_pass))
failed=$((gfail + browser_fail + missing))
if [ "$failed" -eq 0 ] && [ "$failed_steps" -ne 0 ]; then failed=$failed_steps; fi
echo
echo "${passed} passed, ${failed} failed"
[ "$failed" -eq 0 ]
