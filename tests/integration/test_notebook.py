"""The worked notebook docs/notebooks/help-networks.ipynb, executed headless (nbclient, an
ipykernel of this environment) against the session's embedded Neo4j: it loads a small generated
dataset with ``kg load``, traces one-helps-many, draws a village, ranks helpers with networkx
and draws a county as clusters. Its settings come from the environment, as the kernel inherits
the session's KG_HOME and KG_BOLT_PORT (or NEO4J_URI)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from graph.connection import database_name
from graph.wipe import empty_database

nbformat = pytest.importorskip("nbformat")
nbclient = pytest.importorskip("nbclient")

NOTEBOOK = Path(__file__).resolve().parents[2] / "docs" / "notebooks" / "help-networks.ipynb"
EXTERNAL = re.compile(r"""\b(?:src|href)\s*=\s*["']?\s*(?:https?:)?//""", re.I)


def _text(cell) -> str:
    out = []
    for output in cell.get("outputs", []):
        if output.get("output_type") == "stream":
            out.append(output["text"])
        elif "data" in output:
            out.append(output["data"].get("text/plain", ""))
    return "".join(out)


def test_the_notebook_runs_headless(empty_db, neo4j_settings, tmp_path):
    nb = nbformat.read(NOTEBOOK, as_version=4)
    assert not any(c.get("outputs") for c in nb.cells if c.cell_type == "code"), (
        "commit the notebook without outputs"
    )
    client = nbclient.NotebookClient(
        nb, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(tmp_path)}}
    )
    try:
        client.execute()
    finally:
        empty_database(empty_db, database_name(neo4j_settings))
    code = [c for c in nb.cells if c.cell_type == "code"]
    errors = [o for c in code for o in c.outputs if o.output_type == "error"]
    assert errors == []
    assert "rows loaded" in _text(code[0])
    assert "helpers help two households or more" in _text(code[1])
    # the networks show inline, offline: the page in an iframe, nothing loaded from outside
    frames = [
        o["data"]["text/html"]
        for c in code
        for o in c.outputs
        if o.output_type == "execute_result" and "text/html" in o.get("data", {})
    ]
    assert len(frames) == 3
    for frame in frames:
        assert frame.startswith("<iframe srcdoc=") and not EXTERNAL.findall(frame)
    assert "村帮扶网络" in _text(code[2])
    ranking = _text(code[3]).splitlines()
    assert ranking[0].split() == ["helper", "name", "households", "betweenness"]
    assert len(ranking) > 2 and int(ranking[1].split()[2]) >= 2  # the busiest help several
    assert "households" in _text(code[4]) and "divisions in" in _text(code[4])
