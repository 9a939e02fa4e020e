"""loaders.tree.plan_tree: cycles, orphans and the order parents are written in."""

from __future__ import annotations

from loaders.tree import plan_tree


def test_parents_come_before_children():
    plan = plan_tree({"c": "b", "b": "a", "a": None, "x": "outside", "y": "x"})
    order = [n for generation in plan.generations for n in generation]
    assert order.index("a") < order.index("b") < order.index("c")
    assert order.index("x") < order.index("y")
    assert not plan.cycles and not plan.orphans


def test_a_cycle_is_named_from_its_smallest_id_and_its_descendants_are_orphans():
    plan = plan_tree({"q": "p", "p": "r", "r": "q", "s": "q", "t": "s", "a": None})
    assert plan.cycles["p"] == ["p", "r", "q", "p"]
    assert set(plan.cycles) == {"p", "q", "r"}
    assert plan.orphans == {"s": "q", "t": "s"}
    assert plan.generations == [["a"]]


def test_rejected_rows_orphan_their_subtree():
    plan = plan_tree({"a": None, "b": "a", "c": "b", "d": "a"}, rejected=["b"])
    assert plan.orphans == {"c": "b"}
    assert [n for g in plan.generations for n in g] == ["a", "d"]
    assert "b" not in plan.cycles
