"""Synthetic networks for the viz tests and benchmark, built in Python without Neo4j, and
:func:`page_data`, the network data a rendered page carries.

:func:`help_network` makes a village-style help network of about ``size`` nodes: a county, its
villages, their households (registered poor), 3 to 5 members each, and helpers who help 1 to
3 households each (a tenth of the households have a second helper, so it is not quite a tree),
with the properties the queries return (names, id numbers, phones, dates). Households fill
the villages one after the other, and a second helper is one of the village's latest.
"""

from __future__ import annotations

import datetime as dt
import json
import random
from typing import Any

from viz.graph import Edge, Graph, Node

__all__ = ["help_network", "household_with_history", "page_data"]

_SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗"
_GIVEN = "华明英兰芳国荣建德秀玉春强军平丽红伟"


def _name(rng: random.Random) -> str:
    return rng.choice(_SURNAMES) + "".join(rng.choice(_GIVEN) for _ in range(rng.randint(1, 2)))


def help_network(size: int, seed: int = 1) -> Graph:
    rng = random.Random(seed)
    day = dt.date(2019, 12, 31)
    nodes: list[Node] = []
    edges: list[Edge] = []
    county = "530521000000"
    nodes.append(Node(f"r:{county}", "region", {"region_id": county, "name": "施甸县"}))
    villages = max(1, size // 400)
    for v in range(villages):
        rid = f"530521{v // 20 + 101:03d}{v % 20 + 201:03d}"
        nodes.append(
            Node(
                f"r:{rid}", "region", {"region_id": rid, "name": f"第{v + 1}村", "level": "village"}
            )
        )
        edges.append(Edge(f"r:{rid}", f"r:{county}", "PART_OF", {}))
    per_village = max(1, size // (villages * 6))  # about 6 nodes per household
    households: list[str] = []
    helper_keys: list[str] = []
    h = 0
    while len(nodes) < size:
        h += 1
        hid = f"H{h:06d}"
        rid = nodes[1 + min(villages - 1, (h - 1) // per_village)].props["region_id"]
        props = {
            "household_id": hid,
            "region_id": rid,
            "size": 4,
            "registered_poor": True,
            "registered_on": dt.date(2014, 6, 1),
            "poverty_cause": "illness",
        }
        nodes.append(Node(f"h:{hid}", "household", props))
        edges.append(Edge(f"h:{hid}", f"r:{rid}", "LOCATED_IN", {}))
        households.append(hid)
        for m in range(rng.randint(3, 5)):
            pid = f"P{h:06d}{m}"
            person = {
                "person_id": pid,
                "name": _name(rng),
                "household_id": hid,
                "id_number": f"530521{1950 + m * 10}0101{h % 1000:03d}{m}",
                "phone": f"138{h % 10000:04d}{m:04d}",
                "relation": "head" if m == 0 else "child",
            }
            nodes.append(Node(f"p:{pid}", "member", person))
            edges.append(Edge(f"p:{pid}", f"h:{hid}", "IN_HOUSEHOLD", {}))
        if not helper_keys or rng.random() < 0.5:
            gid = f"G{len(helper_keys):06d}"
            helper_keys.append(f"p:{gid}")
            nodes.append(
                Node(f"p:{gid}", "helper", {"person_id": gid, "name": _name(rng)}, {"load": 0})
            )
        for key in [helper_keys[-1]] + (
            [rng.choice(helper_keys[-5:])] if rng.random() < 0.1 else []
        ):
            pairing = {"start_on": dt.date(2016, 1, 1), "declared_form": "one_to_many"}
            edges.append(Edge(key, f"h:{hid}", "HELPS", pairing))
    loads: dict[str, int] = {}
    for e in edges:
        if e.kind == "HELPS":
            loads[e.source] = loads.get(e.source, 0) + 1
    for node in nodes:
        if node.kind == "helper":
            node.info["load"] = loads.get(node.key, 0)
    return Graph("village", county, f"r:{county}", day, nodes, edges)


def household_with_history(head: str = "杨春华") -> Graph:
    """H001 (head P001) helped by P007 now and by P008 from 2016 until 2018 (ended)."""
    h = Node(
        "h:H001",
        "household",
        {"household_id": "H001", "registered_poor": True, "registered_on": dt.date(2014, 6, 1)},
        {"head": head},
    )
    p7 = Node("p:P007", "helper", {"person_id": "P007", "name": "张建华"}, {"load": 1})
    p8 = Node("p:P008", "helper", {"person_id": "P008", "name": "王丽"}, {"load": 0})
    m = Node(
        "p:P001",
        "member",
        {
            "person_id": "P001",
            "name": head,
            "id_number": "530521197003150114",
            "phone": "13887510001",
        },
    )
    edges = [
        Edge("p:P007", "h:H001", "HELPS", {"start_on": dt.date(2018, 3, 1)}),
        Edge(
            "p:P008",
            "h:H001",
            "HELPS",
            {"start_on": dt.date(2016, 1, 1), "end_on": dt.date(2018, 1, 1)},
        ),
        Edge("p:P001", "h:H001", "IN_HOUSEHOLD", {}),
    ]
    return Graph("household", "H001", "h:H001", dt.date(2018, 12, 31), [h, p7, p8, m], edges)


def page_data(page: str) -> dict[str, Any]:
    """The JSON of a page's ``<script id="kg-data">`` element (nodes, edges, options)."""
    start = page.index('<script id="kg-data" type="application/json">')
    start = page.index(">", start) + 1
    data: dict[str, Any] = json.loads(page[start : page.index("</script>", start)])
    return data
