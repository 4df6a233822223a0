#!/bin/sh
# Formats each man page and fails on any warning from the formatter.
# Usage: test-man.sh PAGE...
set -eu

status=0
for page in "$@"; do
  warnings=$(LC_ALL=C.UTF-8 groff -man -Tutf8 -ww -z "$page" 2>&1) || status=1
  if [ -n "$warnings" ]; then
    echo "$page:"
    echo "$warnings"
    status=1
  else
    echo "ok - $page"
  fi
done
exit $status
