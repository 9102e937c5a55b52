#!/usr/bin/env python3
"""A loopback stand-in for the CloudWatch API, for bench/listeners.sh: answers every POST with
HTTP 200 and an empty CBOR map (0xA0) as the AWS rpc-v2-cbor protocol does for PutMetricData, and
counts the requests. Binds 127.0.0.1 only.

    python3 bench/CloudWatchStub.py PORT_FILE     # writes the chosen port to PORT_FILE, runs until killed
"""
import http.server
import signal
import sys


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    requests = 0

    def do_POST(self):
        length = int(self.headers.get("Content-Length") or 0)
        self.rfile.read(length)
        Handler.requests += 1
        body = b"\xa0"
        self.send_response(200)
        self.send_header("Content-Type", "application/cbor")
        self.send_header("Smithy-Protocol", "rpc-v2-cbor")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, fmt, *args):
        pass


def main():
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    with open(sys.argv[1], "w") as f:
        f.write(str(server.server_address[1]))
    try:
        server.serve_forever()
    finally:
        sys.stderr.write("cloudwatch stub: %d requests\n" % Handler.requests)


if __name__ == "__main__":
    main()
