#!/bin/sh
# Every option that refinery-inspect --help-all lists is documented in its
# man page and offered by its bash completion.
# Usage: test-cli-docs.sh REFINERY-INSPECT MAN-PAGE COMPLETION
set -eu

inspect=$1
page=$2
completion=$3

if [ ! -x "$inspect" ]; then
  echo "1..0 # SKIP $inspect is not built"
  exit 77
fi

options=$(LC_ALL=C.UTF-8 "$inspect" --help-all |
          sed -n 's/^ *\(-[A-Za-z0-9], \)\{0,1\}\(--[a-z][a-z0-9-]*\).*/\2/p' |
          grep -v -x -e '--help' -e '--help-all' -e '--help-[a-z-]*' | sort -u)
if [ -z "$options" ]; then
  echo "not ok - no options found in the output of $inspect --help-all"
  exit 1
fi

status=0
n=0
for option in $options; do
  n=$((n + 1))
  # troff spells a hyphen as \-
  escaped=$(printf '%s' "$option" | sed 's/-/\\\\-/g')
  if ! grep -q -e "$escaped" "$page"; then
    echo "not ok $n - $option is not documented in $page"
    status=1
  elif ! grep -q -x -e "$option=\{0,1\}'\{0,1\}" "$completion"; then
    echo "not ok $n - $option is not completed by $completion"
    status=1
  else
    echo "ok $n - $option"
  fi
done
echo "1..$n"
exit $status
