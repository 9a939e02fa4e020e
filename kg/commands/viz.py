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
from viz.pages import picture
from viz.public import render_network
from viz.views import AGGREGATE_NODES, VIEWS, UnknownSubject, View

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
    they help; households are named by their head (户主) with their id. Id numbers and phone
    numbers are masked in the tooltips unless --unmasked. The page is a pyvis network rendered
    with kg's template (vis-network inlined, nothing loaded from outside). Helper, household and
    village pages have a 历史 toggle (ended pairings dashed, with their dates) and a year
    slider (2014-2020); site pages the toggle (ended memberships).

    A township or county too large to draw whole (over 20,000 nodes) is drawn as clusters:
    its townships or villages as circles sized by households and coloured by the share without
    a helper, opened into households and helpers by a click (village --aggregate forces it).

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
        aggregate: bool | None = None,
    ) -> None:
        day = as_of.date() if as_of else dt.date.today()
        _run(view, subject, day, output, lang, unmasked, fmt, aggregate)

    if view.name == "village":
        command = click.option(
            "--aggregate/--no-aggregate",
            default=None,
            help="Draw the region as clusters (its townships or villages, opened by a click) "
            f"or whole. Default: as clusters when the network would have over "
            f"{AGGREGATE_NODES:,} nodes. Only for --format html.",
        )(command)
    return command


def _run(
    view: View,
    subject: str,
    day: dt.date,
    output: Path | None,
    lang: str | None,
    unmasked: bool,
    fmt: str = "html",
    aggregate: bool | None = None,
) -> None:
    lang = lang or language()
    zh = lang == "zh"
    name = f"kg viz {view.name}"
    settings = Settings.from_env()
    try:
        with open_driver(settings) as driver:
            net, graph = render_network(
                driver,
                database_name(settings),
                view.name,
                subject,
                day,
                lang=lang,
                unmasked=unmasked,
                page=fmt == "html",
                aggregate=aggregate,
                aggregate_nodes=AGGREGATE_NODES,
            )
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
    if net is not None:
        body = net.generate_html().encode("utf-8")
        shown, drawn = picture(net.nodes, net.edges, day.isoformat(), hidden=net.kg["hide"])
        n, m = len(shown), len(drawn)
    else:
        n, m = len(graph.nodes), len(graph.edges)
        body = export(graph, fmt, unmasked)
    if output is not None and str(output) == "-":
        sys.stdout.buffer.write(body)
        sys.stdout.flush()
        return
    path = output or Path(f"viz-{view.name}-{_SAFE.sub('_', subject)}-{day.isoformat()}.{fmt}")
    path.write_bytes(body)
    click.echo(
        f"已写入 {path}（{n} 个节点，{m} 条关系，截至 {day.isoformat()}）"
        if zh
        else f"wrote {path} ({n} nodes, {m} edges, as of {day.isoformat()})"
    )


for _view in VIEWS.values():
    viz.add_command(_command(_view))
