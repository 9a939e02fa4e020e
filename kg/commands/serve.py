"""``kg serve``: the HTTP API (api/) under gunicorn, or Flask's development server."""

from __future__ import annotations

from typing import Any

import click

from core.errors import KgError
from core.settings import Settings

__all__ = ["serve"]


def _gunicorn_app(options: dict[str, Any]) -> Any:
    """A gunicorn application that builds the Flask app in each worker (after the fork, so
    each worker has its own Neo4j driver)."""
    from gunicorn.app.base import BaseApplication

    class KgApplication(BaseApplication):  # type: ignore[misc]
        def load_config(self) -> None:
            for key, value in options.items():
                if key in self.cfg.settings:
                    self.cfg.set(key, value)

        def load(self) -> Any:
            from api import create_app

            return create_app()

    return KgApplication()


@click.command()
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    help="Address to listen on (0.0.0.0: every interface, e.g. inside a container).",
)
@click.option(
    "--port", type=click.IntRange(1, 65535), default=5000, show_default=True, help="TCP port."
)
@click.option(
    "--workers",
    type=click.IntRange(1, 64),
    default=2,
    show_default=True,
    help="gunicorn worker processes (one Neo4j driver each).",
)
@click.option(
    "--threads",
    type=click.IntRange(1, 256),
    default=8,
    show_default=True,
    help="Threads per worker (gthread): requests one worker serves at once.",
)
@click.option(
    "--dev",
    is_flag=True,
    help="Flask's development server instead of gunicorn (one process; never in production).",
)
def serve(host: str, port: int, workers: int, threads: int, dev: bool) -> None:
    """Serve the HTTP API: named queries, search, entity cards, help traces, the report and
    ad-hoc read-only Cypher for admins, with bearer tokens (kg token create); and the explorer,
    web pages over the same (sign in with a token) at http://HOST:PORT/ (docs/explorer.md).

    \b
    Docs (Swagger UI) at http://HOST:PORT/api/docs, health at /api/health.
    Starts the embedded Neo4j first when NEO4J_URI is unset. Requests are logged as JSON
    lines to $KG_AUDIT_LOG (default $KG_HOME/api/audit.log); the rate limit per token is
    $KG_RATE_LIMIT (default 600/minute, per worker process). See docs/api.md.
    """
    from api.tokens import TokenStore
    from core.settings import ApiConfig
    from graph.connection import open_driver

    settings = Settings.from_env()
    try:
        config = ApiConfig.from_env(settings)
        with open_driver(settings):  # starts the embedded Neo4j on demand, checks the login
            pass
        active = [t for t in TokenStore(config.token_file).tokens() if t.active]
    except KgError as e:
        raise click.ClickException(str(e)) from e
    if not active:
        click.echo(
            "kg serve: no API token yet; every route but /api/health will answer 401. Create "
            "one with: kg token create --role admin",
            err=True,
        )
    click.echo(
        f"kg serve: explorer http://{host}:{port}/, API docs http://{host}:{port}/api/docs "
        f"(audit log {config.audit_log})",
        err=True,
    )
    if dev:
        from api import create_app

        create_app(settings, config=config).run(host=host, port=port, threaded=True)
        return
    _gunicorn_app(
        {
            "bind": [f"{host}:{port}"],
            "workers": workers,
            "worker_class": "gthread",
            "threads": threads,
            "timeout": int(config.query_timeout) + 30,
            "graceful_timeout": 30,
            "accesslog": None,  # the audit log has every request
            "errorlog": "-",
            "proc_name": "kg-serve",
            "control_socket_disable": True,
        }
    ).run()
