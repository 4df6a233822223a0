#!/usr/bin/env python3
#
# make-pseudo-locale.py
#
# Copyright 2026 The Refinery authors
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Usage:
#   make-pseudo-locale.py SOURCE_ROOT OUTPUT.mo [OUTPUT.po]
#
# Extracts every translatable string from the files in po/POTFILES.in (as the
# refinery-pot target does) and writes a pseudo-translation of all of them:
# each message is wrapped in [ ], its letters get accents and it is made
# about 40 % longer with "·", so
#
#   "Search events"  ->  "[Ŝéàŕçĥ éṽéñţš·····]"
#
# printf conversions (%s, %-10s, %1$lld, %.2f, %%), markup tags and entities,
# mnemonic underscores and the whitespace and newlines around a message are
# kept as they are. A string on screen that is not wrapped so was never
# looked up in the catalog; a string cut short loses its closing bracket.
# The tests run refinery and refinery-inspect with LANGUAGE set to the
# pseudo-locale (see tests/pseudo/) and fail on any such string.
#
# Exits 0 when OUTPUT.mo is written, 1 when a gettext tool fails, 77 when one
# is missing.

import os
import re
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from importlib import import_module  # noqa: E402

XGETTEXT_ARGS = import_module('check-potfiles').XGETTEXT_ARGS

ACCENTS = dict(zip(
    'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ',
    'àƀçđéƒĝĥíĵķĺɱñóþǫŕšţúṽŵẋýžÀƁÇĐÉƑĜĤÍĴĶĹṀÑÓÞǪŔŠŢÚṼŴẊÝŽ'))

# What must reach the program unchanged: printf (and strftime) conversions,
# XML/Pango tags and entities, and a mnemonic's underscore is kept by
# keeping every "_".
KEEP = re.compile(r'%(?:\d+\$)?[-+ #0\']*(?:\d+|\*)?(?:\.(?:\d+|\*))?'
                  r'(?:hh|h|ll|l|L|q|j|z|t|I)?[A-Za-z%]'
                  r'|<[/!?]?[A-Za-z][^<>]*>'
                  r'|&(?:[A-Za-z]+|#[0-9]+|#x[0-9A-Fa-f]+);')

BEGIN = '['
END = ']'
PAD = '·'


def accent(text):
    out = []
    pos = 0
    for m in KEEP.finditer(text):
        out.append(''.join(ACCENTS.get(c, c) for c in text[pos:m.start()]))
        out.append(m.group(0))
        pos = m.end()
    out.append(''.join(ACCENTS.get(c, c) for c in text[pos:]))
    return ''.join(out)


def pseudo_line(line):
    """One line of a message: leading and trailing blanks stay outside."""
    stripped = line.strip(' \t')
    if not stripped:
        return line
    lead = line[:len(line) - len(line.lstrip(' \t'))]
    trail = line[len(line.rstrip(' \t')):]
    visible = len(KEEP.sub('', stripped))
    pad = PAD * max(1, (visible * 2 + 4) // 5)
    return lead + BEGIN + accent(stripped) + pad + END + trail


def pseudo(text):
    if text == '':
        return ''
    # Semicolon lists (desktop keywords) stay lists.
    if text.endswith(';') and ';' in text[:-1] and ' ' not in text.split(';')[0]:
        return ';'.join(accent(word) for word in text.split(';'))
    return '\n'.join(pseudo_line(line) for line in text.split('\n'))


# A small reader of the POT that xgettext writes (no line wrapping).
def unquote(s):
    s = s.strip()
    assert s.startswith('"') and s.endswith('"'), s
    s = s[1:-1]
    return re.sub(r'\\(.)', lambda m: {'n': '\n', 't': '\t', '"': '"', '\\': '\\'}
                  .get(m.group(1), '\\' + m.group(1)), s)


def quote(s):
    return '"' + (s.replace('\\', '\\\\').replace('"', '\\"')
                  .replace('\n', '\\n').replace('\t', '\\t')) + '"'


def read_pot(path):
    messages = []
    current = {}
    key = None
    with open(path, encoding='utf-8') as f:
        for line in f:
            line = line.rstrip('\n')
            if line.startswith('#,'):
                current.setdefault('flags', line)
            elif line.startswith('#') or not line.strip():
                if not line.strip() and 'msgid' in current:
                    messages.append(current)
                    current = {}
                key = None
            elif line.startswith('"'):
                current[key] += unquote(line)
            else:
                key, _, rest = line.partition(' ')
                current[key] = unquote(rest)
    if 'msgid' in current:
        messages.append(current)
    return messages


def write_po(messages, path):
    with open(path, 'w', encoding='utf-8') as f:
        f.write('msgid ""\nmsgstr ""\n'
                '"Project-Id-Version: refinery\\n"\n'
                '"Language: en_XA\\n"\n'
                '"MIME-Version: 1.0\\n"\n'
                '"Content-Type: text/plain; charset=UTF-8\\n"\n'
                '"Content-Transfer-Encoding: 8bit\\n"\n'
                '"Plural-Forms: nplurals=2; plural=(n != 1);\\n"\n\n')
        for m in messages:
            if m['msgid'] == '':
                continue
            if 'flags' in m:
                f.write(m['flags'].replace(', fuzzy', '') + '\n')
            if 'msgctxt' in m:
                f.write('msgctxt %s\n' % quote(m['msgctxt']))
            f.write('msgid %s\n' % quote(m['msgid']))
            if 'msgid_plural' in m:
                f.write('msgid_plural %s\n' % quote(m['msgid_plural']))
                f.write('msgstr[0] %s\n' % quote(pseudo(m['msgid'])))
                f.write('msgstr[1] %s\n\n' % quote(pseudo(m['msgid_plural'])))
            else:
                f.write('msgstr %s\n\n' % quote(pseudo(m['msgid'])))


def main(argv):
    if len(argv) not in (3, 4):
        print('usage: make-pseudo-locale.py SOURCE_ROOT OUTPUT.mo [OUTPUT.po]')
        return 2
    root, mo = os.path.abspath(argv[1]), argv[2]
    tools = {tool: shutil.which(tool) for tool in ('xgettext', 'msgfmt')}
    for tool, path in tools.items():
        if path is None:
            print('%s is not installed' % tool)
            return 77
    with tempfile.TemporaryDirectory() as tmp:
        pot = os.path.join(tmp, 'refinery.pot')
        po = argv[3] if len(argv) == 4 else os.path.join(tmp, 'en_XA.po')
        result = subprocess.run([tools['xgettext'], '--package-name=refinery', '--no-wrap',
                                 '-f', os.path.join(root, 'po', 'POTFILES.in'),
                                 '-D', root, '-k_', '-o', pot] + XGETTEXT_ARGS,
                                capture_output=True, text=True)
        if result.returncode != 0:
            print('xgettext failed:\n' + result.stderr)
            return 1
        write_po(read_pot(pot), po)
        os.makedirs(os.path.dirname(os.path.abspath(mo)), exist_ok=True)
        result = subprocess.run([tools['msgfmt'], '-c', '--check-format', '-o', mo, po],
                                capture_output=True, text=True)
        if result.returncode != 0:
            print('msgfmt failed:\n' + result.stderr)
            return 1
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
