#!/bin/bash
# Drives the bash completion for refinery-inspect as bash would, and checks
# what it offers. Usage: test-completion.sh COMPLETION-SCRIPT
set -u

# shellcheck source=/dev/null
source "$1" || exit 1

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir "$tmp/runs"
touch "$tmp/run.sse" "$tmp/run.request.json"
cd "$tmp" || exit 1

n=0
status=0
# check EXPECTED WORD... : completes the last WORD of "refinery-inspect WORD..."
check ()
{
  local expected=$1
  shift
  COMP_WORDS=(refinery-inspect "$@")
  COMP_CWORD=$(( ${#COMP_WORDS[@]} - 1 ))
  COMPREPLY=()
  _refinery_inspect
  local got
  got=$(printf '%s\n' "${COMPREPLY[@]}" | LC_ALL=C sort | tr '\n' ' ')
  got=${got% }
  n=$((n + 1))
  if [[ $got == "$expected" ]]; then
    echo "ok $n - [$*] -> $got"
  else
    echo "not ok $n - [$*] -> '$got', expected '$expected'"
    status=1
  fi
}

check '--dump=' --du
check 'events sse' --dump =
check 'events' --dump = e
check '--dump=events' --dump=e
check 'sse' --dump s
check 'chat images responses' --api ''
check '--provider=custom --provider=gemini --provider=openai --provider=openrouter' --provider=
check '16:9' --aspect-ratio = 16
check '--aspect-ratio=' --aspect
check 'openrouter' --provider = openr
check 'auto high low medium' --quality ''
check 'jpeg png webp' --format =
check 'auto opaque transparent' --background ''
check '1024x1024 1024x1536' --size 1024x1
check '0 1 2 3' --partial-images =
check '' --prompt ''
check '' --max-side =
check 'auto low' --moderation ''
check '--max-bytes= --max-pixels= --max-side=' --max
check 'run.sse' --idle-timeout 30 run.s
check 'runs' --export = r
check 'run.request.json run.sse runs' --record r
check '--background-mode --background=' --backg
check '--realtime --record=' --re
check 'demo' --json de
check 'run.request.json run.sse runs' --json ru
check '-' -
check 'run.sse' --dump events run.s
echo "1..$n"
exit $status
