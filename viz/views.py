"""The views ``kg viz`` draws, each a query in ``queries/viz/`` run as of a date.

Every view takes the id of its subject, ``as_of`` and ``scope`` (a region id or None: only what
lies under that region is returned; set by the caller from who is asking). A subject that does
not exist, or lies outside the scope, raises :class:`UnknownSubject`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Literal

import neo4j

from core.errors import NotFoundError
from queries import cypher
from viz.graph import Graph

__all__ = [
    "AGGREGATE_NODES",
    "LEVEL_TITLES",
    "VIEWS",
    "UnknownSubject",
    "View",
    "fetch",
    "first_record",
    "title",
]

#: a village view (of a township or county) estimated larger than this is drawn as clusters
AGGREGATE_NODES = 20_000


@dataclass(frozen=True)
class View:
    name: str
    #: the query file (queries/viz/NAME.cypher)
    query: str
    #: the key prefix of the subject's node (p:, h:, r:, s:, o:)
    prefix: str
    #: what the id names, and the view's title, in Chinese and in English
    subject_zh: str
    subject_en: str
    title_zh: str
    title_en: str
    layout: Literal["radial", "layered"] = "radial"
    #: the command's help
    help: str = ""


VIEWS: dict[str, View] = {
    v.name: v
    for v in (
        View(
            "helper",
            "viz/helper",
            "p:",
            "人员编号",
            "person id",
            "帮扶网络",
            "help network",
            help="A helper's network: the households they help on the date and their members.",
        ),
        View(
            "household",
            "viz/household",
            "h:",
            "户编号",
            "household id",
            "帮扶关系",
            "helpers",
            help="A household's helpers on the date, and its members.",
        ),
        View(
            "village",
            "viz/village",
            "r:",
            "区划代码",
            "region id",
            "村帮扶网络",
            "village help network",
            help="A village's help network: its households (registered by the date), their "
            "current helpers and their members. A township or county id draws all its villages.",
        ),
        View(
            "site",
            "viz/site",
            "s:",
            "安置点编号",
            "site id",
            "安置点党员与组织",
            "relocation site",
            help="A relocation site: its party organisations, the households relocated there "
            "by the date and their party members, those not placed in an organisation at the "
            "site or in its division marked.",
        ),
        View(
            "org",
            "viz/org",
            "o:",
            "党组织编号",
            "organisation id",
            "党组织体系",
            "organisation tree",
            layout="layered",
            help="An organisation and its subordinate organisations existing on the date, as a "
            "tree.",
        ),
        View(
            "chain",
            "viz/chain",
            "o:",
            "党组织编号",
            "organisation id",
            "产业链",
            "industry chain",
            help="The industry chain of an organisation: the entities it and its subordinate "
            "organisations lead (cooperatives), and their current benefit links to companies, "
            "households and persons.",
        ),
    )
}


class UnknownSubject(NotFoundError, LookupError):
    """The id names nothing the view can start from (or nothing inside the caller's scope)."""

    def __init__(self, view: View, subject: str) -> None:
        super().__init__(f"{view.name}: no {view.subject_en} {subject!r}")
        self.view = view
        self.subject = subject


#: the village view's title by the level of its region (a township or county draws all its
#: villages), in Chinese and in English
LEVEL_TITLES = {
    "village": ("村帮扶网络", "village help network"),
    "community": ("社区帮扶网络", "community help network"),
    "township": ("乡镇帮扶网络", "township help network"),
    "county": ("县（区）帮扶网络", "county help network"),
    "city": ("市帮扶网络", "city help network"),
}


def title(graph: Graph, lang: str, label: str | None = None) -> str:
    """The page's title: the view's name (for a region, by its level: 村 / 乡镇 / 县), then the
    subject's label and its id: ``乡镇帮扶网络：摆榔乡（530521202000）``."""
    view = VIEWS[graph.view]
    zh_name, en_name = view.title_zh, view.title_en
    root = graph.root_node
    if view.name == "village" and root is not None:
        zh_name, en_name = LEVEL_TITLES.get(str(root.props.get("level")), (zh_name, en_name))
    if label is None:
        label = graph.subject
    if lang == "zh":
        text = f"{zh_name}：{label}"
        return text + (f"（{graph.subject}）" if graph.subject not in label else "")
    text = f"{en_name[:1].upper()}{en_name[1:]}: {label}"
    return text + (f" ({graph.subject})" if graph.subject not in label else "")


def first_record(
    driver: neo4j.Driver,
    database: str,
    query: str,
    parameters: dict[str, object],
    view: View,
    subject: str,
) -> neo4j.Record:
    """The first row of the named query ``query`` (a read, routed to a reader);
    UnknownSubject of ``view`` and ``subject`` when there is none."""
    records, _, _ = driver.execute_query(
        cypher(query), parameters_=parameters, database_=database, routing_="r"
    )
    if not records:
        raise UnknownSubject(view, subject)
    return records[0]


def fetch(
    driver: neo4j.Driver,
    database: str,
    view: str | View,
    subject: str,
    as_of: dt.date,
    scope: str | None = None,
    *,
    history: bool = False,
    members: bool = True,
) -> Graph:
    """The network of ``view`` for ``subject`` as of ``as_of`` (a read transaction).

    ``history``: also what ended before the date or starts after it (every pairing of the
    helper, household or village, every household of the village whatever its registration
    date, the relocated members' ended memberships), for a page that filters by date;
    ``members=False``: a village view without the households' members."""
    spec = view if isinstance(view, View) else VIEWS[view]
    params = {"id": subject, "as_of": as_of, "scope": scope, "history": history}
    record = first_record(
        driver, database, spec.query, {**params, "members": members}, spec, subject
    )
    return Graph.from_rows(
        spec.name, subject, spec.prefix + subject, as_of, record["nodes"], record["edges"]
    )
