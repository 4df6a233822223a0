#!/bin/bash
# Builds GLib (libglib, libgobject, libgio, libgmodule, libgthread) with
# ThreadSanitizer, for the TSan test run of .ci/run, and prints the
# LD_LIBRARY_PATH that puts it in front of the system's copy.
#
#   build-aux/build-tsan-glib.sh DIR
#
# Why: ThreadSanitizer only sees the synchronisation of code it
# instruments. Debian's GLib is not instrumented, and its GMutex, GCond,
# GAsyncQueue, GThreadPool, GTask, reference counts and main-context
# wake-ups are futexes and atomics inside libglib: without this build every
# hand-over between Refinery's threads (a frame pushed to a decode worker,
# a result returned to the main loop) is reported as a race, and the races
# that are real drown among them. The source is the one of the GLib
# installed (same version, same ABI), fetched with apt-get source through
# a private apt configuration under DIR (nothing on the system changes);
# GTK, Pango, fontconfig and Mesa stay uninstrumented, see
# build-aux/tsan.supp. A second run with the same version reuses DIR.
set -euo pipefail

dir=$(mkdir -p "$1" && cd "$1" && pwd)
version=$(dpkg-query -W -f='${Version}' libglib2.0-0)
upstream=${version%%-*}
upstream=${upstream#*:}
build="$dir/build-$version"
libpath="$build/glib:$build/gobject:$build/gio:$build/gmodule:$build/gthread"

if [ -f "$build/.done" ]; then
  echo "$libpath"
  exit 0
fi

{
  apt="$dir/apt"
  mkdir -p "$apt/lists/partial" "$apt/cache/archives/partial" "$dir/src"
  # The suites of the system's own sources, as source lists.
  cat > "$apt/sources.list" <<'EOF'
deb-src http://deb.debian.org/debian bookworm main
deb-src http://deb.debian.org/debian bookworm-updates main
deb-src http://deb.debian.org/debian-security bookworm-security main
EOF
  opts=(-o "Dir::Etc::SourceList=$apt/sources.list" -o "Dir::Etc::SourceParts=/dev/null"
        -o "Dir::State::Lists=$apt/lists" -o "Dir::Cache=$apt/cache" -o "Debug::NoLocking=1"
        -o "APT::Sandbox::User=$(id -un)")
  apt-get "${opts[@]}" -qq update
  (cd "$dir/src" && apt-get "${opts[@]}" -qq source --download-only "glib2.0=$version")
  rm -rf "$dir/src/glib-$upstream"
  tar -C "$dir/src" -xf "$dir/src/glib2.0_$upstream.orig.tar.xz"

  # Only what the libraries need: no tests, docs, or optional back ends.
  rm -rf "$build"
  meson setup "$build" "$dir/src/glib-$upstream" --buildtype=debugoptimized \
    -Db_sanitize=thread -Db_lundef=false -Dtests=false -Dinstalled_tests=false \
    -Dman=false -Dgtk_doc=false -Dselinux=disabled -Dlibmount=disabled -Dxattr=false \
    -Dnls=disabled -Dlibelf=disabled -Dglib_debug=disabled -Dsysprof=disabled
  meson compile -C "$build"
  touch "$build/.done"
} >&2

echo "$libpath"
