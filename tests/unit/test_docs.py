"""Every command and option has help; every query file has a header; README names the commands."""

from __future__ import annotations

from pathlib import Path

import click
import pytest

from kg.cli import main
from queries import QUERY_DIR, cypher, names

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
    found = names()
    assert "load/persons" in found and "unassigned_relocated_members" in found
    for name in found:
        text = cypher(name)
        assert text.startswith("//"), f"{name}: no header comment"
        header = [line for line in text.splitlines() if line.startswith("//")]
        assert any("Parameters" in line for line in header), f"{name}: header names no parameters"


def test_query_names_cannot_escape_the_folder():
    for bad in ("../graph/schema", "load/../../x", "/etc/passwd", "Load/Persons"):
        with pytest.raises(KeyError):
            cypher(bad)
    assert QUERY_DIR.is_dir()


def test_readme_names_every_command():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for name, command in main.commands.items():
        assert f"`kg {name}" in readme, name
        for sub in getattr(command, "commands", {}):
            assert sub in readme.split(f"`kg {name}")[1].split("\n")[0], f"kg {name} {sub}"
    assert "make demo" in readme and "make test" in readme
