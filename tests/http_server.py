"""A real HTTP server on 127.0.0.1 for the client tests: records every request, answers as a test says."""

from __future__ import annotations

import json
import socket
import struct
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, urlsplit

import pytest


@dataclass(frozen=True)
class Recorded:
    """A request as the server read it; ``path`` is the raw (still percent-encoded) path."""

    method: str
    path: str
    query: tuple[tuple[str, str], ...]
    headers: dict[str, str]
    body: bytes

    def json(self) -> object:
        return json.loads(self.body) if self.body else None

    def query_dict(self) -> dict[str, list[str]]:
        out: dict[str, list[str]] = {}
        for key, value in self.query:
            out.setdefault(key, []).append(value)
        return out


@dataclass
class Reply:
    """What the server answers: a status, headers and a body, or one of the faults."""

    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    chunks: list[bytes] | None = None
    """Sent one HTTP chunk at a time (server-sent events)."""
    hold_open: bool = False
    """After the chunks, keep the connection open until the client closes it."""
    fault: str | None = None
    """``hang`` (never answer), ``reset`` (RST half-way through the body, or after the chunks), ``drip``
    (a byte at a time)."""
    drip_delay: float = 0.0

    @classmethod
    def of_json(cls, data: object, status: int = 200, headers: dict[str, str] | None = None) -> Reply:
        return cls(status, json.dumps(data).encode(), {"Content-Type": "application/json", **(headers or {})})


Handler = Callable[[Recorded], Reply]


class Server:
    """Serves on an ephemeral port in a thread per connection; ``handler`` decides each answer."""

    def __init__(self, handler: Handler | None = None) -> None:
        self.handler: Handler = handler or (lambda request: Reply.of_json({}))
        self.requests: list[Recorded] = []
        self.stopping = threading.Event()
        self.client_closed = threading.Event()
        """Set when a connection held open (``hold_open``) was closed by the client."""
        self._lock = threading.Lock()
        owner = self

        class _Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: object) -> None:
                pass

            def _any(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                parts = urlsplit(self.path)
                recorded = Recorded(
                    self.command,
                    parts.path,
                    tuple(parse_qsl(parts.query, keep_blank_values=True)),
                    {k.lower(): v for k, v in self.headers.items()},
                    body,
                )
                with owner._lock:
                    owner.requests.append(recorded)
                reply = owner.handler(recorded)
                try:
                    owner._answer(self, reply)
                except (BrokenPipeError, ConnectionResetError):
                    # A client that drops a held-open stream early may close before the last chunk
                    # is written: that is the close the test waits for, not a server fault.
                    if reply.hold_open:
                        owner.client_closed.set()
                    self.close_connection = True

            do_GET = do_POST = do_DELETE = do_PUT = do_PATCH = _any

        self._http = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        self._http.daemon_threads = True
        self.port = self._http.server_address[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self._thread = threading.Thread(target=self._http.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
        self._thread.start()

    def _answer(self, h: BaseHTTPRequestHandler, reply: Reply) -> None:
        if reply.fault == "hang":
            self.stopping.wait(30)
            h.close_connection = True
            return
        h.send_response(reply.status)
        for key, value in reply.headers.items():
            h.send_header(key, value)
        if reply.chunks is not None:
            h.send_header("Transfer-Encoding", "chunked")
            h.end_headers()
            for chunk in reply.chunks:
                h.wfile.write(b"%x\r\n%s\r\n" % (len(chunk), chunk))
                h.wfile.flush()
            if reply.fault == "reset":
                self._reset(h)
                return
            if reply.hold_open:
                h.connection.settimeout(30)
                try:
                    closed = h.connection.recv(1) == b""
                except OSError:
                    closed = True
                if closed:
                    self.client_closed.set()
                h.close_connection = True
                return
            h.wfile.write(b"0\r\n\r\n")
            return
        h.send_header("Content-Length", str(len(reply.body)))
        h.end_headers()
        if reply.fault == "reset":
            h.wfile.write(reply.body[: len(reply.body) // 2])
            h.wfile.flush()
            self._reset(h)
            return
        if reply.fault == "drip":
            for i in range(len(reply.body)):
                if self.stopping.is_set():
                    break
                h.wfile.write(reply.body[i : i + 1])
                h.wfile.flush()
                time.sleep(reply.drip_delay)
            return
        h.wfile.write(reply.body)

    @staticmethod
    def _reset(h: BaseHTTPRequestHandler) -> None:
        """Abort the connection with a TCP RST (a zero linger time), as a crashed peer or proxy does."""
        h.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        h.connection.close()
        h.close_connection = True

    def close(self) -> None:
        self.stopping.set()
        self._http.shutdown()
        self._http.server_close()


def closed_port() -> int:
    """A port on 127.0.0.1 that nothing listens on (bound, then released)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
    return port


@pytest.fixture
def server() -> Iterator[Server]:
    """A fresh server per test (binding port 0 takes microseconds)."""
    s = Server()
    try:
        yield s
    finally:
        s.close()
