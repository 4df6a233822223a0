#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Serve an SSE recording on loopback at a live pace, for measuring the
first pixel after an event's last byte from outside:

    serve-paced.py STREAM.sse --port 8765 --event-ms 300 &
    refinery-inspect --json http://127.0.0.1:8765/ | python3 -c '...'

Every event that holds an image (a line over 64 KiB) is sent in 64
pieces spread over --event-ms milliseconds, as a server writes an image
it is still encoding; the other events go at once, --gap-ms apart.
`: t=` timing lines of a recording are dropped. Serves --requests
requests (1), one at a time, then exits."""

import argparse
import http.server
import time


def events(path):
    with open(path, 'rb') as f:
        data = f.read()
    lines = [l for l in data.split(b'\n') if not l.startswith(b': t=')]
    text = b'\n'.join(lines)
    for ev in text.split(b'\n\n'):
        if ev.strip():
            yield ev + b'\n\n'


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('stream')
    ap.add_argument('--port', type=int, default=8765)
    ap.add_argument('--event-ms', type=float, default=300.0)
    ap.add_argument('--gap-ms', type=float, default=50.0)
    ap.add_argument('--requests', type=int, default=1)
    args = ap.parse_args()
    evs = list(events(args.stream))

    class Handler(http.server.BaseHTTPRequestHandler):
        protocol_version = 'HTTP/1.0'

        def log_message(self, *a):
            pass

        def do_GET(self):
            self.send_response(200)
            self.send_header('Content-Type', 'text/event-stream')
            self.end_headers()
            for ev in evs:
                if len(ev) > 65536:
                    n = 64
                    step = (len(ev) + n - 1) // n
                    for i in range(0, len(ev), step):
                        self.wfile.write(ev[i:i + step])
                        self.wfile.flush()
                        time.sleep(args.event_ms / 1000.0 / n)
                else:
                    self.wfile.write(ev)
                    self.wfile.flush()
                time.sleep(args.gap_ms / 1000.0)

    server = http.server.HTTPServer(('127.0.0.1', args.port), Handler)
    for _ in range(args.requests):
        server.handle_request()


if __name__ == '__main__':
    main()
