"""Positions computed server-side, in time linear in the nodes and edges.

Help networks, organisation trees and relocation sites are trees or nearly so. Both layouts
take a breadth-first spanning tree from the view's root (edges read both ways; every other
component hangs under the root too). The children of a node that have no children of their
own (a household's members, a township committee's branches) are drawn as a *cluster* close
to it instead of on the next level, so a wide, shallow network stays compact. Every other
child gets a share of its parent's room in proportion to what its subtree needs:

* :func:`radial` — the root in the centre, depth d on a circle of radius r(d), each subtree in
  an angular wedge; a node's leaves on a small circle around it. Each circle is made large
  enough that every node on it has the arc its cluster needs;
* :func:`layered` — a top-down tree, each subtree in a horizontal band, a parent centred above
  its children; the leaves of a node whose children are all leaves in rows of at most
  ``per_row`` under it.

No force simulation is run: vis-network's physics freezes a browser on a few thousand nodes,
and networkx's spring layout is quadratic per iteration.
"""

from __future__ import annotations

import math
from collections import deque
from collections.abc import Iterable, Sequence

__all__ = ["Positions", "layered", "radial"]

Positions = dict[str, tuple[float, float]]


class _Tree:
    """A breadth-first spanning tree over ``keys`` from ``root``, leaves split off."""

    def __init__(self, keys: Sequence[str], edges: Iterable[tuple[str, str]], root: str) -> None:
        index = {k: i for i, k in enumerate(keys)}
        n = len(keys)
        adjacent: list[list[int]] = [[] for _ in range(n)]
        for a, b in edges:
            i, j = index.get(a), index.get(b)
            if i is None or j is None or i == j:
                continue
            adjacent[i].append(j)
            adjacent[j].append(i)
        self.depth = [0] * n
        children: list[list[int]] = [[] for _ in range(n)]
        #: nodes in breadth-first order (parents before children)
        self.order: list[int] = []
        seen = [False] * n
        self.root = start = index.get(root, 0)
        # the root's component first, then each other component under the root
        for first in [start, *range(n)]:
            if n == 0 or seen[first]:
                continue
            seen[first] = True
            if first != start:
                self.depth[first] = 1
                children[start].append(first)
            queue = deque([first])
            while queue:
                i = queue.popleft()
                self.order.append(i)
                for j in adjacent[i]:
                    if not seen[j]:
                        seen[j] = True
                        self.depth[j] = self.depth[i] + 1
                        children[i].append(j)
                        queue.append(j)
        #: children with children of their own, and children without (a node's cluster)
        self.inner = [[j for j in c if children[j]] for c in children]
        self.leaves = [[j for j in c if not children[j]] for c in children]
        self.levels = max((self.depth[i] for i in self.order), default=0) + 1

    def bands(self, need: list[float]) -> tuple[list[float], list[float]]:
        """Each node's band [start, start + width): a node needs ``need[i]`` for itself and its
        cluster, and at least what its inner children need together, centred on them."""
        n = len(need)
        width = list(need)
        for i in reversed(self.order):
            if self.inner[i]:
                width[i] = max(need[i], sum(width[j] for j in self.inner[i]))
        start = [0.0] * n
        for i in self.order:
            inner = self.inner[i]
            cursor = start[i] + (width[i] - sum(width[j] for j in inner)) / 2
            for j in inner:
                start[j] = cursor
                cursor += width[j]
        return start, width


def radial(
    keys: Sequence[str],
    edges: Iterable[tuple[str, str]],
    root: str,
    *,
    ring: float = 160.0,
    gap: float = 40.0,
) -> Positions:
    """The root at (0, 0), depth d on a circle; each subtree in a wedge; leaves around their
    parent on a circle of radius at least ``gap``, ``gap`` apart."""
    if not keys:
        return {}
    tree = _Tree(keys, edges, root)
    n = len(keys)
    cluster = [0.0] * n  # radius of each node's cluster of leaves
    for i in tree.order:
        k = len(tree.leaves[i])
        if k:
            cluster[i] = max(gap, k * gap / (2 * math.pi))
    need = [2 * cluster[i] + gap for i in range(n)]  # arc a node needs on its circle
    start, width = tree.bands(need)
    total = width[tree.root]
    # radius of each depth: clear of the clusters of the depth inside, and wide enough that
    # each node's wedge holds the arc it needs
    widest = [0.0] * tree.levels
    arc = [0.0] * tree.levels
    for i in tree.order:
        d = tree.depth[i]
        widest[d] = max(widest[d], cluster[i])
        arc[d] = max(arc[d], total * need[i] / (2 * math.pi * width[i]))
    radius = [0.0] * tree.levels
    for d in range(1, tree.levels):
        radius[d] = max(radius[d - 1] + widest[d - 1] + widest[d] + ring, arc[d])
    # circles spread evenly out to the largest, so that no depth hugs the centre with long
    # spokes to the next
    for d in range(1, tree.levels):
        radius[d] = max(radius[d], radius[-1] * d / (tree.levels - 1))
    out: Positions = {}
    for i in tree.order:
        if keys[i] in out:  # a leaf, placed with its parent's cluster
            continue
        angle = 2 * math.pi * (start[i] + width[i] / 2) / total
        r = radius[tree.depth[i]]
        x, y = r * math.cos(angle), r * math.sin(angle)
        out[keys[i]] = (round(x, 1), round(y, 1))
        k = len(tree.leaves[i])
        for m, j in enumerate(tree.leaves[i]):
            a = angle + 2 * math.pi * (m + 0.5) / k
            out[keys[j]] = (
                round(x + cluster[i] * math.cos(a), 1),
                round(y + cluster[i] * math.sin(a), 1),
            )
    return out


def layered(
    keys: Sequence[str],
    edges: Iterable[tuple[str, str]],
    root: str,
    *,
    level: float = 150.0,
    gap: float = 170.0,
    per_row: int = 6,
) -> Positions:
    """A top-down tree, the root on top: each subtree in a band as wide as it needs, a node's
    leaves under it in rows of at most ``per_row``, ``gap`` apart."""
    if not keys:
        return {}
    tree = _Tree(keys, edges, root)
    n = len(keys)
    for i in range(n):  # beside subtrees, leaves take a place of their own on the next level
        if tree.inner[i] and tree.leaves[i]:
            tree.inner[i] = tree.inner[i] + tree.leaves[i]
            tree.leaves[i] = []
    rows = [math.ceil(len(tree.leaves[i]) / per_row) for i in range(n)]
    need = [max(1, min(len(tree.leaves[i]), per_row)) * gap for i in range(n)]
    start, width = tree.bands(need)
    middle = width[tree.root] / 2
    # each depth sits below the deepest rows of leaves of the depth above
    deepest = [0] * tree.levels
    for i in tree.order:
        deepest[tree.depth[i]] = max(deepest[tree.depth[i]], rows[i])
    top = [0.0] * tree.levels
    for d in range(1, tree.levels):
        top[d] = top[d - 1] + level * (1 + 0.6 * deepest[d - 1])
    out: Positions = {}
    for i in tree.order:
        if keys[i] in out:  # a leaf, placed in its parent's rows
            continue
        x, y = start[i] + width[i] / 2 - middle, top[tree.depth[i]]
        out[keys[i]] = (round(x, 1), round(y, 1))
        leaves = tree.leaves[i]
        for m, j in enumerate(leaves):
            row, col = divmod(m, per_row)
            in_row = min(per_row, len(leaves) - row * per_row)
            out[keys[j]] = (
                round(x + (col - (in_row - 1) / 2) * gap, 1),
                round(y + level * (1 + 0.6 * row), 1),
            )
    return out
