"""``kg serve`` under gunicorn: the application (one Flask app per worker, built after the
fork so that each worker has its own Neo4j driver) and the worker class.

gunicorn answers some requests itself, before any app sees them: a request line longer than
its limit, bytes that are not ASCII in it, a malformed header. Its limit on the request line
is raised (``limit_request_line = 0``: none of its own, so that a long search reaches the app,
which answers 414 as JSON, audited); :class:`Worker` answers what gunicorn still refuses as
the API does (``{"error": {...}}``) and writes it to the audit log.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from gunicorn import util
from gunicorn.app.base import BaseApplication
from gunicorn.http.errors import LimitRequestHeaders, LimitRequestLine, ParseException
from gunicorn.workers.gthread import ThreadWorker

from access.services import services
from kg.app import create_app

__all__ = ["Application", "Worker", "options"]

_STATUS = {
    LimitRequestLine: (414, "URI Too Long", "uri_too_long"),
    LimitRequestHeaders: (431, "Request Header Fields Too Large", "headers_too_large"),
}


def options(
    host: str, port: int, workers: int, threads: int, query_timeout: float
) -> dict[str, Any]:
    """gunicorn's settings for ``kg serve``."""
    return {
        "bind": [f"{host}:{port}"],
        "workers": workers,
        "worker_class": "kg.server.Worker",
        "threads": threads,
        "timeout": int(query_timeout) + 30,
        "graceful_timeout": 30,
        "accesslog": None,  # the audit log has every request
        "errorlog": "-",
        "proc_name": "kg-serve",
        "control_socket_disable": True,
        # no request-line limit of gunicorn's own: the app's is 8 kB (access.request.MAX_URL)
        "limit_request_line": 0,
    }


class Application(BaseApplication):  # type: ignore[misc]
    """A gunicorn application that builds the Flask app in each worker."""

    def __init__(self, settings: dict[str, Any], *, behind_proxy: bool = False) -> None:
        self._settings = settings
        self._behind_proxy = behind_proxy
        super().__init__()

    def load_config(self) -> None:
        for key, value in self._settings.items():
            if key in self.cfg.settings:
                self.cfg.set(key, value)

    def load(self) -> Any:
        return create_app(behind_proxy=self._behind_proxy)


class Worker(ThreadWorker):  # type: ignore[misc]
    """gunicorn's threaded worker, answering the requests gunicorn refuses itself (a
    malformed request line, say) in JSON, and recording them in the audit log."""

    def handle_error(self, req: Any, client: Any, addr: Any, exc: BaseException) -> None:
        if not isinstance(exc, ParseException):
            super().handle_error(req, client, addr, exc)
            return
        status, reason, code = _STATUS.get(type(exc), (400, "Bad Request", "bad_request_line"))
        message = {
            414: "the request line is too long",
            431: "the request's headers are too large",
        }.get(
            status,
            "the request line or a header is malformed (non-ASCII text must be percent-encoded)",
        )
        body = json.dumps({"error": {"code": code, "message": message}}).encode("utf-8")
        head = (
            f"HTTP/1.1 {status} {reason}\r\nConnection: close\r\n"
            f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n"
        ).encode("latin-1")
        self._audit(addr, req, status, code, message, str(exc))
        try:
            util.write_nonblock(client, head + body)
        except Exception:  # noqa: BLE001 - the client may be gone; as gunicorn does
            self.log.debug("Failed to send error message.")

    def _audit(self, addr: Any, req: Any, status: int, code: str, message: str, line: str) -> None:
        try:
            audit = services(self.wsgi).audit
        except (AttributeError, KeyError, TypeError):  # no app loaded yet
            return
        audit.write(
            {
                "time": dt.datetime.now(dt.UTC).isoformat(timespec="milliseconds"),
                "token_id": None,
                "remote_addr": addr[0] if addr else None,
                "method": getattr(req, "method", None),
                "path": getattr(req, "path", None),
                "request_line": line,  # masked and cut to 500 characters by the log
                "status": status,
                "error": {"code": code, "message": message},
            }
        )
