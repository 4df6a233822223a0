# bash completion for refinery-inspect                       -*- shell-script -*-
#
# Copyright 2026 The Refinery authors
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Completes the options of refinery-inspect, their values in both the
# "--opt=value" and the "--opt value" form, and SOURCE: a recording
# (.sse, .jsonl, .ndjson), "-" for standard input, or "demo".
# Needs nothing beyond bash itself.

_refinery_inspect_values ()
{
  # Prints the known values of option $1, one per line. Returns 1 for an
  # option that takes no value, 2 for a file, 3 for a directory and 4 for
  # free text (nothing to offer).
  case $1 in
    --dump) printf '%s\n' sse events ;;
    --align) printf '%s\n' index time ;;
    --api) printf '%s\n' responses images chat ;;
    --provider) printf '%s\n' openai openrouter gemini custom ;;
    --aspect-ratio) printf '%s\n' 1:1 2:3 3:2 3:4 4:3 4:5 5:4 9:16 16:9 21:9 ;;
    --moderation) printf '%s\n' auto low ;;
    --workers) printf '%s\n' 1 2 3 4 ;;
    --quality) printf '%s\n' auto low medium high ;;
    --format) printf '%s\n' png webp jpeg ;;
    --background) printf '%s\n' auto transparent opaque ;;
    --size) printf '%s\n' auto 1024x1024 1024x1536 1536x1024 ;;
    --partial-images) printf '%s\n' 0 1 2 3 ;;
    --speed) printf '%s\n' 0.25 0.5 1 2 4 8 ;;
    --image-model)
      printf '%s\n' gpt-image-1 gpt-image-1-mini gpt-image-1.5 gpt-image-2 chatgpt-image-latest \
        google/gemini-2.5-flash-image gemini-2.5-flash-image ;;
    --base-url)
      printf '%s\n' https://api.openai.com/v1 https://openrouter.ai/api/v1 \
        https://generativelanguage.googleapis.com ;;
    --record) return 2 ;;
    --export) return 3 ;;
    --prompt|--model|--compression|--idle-timeout|--max-bytes|--max-side|--max-pixels)
      return 4 ;;
    *) return 1 ;;
  esac
  return 0
}

_refinery_inspect ()
{
  local cur prev opt values rc i
  local IFS=$'\n'

  COMPREPLY=()
  cur=${COMP_WORDS[COMP_CWORD]}
  prev=
  if (( COMP_CWORD > 0 )); then
    prev=${COMP_WORDS[COMP_CWORD-1]}
  fi

  # Work out whether the word being completed is the value of an option.
  # With '=' in COMP_WORDBREAKS (the default) "--dump=ev" arrives as the
  # three words "--dump" "=" "ev"; without it, as one word.
  opt=
  if [[ $cur == = ]]; then
    opt=$prev
    cur=
  elif [[ $prev == = ]] && (( COMP_CWORD > 1 )); then
    opt=${COMP_WORDS[COMP_CWORD-2]}
  elif [[ $cur == --*=* ]]; then
    opt=${cur%%=*}
    cur=${cur#*=}
  elif [[ $prev == --* ]]; then
    values=$(_refinery_inspect_values "$prev")
    rc=$?
    if (( rc != 1 )); then
      opt=$prev
    fi
  fi

  if [[ -n $opt ]]; then
    values=$(_refinery_inspect_values "$opt")
    rc=$?
    case $rc in
      0) COMPREPLY=($(compgen -W "$values" -- "$cur")) ;;
      2) compopt -o filenames 2>/dev/null
         COMPREPLY=($(compgen -f -- "$cur")) ;;
      3) compopt -o filenames 2>/dev/null
         COMPREPLY=($(compgen -d -- "$cur")) ;;
      *) ;;
    esac
    # The one-word form needs the option in front of each value.
    if [[ ${COMP_WORDS[COMP_CWORD]} == --*=* ]]; then
      for i in "${!COMPREPLY[@]}"; do
        COMPREPLY[i]="$opt=${COMPREPLY[i]}"
      done
    fi
    return 0
  fi

  if [[ $cur == -?* ]]; then
    local options='--help
--help-all
--version
--json
--listen
--listen=
--upstream=
--dump=
--export=
--record=
--speed=
--realtime
--bench
--compare
--align=
--lanes=
--prompt=
--api=
--provider=
--base-url=
--model=
--image-model=
--partial-images=
--size=
--quality=
--format=
--background=
--background-mode
--compression=
--moderation=
--aspect-ratio=
--idle-timeout=
--workers=
--max-bytes=
--max-side=
--max-pixels='
    COMPREPLY=($(compgen -W "$options" -- "$cur"))
    if [[ ${#COMPREPLY[@]} -eq 1 && ${COMPREPLY[0]} == *= ]]; then
      compopt -o nospace 2>/dev/null
    fi
    return 0
  fi

  # SOURCE: recordings (any file, as contents are sniffed), "demo" or "-".
  compopt -o filenames 2>/dev/null
  COMPREPLY=($(compgen -f -- "$cur") $(compgen -W $'demo\n-' -- "$cur"))
  return 0
}

complete -F _refinery_inspect refinery-inspect
