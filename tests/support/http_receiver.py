#!/usr/bin/python3
"""A test's HTTP receiver on 127.0.0.1: records every request as one JSON line (method, path,
query, headers, body) in DIR/requests.jsonl and answers with the status in DIR/status (200 when
absent), read again for each request. Writes the port it listens on to DIR/port once it listens.
Usage: http_receiver.py DIR"""
import http.server
import json
import os
import sys
import threading
import urllib.parse

folder = sys.argv[1]
lock = threading.Lock()


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def handle_any(self):
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        url = urllib.parse.urlsplit(self.path)
        record = {
            "method": self.command,
            "path": url.path,
            "query": url.query,
            "headers": {k: v for k, v in self.headers.items()},
            "body": body.decode("utf-8", "backslashreplace"),
        }
        with lock:
            with open(os.path.join(folder, "requests.jsonl"), "a", encoding="utf-8") as out:
                out.write(json.dumps(record) + "\n")
        try:
            with open(os.path.join(folder, "status"), encoding="ascii") as f:
                status = int(f.read().strip() or "200")
        except FileNotFoundError:
            status = 200
        self.send_response(status)
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"OK")

    do_GET = handle_any
    do_POST = handle_any

    def log_message(self, *args):
        pass


server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
with open(os.path.join(folder, "port.tmp"), "w", encoding="ascii") as f:
    f.write(str(server.server_address[1]))
os.rename(os.path.join(folder, "port.tmp"), os.path.join(folder, "port"))
server.serve_forever()
