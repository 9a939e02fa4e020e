"""``kg query NAME``: run a named query (queries/NAME.cypher) and print its answer."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from core.errors import KgError
from core.settings import Settings
from graph.connection import database_name, open_driver
from queries.export import text_table, to_csv
from queries.registry import ParamError, RegistryError, specs
from queries.rollup import rollup as roll_up
from queries.runner import execute

__all__ = ["query"]


def _list_queries() -> str:
    lines = []
    for spec in specs().values():
        params = ", ".join(
            f"{p.name}: {p.type}" + ("" if p.required else f" = {p.default}") for p in spec.params
        )
        lines.append(f"{spec.name} ({spec.kind}; {params})")
        lines.append(f"    {spec.description}")
    return "\n".join(lines)


def _params(pairs: tuple[str, ...]) -> dict[str, str]:
    values: dict[str, str] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip():
            raise click.BadParameter(f"{pair!r} is not KEY=VALUE", param_hint="--param")
        values[key.strip()] = value
    return values


@click.command()
@click.argument("name", required=False)
@click.option(
    "--param",
    "-p",
    "pairs",
    multiple=True,
    metavar="KEY=VALUE",
    help="A parameter of the query, e.g. --param as_of=2020-12-31 (repeat for several). "
    "Without one, the header's default is used (as_of: today).",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["json", "csv", "table"]),
    default="json",
    show_default=True,
    help="JSON {query, params, columns, rows}; CSV (UTF-8 with BOM, for Excel); or a table.",
)
@click.option(
    "--rollup",
    is_flag=True,
    help="Count the worklist's rows per county and township instead of listing them.",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Write to this file instead of standard output.",
)
@click.option("--list", "list_only", is_flag=True, help="List the named queries and exit.")
def query(
    name: str | None,
    pairs: tuple[str, ...],
    fmt: str,
    rollup: bool,
    output: Path | None,
    list_only: bool,
) -> None:
    """Run the named query NAME (see --list) on the graph and print its answer.

    \b
    Examples:
      kg query one_helps_many --param as_of=2020-12-31
      kg query households_without_helper -p as_of=2020-06-30 --format csv -o list.csv
      kg query help_trace -p id=P000000123 -p history=true --format table
      kg query unassigned_relocated_members --rollup --format table
    """
    try:
        known = specs()
    except RegistryError as e:
        raise click.ClickException(f"a query file is broken: {e}") from e
    if list_only or not name:
        click.echo(_list_queries())
        return
    if name not in known:
        raise click.BadParameter(
            f"no named query {name!r}; the queries are: {', '.join(known)}", param_hint="NAME"
        )
    raw = _params(pairs)
    try:
        known[name].bind(raw)
    except ParamError as e:
        raise click.BadParameter(e.message, param_hint=f"--param {e.param}") from e
    if rollup and "region_id" not in known[name].columns:
        raise click.BadParameter(
            f"{name} has no region_id column to roll up", param_hint="--rollup"
        )

    settings = Settings.from_env()
    try:
        with open_driver(settings) as driver:
            db = database_name(settings)
            result = execute(driver, db, name, raw)
            if rollup:
                result = roll_up(driver, db, result)
    except KgError as e:
        click.echo(f"kg query: {e}", err=True)
        sys.exit(2)
    if fmt == "json":
        text = json.dumps(result.to_json(), ensure_ascii=False, indent=2) + "\n"
    elif fmt == "csv":
        text = to_csv(result.columns, result.rows)
    else:
        text = text_table(result.columns, [[r[c] for c in result.columns] for r in result.rows])
        if result.summary:
            text += "\n\n" + json.dumps(result.summary, ensure_ascii=False)
        text += "\n"
    if output:
        output.write_text(text, encoding="utf-8-sig" if fmt == "csv" else "utf-8")
        click.echo(f"{len(result.rows)} rows written to {output}", err=True)
    elif fmt == "csv":
        sys.stdout.buffer.write(("\ufeff" + text).encode("utf-8"))
    else:
        click.echo(text, nl=False)
