"""First loads through Neo4j's batch importer: the validated rows as the importer's CSV input.

The rows that the transactional path sends to ``loaders/cypher/write/<stem>.cypher`` are written
here as the CSV files of ``neo4j-admin database import full``: one file of nodes per label, one
of relationships per type and pair of end labels, with the same properties the Cypher sets
(the contract's columns, key, value digest, provenance and owner). :data:`SHAPES` says, per
contract file, which node or relationship a row makes and which relationships its references
become — the same graph as the write Cypher; a test loads the fixtures both ways and compares
checksums of every label, type and property.

The importer's id spaces are the node labels: ``household_id:ID(Household)``, and a
relationship's ends ``:START_ID(Person)``, ``:END_ID(Household)``.
"""

from __future__ import annotations

import csv
import functools
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from core.contract import SPECS, FileSpec
from graph.embedded.importer import import_command
from loaders.derive import DERIVED

__all__ = ["SHAPES", "ImportFiles", "Link", "Shape", "import_readme"]

_TYPES = {"date": "date", "bool": "boolean", "int": "long", "year": "long",
          "non_negative": "double"}  # fmt: skip
_PROVENANCE = ("source_file", "source_row", "source_load")


@dataclass(frozen=True)
class Link:
    """A relationship a row's reference (``column``) becomes.

    ``inward`` relationships run from the referenced node to the row's own node (an
    organisation LEADS its enterprise); ``props`` are row columns set on it.
    """

    column: str
    type: str
    inward: bool = False
    props: tuple[str, ...] = ()


@dataclass(frozen=True)
class Shape:
    """How the rows of one file become graph: as nodes with ``links``, or as relationships
    from the entity of ``start`` to that of one of ``ends`` (columns of the row)."""

    links: tuple[Link, ...] = ()
    start: str | None = None
    ends: tuple[str, ...] = ()
    #: a label added when a boolean column is true (persons: PartyMember)
    flag_label: tuple[str, str] | None = None
    extra: dict[str, Any] = field(default_factory=dict)


SHAPES: dict[str, Shape] = {
    "regions": Shape(links=(Link("parent_id", "PART_OF"),)),
    "relocation_sites": Shape(links=(Link("region_id", "LOCATED_IN"),)),
    "organizations": Shape(
        links=(
            Link("parent_org_id", "SUBORDINATE_TO"),
            Link("region_id", "LOCATED_IN"),
            Link("site_id", "AT_SITE"),
        )
    ),
    "households": Shape(
        links=(
            Link("region_id", "LOCATED_IN"),
            Link("relocation_site_id", "RELOCATED_TO", props=("relocated_on",)),
        )
    ),
    "persons": Shape(
        links=(Link("household_id", "IN_HOUSEHOLD"),),
        flag_label=("party_member", "PartyMember"),
    ),
    "memberships": Shape(start="person_id", ends=("org_id",)),
    "pairings": Shape(start="helper_id", ends=("household_id",)),
    "work_teams": Shape(links=(Link("village_id", "STATIONED_IN"),)),
    "team_members": Shape(start="person_id", ends=("team_id",)),
    "posts": Shape(
        links=(
            Link("person_id", "HOLDS", inward=True),
            Link("org_id", "AT_ORG"),
            Link("region_id", "IN_REGION"),
        )
    ),
    "enterprises": Shape(
        links=(Link("region_id", "LOCATED_IN"), Link("led_by_org_id", "LEADS", inward=True))
    ),
    "enterprise_links": Shape(
        start="entity_id", ends=("household_id", "person_id", "partner_entity_id")
    ),
    "collective_income": Shape(links=(Link("region_id", "HAS_INCOME", inward=True),)),
    "org_assessments": Shape(links=(Link("org_id", "ASSESSED", inward=True),)),
    "events": Shape(links=(Link("person_id", "HAD_EVENT", inward=True),)),
}


def _label(spec: FileSpec, column: str) -> str:
    """The label of the node a column names (its referenced file's, or the row's own)."""
    target = spec.target(column)
    return SPECS[target].element if target else spec.element


def _typed(spec: FileSpec, column: str) -> str:
    if column not in spec.column_names:
        return column  # a derived property: text
    kind = _TYPES.get(spec.column(column).type.kind)
    return f"{column}:{kind}" if kind else column


@functools.cache
def _node_columns(stem: str) -> tuple[str, ...]:
    spec = SPECS[stem]
    own = [c for c in spec.column_names if c != spec.key_property]
    return (*own, *DERIVED.get(stem, ((), None))[0])


def _cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return value


class _File:
    def __init__(self, path: Path, header: list[str]) -> None:
        self.path = path
        self._fh: IO[str] = path.open("w", encoding="utf-8", newline="")
        self._writer = csv.writer(self._fh)
        self._writer.writerow(header)
        self.rows = 0

    def write(self, cells: list[Any]) -> None:
        self._writer.writerow(cells)
        self.rows += 1

    def close(self) -> None:
        self._fh.close()


class ImportFiles:
    """The importer's input, written row by row into ``folder``."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        self._nodes: dict[str, tuple[str, _File]] = {}  # stem → (labels, file)
        self._rels: dict[tuple[str, str, str, str], _File] = {}  # (type, start, end, what)

    def add(self, spec: FileSpec, rows: Iterable[Mapping[str, Any]]) -> None:
        """Rows as the write query takes them (values, key, hash, owner, prov)."""
        shape = SHAPES[spec.stem]
        if spec.relationship:
            for row in rows:
                self._fact_relationship(spec, shape, row)
        else:
            for row in rows:
                self._node(spec, shape, row)

    # -- nodes -----------------------------------------------------------------------------
    @staticmethod
    def _node_columns(spec: FileSpec) -> tuple[str, ...]:
        """The node's properties besides its key: the columns, then the derived ones."""
        return _node_columns(spec.stem)

    def _node(self, spec: FileSpec, shape: Shape, row: Mapping[str, Any]) -> None:
        if spec.stem not in self._nodes:
            header = [
                f"{spec.key_property}:ID({spec.element})",
                *[_typed(spec, c) for c in self._node_columns(spec)],
                "fact_hash:long",
                "source_file",
                "source_row:long",
                "source_load:long",
                ":LABEL",
            ]
            path = self.folder / f"nodes-{spec.stem}.csv"
            self._nodes[spec.stem] = (spec.element, _File(path, header))
        _, out = self._nodes[spec.stem]
        labels = spec.element
        if shape.flag_label and row.get(shape.flag_label[0]):
            labels += ";" + shape.flag_label[1]
        prov = row["prov"]
        out.write(
            [
                row["key"],
                *[_cell(row.get(c)) for c in self._node_columns(spec)],
                row["hash"],
                prov["source_file"],
                prov["source_row"],
                prov["source_load"],
                labels,
            ]
        )
        for link in shape.links:
            other = row.get(link.column)
            if other is None:
                continue
            label = _label(spec, link.column)
            start, end = (label, spec.element) if link.inward else (spec.element, label)
            ids = (other, row["key"]) if link.inward else (row["key"], other)
            key = (link.type, start, end, spec.stem)
            if key not in self._rels:
                header = [
                    f":START_ID({start})",
                    f":END_ID({end})",
                    *[_typed(spec, p) for p in link.props],
                    "source_file",
                    "source_row:long",
                    "source_load:long",
                    "owner",
                ]
                name = f"rels-{spec.stem}-{link.type}.csv"
                self._rels[key] = _File(self.folder / name, header)
            self._rels[key].write(
                [
                    *ids,
                    *[_cell(row.get(p)) for p in link.props],
                    prov["source_file"],
                    prov["source_row"],
                    prov["source_load"],
                    row["owner"],
                ]
            )

    # -- relationships that are facts ------------------------------------------------------
    def _fact_relationship(self, spec: FileSpec, shape: Shape, row: Mapping[str, Any]) -> None:
        assert shape.start is not None
        end_column = next(c for c in shape.ends if row.get(c) is not None)
        start, end = _label(spec, shape.start), _label(spec, end_column)
        key = (spec.element, start, end, spec.stem)
        if key not in self._rels:
            header = [
                f":START_ID({start})",
                f":END_ID({end})",
                "fact_key",
                "fact_hash:long",
                *[_typed(spec, c) for c in spec.column_names],
                "source_file",
                "source_row:long",
                "source_load:long",
            ]
            name = f"rels-{spec.stem}-{end_column}.csv"
            self._rels[key] = _File(self.folder / name, header)
        prov = row["prov"]
        self._rels[key].write(
            [
                row[shape.start],
                row[end_column],
                row["key"],
                row["hash"],
                *[_cell(row.get(c)) for c in spec.column_names],
                prov["source_file"],
                prov["source_row"],
                prov["source_load"],
            ]
        )

    def close(self) -> tuple[list[tuple[str, Path]], list[tuple[str, Path]]]:
        """Close the files; the importer's ``--nodes`` and ``--relationships`` arguments."""
        nodes = []
        for labels, out in self._nodes.values():
            out.close()
            nodes.append((labels, out.path))
        relationships = []
        for (kind, _, _, _), out in self._rels.items():
            out.close()
            relationships.append((kind, out.path))
        return nodes, relationships


def import_readme(
    folder: Path, nodes: list[tuple[str, Path]], relationships: list[tuple[str, Path]]
) -> Path:
    """Write ``folder/import.sh``: the ``neo4j-admin`` command that seeds a server with it."""
    command = import_command(
        [(label, Path(p.name)) for label, p in nodes],
        [(kind, Path(p.name)) for kind, p in relationships],
    )
    script = folder / "import.sh"
    script.write_text(
        "#!/bin/sh\n"
        "# Seed a stopped Neo4j 5.26 server with this dataset (from `kg load --import-csv`):\n"
        "# run it from this folder on the server, as the user that owns the Neo4j store, then\n"
        "# start Neo4j and run `kg db status` (the constraints and indexes are created by the\n"
        "# first `kg` command that applies the schema, e.g. `kg load` of the same dataset,\n"
        "# which then finds every file unchanged but writes the load's history).\n"
        "set -e\n" + " ".join(command[:4]) + " \\\n  " + " \\\n  ".join(command[4:]) + "\n",
        encoding="utf-8",
    )
    script.chmod(0o755)
    return script
