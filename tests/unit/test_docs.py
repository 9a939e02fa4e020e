"""Every command and option has help; every query file has a header; README names the commands."""

from __future__ import annotations

from pathlib import Path

import click
import pytest

from kg.cli import main
from loaders.write import CYPHER
from queries import QUERY_DIR, cypher, query_names

ROOT = Path(__file__).resolve().parents[2]


def _commands(group: click.Group, prefix: str = "kg"):
    for name, command in group.commands.items():
        yield f"{prefix} {name}", command
        if isinstance(command, click.Group):
            yield from _commands(command, f"{prefix} {name}")


@pytest.mark.parametrize(("path", "command"), list(_commands(main)))
def test_every_command_and_option_has_help(path, command):
    assert (command.help or "").strip(), f"{path} has no help"
    for param in command.params:
        if isinstance(param, click.Option):
            assert (param.help or "").strip(), f"{path} {param.opts} has no help"


def test_every_query_file_has_a_header():
    found = query_names()
    loader = CYPHER.names()
    assert "unassigned_relocated_members" in found and "write/persons" in loader
    texts = [(n, cypher(n)) for n in found] + [(n, CYPHER.text(n)) for n in loader]
    for name, text in texts:
        assert text.startswith("//"), f"{name}: no header comment"
        header = [line for line in text.splitlines() if line.startswith("//")]
        assert any("Parameters" in line for line in header), f"{name}: header names no parameters"


def test_loader_templates_name_their_placeholders():
    """A template (``__KIND__``) is filled from the contract's declaration only."""
    templates = [n for n in CYPHER.names() if "__KIND__" in CYPHER.text(n)]
    assert "facts/retract_nodes" in templates and "facts/lookup" in templates
    for name in templates:
        assert "Template (__KIND__" in CYPHER.text(name), name
    with pytest.raises(ValueError):
        CYPHER.template("facts/lookup", kind="Person) DETACH DELETE (x", key="person_id")


def test_query_names_cannot_escape_the_folder():
    for bad in ("../graph/schema", "viz/../../x", "/etc/passwd", "Viz/Helper"):
        with pytest.raises(KeyError):
            cypher(bad)
        with pytest.raises(KeyError):
            CYPHER.text(bad)
    assert QUERY_DIR.is_dir()


def test_readme_names_every_command():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for name, command in main.commands.items():
        assert f"`kg {name}" in readme, name
        for sub in getattr(command, "commands", {}):
            assert sub in readme.split(f"`kg {name}")[1].split("\n")[0], f"kg {name} {sub}"
    assert "make demo" in readme and "make test" in readme


def test_every_named_query_header_is_read_and_checked():
    from queries.registry import specs

    found = specs()
    assert {"one_helps_many", "pairing_patterns", "help_trace", "search", "card"} <= set(found)
    for spec in found.values():
        assert spec.description and spec.columns, spec.name


def test_registry_rejects_a_header_that_does_not_match_its_text():
    from queries.registry import RegistryError, _parse

    good = "// Lists.\n//\n// Kind: worklist\n// Parameters:\n//   as_of: date = today\n"
    good += "// Columns: a\nMATCH (n) WHERE n.d <= $as_of AND $scope IS NULL RETURN n.a AS a\n"
    assert _parse("ok", good).params[0].name == "as_of"
    for bad in (
        good.replace("$scope IS NULL", "true"),  # forgets the scope
        good.replace("n.d <= $as_of", "n.d <= $since"),  # undeclared
        good.replace("date = today", "date = tomorrow"),  # bad default
        good.replace("date", "datetime", 1),  # unknown type
        good.replace("// Kind: worklist\n", ""),
        good.replace("// Columns: a\n", ""),
        good.replace("// Lists.\n", ""),
        good.replace("// Columns: a\n", "// Columns: a\n// Count: count/no_such_query\n"),
    ):
        with pytest.raises(RegistryError):
            _parse("bad", bad)
    counted = good.replace("// Columns: a\n", "// Columns: a\n// Count: count/pairing_patterns\n")
    assert _parse("ok", counted).count == "count/pairing_patterns"


def test_every_query_file_is_used():
    """Named queries run through the registry (tested one by one in
    tests/integration/test_named_queries.py); the loader runs write/<file stem> for each
    contract file; every other query file must be named in the code that runs it."""
    from core.contract import SPECS
    from queries.registry import specs

    code = "\n".join(
        p.read_text(encoding="utf-8")
        for folder in ("queries", "loaders", "api", "viz", "kg", "web")
        for p in (ROOT / folder).rglob("*.py")
    )
    stems = set(SPECS)
    counts = {spec.count for spec in specs().values()}  # run for the query naming them
    for name in query_names():
        if name in specs() or name in counts:
            continue
        assert f'"{name}"' in code or f"'{name}'" in code, f"{name}.cypher is never run"
    for name in CYPHER.names():
        folder, _, stem = name.rpartition("/")
        if folder == "write":
            assert stem in stems, f"{name}.cypher writes no contract file"
            continue
        # facts/X_nodes and facts/X_rels are chosen by the kind of fact: _template("X", spec)
        base = name.removeprefix("facts/").removesuffix("_nodes").removesuffix("_rels")
        paired = base != name.removeprefix("facts/") and f'_template("{base}"' in code
        assert paired or f'"{name}"' in code, f"{name}.cypher is never run"
    assert {f"write/{stem}" for stem in stems} <= set(CYPHER.names())
