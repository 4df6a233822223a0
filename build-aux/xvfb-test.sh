#!/bin/bash
# xvfb-test.sh COMMAND [ARGS…] — runs one test on an X server of its own.
#
# The default test setup (tests/meson.build) runs every test through this.
# UI tests that share one X server take each other's window activation:
# the last window mapped gets the input focus, and GTK then drops the
# focus (and its ring, and key handling) from every other test's window
# while that test is looking at it. One Xvfb per test keeps each test
# alone; Xvfb picks a free display number itself (-displayfd), so tests
# started at the same moment never race for one, as `xvfb-run -a` can.
# Without Xvfb (a developer's desktop with no xvfb package) the test runs
# on the display it was given.
set -u

if ! command -v Xvfb > /dev/null 2>&1; then
  exec "$@"
fi

dir=$(mktemp -d "${TMPDIR:-/tmp}/rf-xvfb.XXXXXX") || exit 99
server=
cleanup() {
  [ -n "$server" ] && kill "$server" 2> /dev/null && wait "$server" 2> /dev/null
  rm -rf "$dir"
}
trap cleanup EXIT
trap 'exit 143' TERM INT

mkfifo "$dir/display" || exit 99
Xvfb -displayfd 3 -screen 0 1400x900x24 -nolisten tcp 3> "$dir/display" 2> "$dir/log" &
server=$!
if ! read -r -t 30 number < "$dir/display" || [ -z "$number" ]; then
  echo "xvfb-test.sh: Xvfb did not start:" >&2
  cat "$dir/log" >&2
  exit 99
fi

DISPLAY=":$number" "$@"
