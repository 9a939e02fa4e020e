"""The ``kg`` command line: one module per command group under ``kg.commands``."""

from __future__ import annotations

import logging
from typing import Any

import click

from core.errors import KgError
from kg.commands.changes import changes
from kg.commands.db import db
from kg.commands.generate import generate
from kg.commands.load import load
from kg.commands.loads import loads
from kg.commands.query import query
from kg.commands.rebuild import rebuild
from kg.commands.report import report
from kg.commands.serve import serve
from kg.commands.token import token
from kg.commands.viz import viz


class Kg(click.Group):
    """The ``kg`` group: the one place kg's errors become a message and an exit code.

    A :class:`core.errors.KgError` a command lets through is printed as one line,
    ``kg COMMAND: message`` (no traceback), and ends the command with the error's
    ``exit_code`` (1; 2 for the database, settings and bad input). Commands with exit codes of
    their own (``kg load``, ``kg viz``) say them first.
    """

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except KgError as e:
            name = ctx.invoked_subcommand or "kg"
            click.echo(f"kg {name}: {e}", err=True)
            ctx.exit(e.exit_code)


@click.group(cls=Kg, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="kg")
def main() -> None:
    """kg: a knowledge graph of party organisations, cadres and poverty-alleviation ledgers.

    With NEO4J_URI unset, kg runs Neo4j embedded (data under $KG_HOME, default ./.kg) and
    starts it on demand.
    """
    # The driver logs each retried transaction (e.g. a deadlock between the loader's two
    # writers, which it then retries successfully) as a warning: not news for a clerk.
    logging.getLogger("neo4j").setLevel(logging.ERROR)


main.add_command(db)
main.add_command(generate)
main.add_command(load)
main.add_command(loads)
main.add_command(changes)
main.add_command(rebuild)
main.add_command(query)
main.add_command(report)
main.add_command(serve)
main.add_command(token)
main.add_command(viz)
