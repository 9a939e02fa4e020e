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
* :func:`grouped` — a help network grouped by helper: each connected group of helpers,
  households and members laid out radially around its busiest helper, the groups of a village
  packed in rows (largest first, households without a helper last) under the village's label,
  the villages of a township packed the same way under the township's: no hub joined to every
  household.
* :func:`pack_circles` — circles of given radii packed around the origin without overlapping
  (the front-chain algorithm of Wang et al., as d3's ``packSiblings``), for the county-scale
  view's clusters.

No force simulation is run: vis-network's physics freezes a browser on a few thousand nodes,
and networkx's spring layout is quadratic per iteration.
"""

from __future__ import annotations

import math
from collections import deque
from collections.abc import Iterable, Mapping, Sequence

__all__ = ["Positions", "grouped", "layered", "pack_circles", "radial"]

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


def grouped(
    keys: Sequence[str],
    edges: Iterable[tuple[str, str]],
    root: str,
    *,
    block_of: Mapping[str, str],
    parent_of: Mapping[str, str],
    gap: float = 40.0,
    pad: float = 60.0,
    aspect: float = 1.6,
) -> Positions:
    """Positions of a help network grouped by helper (see the module's doc).

    ``edges`` join the members of a group (pairings, household members); ``block_of`` names the
    block (a region key) of the nodes that have one (households); ``parent_of`` the parent block
    of each block (a village's township), the root's block being ``root``. A key that is a block
    is drawn as its label, centred above the block. Each group goes to the block most of its
    nodes belong to (the root's when none does)."""
    if not keys:
        return {}
    blocks = {b for b in parent_of} | {root} | set(parent_of.values())
    index = {k: i for i, k in enumerate(keys)}
    parent = list(range(len(keys)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    pairs: list[tuple[int, int]] = []
    for a, b in edges:
        i, j = index.get(a), index.get(b)
        if i is None or j is None or i == j or a in blocks or b in blocks:
            continue
        pairs.append((i, j))
        ri, rj = find(i), find(j)
        if ri != rj:
            parent[max(ri, rj)] = min(ri, rj)
    groups: dict[int, list[int]] = {}
    for i, k in enumerate(keys):
        if k not in blocks:
            groups.setdefault(find(i), []).append(i)
    group_pairs: dict[int, list[tuple[str, str]]] = {}
    adjacent: list[list[int]] = [[] for _ in keys]
    for i, j in pairs:
        group_pairs.setdefault(find(i), []).append((keys[i], keys[j]))
        adjacent[i].append(j)
        adjacent[j].append(i)
    # each group: laid out around its node of highest degree, as a box
    boxes: dict[str, list[tuple[int, Positions, float, float]]] = {}
    for g, members in groups.items():
        hub = max(members, key=lambda i: (len(adjacent[i]), -i))
        local = _star(hub, len(members), adjacent, keys, gap)
        if local is None:
            local = radial(
                [keys[i] for i in members],
                group_pairs.get(g, []),
                keys[hub],
                ring=2.5 * gap,
                gap=gap,
            )
        votes: dict[str, int] = {}
        for i in members:
            vote = block_of.get(keys[i])
            if vote is not None:
                votes[vote] = votes.get(vote, 0) + 1
        block = max(votes, key=lambda v: (votes[v], v)) if votes else root
        w, h = _extent(local)
        boxes.setdefault(block, []).append((len(members), local, w + gap, h + gap))
    children: dict[str, list[str]] = {}
    for b, p in parent_of.items():
        if b != root:
            children.setdefault(p, []).append(b)
    out: Positions = {}

    def block_box(b: str) -> tuple[Positions, float, float]:
        items = [
            (local, w, h)
            for _, local, w, h in sorted(boxes.get(b, []), key=lambda t: (-t[0], -t[3]))
        ]
        items += [block_box(c) for c in sorted(children.get(b, []))]
        if not items:
            local = {b: (0.0, 0.0)} if b in index else {}
            return local, pad, pad
        pos, w, h = _shelf(items, pad, aspect)
        top = -h / 2 - gap
        if b in index:
            pos[b] = (0.0, round(top, 1))
        return pos, w, h + 2 * gap

    pos, _, _ = block_box(root)
    for k, xy in pos.items():
        if k in index:
            out[k] = xy
    for k in keys:  # a block that is not under the root
        if k not in out:
            out[k] = (0.0, 0.0)
    return out


def _star(
    hub: int, size: int, adjacent: list[list[int]], keys: Sequence[str], gap: float
) -> Positions | None:
    """The common group, fast: a hub (a helper), its neighbours (households) on a ring and
    theirs (members), leaves, each on a small ring around its neighbour, as :func:`radial`
    would draw it; None when the group is not shaped so."""
    children = adjacent[hub]
    if len(children) != len(set(children)):
        return None
    leaves: list[list[int]] = []
    count = 1 + len(children)
    for c in children:
        mine = [j for j in adjacent[c] if j != hub]
        if any(len(adjacent[j]) != 1 for j in mine) or len(mine) != len(adjacent[c]) - 1:
            return None
        leaves.append(mine)
        count += len(mine)
    if count != size:
        return None
    out: Positions = {keys[hub]: (0.0, 0.0)}
    if not children:
        return out
    cluster = [max(gap, len(m) * gap / (2 * math.pi)) if m else 0.0 for m in leaves]
    need = [2 * r + gap for r in cluster]
    ring = max(2.5 * gap, sum(need) / (2 * math.pi))
    total = sum(need)
    start = 0.0
    for c, mine, r, arc in zip(children, leaves, cluster, need, strict=True):
        angle = 2 * math.pi * (start + arc / 2) / total
        start += arc
        x, y = ring * math.cos(angle), ring * math.sin(angle)
        out[keys[c]] = (round(x, 1), round(y, 1))
        for m, j in enumerate(mine):
            a = angle + 2 * math.pi * (m + 0.5) / len(mine)
            out[keys[j]] = (round(x + r * math.cos(a), 1), round(y + r * math.sin(a), 1))
    return out


def _extent(pos: Positions) -> tuple[float, float]:
    """Width and height of the box around the positions, re-centred on (0, 0) in place."""
    xs = [x for x, _ in pos.values()]
    ys = [y for _, y in pos.values()]
    cx, cy = (min(xs) + max(xs)) / 2, (min(ys) + max(ys)) / 2
    for k, (x, y) in pos.items():
        pos[k] = (x - cx, y - cy)
    return max(xs) - min(xs), max(ys) - min(ys)


def _shelf(
    items: list[tuple[Positions, float, float]], pad: float, aspect: float = 1.6
) -> tuple[Positions, float, float]:
    """Boxes (positions centred on their box, width, height) in rows of about equal width, the
    whole centred on (0, 0): positions, width and height."""
    area = sum((w + pad) * (h + pad) for _, w, h in items)
    width = max(max(w for _, w, _ in items), math.sqrt(area * aspect))  # wide as a screen
    rows: list[list[tuple[Positions, float, float]]] = [[]]
    used = 0.0
    for item in items:
        if rows[-1] and used + item[1] > width:
            rows.append([])
            used = 0.0
        rows[-1].append(item)
        used += item[1] + pad
    out: Positions = {}
    y = 0.0
    widest = 0.0
    placed: list[tuple[Positions, float, float]] = []
    for row in rows:
        tall = max(h for _, _, h in row)
        x = 0.0
        for local, w, _h in row:
            placed.append((local, x + w / 2, y + tall / 2))
            x += w + pad
        widest = max(widest, x - pad)
        y += tall + pad
    height = y - pad
    for local, cx, cy in placed:
        dx, dy = cx - widest / 2, cy - height / 2
        for k, (x, yy) in local.items():
            out[k] = (round(x + dx, 1), round(yy + dy, 1))
    return out, widest, height


def pack_circles(radii: Sequence[float]) -> tuple[list[tuple[float, float]], float]:
    """Centres of circles of ``radii`` packed without overlap, and the radius of a circle
    around the origin that holds them all (the centres are shifted to centre it)."""
    n = len(radii)
    if n == 0:
        return [], 0.0
    cs = [[0.0, 0.0, float(r)] for r in radii]
    if n >= 2:
        a, b = cs[0], cs[1]
        a[0] = -b[2]
        b[0] = a[2]
    if n >= 3:
        _place(cs[1], cs[0], cs[2])
        # the front chain, a ring of indices: a -> b -> c -> a
        nxt = {0: 1, 1: 2, 2: 0}
        prv = {1: 0, 2: 1, 0: 2}
        a_i, b_i = 0, 1
        i = 3
        while i < n:
            c = cs[i]
            _place(cs[a_i], cs[b_i], c)
            j, k = nxt[b_i], prv[a_i]
            sj, sk = cs[b_i][2], cs[a_i][2]
            retry = False
            while True:
                if sj <= sk:
                    if _intersects(cs[j], c):
                        b_i = j
                        nxt[a_i], prv[b_i] = b_i, a_i
                        retry = True
                        break
                    sj += cs[j][2]
                    j = nxt[j]
                else:
                    if _intersects(cs[k], c):
                        a_i = k
                        nxt[a_i], prv[b_i] = b_i, a_i
                        retry = True
                        break
                    sk += cs[k][2]
                    k = prv[k]
                if j == nxt[k]:
                    break
            if retry:
                continue
            # insert c between a and b
            prv[i], nxt[i] = a_i, b_i
            nxt[a_i] = i
            prv[b_i] = i
            b_i = i
            # the pair closest to the centroid becomes (a, b)
            best, best_score = a_i, _score(cs, a_i, nxt[a_i])
            node = nxt[b_i]
            while node != b_i:
                score = _score(cs, node, nxt[node])
                if score < best_score:
                    best, best_score = node, score
                node = nxt[node]
            a_i = best
            b_i = nxt[a_i]
            i += 1
    lo_x = min(x - r for x, _, r in cs)
    hi_x = max(x + r for x, _, r in cs)
    lo_y = min(y - r for _, y, r in cs)
    hi_y = max(y + r for _, y, r in cs)
    cx, cy = (lo_x + hi_x) / 2, (lo_y + hi_y) / 2
    centres = [(round(x - cx, 1), round(y - cy, 1)) for x, y, _ in cs]
    enclosing = max(math.hypot(x, y) + r for (x, y), (_, _, r) in zip(centres, cs, strict=True))
    return centres, enclosing


def _place(b: list[float], a: list[float], c: list[float]) -> None:
    """Put circle c tangent to circles a and b."""
    dx, dy = b[0] - a[0], b[1] - a[1]
    d2 = dx * dx + dy * dy
    if d2:
        a2 = (a[2] + c[2]) ** 2
        b2 = (b[2] + c[2]) ** 2
        if a2 > b2:
            x = (d2 + b2 - a2) / (2 * d2)
            y = math.sqrt(max(0.0, b2 / d2 - x * x))
            c[0] = b[0] - x * dx - y * dy
            c[1] = b[1] - x * dy + y * dx
        else:
            x = (d2 + a2 - b2) / (2 * d2)
            y = math.sqrt(max(0.0, a2 / d2 - x * x))
            c[0] = a[0] + x * dx - y * dy
            c[1] = a[1] + x * dy + y * dx
    else:
        c[0] = a[0] + c[2]
        c[1] = a[1]


def _intersects(a: list[float], b: list[float]) -> bool:
    dr = a[2] + b[2] - 1e-6
    dx, dy = b[0] - a[0], b[1] - a[1]
    return dr > 0 and dr * dr > dx * dx + dy * dy


def _score(cs: list[list[float]], i: int, j: int) -> float:
    a, b = cs[i], cs[j]
    ab = a[2] + b[2]
    dx = (a[0] * b[2] + b[0] * a[2]) / ab
    dy = (a[1] * b[2] + b[1] * a[2]) / ab
    return dx * dx + dy * dy
