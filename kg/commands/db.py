"""``kg db``: start, stop and inspect the Neo4j that kg uses."""

from __future__ import annotations

import functools
import json
import time
from collections.abc import Callable
from typing import Any, TypeVar

import click

from core.errors import DatabaseError, KgError
from core.settings import Settings
from graph.connection import database_name, embedded_server, open_driver, server_uri
from graph.status import graph_status

__all__ = ["db"]

NOT_RUNNING_EXIT_CODE = 3

F = TypeVar("F", bound=Callable[..., Any])


def _clean_errors(command: F) -> F:
    """Turn kg's errors into a one-line ``Error: ...`` and exit code 1, without a traceback."""

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except KgError as e:
            raise click.ClickException(str(e)) from e

    return wrapper  # type: ignore[return-value]


@click.group()
def db() -> None:
    """Start, stop and inspect the Neo4j that kg uses.

    With NEO4J_URI unset, that is Neo4j embedded in a JVM of its own: data under $KG_HOME/neo4j,
    Bolt on 127.0.0.1:$KG_BOLT_PORT (default 7687), its output in $KG_HOME/logs/neo4j.log.
    Memory: $KG_NEO4J_HEAP (default 3g) and $KG_NEO4J_PAGECACHE (default 2g). Other kg
    commands start it on demand; it runs until `kg db stop`.

    With NEO4J_URI set, kg uses that server (NEO4J_USERNAME, NEO4J_PASSWORD, NEO4J_DATABASE).
    """


@db.command()
@click.option(
    "--timeout",
    type=click.FloatRange(min=1),
    default=180,
    show_default=True,
    help="Seconds to wait for Neo4j to accept Bolt connections.",
)
@_clean_errors
def start(timeout: float) -> None:
    """Start the embedded Neo4j and wait until it accepts connections.

    Does nothing if it is already running. The first start builds the launcher if needed
    (Maven, javac) and generates the password of the user neo4j in $KG_HOME/neo4j/password.
    """
    settings = Settings.from_env()
    if not settings.embedded:
        click.echo(
            f"NEO4J_URI is set ({settings.neo4j_uri}): an external server, nothing to start."
        )
        return

    server = embedded_server(settings)
    if server.is_running():
        server.start(timeout=timeout)  # checks the port and waits until Bolt answers
        click.echo(f"The embedded Neo4j is already running: {server.uri} (pid {server.pid()}).")
        return
    began = time.monotonic()
    server.start(timeout=timeout)
    click.echo(
        f"The embedded Neo4j is running: {server.uri} (pid {server.pid()}, "
        f"started in {time.monotonic() - began:.1f} s, data in {server.neo4j_home})."
    )


@db.command()
@click.option(
    "--timeout",
    type=click.FloatRange(min=1),
    default=120,
    show_default=True,
    help="Seconds to wait for Neo4j to shut down cleanly.",
)
@_clean_errors
def stop(timeout: float) -> None:
    """Stop the embedded Neo4j cleanly (the store needs no recovery on the next start).

    Does nothing if it is not running.
    """
    settings = Settings.from_env()
    if not settings.embedded:
        click.echo(f"NEO4J_URI is set ({settings.neo4j_uri}): an external server, nothing to stop.")
        return

    server = embedded_server(settings)
    if not server.is_running():
        click.echo("The embedded Neo4j is not running.")
        return
    server.stop(timeout=timeout)
    click.echo("The embedded Neo4j has stopped.")


@db.command()
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["table", "json"]),
    default="table",
    show_default=True,
    help="table for people, json for scripts.",
)
@click.pass_context
@_clean_errors
def status(ctx: click.Context, output_format: str) -> None:
    """Whether Neo4j is running, and what the graph holds.

    Reports the URI, the database, node and relationship counts, per label and per type.
    Never starts the embedded Neo4j. Exit codes: 0 running, 3 not running (or, for an
    external server, unreachable), 1 other errors.
    """

    settings = Settings.from_env()
    database = database_name(settings)
    uri = server_uri(settings)
    report: dict[str, Any] = {"uri": uri, "database": database}
    if settings.embedded:
        server = embedded_server(settings)
        report["home"] = str(settings.kg_home)
        pid = server.pid()
        if pid is None:
            report["running"] = False
            _print_status(report, output_format)
            ctx.exit(NOT_RUNNING_EXIT_CODE)
        report["pid"] = pid
        with open_driver(settings, start=False) as driver:
            report.update(graph_status(driver, database, uri=uri))
        report["running"] = True
    else:
        try:
            driver = open_driver(settings, start=False)
        except DatabaseError as e:
            report["running"] = False
            report["error"] = str(e)
            _print_status(report, output_format)
            ctx.exit(NOT_RUNNING_EXIT_CODE)
        with driver:
            report.update(graph_status(driver, database, uri=uri))
        report["running"] = True
    _print_status(report, output_format)


def _print_status(report: dict[str, Any], output_format: str) -> None:
    if output_format == "json":
        click.echo(json.dumps(report, ensure_ascii=False, indent=2, sort_keys=True))
        return
    rows: list[tuple[str, str]] = [
        ("uri", report["uri"]),
        ("running", "yes" if report["running"] else "no"),
    ]
    for key in ("home", "pid", "database", "error", "nodes", "relationships"):
        if key in report:
            rows.append((key, str(report[key])))
    for group in ("labels", "types"):
        if group in report:
            rows.append((group, "" if report[group] else "(none)"))
            rows.extend((f"  {name}", f"{count:>12,}") for name, count in report[group].items())
    width = max(len(name) for name, _ in rows) + 2
    for name, value in rows:
        click.echo(f"{name:<{width}}{value}".rstrip())
