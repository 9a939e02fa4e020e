"""Files whose rows name a parent row of the same file (regions, organizations): cycles and order.

Pure functions, no database: :func:`plan_tree` takes each row's id and parent id and returns
the rows that form cycles, the rows below a rejected row (whose parent can therefore not be
written), and the order to write the others in: parents before children, generation by
generation (networkx's ``find_cycle`` and ``topological_generations``).
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass, field

import networkx as nx

__all__ = ["TreePlan", "plan_tree"]


@dataclass
class TreePlan:
    #: id → the cycle it is on, as ids (the first repeated at the end: A → B → A)
    cycles: dict[str, list[str]] = field(default_factory=dict)
    #: id → the id of its parent in the file that is rejected or on a cycle
    orphans: dict[str, str] = field(default_factory=dict)
    #: the ids to write, by generation: every parent (in the file) before its children
    generations: list[list[str]] = field(default_factory=list)


def plan_tree(parents: Mapping[str, str | None], rejected: Collection[str] = ()) -> TreePlan:
    """Cycles, orphans and writing order of the rows of one file.

    ``parents`` maps each row's id to its parent's id (None for a root); a parent that is not
    among the ids lies outside the file (in the graph, or nowhere: the reference check says).
    ``rejected`` are ids rejected for other reasons: their descendants become orphans.
    """
    graph: nx.DiGraph[str] = nx.DiGraph()  # parent → child
    graph.add_nodes_from(parents)
    for child, parent in parents.items():
        if parent is not None and parent in parents:
            graph.add_edge(parent, child)
    plan = TreePlan()
    # Each row has one parent, so each weakly connected part holds at most one cycle.
    for part in nx.weakly_connected_components(graph):
        try:
            edges = nx.find_cycle(graph.subgraph(part))
        except nx.NetworkXNoCycle:
            continue
        # edges run parent → child; the path is written child → parent, as the file links them
        cycle = [child for _, child in reversed(edges)]
        first = cycle.index(min(cycle))  # start at the smallest id: the same text every run
        cycle = cycle[first:] + cycle[:first]
        cycle.append(cycle[0])
        for node in cycle[:-1]:
            plan.cycles[node] = cycle
    bad = set(plan.cycles) | (set(rejected) & set(parents))
    # Descendants of a bad row cannot be written: their parent will not be in the graph.
    for node in list(bad):
        for child in graph.successors(node):
            if child not in bad:
                _orphan(graph, child, node, bad, plan.orphans)
    keep = graph.subgraph(n for n in graph if n not in bad)
    plan.generations = [sorted(g) for g in nx.topological_generations(keep)]
    return plan


def _orphan(
    graph: nx.DiGraph[str], node: str, parent: str, bad: set[str], orphans: dict[str, str]
) -> None:
    stack = [(node, parent)]
    while stack:
        child, up = stack.pop()
        if child in bad:
            continue
        bad.add(child)
        orphans[child] = up
        stack.extend((grandchild, child) for grandchild in graph.successors(child))
