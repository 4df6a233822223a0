#!/bin/bash
# Runs refinery-inspect over a few fixture streams, and the fuzz harnesses
# over their seed corpora and regression inputs, under valgrind: any
# invalid read or write, use of uninitialised memory, or definite,
# indirect or possible leak (after build-aux/valgrind.supp) fails.
#
#   build-aux/run-valgrind.sh [BUILD_DIR] [SANITIZE]
# Exits 77 (skipped) when valgrind is missing or the build uses sanitizers.
set -uo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$root/_build}
sanitize=${2:-none}

if ! command -v valgrind >/dev/null; then
  echo "valgrind is not installed: skipped"
  exit 77
fi
if [ "$sanitize" != "none" ] || [ "${RF_TEST_SANITIZED:-0}" = "1" ]; then
  echo "built with sanitizers ($sanitize): valgrind skipped"
  exit 77
fi

inspect="$build/src/cli/refinery-inspect"
[ -x "$inspect" ] || { echo "no $inspect"; exit 2; }

export G_SLICE=always-malloc G_DEBUG=gc-friendly LC_ALL=C.UTF-8
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

vg=(valgrind --quiet --error-exitcode=1 --leak-check=full --show-leak-kinds=definite,indirect,possible
    --errors-for-leak-kinds=definite,indirect,possible --num-callers=30
    --suppressions="$root/build-aux/valgrind.supp" --trace-children=no)

status=0
n=0
check() {
  local name=$1; shift
  n=$((n + 1))
  if "${vg[@]}" --log-file="$work/vg.log" "$@" >"$work/out" 2>"$work/err"; then
    echo "ok $n $name"
  else
    rc=$?
    # Exit 1 from refinery-inspect itself (a stream with errors) is not a
    # valgrind failure: with --quiet, valgrind logs only what it found.
    if [ $rc -eq 1 ] && [ ! -s "$work/vg.log" ]; then
      echo "ok $n $name (exit 1, valgrind clean)"
    else
      echo "not ok $n $name (exit $rc)"
      cat "$work/vg.log"
      status=1
    fi
  fi
}

corpus="$root/fuzz/corpus/fuzz-sse-parser"
check "dump=events demo" "$inspect" --dump=events demo
for f in "$corpus"/*-2-partials.sse "$corpus"/*framing*.sse "$corpus"/*errors.sse "$corpus"/*odd-fields.sse; do
  check "$(basename "$f")" "$inspect" --workers=2 "$f"
done
check "dump=sse + export + record" "$inspect" --dump=sse --export="$work/export" \
  --record="$work/journal.sse" "$corpus/02-responses-2-partials.sse"
check "replay journal" "$inspect" --json "$work/journal.sse"
# The summaries the history list reads from journals, event by event.
journal_test="$build/tests/core/test-journal"
[ -x "$journal_test" ] && check "journal summaries" "$journal_test"

for h in fuzz-sse-parser fuzz-event fuzz-image-decode; do
  replay="$build/tests/reliability/replay-$h"
  [ -x "$replay" ] || continue
  check "replay-$h" "$replay" "$root/fuzz/corpus/$h" "$root/fuzz/regressions/$h"
done

echo "$n runs under valgrind"
exit $status
