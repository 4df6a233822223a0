#!/bin/sh
#
# test-install.sh
#
# Copyright 2026 The Refinery authors
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Installs the build into a temporary directory with `meson install --destdir`,
# checks that every file lands where the desktop expects it, and runs the
# installed refinery-inspect --version.
#
# Usage: test-install.sh BUILDDIR [gui|no-gui]

set -eu

builddir=$(cd "$1" && pwd)
mode=${2:-gui}
srcroot=$(cd "$(dirname "$0")/.." && pwd)
app_id=io.github.refinery.Refinery
meson=${MESON:-meson}

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
destdir=$tmp/root

# The build is complete when meson test runs this; rebuilding here would race
# with the other tests using the same binaries.
if ! "$meson" install -C "$builddir" --no-rebuild --destdir "$destdir" >"$tmp/install.log" 2>&1; then
  echo "not ok - meson install failed:"
  sed 's/^/# /' "$tmp/install.log"
  exit 1
fi
echo "ok - meson install --destdir"

# Installation directories and version, as the build configured them.
"$meson" introspect "$builddir" --buildoptions --projectinfo >"$tmp/introspect.json"
eval "$(python3 - "$tmp/introspect.json" <<'EOF'
import json, os, shlex, sys
data = json.load(open(sys.argv[1]))
options = {o['name']: o['value'] for o in data['buildoptions']}
prefix = options['prefix']
for name in ('bindir', 'libdir', 'datadir', 'mandir', 'localedir'):
    print('%s=%s' % (name, shlex.quote(os.path.join(prefix, options[name]))))
print('version=%s' % shlex.quote(data['projectinfo']['version']))
EOF
)"

status=0
n=1
pass () { n=$((n + 1)); echo "ok $n - $1"; }
fail () { n=$((n + 1)); echo "not ok $n - $1"; status=1; }
expect_file () {
  if [ -f "$destdir$1" ] && [ -s "$destdir$1" ]; then
    pass "$1"
  else
    fail "$1 is missing or empty"
  fi
}

# refinery-inspect runs from its installed location.
inspect=$destdir$bindir/refinery-inspect
if [ -x "$inspect" ]; then
  pass "$bindir/refinery-inspect"
  if out=$(LD_LIBRARY_PATH="$destdir$libdir${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}" \
           "$inspect" --version 2>&1); then
    case $out in
      *"$version"*) pass "refinery-inspect --version: $(echo "$out" | head -n 1)" ;;
      *) fail "refinery-inspect --version does not mention $version: $out" ;;
    esac
  else
    fail "refinery-inspect --version failed: $out"
  fi
else
  fail "$bindir/refinery-inspect is not installed"
fi

# Files that every build installs.
expect_file "$datadir/mime/packages/$app_id.xml"
expect_file "$mandir/man1/refinery-inspect.1"
completion=$(find "$destdir" -path '*/bash-completion/completions/refinery-inspect' -type f | head -n 1)
if [ -n "$completion" ]; then
  pass "${completion#"$destdir"}"
else
  fail "the bash completion for refinery-inspect is not installed"
fi
for lang in $(grep -v '^#' "$srcroot/po/LINGUAS"); do
  expect_file "$localedir/$lang/LC_MESSAGES/refinery.mo"
done

# Files of the GUI.
if [ "$mode" = gui ]; then
  if [ -x "$destdir$bindir/refinery" ]; then
    pass "$bindir/refinery"
  else
    fail "$bindir/refinery is not installed"
  fi
  expect_file "$datadir/applications/$app_id.desktop"
  expect_file "$datadir/metainfo/$app_id.metainfo.xml"
  expect_file "$datadir/glib-2.0/schemas/$app_id.gschema.xml"
  expect_file "$datadir/icons/hicolor/scalable/apps/$app_id.svg"
  expect_file "$datadir/icons/hicolor/symbolic/apps/$app_id-symbolic.svg"
  expect_file "$mandir/man1/refinery.1"
  # The installed desktop file carries the translations.
  if grep -q '^Comment\[de\]=' "$destdir$datadir/applications/$app_id.desktop" 2>/dev/null; then
    pass "the desktop file is translated"
  else
    fail "the installed desktop file has no German comment"
  fi
  # The installed schema compiles.
  if glib-compile-schemas --strict --dry-run "$destdir$datadir/glib-2.0/schemas" 2>"$tmp/schemas.log"; then
    pass "the installed schemas compile"
  else
    fail "the installed schemas do not compile: $(cat "$tmp/schemas.log")"
  fi
fi

echo "1..$n"
exit $status
