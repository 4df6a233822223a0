#!/bin/bash
# Runs every libFuzzer harness for SECONDS (default 60) each, one after the
# other, starting from the seed corpora in fuzz/corpus/. New inputs go to
# BUILD/fuzz-work/<harness>/, crashes to BUILD/fuzz-artifacts/. Prints the
# executions per harness; exits 1 if a harness found a crash, leak or hang.
#
#   CC=clang meson setup _build-fuzz -Dfuzzers=true -Dgui=false -Db_lundef=false
#   build-aux/run-fuzzers.sh [SECONDS] [BUILD_DIR] [HARNESS...]
set -uo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
seconds=${1:-60}
build=${2:-$root/_build-fuzz}
shift $(( $# > 2 ? 2 : $# ))
harnesses=("$@")
[ ${#harnesses[@]} -eq 0 ] && harnesses=(fuzz-sse-parser fuzz-event fuzz-image-decode)

ninja -C "$build" "${harnesses[@]/#/fuzz/}" >/dev/null || { echo "build failed"; exit 2; }

export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:allocator_may_return_null=1}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"
export G_SLICE=always-malloc
export LC_ALL=C.UTF-8

status=0
for name in "${harnesses[@]}"; do
  work="$build/fuzz-work/$name"
  artifacts="$build/fuzz-artifacts/$name/"
  log="$build/fuzz-work/$name.log"
  mkdir -p "$work" "$artifacts"

  inputs=("$root/fuzz/corpus/$name")
  [ -d "$root/fuzz/regressions/$name" ] && inputs+=("$root/fuzz/regressions/$name")

  "$build/fuzz/$name" "$work" "${inputs[@]}" \
    -max_total_time="$seconds" -timeout=20 -rss_limit_mb=2560 -max_len=65536 -detect_leaks=1 \
    -print_final_stats=1 -artifact_prefix="$artifacts" >"$log" 2>&1
  rc=$?

  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  cov=$(grep -ao 'cov: [0-9]*' "$log" | tail -1)
  if [ $rc -eq 0 ]; then
    echo "$name: ${execs:-?} executions in ${seconds}s, ${cov:-cov: ?}, no crash"
  else
    echo "$name: FAILED (exit $rc) after ${execs:-?} executions; see $log and $artifacts"
    grep -a -m3 -E 'ERROR|runtime error|SUMMARY' "$log"
    status=1
  fi
done
exit $status
