#!/usr/bin/env python3
#
# check-potfiles.py
#
# Copyright 2026 The Refinery authors
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Usage:
#   check-potfiles.py SOURCE_ROOT
#       po/POTFILES.in must list every file under src/ and data/ that holds
#       translatable strings, be sorted (byte order, as `LC_ALL=C sort`), have
#       no duplicates and name only files that exist. Files that hold such
#       strings on purpose but must not be translated go in po/POTFILES.skip.
#   check-potfiles.py --write SOURCE_ROOT
#       Rewrites po/POTFILES.in as the sorted list of every file under src/
#       and data/ with translatable strings (keeping its leading comments).
#   check-potfiles.py --translations SOURCE_ROOT
#       Extracts the strings from the sources as they are now (as meson's
#       refinery-pot target does, without touching po/) and checks that every
#       language in po/LINGUAS translates all of them, with nothing fuzzy,
#       and that every message from src/ that uses a jargon term of
#       po/GLOSSARY.md (its "Jargon" section) has a TRANSLATORS: comment;
#       in French, a no-break space (U+00A0 or U+202F) comes before every
#       ":", ";", "!" and "?" that ends a clause.
#   check-potfiles.py --comments SOURCE_ROOT
#       Only the check of the TRANSLATORS: comments.
#
# Exits 0 when all is well, 1 with a message naming each problem otherwise,
# 77 (skipped) when a gettext tool is missing.

import os
import re
import shutil
import subprocess
import sys
import tempfile

# Marks in C: _("…"), N_(…), C_(…), NC_(…), Q_(…) and the gettext family.
C_MARK = re.compile(r'(?<![A-Za-z0-9_])(?:_|N_|C_|NC_|Q_|gettext|ngettext|pgettext|'
                    r'dgettext|dngettext|g_dgettext|g_dngettext|g_dpgettext2?|'
                    r'g_dcgettext)\s*\(')
# Marks in GtkBuilder files.
UI_MARK = re.compile(r'translatable\s*=\s*["\'](?:yes|true|1)["\']')
# Translatable elements and keys in data files.
GSCHEMA_MARK = re.compile(r'<(?:summary|description)[\s>]')
MIME_MARK = re.compile(r'<(?:comment|acronym|expanded-acronym)[\s>]')
DESKTOP_MARK = re.compile(r'^(?:Name|GenericName|Comment|Keywords|X-GNOME-FullName)=',
                          re.MULTILINE)
METAINFO_MARK = re.compile(r'<(?:name|summary|p|li|caption)[\s>]')
# Old-style "<_tag>" markers.
UNDERSCORE_TAG = re.compile(r'<_[A-Za-z]')

# Same arguments as i18n.gettext(preset: 'glib') gives xgettext.
XGETTEXT_ARGS = [
    '--from-code=UTF-8', '--add-comments',
    '--keyword=_', '--keyword=N_', '--keyword=C_:1c,2', '--keyword=NC_:1c,2',
    '--keyword=g_dcgettext:2', '--keyword=g_dngettext:2,3',
    '--keyword=g_dpgettext2:2c,3',
    '--flag=N_:1:pass-c-format', '--flag=C_:2:pass-c-format',
    '--flag=NC_:2:pass-c-format', '--flag=g_dngettext:2:pass-c-format',
    '--flag=g_strdup_printf:1:c-format', '--flag=g_string_printf:2:c-format',
    '--flag=g_string_append_printf:2:c-format', '--flag=g_error_new:3:c-format',
    '--flag=g_set_error:4:c-format', '--flag=g_markup_printf_escaped:1:c-format',
    '--flag=g_log:3:c-format', '--flag=g_print:1:c-format',
    '--flag=g_printerr:1:c-format', '--flag=g_printf:1:c-format',
    '--flag=g_fprintf:2:c-format', '--flag=g_sprintf:2:c-format',
    '--flag=g_snprintf:3:c-format',
]


def read_list(path):
    """Entries of a POTFILES-style list, in file order, with line numbers."""
    entries = []
    if not os.path.exists(path):
        return entries
    with open(path, encoding='utf-8') as f:
        for number, line in enumerate(f, 1):
            line = line.strip()
            if line and not line.startswith('#'):
                entries.append((number, line))
    return entries


def strip_c_comments(text):
    return re.sub(r'/\*.*?\*/|//[^\n]*', '', text, flags=re.DOTALL)


def has_translatable_strings(path):
    name = os.path.basename(path)
    try:
        with open(path, encoding='utf-8', errors='replace') as f:
            text = f.read()
    except OSError:
        return False
    if name.endswith(('.c', '.h')):
        return C_MARK.search(strip_c_comments(text)) is not None
    if name.endswith('.ui'):
        return UI_MARK.search(text) is not None
    if name.endswith('.gschema.xml'):
        return GSCHEMA_MARK.search(text) is not None
    if '.desktop.in' in name:
        return DESKTOP_MARK.search(text) is not None
    if '.metainfo.xml.in' in name or '.appdata.xml.in' in name:
        return METAINFO_MARK.search(text) is not None
    if '.mime.xml.in' in name:
        return MIME_MARK.search(text) is not None
    if name.endswith('.in'):
        return UNDERSCORE_TAG.search(text) is not None
    return False


def candidates(root):
    """Files under src/ and data/ that could hold translatable strings."""
    found = []
    for top, exts in (('src', ('.c', '.h', '.ui')),
                      ('data', ('.in', '.gschema.xml'))):
        for dirpath, dirnames, filenames in os.walk(os.path.join(root, top)):
            dirnames[:] = sorted(d for d in dirnames if not d.startswith('.'))
            for filename in filenames:
                if filename.endswith(exts):
                    path = os.path.join(dirpath, filename)
                    found.append(os.path.relpath(path, root).replace(os.sep, '/'))
    return sorted(found)


def check_potfiles(root):
    problems = []
    potfiles_path = os.path.join(root, 'po', 'POTFILES.in')
    if not os.path.exists(potfiles_path):
        print('po/POTFILES.in does not exist')
        return 1
    listed = read_list(potfiles_path)
    skipped = {entry for _, entry in read_list(os.path.join(root, 'po', 'POTFILES.skip'))}
    names = [entry for _, entry in listed]

    seen = set()
    for number, entry in listed:
        if entry in seen:
            problems.append('po/POTFILES.in:%d: %s is listed twice' % (number, entry))
        seen.add(entry)
        if not os.path.isfile(os.path.join(root, entry)):
            problems.append('po/POTFILES.in:%d: %s does not exist' % (number, entry))

    if names != sorted(names):
        for (number, entry), previous in zip(listed[1:], names):
            if entry < previous:
                problems.append('po/POTFILES.in:%d: %s should come before %s '
                                '(keep the list sorted, as LC_ALL=C sort does)'
                                % (number, entry, previous))
                break

    for path in candidates(root):
        if path in seen or path in skipped:
            continue
        if has_translatable_strings(os.path.join(root, path)):
            problems.append('%s has translatable strings but is not listed in po/POTFILES.in'
                            % path)

    for number, entry in listed:
        full = os.path.join(root, entry)
        if os.path.isfile(full) and not has_translatable_strings(full):
            print('note: po/POTFILES.in:%d: %s has no translatable strings' % (number, entry))

    if problems:
        print('\n'.join(problems))
        print('%d problem(s) with po/POTFILES.in' % len(problems))
        return 1
    print('po/POTFILES.in lists all %d files with translatable strings' % len(names))
    return 0


def write_potfiles(root):
    potfiles_path = os.path.join(root, 'po', 'POTFILES.in')
    skipped = {entry for _, entry in read_list(os.path.join(root, 'po', 'POTFILES.skip'))}
    header = []
    if os.path.exists(potfiles_path):
        with open(potfiles_path, encoding='utf-8') as f:
            for line in f:
                if not line.startswith('#'):
                    break
                header.append(line.rstrip('\n'))
    files = [path for path in candidates(root)
             if path not in skipped and has_translatable_strings(os.path.join(root, path))]
    with open(potfiles_path, 'w', encoding='utf-8') as f:
        f.write('\n'.join(header + sorted(files)) + '\n')
    print('po/POTFILES.in: %d files' % len(files))
    return 0


def statistics(msgfmt, po):
    result = subprocess.run([msgfmt, '--statistics', '-o', os.devnull, po],
                            capture_output=True, text=True)
    return (result.stderr or result.stdout).strip()


def glossary_jargon(root):
    """The terms of the paragraph "Terms: `a`, `b`" in po/GLOSSARY.md's
    "Jargon" section."""
    path = os.path.join(root, 'po', 'GLOSSARY.md')
    with open(path, encoding='utf-8') as f:
        text = f.read()
    section = re.search(r'^## Jargon\b.*?$(.*?)(?=^## |\Z)', text, re.M | re.S)
    if section is None:
        return []
    terms = re.search(r'^Terms:(.*?)(?:\n\n|\Z)', section.group(1), re.M | re.S)
    if terms is None:
        return []
    return re.findall(r'`([^`]+)`', terms.group(1))


def pot_entries(pot_text):
    """(msgid, extracted comments, references) of each message of a POT."""
    entries = []
    for block in pot_text.split('\n\n'):
        lines = block.split('\n')
        match = re.search(r'^msgid (".*?)(?=^msgstr|^msgid_plural)', block, re.M | re.S)
        if match is None:
            continue
        msgid = ''.join(re.findall(r'"(.*)"', match.group(1)))
        if not msgid:
            continue
        comments = ' '.join(l[2:].strip() for l in lines if l.startswith('#.'))
        refs = ' '.join(l[2:].strip() for l in lines if l.startswith('#:')).split()
        entries.append((msgid, comments, refs))
    return entries


def check_comments(root, pot):
    """Every message from src/ with a jargon term of the glossary has a
    translator's comment: the words mean something narrower in Refinery
    than in a dictionary ("frame", "run", "partial"), and a translator
    sees the message alone."""
    terms = glossary_jargon(root)
    if not terms:
        print('po/GLOSSARY.md has no "## Jargon" section with a "Terms: `a`, `b`" paragraph')
        return 1
    jargon = re.compile(r'\b(?:%s)s?\b' % '|'.join(re.escape(t).replace(r'\ ', r'\s+')
                                                    for t in terms), re.I)
    with open(pot, encoding='utf-8') as f:
        entries = pot_entries(f.read())
    missing = []
    for msgid, comments, refs in entries:
        src = [r for r in refs if r.startswith('src/')]
        if not src:
            continue
        term = jargon.search(msgid.replace('\\n', ' '))
        if term and 'translators:' not in comments.lower():
            missing.append('%s: "%s" says "%s" but has no TRANSLATORS: comment'
                           % (src[0], msgid, term.group(0)))
    for line in missing:
        print(line)
    if missing:
        print('%d message(s) use jargon of po/GLOSSARY.md without a comment for translators:\n'
              'put /* TRANSLATORS: what it means here */ on the line(s) before the _() call,\n'
              'or comments="TRANSLATORS: ..." beside translatable="yes" in a .ui file'
              % len(missing))
        return 1
    print('every message with a jargon term (%s) has a TRANSLATORS: comment'
          % ', '.join(terms))
    return 0


# French puts a no-break space (U+00A0, or the narrow U+202F) before
# these marks when they end a clause: "Erreur : …", "Continuer ?".
FRENCH_MARKS = re.compile(r'[:;!?]')
FRENCH_SPACES = ('\u00a0', '\u202f')


def po_messages(po_text):
    """(msgid, [msgstr, …]) of each message of a PO file, obsolete ones
    and the header left out; strings as written (escapes kept)."""
    messages = []
    for block in po_text.split('\n\n'):
        lines = [l for l in block.split('\n') if not l.startswith('#')]
        text = '\n'.join(lines)
        match = re.search(r'^msgid (".*?)(?=^msgstr|^msgid_plural)', text, re.M | re.S)
        if match is None:
            continue
        msgid = ''.join(re.findall(r'"(.*)"', match.group(1)))
        if not msgid:
            continue
        msgstrs = [''.join(re.findall(r'"(.*)"', m.group(1)))
                   for m in re.finditer(r'^msgstr(?:\[\d+\])? (".*?)(?=^msgstr|\Z)', text,
                                        re.M | re.S)]
        messages.append((msgid, msgstrs))
    return messages


def french_typography_problems(msgid, msgstr):
    """Marks in @msgstr that end a clause (a space, a newline or the end
    follows) without a no-break space before them. A word glued to its
    mark that the English has too ("data:", a keyword) is left alone."""
    problems = []
    for match in FRENCH_MARKS.finditer(msgstr):
        i = match.start()
        after = msgstr[i + 1:i + 3]
        if not (i + 1 == len(msgstr) or after[:1] in (' ',) + FRENCH_SPACES or after == '\\n'):
            continue
        before = msgstr[i - 1] if i > 0 else ''
        if before in FRENCH_SPACES:
            continue
        word = re.search(r'[\w-]+$', msgstr[:i])
        if word is not None and word.group(0) + msgstr[i] in msgid:
            continue
        problems.append('"%s" before "%s" (at %d)'
                        % ('space' if before == ' ' else 'no space', msgstr[i], i))
    return problems


def check_french_typography(po):
    with open(po, encoding='utf-8') as f:
        messages = po_messages(f.read())
    status = 0
    for msgid, msgstrs in messages:
        for msgstr in msgstrs:
            for problem in french_typography_problems(msgid, msgstr):
                print('  fr: "%s": %s: French puts a no-break space (U+00A0 or U+202F) there'
                      % (msgstr, problem))
                status = 1
    return status


def extract_pot(tools, root, pot):
    podir = os.path.join(root, 'po')
    result = subprocess.run([tools['xgettext'], '--package-name=refinery',
                             '-f', os.path.join(podir, 'POTFILES.in'),
                             '-D', root, '-k_', '-o', pot] + XGETTEXT_ARGS,
                            capture_output=True, text=True)
    if result.returncode != 0:
        print('xgettext failed:\n' + result.stderr)
        return None
    return result


def check_only_comments(root):
    xgettext = shutil.which('xgettext')
    if xgettext is None:
        print('xgettext is not installed: skipping')
        return 77
    with tempfile.TemporaryDirectory() as tmp:
        pot = os.path.join(tmp, 'refinery.pot')
        if extract_pot({'xgettext': xgettext}, root, pot) is None:
            return 1
        return check_comments(root, pot)


def check_translations(root):
    tools = {}
    for tool in ('xgettext', 'msgmerge', 'msgattrib', 'msgfmt'):
        tools[tool] = shutil.which(tool)
        if tools[tool] is None:
            print('%s is not installed: skipping' % tool)
            return 77
    podir = os.path.join(root, 'po')
    with open(os.path.join(podir, 'LINGUAS'), encoding='utf-8') as f:
        langs = [word for line in f if not line.lstrip().startswith('#')
                 for word in line.split()]

    status = 0
    with tempfile.TemporaryDirectory() as tmp:
        pot = os.path.join(tmp, 'refinery.pot')
        result = extract_pot(tools, root, pot)
        if result is None:
            return 1
        if check_comments(root, pot) != 0:
            status = 1
        # A format macro such as G_GINT64_FORMAT inside _() cuts the msgid
        # short: the string can never be translated. Say where.
        for line in result.stderr.splitlines():
            if 'not a valid C format string' in line:
                print('note: %s (use %%lld with a (long long) cast instead of a format macro)'
                      % line.split(': warning:')[0])
        for lang in langs:
            po = os.path.join(podir, lang + '.po')
            if not os.path.exists(po):
                print('po/%s.po is missing' % lang)
                status = 1
                continue
            merged = os.path.join(tmp, lang + '.po')
            subprocess.run([tools['msgmerge'], '--quiet', '--no-wrap', '-o', merged, po, pot],
                           check=True)
            missing = subprocess.run([tools['msgattrib'], '--no-wrap', '--no-obsolete',
                                      '--untranslated', merged],
                                     capture_output=True, text=True, check=True).stdout
            fuzzy = subprocess.run([tools['msgattrib'], '--no-wrap', '--no-obsolete',
                                    '--only-fuzzy', merged],
                                   capture_output=True, text=True, check=True).stdout
            msgids = lambda text: [m for m in re.findall(r'^msgid "(.*)"$', text, re.M) if m]
            missing_ids, fuzzy_ids = msgids(missing), msgids(fuzzy)
            print('%s: %s' % (lang, statistics(tools['msgfmt'], merged)))
            for msgid in missing_ids:
                print('  %s: untranslated: "%s"' % (lang, msgid))
            for msgid in fuzzy_ids:
                print('  %s: fuzzy: "%s"' % (lang, msgid))
            if missing_ids or fuzzy_ids:
                status = 1
            if lang == 'fr' and check_french_typography(po) != 0:
                status = 1
    if status:
        print('Some translations are incomplete. To update them:\n'
              '  meson compile -C BUILDDIR refinery-pot refinery-update-po\n'
              'then translate the new and fuzzy messages in po/*.po.')
    return status


def main(argv):
    args = argv[1:]
    mode = None
    if args and args[0] in ('--translations', '--write', '--comments'):
        mode = args[0]
        args = args[1:]
    if len(args) != 1:
        print('usage: check-potfiles.py [--translations | --comments | --write] SOURCE_ROOT')
        return 2
    root = os.path.abspath(args[0])
    if mode == '--translations':
        return check_translations(root)
    if mode == '--write':
        return write_potfiles(root)
    if mode == '--comments':
        return check_only_comments(root)
    return check_potfiles(root)


if __name__ == '__main__':
    sys.exit(main(sys.argv))
