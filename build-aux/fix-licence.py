#!/usr/bin/env python3
# Replaces an @LIC@ line in new source files with the licence block,
# naming the file. Usage: build-aux/fix-licence.py FILE...
import os, sys
block = open(os.path.join(os.path.dirname(__file__), 'licence-header.txt')).read().rstrip('\n')
for path in sys.argv[1:]:
    text = open(path).read()
    if '@LIC@' in text:
        text = text.replace('@LIC@', block.replace('FILE', os.path.basename(path)), 1)
        open(path, 'w').write(text)
