#!/bin/sh
# Checks the shared MIME info file: the MIME database accepts it without a
# complaint, and names and contents map to the intended types.
# Usage: test-mime.sh MIME-XML
set -eu

mime_xml=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM

if ! command -v update-mime-database >/dev/null 2>&1; then
  echo "1..0 # SKIP update-mime-database is not installed"
  exit 0
fi

mkdir -p "$tmp/mime/packages" "$tmp/files" "$tmp/home"
cp "$mime_xml" "$tmp/mime/packages/io.github.refinery.Refinery.xml"
if ! XDG_DATA_HOME="$tmp/home" XDG_DATA_DIRS="$tmp" update-mime-database "$tmp/mime" >"$tmp/log" 2>&1 || [ -s "$tmp/log" ]; then
  echo "not ok 1 - update-mime-database rejected $mime_xml:"
  sed 's/^/# /' "$tmp/log"
  exit 1
fi
echo "ok 1 - update-mime-database accepts the file"

if ! command -v gio >/dev/null 2>&1; then
  echo "# gio is not installed: not checking name and content detection"
  exit 0
fi

printf ': t=0\ndata: {"type":"response.created"}\n\n' >"$tmp/files/run.sse"
printf '{"type":"response.created"}\n' >"$tmp/files/events.jsonl"
printf '{"type":"response.created"}\n' >"$tmp/files/events.ndjson"
printf 'event: message\ndata: {}\n\n' >"$tmp/files/stream-without-suffix"
printf ': t=12\ndata: {}\n\n' >"$tmp/files/recording-without-suffix"

status=0
n=1
check () {
  n=$((n + 1))
  got=$(XDG_DATA_HOME="$tmp/home" XDG_DATA_DIRS="$tmp:/usr/local/share:/usr/share" \
        gio info -a standard::content-type "$tmp/files/$1" |
        sed -n 's/^ *standard::content-type: //p')
  if [ "$got" = "$2" ]; then
    echo "ok $n - $1 is $2"
  else
    echo "not ok $n - $1 is '$got', expected $2"
    status=1
  fi
}
check run.sse application/x-refinery-recording
check events.jsonl application/x-ndjson
check events.ndjson application/x-ndjson
check stream-without-suffix text/event-stream
check recording-without-suffix application/x-refinery-recording
echo "1..$n"
exit $status
