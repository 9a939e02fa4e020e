"""``kg serve``: the HTTP API and the explorer (kg.app) under gunicorn, or Flask's
development server."""

from __future__ import annotations

import click

from access.tokens import TokenStore
from core.settings import ApiConfig, Settings
from graph.connection import open_driver

__all__ = ["serve"]


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
    "--behind-proxy",
    is_flag=True,
    help="Behind one reverse proxy that ends HTTPS: trust its X-Forwarded-For, -Proto and "
    "-Host (the client's address is throttled and logged, and the session cookie is Secure "
    "when the client used HTTPS). See docs/deploy.md.",
)
@click.option(
    "--warm/--no-warm",
    default=None,
    help="At start, compute the default date's answers (home page, worklists, analytics, "
    "report; KG_WEB_AS_OF, else today) into the result store in a background process; "
    "progress in this log and in /api/health. Default: on (KG_WARM=off turns it off).",
)
@click.option(
    "--dev",
    is_flag=True,
    help="Flask's development server instead of gunicorn (one process; never in production).",
)
def serve(
    host: str,
    port: int,
    workers: int,
    threads: int,
    behind_proxy: bool,
    warm: bool | None,
    dev: bool,
) -> None:
    """Serve the HTTP API: named queries, search, entity cards, help traces, the report and
    ad-hoc read-only Cypher for admins, with bearer tokens (kg token create); and the explorer,
    web pages over the same (sign in with a token) at http://HOST:PORT/ (docs/explorer.md).

    \b
    Docs (Swagger UI) at http://HOST:PORT/api/docs, health at /api/health.
    Starts the embedded Neo4j first when NEO4J_URI is unset. Requests are logged as JSON
    lines to $KG_AUDIT_LOG (default $KG_HOME/api/audit.log); the rate limit per token is
    $KG_RATE_LIMIT (default 600/minute, per worker process). See docs/api.md.
    """
    settings = Settings.from_env()
    config = ApiConfig.from_env(settings)
    with open_driver(settings):  # starts the embedded Neo4j on demand, checks the login
        pass
    active = [t for t in TokenStore(config.token_file).tokens() if t.active]
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
    # imported here: Flask, gunicorn and the whole app are for this command only, and every
    # other kg command would pay for them at start-up
    from kg.app import create_app
    from kg.server import Application, options
    from kg.warmup import start_background

    if settings.warm if warm is None else warm:
        start_background(settings)

    if dev:
        app = create_app(settings, config=config, behind_proxy=behind_proxy)
        app.run(host=host, port=port, threaded=True)
        return
    click.echo(
        f"kg serve: gunicorn, {workers} gthread worker(s) of {threads} threads (kg.server.Worker)",
        err=True,
    )
    Application(
        options(host, port, workers, threads, config.query_timeout), behind_proxy=behind_proxy
    ).run()
