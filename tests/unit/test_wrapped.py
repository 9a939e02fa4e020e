"""queries/wrapped.py: a query's final ORDER BY is found and moved after the subquery."""

from __future__ import annotations

import pytest

from queries.registry import specs
from queries.wrapped import collected, counted, paged, split_order


def test_the_final_order_by_is_split_off():
    text = "// a comment\nMATCH (n)\nRETURN n.a AS a, n.b AS b\nORDER BY a DESC, b\n"
    assert split_order(text) == ("MATCH (n)\nRETURN n.a AS a, n.b AS b", "a DESC, b")


@pytest.mark.parametrize(
    "text",
    [
        "MATCH (n) RETURN n.a AS a",
        "MATCH (n) RETURN n.a AS a ORDER BY a LIMIT 5",
        "CALL () { MATCH (n) RETURN n ORDER BY n.a } RETURN n.a AS a",
        "MATCH (n) WITH n ORDER BY n.a RETURN collect(n.a) AS a",
        "MATCH (n) RETURN n.a AS a ORDER BY n.a",
    ],
)
def test_a_query_not_ending_with_an_order_over_columns_keeps_its_text(text):
    assert split_order(text) == (text, None)


def test_wrapped_texts_order_then_collect_page_or_count():
    text = "MATCH (n) RETURN n.a AS a, n.b AS b ORDER BY b"
    whole = collected(text, ["a", "b"]).text
    assert whole.startswith("CALL () {\nMATCH (n) RETURN n.a AS a, n.b AS b\n}")
    assert whole.endswith("WITH `a`, `b`\nORDER BY b\nRETURN collect([`a`, `b`]) AS rows")
    page = paged(text, ["a", "b"]).text
    assert "ORDER BY b\nWITH collect([`a`, `b`]) AS listed" in page
    assert page.endswith("listed[$page_skip..$page_skip + $page_limit] AS rows")
    assert counted(text).text.endswith("}\nRETURN count(*) AS total")
    with pytest.raises(ValueError):
        collected(text, ["a`) RETURN 1 //"])


def test_every_named_worklist_ends_with_an_order_over_its_columns():
    for name, spec in specs().items():
        if spec.kind != "worklist" or spec.post:
            continue
        _, order = split_order(spec.text)
        assert order is not None, name
        named = {part.split()[0] for part in order.split(",")}
        assert named <= set(spec.columns), name
