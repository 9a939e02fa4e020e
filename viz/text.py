"""The words shown about a node or an edge: its label on the canvas and its tooltip.

A tooltip is HTML-escaped text: every value (names come from ledgers, which anyone can type
into) goes through :func:`html.escape`, lines are joined with ``<br>`` and nothing else is
markup, so a name like ``<img src=x onerror=alert(1)>`` shows as text. The page turns it
into a DOM element (vis-network shows a plain string as raw text, entities and all).

Field names are the contract's Chinese column names (``core.contract``), or the English
ones; enumeration values are translated the same way. Id numbers and phone numbers are masked
(:mod:`core.masking`) unless ``unmasked``.
"""

from __future__ import annotations

import datetime as dt
import functools
import html
from collections.abc import Callable, Mapping
from typing import Any

from core import contract as c
from core import vocabulary as voc
from core.masking import mask_id_number, mask_phone, mask_text
from viz.graph import Edge, Node
from viz.style import EDGE_STYLES, NODE_STYLES

__all__ = ["edge_label", "edge_tooltip", "node_label", "node_tooltip"]

# The fields of each kind of node: (file of the contract, columns).
_FIELDS: dict[str, tuple[str, tuple[str, ...]]] = {
    "person": (
        "persons",
        (
            "person_id",
            "id_number",
            "gender",
            "birth_date",
            "phone",
            "household_id",
            "relation",
            "party_status",
            "party_joined_on",
        ),
    ),
    "household": (
        "households",
        (
            "household_id",
            "region_id",
            "size",
            "registered_poor",
            "registered_on",
            "poverty_cause",
            "exited_on",
            "industry_conditions",
            "relocation_site_id",
            "relocated_on",
        ),
    ),
    "site": ("relocation_sites", ("site_id", "region_id", "opened_on", "planned_households")),
    "organization": (
        "organizations",
        ("org_id", "kind", "setting", "region_id", "site_id", "founded_on", "dissolved_on"),
    ),
    "region": ("regions", ("region_id", "level", "poverty_listed", "exited_on")),
    "enterprise": (
        "enterprises",
        ("entity_id", "kind", "region_id", "workshop_type", "new_type", "led_by_org_id"),
    ),
    "work_team": ("work_teams", ("team_id", "village_id", "dispatched_by", "start_on", "end_on")),
}
_EDGE_FIELDS: dict[str, tuple[str, tuple[str, ...]]] = {
    "HELPS": ("pairings", ("start_on", "end_on", "declared_form", "measures")),
    "MEMBER_OF": ("memberships", ("start_on", "end_on")),
    "LINKS": ("enterprise_links", ("link", "start_on", "end_on")),
    "RELOCATED_TO": ("households", ("relocated_on",)),
    "SERVES_ON": ("team_members", ("role", "start_on", "end_on")),
}
# Enumerations: column -> {value: (Chinese alias, ...)}
_ENUMS: dict[str, Mapping[str, tuple[str, ...]]] = {
    "gender": voc.GENDERS,
    "relation": voc.RELATIONS,
    "party_status": voc.PARTY_STATUS,
    "poverty_cause": voc.CAUSES,
    "declared_form": voc.FORMS,
    "setting": voc.SETTINGS,
    "level": voc.LEVELS,
    "workshop_type": voc.WORKSHOP_TYPES,
    "link": voc.LINKS,
    "role": voc.TEAM_ROLES,
}
_KIND_ENUMS: dict[str, Mapping[str, tuple[str, ...]]] = {
    "organization": voc.ORG_KINDS,
    "enterprise": voc.ENTERPRISE_KINDS,
}
# What the queries computed (Node.info), by language.
_INFO: dict[str, tuple[str, str]] = {
    "load": ("当前帮扶户数", "households helped now"),
    "members": ("当前党员数", "current members"),
    "category": ("未编入原因", "why not placed"),
    "current_orgs": ("当前组织关系", "current organisation"),
    "head": ("户主", "head of household"),
}
_CATEGORIES = {
    "no_membership": ("没有组织关系", "no membership anywhere"),
    "not_transferred": ("组织关系未转入", "membership not transferred"),
}
#: how each field with personal data is masked; free text (帮扶措施, and the name heading a
#: tooltip) for the id or phone numbers a clerk may have written into it
_MASKED = {"id_number": mask_id_number, "phone": mask_phone, "measures": mask_text}
_YES_NO = {True: ("是", "yes"), False: ("否", "no")}
_SEP = {"zh": "：", "en": ": "}


def node_label(node: Node, lang: str = "zh") -> str:
    """The text under a node on the canvas: its name, or its id when it has none; a household
    is named by its head (户主), the household's id beside: ``杨春华（H001）``."""
    props = node.props
    if node.key.startswith("h:"):
        hid = str(props.get("household_id") or node.key[2:])
        head = node.info.get("head")
        if not head:
            return hid
        return f"{head}（{hid}）" if lang == "zh" else f"{head} ({hid})"
    name = props.get("name")
    if name:
        return str(name)
    for key in (
        "household_id",
        "person_id",
        "org_id",
        "site_id",
        "entity_id",
        "team_id",
        "region_id",
    ):
        if props.get(key):
            return str(props[key])
    return node.key


def edge_label(edge: Edge, lang: str) -> str:
    """The relationship's name; a benefit link's kind (入社, 就业, ...) when it has one."""
    if edge.kind == "LINKS" and edge.props.get("link"):
        return _value("link", edge.props["link"], lang=lang, kinds=None)
    style = EDGE_STYLES.get(edge.kind)
    if style is None:
        return edge.kind
    return style.zh if lang == "zh" else style.en


def node_tooltip(node: Node, category: str, lang: str, unmasked: bool = False) -> str:
    """Escaped HTML: the node's category and label, then one line per field that has a value."""
    style = NODE_STYLES[category]
    label = node_label(node, lang)
    sep = _SEP[lang]
    lines = [
        f"{style.zh if lang == 'zh' else style.en}{sep}{label if unmasked else mask_text(label)}"
    ]
    group = node.kind if node.kind in _FIELDS else "person"
    props = node.props
    for name, heading, show in _formatters(group, lang, unmasked):
        value = props.get(name)
        if value is not None and value != "":
            lines.append(f"{heading}{show(value)}")
    if node.info:
        for name, (zh, en) in _INFO.items():
            value = node.info.get(name)
            if value is None or value == []:
                continue
            if name == "category":
                value = _CATEGORIES.get(value, (value, value))[0 if lang == "zh" else 1]
            elif isinstance(value, list):
                value = ("、" if lang == "zh" else ", ").join(map(str, value))
            text = str(value)
            lines.append(
                f"{zh if lang == 'zh' else en}{sep}{text if unmasked else mask_text(text)}"
            )
    return _escape_lines(lines)


@functools.cache
def _formatters(
    group: str, lang: str, unmasked: bool
) -> tuple[tuple[str, str, Callable[[Any], str]], ...]:
    """For each field of a kind of node: its name, its heading ("身份证号：") and how its value
    is shown; worked out once per kind, language and masking, not once per node."""
    stem, fields = _FIELDS[group]
    kinds = _KIND_ENUMS.get(group)
    return tuple(
        (
            name,
            _field(stem, name, lang) + _SEP[lang],
            _shower(name, lang, kinds, unmasked),
        )
        for name in fields
    )


def edge_tooltip(edge: Edge, lang: str, unmasked: bool = False) -> str:
    """Escaped HTML: the relationship's name, then its dated fields."""
    lines = [edge_label(edge, lang)]
    stem, fields = _EDGE_FIELDS.get(edge.kind, ("", ()))
    for name in fields:
        value = edge.props.get(name)
        if value is None or value == "":
            continue
        shown = _value(name, value, lang=lang, kinds=None, unmasked=unmasked)
        lines.append(f"{_field(stem, name, lang)}{_SEP[lang]}{shown}")
    return _escape_lines(lines)


def _escape_lines(lines: list[str]) -> str:
    """The lines escaped (all at once: one call instead of one per line), joined by <br>."""
    return html.escape("\n".join(lines), quote=True).replace("\n", "<br>")


@functools.cache
def _field(stem: str, name: str, lang: str) -> str:
    if lang == "zh":
        try:
            return c.spec_for(stem).column(name).zh
        except KeyError:
            pass
    return name.replace("_", " ")


def _value(
    name: str,
    value: Any,
    *,
    lang: str,
    kinds: Mapping[str, tuple[str, ...]] | None,
    unmasked: bool = False,
) -> str:
    """How the value of field ``name`` is shown."""
    return _shower(name, lang, kinds, unmasked)(value)


def _shower(
    name: str, lang: str, kinds: Mapping[str, tuple[str, ...]] | None, unmasked: bool
) -> Callable[[Any], str]:
    """The function showing values of field ``name``: masked, translated or plain."""
    if name in _MASKED and not unmasked:
        mask = _MASKED[name]
        return lambda value: mask(str(value))
    enum = kinds if name == "kind" else _ENUMS.get(name)
    if enum is not None:
        names = {k: v[0] if lang == "zh" else k.replace("_", " ") for k, v in enum.items()}
        return lambda value: names[value] if value in names else _plain(value, lang)
    return functools.partial(_plain, lang=lang)


def _plain(value: Any, lang: str) -> str:
    if isinstance(value, bool):
        return _YES_NO[value][0 if lang == "zh" else 1]
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)
