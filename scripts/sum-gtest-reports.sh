#!/usr/bin/env bash
# Prints "<passed> <failed>" summed over the GoogleTest XML reports in the given folders.
# Skipped tests (GTEST_SKIP) count as neither.
set -uo pipefail
passed=0; failed=0
for dir in "$@"; do
  for f in "$dir"/*.xml; do
    [ -f "$f" ] || continue
    line="$(grep -m1 '<testsuites ' "$f")"
    get() { echo "$line" | sed -n "s/.* $1=\"\([0-9]*\)\".*/\1/p"; }
    tests=$(get tests); failures=$(get failures); errors=$(get errors); disabled=$(get disabled)
    skipped=$(grep -c '<skipped' "$f")
    passed=$((passed + ${tests:-0} - ${failures:-0} - ${errors:-0} - ${disabled:-0} - skipped))
    failed=$((failed + ${failures:-0} + ${errors:-0}))
  done
done
echo "$passed $failed"
