#!/bin/sh
# Installs everything Refinery needs to build, run and test on Debian 12.
# Safe to run again: packages already present are skipped.
set -eu

PACKAGES="
  meson ninja-build pkg-config gcc clang libclang-rt-14-dev
  libglib2.0-dev libglib2.0-bin libjson-glib-dev libsoup-3.0-dev libgdk-pixbuf-2.0-dev
  libgtk-4-dev libepoxy-dev libadwaita-1-dev libsecret-1-dev libwebp-dev webp-pixbuf-loader librsvg2-common
  gettext itstool appstream desktop-file-utils libxml2-utils shared-mime-info
  xvfb xauth imagemagick python3 valgrind
"

# --bench: also what the benchmark (build-aux/bench/run-bench.py) uses:
# photographs for its photo stream (mate-backgrounds, 46 MB) and perf for
# profiles. Not needed to build or test.
if [ "${1:-}" = "--bench" ]; then
  PACKAGES="$PACKAGES mate-backgrounds linux-perf"
fi

missing=""
for pkg in $PACKAGES; do
  if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed"; then
    missing="$missing $pkg"
  fi
done

if [ -z "$missing" ]; then
  echo "setup: all the packages asked for are installed"
  exit 0
fi

SUDO=""
if [ "$(id -u)" != 0 ]; then
  SUDO="sudo"
fi

echo "setup: installing$missing"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq $missing
