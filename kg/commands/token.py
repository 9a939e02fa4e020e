"""``kg token``: create, list and revoke the API's bearer tokens ($KG_HOME/api/tokens.json)."""

from __future__ import annotations

import json

import click

from core.errors import KgError
from core.settings import Settings

__all__ = ["token"]

REGION_LEVELS = ("county", "township")


@click.group()
def token() -> None:
    """Create, list and revoke the bearer tokens of the API (kg serve).

    Tokens are kept hashed (SHA-256) in $KG_HOME/api/tokens.json (mode 0600); the token itself
    is shown once, by `kg token create`. Roles: viewer (read, personal data masked), analyst
    (also CSV/xlsx downloads), admin (also unmasked personal data and ad-hoc Cypher). See
    docs/api.md.
    """


def _store():  # type: ignore[no-untyped-def]
    from api.tokens import TokenStore
    from core.settings import ApiConfig

    return TokenStore(ApiConfig.token_file_path(Settings.from_env()))


def _check_region(code: str) -> str:
    """The name of the county or township ``code`` (ClickException otherwise)."""
    from graph.connection import database_name, open_driver

    settings = Settings.from_env()
    try:
        with open_driver(settings) as driver:
            records, _, _ = driver.execute_query(
                "MATCH (r:Region {region_id: $id}) RETURN r.level AS level, r.name AS name",
                {"id": code},
                database_=database_name(settings),
                routing_="r",
            )
    except KgError as e:
        raise click.ClickException(f"cannot check the region {code}: {e}") from e
    if not records:
        raise click.BadParameter(
            f"no region {code!r} in the graph (load the regions first)", param_hint="--region"
        )
    level = records[0]["level"]
    if level not in REGION_LEVELS:
        raise click.BadParameter(
            f"{code} ({records[0]['name']}) is a {level}: a token can be bound to a county or "
            "a township only",
            param_hint="--region",
        )
    return str(records[0]["name"])


@token.command()
@click.option(
    "--role",
    type=click.Choice(["admin", "analyst", "viewer"]),
    required=True,
    help="viewer: read, personal data masked; analyst: also CSV/xlsx downloads; admin: also "
    "unmasked personal data and ad-hoc Cypher.",
)
@click.option(
    "--region",
    default=None,
    metavar="CODE",
    help="Bind the token to this county or township (区划代码): it sees only what lies there.",
)
@click.option("--name", default=None, metavar="LABEL", help="Who or what the token is for.")
def create(role: str, region: str | None, name: str | None) -> None:
    """Create a token and print it (alone on the last line; it is not shown again)."""
    region_name = _check_region(region) if region else None
    try:
        record, secret = _store().create(role, region=region, name=name)
    except KgError as e:
        raise click.ClickException(str(e)) from e
    where = f"{region} ({region_name})" if region else "the whole city"
    click.echo(f"Created token {record.id}: role {role}, {where}" + (f", {name}" if name else ""))
    click.echo("Keep it secret; it is shown only now. Use it as: Authorization: Bearer <token>")
    click.echo(secret)


@token.command(name="list")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "json"]),
    default="table",
    show_default=True,
    help="A table or JSON.",
)
def list_tokens(fmt: str) -> None:
    """List the tokens (never the tokens themselves: id, name, role, region, dates)."""
    try:
        tokens = _store().tokens()
    except KgError as e:
        raise click.ClickException(str(e)) from e
    if fmt == "json":
        click.echo(json.dumps([t.public() for t in tokens], ensure_ascii=False, indent=2))
        return
    if not tokens:
        click.echo("No tokens yet: kg token create --role viewer|analyst|admin")
        return
    from queries.export import text_table

    rows = [
        [t.id, t.role, t.region or "", t.name or "", t.created, t.revoked or ""] for t in tokens
    ]
    click.echo(text_table(["id", "role", "region", "name", "created", "revoked"], rows))


@token.command()
@click.argument("token_id", metavar="ID")
def revoke(token_id: str) -> None:
    """Revoke the token ID (see kg token list); the API refuses it from its next request."""
    try:
        record = _store().revoke(token_id)
    except KeyError:
        raise click.ClickException(f"no token {token_id!r} (see kg token list)") from None
    except KgError as e:
        raise click.ClickException(str(e)) from e
    click.echo(f"Token {record.id} revoked ({record.revoked}).")
