"""``kg viz VIEW ID``: write a network of the graph as one self-contained HTML page."""

from __future__ import annotations

import datetime as dt
import re
import sys
from pathlib import Path

import click
import neo4j.exceptions

from core.errors import KgError
from core.settings import Settings, language
from graph.connection import database_name, open_driver
from viz.analytics import export
from viz.render import render_html
from viz.views import VIEWS, UnknownSubject, View, fetch

__all__ = ["viz"]

#: a page with more nodes than this would not open in a browser: draw a smaller region
MAX_NODES = 100_000

_SAFE = re.compile(r"[^\w.-]+")


@click.group()
def viz() -> None:
    """Write a network as one HTML page that opens offline in any browser: a helper's
    households, a household's helpers, a village's help network, a relocation site, an
    organisation tree or an industry chain, as of a date.

    Colour and shape by kind of node, with a legend; a helper's size grows with the households
    they help. Id numbers and phone numbers are masked in the tooltips unless --unmasked.

    --format graphml, gexf (for Gephi) or json (networkx node-link data) writes the network
    as a graph file instead of a page (node attributes: label, category and the node's
    properties; edge attributes: type and the relationship's properties).

    Example: kg viz helper P007 --as-of 2018-12-31 -o helper.html
    """


def _command(view: View) -> click.Command:
    @click.command(name=view.name, help=f"{view.help}\n\nID is the {view.subject_en}.")
    @click.argument("subject", metavar="ID")
    @click.option(
        "--as-of",
        "as_of",
        type=click.DateTime(formats=["%Y-%m-%d"]),
        default=None,
        help="The date the network is drawn as of (YYYY-MM-DD): pairings, memberships and "
        "links current on that day. Default: today.",
    )
    @click.option(
        "-o",
        "--output",
        type=click.Path(dir_okay=False, writable=True, allow_dash=True, path_type=Path),
        default=None,
        help=f"The file to write ('-' for standard output). Default: "
        f"viz-{view.name}-ID-DATE.html (or .graphml, .gexf, .json) in the current folder.",
    )
    @click.option(
        "--format",
        "fmt",
        type=click.Choice(["html", "graphml", "gexf", "json"]),
        default="html",
        show_default=True,
        help="html: a page that draws the network; graphml, gexf (Gephi) or json (networkx "
        "node-link data): the network as a graph file, written with networkx.",
    )
    @click.option(
        "--lang",
        type=click.Choice(["zh", "en"]),
        default=None,
        help="Language of the legend, tooltips and messages. Default: zh, en when the locale "
        "is English.",
    )
    @click.option(
        "--unmasked",
        is_flag=True,
        default=False,
        help="Show id numbers and phone numbers in full in the tooltips (masked by default: "
        "first 6 and last 4 characters of an id number, first 3 and last 4 digits of a phone).",
    )
    def command(
        subject: str,
        as_of: dt.datetime | None,
        output: Path | None,
        fmt: str,
        lang: str | None,
        unmasked: bool,
    ) -> None:
        day = as_of.date() if as_of else dt.date.today()
        _run(view, subject, day, output, lang, unmasked, fmt)

    return command


def _run(
    view: View,
    subject: str,
    day: dt.date,
    output: Path | None,
    lang: str | None,
    unmasked: bool,
    fmt: str = "html",
) -> None:
    lang = lang or language()
    zh = lang == "zh"
    name = f"kg viz {view.name}"
    settings = Settings.from_env()
    try:
        with open_driver(settings) as driver:
            graph = fetch(driver, database_name(settings), view, subject, day)
    except UnknownSubject:
        click.echo(
            f"{name}: 图谱中没有{view.subject_zh}为“{subject}”的记录"
            if zh
            else f"{name}: no {view.subject_en} '{subject}' in the graph",
            err=True,
        )
        sys.exit(1)
    except (KgError, neo4j.exceptions.Neo4jError, neo4j.exceptions.DriverError) as e:
        click.echo(f"{name}: {e}", err=True)
        sys.exit(2)
    if fmt == "html" and len(graph.nodes) > MAX_NODES:
        click.echo(
            f"{name}: 网络过大（{len(graph.nodes):,} 个节点，上限 {MAX_NODES:,}），请选择更小的范围"
            if zh
            else f"{name}: the network is too large ({len(graph.nodes):,} nodes, at most "
            f"{MAX_NODES:,}): choose a smaller one",
            err=True,
        )
        sys.exit(1)
    if fmt == "html":
        body = render_html(graph, lang, unmasked).encode("utf-8")
    else:
        body = export(graph, fmt, unmasked)
    if output is not None and str(output) == "-":
        sys.stdout.buffer.write(body)
        sys.stdout.flush()
        return
    path = output or Path(f"viz-{view.name}-{_SAFE.sub('_', subject)}-{day.isoformat()}.{fmt}")
    path.write_bytes(body)
    n, m = len(graph.nodes), len(graph.edges)
    click.echo(
        f"已写入 {path}（{n} 个节点，{m} 条关系，截至 {day.isoformat()}）"
        if zh
        else f"wrote {path} ({n} nodes, {m} edges, as of {day.isoformat()})"
    )


for _view in VIEWS.values():
    viz.add_command(_command(_view))
