"""Small ledgers for the tests of loads over time: a month's export, and a clerk's corrections.

:func:`monthly_ledger` writes a dataset with two townships (甸阳镇 ``530521101000`` and 摆榔乡
``530521202000``), ``households`` poor households shared between a village of each, one helper
per household (``Q<n>`` helps ``H<n>``), ``Q0`` helping ``H1`` and ``H2`` (one helps many; so
``H1`` and ``H2`` have two helpers each), the helpers' memberships in one of two branches, and
``H0`` with no helper at all: 31 pairings for 30 households. Every pairing and
membership is open-ended, so they are current whatever the day.

:func:`edit` rewrites a CSV file of the dataset the way a clerk corrects a ledger: rows deleted,
cells typed over.
"""

from __future__ import annotations

import csv
import shutil
from collections.abc import Callable
from pathlib import Path

__all__ = ["TOWN_A", "TOWN_B", "VILLAGE_A", "VILLAGE_B", "edit", "monthly_ledger", "rows"]

SMALL = Path(__file__).parent / "data" / "small"
TOWN_A, TOWN_B = "530521101000", "530521202000"
VILLAGE_A, VILLAGE_B = "530521101201", "530521202201"


def _write(path: Path, header: list[str], body: list[list[object]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(header)
        writer.writerows(body)


def monthly_ledger(folder: Path, households: int = 30) -> Path:
    """The first month's export (see the module's docstring); returns ``folder``."""
    folder.mkdir(parents=True)
    shutil.copy(SMALL / "regions.csv", folder / "regions.csv")
    _write(
        folder / "organizations.csv",
        ["org_id", "name", "kind", "parent_org_id", "region_id"],
        [
            ["OA", "甸阳镇党委", "committee", "", TOWN_A],
            ["OB", "摆榔乡党委", "committee", "", TOWN_B],
            ["OA1", "大竹园村党支部", "branch", "OA", VILLAGE_A],
            ["OB1", "鸡茨田村党支部", "branch", "OB", VILLAGE_B],
        ],
    )
    village = [VILLAGE_A, VILLAGE_B]
    _write(
        folder / "households.csv",
        ["household_id", "region_id", "size", "registered_on"],
        [[f"H{i}", village[i % 2], 3, "2014-06-01"] for i in range(households)],
    )
    _write(
        folder / "persons.csv",
        ["person_id", "name", "household_id", "relation", "party_member", "phone"],
        [[f"M{i}", f"户主{i}", f"H{i}", "head", "false", ""] for i in range(households)]
        + [[f"Q{i}", f"帮扶人{i}", "", "", "true", f"139000{i:05d}"] for i in range(households)],
    )
    _write(
        folder / "memberships.csv",
        ["person_id", "org_id", "start_on"],
        [[f"Q{i}", ["OA1", "OB1"][i % 2], "2010-01-01"] for i in range(households)],
    )
    _write(
        folder / "pairings.csv",
        ["helper_id", "household_id", "start_on", "declared_form"],
        [[f"Q{i}", f"H{i}", "2016-01-01", "one_to_one"] for i in range(1, households)]
        + [["Q0", "H1", "2016-01-01", "one_to_many"], ["Q0", "H2", "2016-01-01", "one_to_many"]],
    )
    return folder


def rows(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.reader(fh))


def edit(path: Path, change: Callable[[list[list[str]]], list[list[str]]]) -> None:
    """Rewrite the CSV file ``path`` with ``change(rows)`` (rows include the header)."""
    new = change(rows(path))
    with path.open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows(new)
