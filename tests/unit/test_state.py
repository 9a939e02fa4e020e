"""loaders.state.KindState: added, changed, unchanged, repeated and conflicting rows; what a
file no longer names (the retraction candidates)."""

from __future__ import annotations

from loaders.state import KindState, Verdict


def test_rows_against_the_graph():
    state = KindState.from_pairs([("A", 1), ("B", 2), ("C", 3), ("D", None)])
    assert state.admit("A", 1, 2).verdict is Verdict.UNCHANGED
    assert state.admit("B", 9, 3).verdict is Verdict.CHANGED
    assert state.admit("E", 5, 4).verdict is Verdict.ADDED
    assert state.admit("D", 4, 5).verdict is Verdict.CHANGED  # a fact without a digest
    # C is named by no row: the one candidate for retraction
    assert state.unnamed == 1 and state.is_unnamed("C") and not state.is_unnamed("A")
    state.protect("C")  # its row was rejected but named it
    assert state.unnamed == 0


def test_repeats_in_one_file():
    state = KindState.from_pairs([("A", 1)])
    state.admit("A", 7, 2)  # changed
    assert state.admit("A", 7, 9).verdict is Verdict.REPEATED  # same as its first row
    conflict = state.admit("A", 8, 10)
    assert conflict.verdict is Verdict.CONFLICT and conflict.first_row == 2
    state.admit("N", 5, 11)
    assert state.admit("N", 5, 12).verdict is Verdict.REPEATED
    new_conflict = state.admit("N", 6, 13)
    assert new_conflict.verdict is Verdict.CONFLICT and new_conflict.first_row == 11


def test_an_empty_graph_names_nothing():
    state = KindState.empty()
    assert state.admit("A", 1, 2).verdict is Verdict.ADDED
    assert state.unnamed == 0 and not state.is_unnamed("A")
