"""``kg token``: create, list and revoke the API's bearer tokens ($KG_HOME/api/tokens.json),
and see and end the explorer sessions signed in with them."""

from __future__ import annotations

import datetime as dt
import json

import click

from access.sessions import SessionRecord, SessionStore
from access.tokens import TokenStore
from core.errors import KgError
from core.settings import ApiConfig, Settings, WebConfig
from graph.connection import database_name, open_driver
from queries.export import text_table

__all__ = ["token"]

REGION_LEVELS = ("county", "township")


@click.group()
def token() -> None:
    """Create, list and revoke the bearer tokens of the API (kg serve).

    Tokens are kept hashed (SHA-256) in $KG_HOME/api/tokens.json (mode 0600); the token itself
    is shown once, by `kg token create`. Roles: viewer (read, personal data masked), analyst
    (also CSV/xlsx downloads), admin (also unmasked personal data and ad-hoc Cypher). The
    explorer's sessions signed in with a token are listed with it and end when it is revoked.
    See docs/api.md.
    """


def _config() -> ApiConfig:
    settings = Settings.from_env()
    return ApiConfig.from_env(settings)


def _store(config: ApiConfig) -> TokenStore:
    return TokenStore(config.token_file)


def _sessions(config: ApiConfig) -> SessionStore:
    web = WebConfig.from_env()
    return SessionStore(config.session_file, idle=web.session_idle, max_age=web.session_max)


def _check_region(code: str) -> str:
    """The name of the county or township ``code`` (ClickException otherwise)."""
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
    record, secret = _store(_config()).create(role, region=region, name=name)
    where = f"{region} ({region_name})" if region else "the whole city"
    click.echo(f"Created token {record.id}: role {role}, {where}" + (f", {name}" if name else ""))
    click.echo("Keep it secret; it is shown only now. Use it as: Authorization: Bearer <token>")
    click.echo(secret)


def _when(seconds: float) -> str:
    return dt.datetime.fromtimestamp(seconds, dt.UTC).replace(microsecond=0).isoformat()


def _session_json(record: SessionRecord) -> dict[str, str | None]:
    return {
        "id": record.public_id,
        "address": record.address,
        "signed_in": _when(record.created),
        "last_seen": _when(record.last_seen),
    }


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
    """List the tokens (never the tokens themselves: id, name, role, region, dates) and the
    explorer sessions active with each."""
    config = _config()
    tokens = _store(config).tokens()
    active: dict[str, list[SessionRecord]] = {}
    for record in _sessions(config).active():
        active.setdefault(record.token_id, []).append(record)
    if fmt == "json":
        out = [
            {**t.public(), "sessions": [_session_json(s) for s in active.get(t.id, [])]}
            for t in tokens
        ]
        click.echo(json.dumps(out, ensure_ascii=False, indent=2))
        return
    if not tokens:
        click.echo("No tokens yet: kg token create --role viewer|analyst|admin")
        return
    rows = [
        [
            t.id,
            t.role,
            t.region or "",
            t.name or "",
            t.created,
            t.revoked or "",
            len(active.get(t.id, [])),
        ]
        for t in tokens
    ]
    headers = ["id", "role", "region", "name", "created", "revoked", "sessions"]
    click.echo(text_table(headers, rows))


@token.command()
@click.argument("token_id", metavar="ID")
def revoke(token_id: str) -> None:
    """Revoke the token ID (see kg token list) and end its explorer sessions; the API refuses
    it from its next request."""
    config = _config()
    try:
        record = _store(config).revoke(token_id)
    except KeyError:
        raise click.ClickException(f"no token {token_id!r} (see kg token list)") from None
    ended = _sessions(config).end_token(token_id)
    click.echo(f"Token {record.id} revoked ({record.revoked}); {ended} session(s) ended.")
