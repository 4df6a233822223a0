#!/bin/sh
# Sets up, builds and runs Refinery on its built-in demo stream.
# With a display: opens the app. Without one (a server, CI): runs the app
# under Xvfb for a few seconds, saves a screenshot to _build/demo.png and
# prints what refinery-inspect sees in the same demo.
set -eu

cd "$(dirname "$0")/.."

./build-aux/setup-debian.sh
[ -f _build/build.ninja ] || meson setup _build --buildtype=debugoptimized
meson compile -C _build

export GSETTINGS_SCHEMA_DIR="$PWD/_build/data"

if [ -n "${DISPLAY:-}" ] || [ -n "${WAYLAND_DISPLAY:-}" ]; then
  exec ./_build/src/ui/refinery --demo
fi

echo "No display: running the app under Xvfb for 10 s (screenshot: _build/demo.png)"
xvfb-run -a -s "-screen 0 1400x900x24" sh -c '
  ./_build/src/ui/refinery --demo &
  app=$!
  sleep 10
  import -window root _build/demo.png
  kill $app
' || true
./_build/src/cli/refinery-inspect --realtime demo
