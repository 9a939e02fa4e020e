"""The synthetic Baoshan dataset: determinism, the data contract, and docs/calibration.md.

Everything is counted straight from the CSV files, with the contract's semantics (half-open
intervals, "current as of D"); no database is needed.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
from collections import Counter, defaultdict
from pathlib import Path

import pytest
from click.testing import CliRunner
from stdnum.cn import ric

from generator import generate
from generator.contract import FILES
from generator.dates import add_months
from generator.idnumber import COUNTY_CODE_HISTORY, address_code
from generator.world import scaled

AS_OF = "2020-12-31"

REQUIRED = {
    "regions": ("region_id", "name", "level"),
    "relocation_sites": ("site_id", "name", "region_id"),
    "organizations": ("org_id", "name", "kind"),
    "persons": ("person_id", "name"),
    "households": ("household_id", "region_id", "size"),
    "memberships": ("person_id", "org_id", "start_on"),
    "pairings": ("helper_id", "household_id", "start_on"),
    "work_teams": ("team_id", "village_id", "start_on"),
    "team_members": ("person_id", "team_id", "role", "start_on"),
    "posts": ("person_id", "post", "start_on"),
    "enterprises": ("entity_id", "name", "kind", "region_id"),
    "enterprise_links": ("entity_id", "link"),
    "collective_income": ("region_id", "year", "income_yuan"),
    "org_assessments": ("org_id", "year"),
    "events": ("person_id", "event", "on"),
}
ENUMS = {
    ("regions", "level"): {"city", "county", "township", "village", "community"},
    ("organizations", "kind"): {"committee", "general_branch", "branch", "temporary_branch"},
    ("organizations", "setting"): {
        "village",
        "community",
        "township",
        "county",
        "organ",
        "enterprise",
        "cooperative",
        "relocation_site",
        "youth_talent",
        "other",
    },
    ("persons", "gender"): {"M", "F"},
    ("persons", "relation"): {"head", "spouse", "child", "parent", "grandchild", "other"},
    ("persons", "party_status"): {"full", "probationary"},
    ("households", "poverty_cause"): {
        "illness",
        "disability",
        "education",
        "disaster",
        "lack_land",
        "lack_water",
        "lack_skills",
        "lack_labor",
        "lack_capital",
        "poor_transport",
        "lack_motivation",
        "other",
    },
    ("pairings", "declared_form"): {"one_to_one", "one_to_many", "many_to_one"},
    ("team_members", "role"): {"first_secretary", "leader", "member"},
    ("posts", "post"): {
        "party_secretary",
        "government_head",
        "deputy",
        "village_secretary",
        "village_director",
        "reserve_cadre",
        "seconded_cadre",
        "census_chief",
        "census_deputy",
        "census_enumerator",
        "census_instructor",
        "census_auditor",
        "other",
    },
    ("posts", "end_reason"): {
        "promotion",
        "adjustment",
        "discipline",
        "retirement",
        "term_end",
        "other",
    },
    ("enterprises", "kind"): {"cooperative", "company", "family_farm", "workshop", "other"},
    ("enterprises", "workshop_type"): {"factory", "home_based", "integrated"},
    ("enterprise_links", "link"): {
        "member",
        "employment",
        "dividend",
        "partner",
        "leader",
        "public_welfare_post",
    },
    ("org_assessments", "honor"): {"top_ten_branch", "other"},
    ("events", "event"): {"training", "phone_check", "award", "other"},
}
BOOLS = {
    ("regions", "poverty_listed"),
    ("persons", "party_member"),
    ("households", "registered_poor"),
    ("households", "industry_conditions"),
    ("enterprises", "new_type"),
    ("org_assessments", "weak"),
    ("org_assessments", "standardized"),
}
DATES = {
    "regions": ("exited_on",),
    "relocation_sites": ("opened_on",),
    "organizations": ("founded_on", "dissolved_on"),
    "persons": ("birth_date", "party_joined_on"),
    "households": ("registered_on", "exited_on", "relocated_on"),
    "memberships": ("start_on", "end_on"),
    "pairings": ("start_on", "end_on"),
    "work_teams": ("start_on", "end_on"),
    "team_members": ("start_on", "end_on"),
    "posts": ("start_on", "end_on"),
    "enterprise_links": ("start_on", "end_on"),
    "org_assessments": ("rectified_on",),
    "events": ("on",),
}
INTERVALS = {
    "organizations": ("founded_on", "dissolved_on"),
    "households": ("registered_on", "exited_on"),
    "memberships": ("start_on", "end_on"),
    "pairings": ("start_on", "end_on"),
    "work_teams": ("start_on", "end_on"),
    "team_members": ("start_on", "end_on"),
    "posts": ("start_on", "end_on"),
    "enterprise_links": ("start_on", "end_on"),
}
#: (file, column) -> (target file, allowed region levels or None)
REFERENCES = {
    ("regions", "parent_id"): ("regions", None),
    ("relocation_sites", "region_id"): ("regions", {"township", "village", "community"}),
    ("organizations", "parent_org_id"): ("organizations", None),
    ("organizations", "region_id"): ("regions", None),
    ("organizations", "site_id"): ("relocation_sites", None),
    ("households", "region_id"): ("regions", {"village", "community"}),
    ("households", "relocation_site_id"): ("relocation_sites", None),
    ("persons", "household_id"): ("households", None),
    ("memberships", "person_id"): ("persons", None),
    ("memberships", "org_id"): ("organizations", None),
    ("pairings", "helper_id"): ("persons", None),
    ("pairings", "household_id"): ("households", None),
    ("work_teams", "village_id"): ("regions", {"village", "community"}),
    ("team_members", "person_id"): ("persons", None),
    ("team_members", "team_id"): ("work_teams", None),
    ("posts", "person_id"): ("persons", None),
    ("posts", "org_id"): ("organizations", None),
    ("posts", "region_id"): ("regions", None),
    ("enterprises", "region_id"): ("regions", None),
    ("enterprises", "led_by_org_id"): ("organizations", None),
    ("enterprise_links", "entity_id"): ("enterprises", None),
    ("enterprise_links", "household_id"): ("households", None),
    ("enterprise_links", "person_id"): ("persons", None),
    ("enterprise_links", "partner_entity_id"): ("enterprises", None),
    ("collective_income", "region_id"): ("regions", {"village", "community"}),
    ("org_assessments", "org_id"): ("organizations", None),
    ("events", "person_id"): ("persons", None),
}
ID_COLUMN = {
    "regions": "region_id",
    "relocation_sites": "site_id",
    "organizations": "org_id",
    "persons": "person_id",
    "households": "household_id",
    "work_teams": "team_id",
    "enterprises": "entity_id",
}
#: row keys of the link files (as the loader identifies rows)
KEYS = {
    "memberships": ("person_id", "org_id", "start_on"),
    "pairings": ("helper_id", "household_id", "start_on"),
    "team_members": ("person_id", "team_id", "start_on"),
    "posts": ("person_id", "post", "org_id", "region_id", "place", "start_on"),
    "enterprise_links": (
        "entity_id",
        "household_id",
        "person_id",
        "partner_entity_id",
        "link",
        "start_on",
    ),
    "collective_income": ("region_id", "year"),
    "org_assessments": ("org_id", "year"),
    "events": ("person_id", "event", "on", "detail"),
}


class Data:
    """The CSV files of a dataset folder, read once, as lists of dicts."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._cache: dict[str, list[dict[str, str]]] = {}

    def __getitem__(self, name: str) -> list[dict[str, str]]:
        if name not in self._cache:
            with (self.folder / f"{name}.csv").open(encoding="utf-8", newline="") as fh:
                self._cache[name] = list(csv.DictReader(fh))
        return self._cache[name]

    def header(self, name: str) -> list[str]:
        with (self.folder / f"{name}.csv").open(encoding="utf-8", newline="") as fh:
            return next(csv.reader(fh))


def current(row: dict[str, str], day: str, start: str = "start_on", end: str = "end_on") -> bool:
    return row[start] <= day and (not row[end] or row[end] > day)


# -- the contract -------------------------------------------------------------------------


def contract_problems(data: Data) -> list[str]:
    """Every way the dataset breaks the contract's validation rules (empty when it is valid)."""
    problems: list[str] = []
    ids: dict[str, dict[str, dict[str, str]]] = {}
    for name, columns in FILES.items():
        if data.header(name) != list(columns):
            problems.append(f"{name}: header {data.header(name)}")
        rows = data[name]
        for k, row in enumerate(rows, start=2):
            where = f"{name}:{k}"
            for col in REQUIRED[name]:
                if not row[col]:
                    problems.append(f"{where}: {col} missing")
            for col in DATES.get(name, ()):
                if row[col]:
                    try:
                        dt.date.fromisoformat(row[col])
                    except ValueError:
                        problems.append(f"{where}: {col} not a date: {row[col]}")
                    if len(row[col]) != 10:
                        problems.append(f"{where}: {col} not YYYY-MM-DD")
            for (file, col), allowed in ENUMS.items():
                if file == name and row[col] and row[col] not in allowed:
                    problems.append(f"{where}: {col} = {row[col]}")
            for file, col in BOOLS:
                if file == name and row[col] not in ("", "true", "false"):
                    problems.append(f"{where}: {col} = {row[col]}")
            if name in INTERVALS:
                a, b = INTERVALS[name]
                if row[a] and row[b] and row[b] <= row[a]:
                    problems.append(f"{where}: {b} {row[b]} not after {a} {row[a]}")
        if name in ID_COLUMN:
            col = ID_COLUMN[name]
            table = {row[col]: row for row in rows}
            if len(table) != len(rows):
                problems.append(f"{name}: duplicate ids")
            ids[name] = table
        if name in KEYS:
            keys = Counter(tuple(row[c] for c in KEYS[name]) for row in rows)
            dups = [key for key, n in keys.items() if n > 1]
            if dups:
                problems.append(f"{name}: duplicate keys {dups[:3]}")
    for (name, col), (target, levels) in REFERENCES.items():
        for k, row in enumerate(data[name], start=2):
            value = row[col]
            if not value:
                continue
            if value not in ids[target]:
                problems.append(f"{name}:{k}: {col} {value} not in {target}")
            elif levels and ids[target][value]["level"] not in levels:
                problems.append(f"{name}:{k}: {col} {value} is a {ids[target][value]['level']}")
    # parents: every chain ends at a root (no cycles), only the city has no parent
    for name, col in (("regions", "parent_id"), ("organizations", "parent_org_id")):
        parent = {key: row[col] for key, row in ids[name].items()}
        for key in parent:
            seen = set()
            while key:
                if key in seen:
                    problems.append(f"{name}: cycle at {key}")
                    break
                seen.add(key)
                key = parent.get(key, "")
    roots = [r["region_id"] for r in data["regions"] if not r["parent_id"]]
    if roots != ["530500000000"]:
        problems.append(f"regions: roots {roots}")
    for k, row in enumerate(data["enterprise_links"], start=2):
        targets = [row["household_id"], row["person_id"], row["partner_entity_id"]]
        if sum(1 for t in targets if t) != 1:
            problems.append(f"enterprise_links:{k}: {targets}")
    for k, row in enumerate(data["posts"], start=2):
        if not (row["org_id"] or row["region_id"] or row["place"]):
            problems.append(f"posts:{k}: no org, region or place")
    # id numbers: valid (check digit, birth date, address code of the birth year)
    households = ids["households"]
    sizes: Counter[str] = Counter()
    known = {code for history in COUNTY_CODE_HISTORY.values() for _, _, code in history}
    for k, row in enumerate(data["persons"], start=2):
        number = row["id_number"]
        if not ric.is_valid(number):
            problems.append(f"persons:{k}: id number {number} invalid")
            continue
        if ric.get_birth_date(number).isoformat() != row["birth_date"]:
            problems.append(f"persons:{k}: id number {number} birth date")
        if (int(number[16]) % 2 == 1) != (row["gender"] == "M"):
            problems.append(f"persons:{k}: id number {number} gender")
        if row["household_id"]:
            sizes[row["household_id"]] += 1
            county = households[row["household_id"]]["region_id"][:6]
            birth_year = int(row["birth_date"][:4])
            if number[:6] != address_code(county, birth_year):
                problems.append(f"persons:{k}: id number {number} not of county {county}")
        elif number[:6] not in known:
            problems.append(f"persons:{k}: id number {number} of an unknown county")
        if row["party_member"] == "true" and not row["party_joined_on"]:
            problems.append(f"persons:{k}: party member without admission date")
    if len(set(r["id_number"] for r in data["persons"])) != len(data["persons"]):
        problems.append("persons: duplicate id numbers")
    for hid, row in households.items():
        if int(row["size"]) != sizes[hid]:
            problems.append(f"households: {hid} size {row['size']} for {sizes[hid]} persons")
    # one organisation at a time: memberships of a person do not overlap
    spans = defaultdict(list)
    for row in data["memberships"]:
        spans[row["person_id"]].append((row["start_on"], row["end_on"] or "9999-12-31"))
    for pid, intervals in spans.items():
        intervals.sort()
        for (_, end), (start, _) in zip(intervals, intervals[1:], strict=False):
            if start < end:
                problems.append(f"memberships: {pid} overlapping")
    return problems


# -- the calibration figures --------------------------------------------------------------


def unassigned_relocated(data: Data, day: str) -> dict[str, str]:
    """``unassigned_relocated_members`` as of ``day``: person id -> category."""
    households = {h["household_id"]: h for h in data["households"]}
    sites = {s["site_id"]: s for s in data["relocation_sites"]}
    orgs = {o["org_id"]: o for o in data["organizations"]}
    memberships = defaultdict(list)
    for m in data["memberships"]:
        if current(m, day):
            memberships[m["person_id"]].append(m["org_id"])
    out = {}
    for p in data["persons"]:
        h = households.get(p["household_id"])
        if p["party_member"] != "true" or not h or not h["relocated_on"] or h["relocated_on"] > day:
            continue
        site = sites[h["relocation_site_id"]]
        mine = memberships[p["person_id"]]
        placed = any(
            orgs[o]["site_id"] == site["site_id"] or orgs[o]["region_id"] == site["region_id"]
            for o in mine
        )
        if not placed:
            out[p["person_id"]] = "not_transferred" if mine else "no_membership"
    return out


def households_without_helper(data: Data, day: str) -> set[str]:
    paired = {p["household_id"] for p in data["pairings"] if current(p, day)}
    return {
        h["household_id"]
        for h in data["households"]
        if h["registered_poor"] != "false"
        and (not h["exited_on"] or h["exited_on"] > day)
        and h["household_id"] not in paired
    }


def uncovered_villages(data: Data, day: str) -> set[str]:
    covered = {t["village_id"] for t in data["work_teams"] if current(t, day)}
    return {
        r["region_id"]
        for r in data["regions"]
        if r["poverty_listed"] == "true"
        and r["level"] in ("village", "community")
        and r["region_id"] not in covered
    }


def pairing_patterns(data: Data, day: str) -> tuple[Counter[str], int, int]:
    """Component classes of current pairings; pairings whose declared form matches / not."""
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        while parent.setdefault(x, x) != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    rows = [p for p in data["pairings"] if current(p, day)]
    for p in rows:
        a, b = find("p" + p["helper_id"]), find("h" + p["household_id"])
        if a != b:
            parent[a] = b
    helpers: Counter[str] = Counter()
    households: Counter[str] = Counter()
    for node in list(parent):
        root = find(node)
        (helpers if node[0] == "p" else households)[root] += 1

    def shape(root: str) -> str:
        nh, nd = helpers[root], households[root]
        if nh == 1 and nd == 1:
            return "one_to_one"
        if nh == 1:
            return "one_to_many"
        if nd == 1:
            return "many_to_one"
        return "many_to_many"

    classes = Counter(shape(root) for root in households)
    match = sum(1 for p in rows if p["declared_form"] == shape(find("h" + p["household_id"])))
    return classes, match, len(rows) - match


def figures(data: Data, day: str = AS_OF) -> dict[int, object]:
    """The 40 figures of docs/calibration.md, counted from the CSV files as of ``day``."""
    year = day[:4]
    regions = {r["region_id"]: r for r in data["regions"]}
    levels = Counter(r["level"] for r in data["regions"])
    f: dict[int, object] = {1: levels["county"], 2: levels["township"]}
    f[3] = levels["village"] + levels["community"]
    f[4] = sum(1 for t in data["work_teams"] if current(t, day))
    f[5] = len({m["person_id"] for m in data["team_members"] if current(m, day)})
    f[6] = len(uncovered_villages(data, day))
    f[7] = len(data["relocation_sites"])
    f[8] = sum(1 for o in data["organizations"] if o["site_id"])
    households = {h["household_id"]: h for h in data["households"]}
    relocated = {k for k, h in households.items() if h["relocated_on"] and h["relocated_on"] <= day}
    f[9] = sum(
        1 for p in data["persons"] if p["party_member"] == "true" and p["household_id"] in relocated
    )
    f[10] = len(unassigned_relocated(data, day))
    assess = data["org_assessments"]
    f[11] = sum(1 for a in assess if a["year"] == "2019" and a["weak"] == "true")
    f[12] = sum(1 for a in assess if a["year"] == "2020" and a["weak"] == "true")
    f[13] = sum(
        1 for a in assess if a["year"] == "2019" and a["weak"] == "true" and a["weak_category"]
    )
    income19 = [float(i["income_yuan"]) for i in data["collective_income"] if i["year"] == "2019"]
    f[14] = sum(1 for x in income19 if x >= 50_000)
    f[15] = sum(1 for x in income19 if x >= 500_000)
    f[16] = sum(income19)
    entities = {e["entity_id"]: e for e in data["enterprises"]}
    linked: dict[str, bool] = {}
    for link in data["enterprise_links"]:
        hid = link["household_id"]
        if not hid or not current(link, day):
            continue
        if households[hid]["industry_conditions"] != "true":
            continue
        linked[hid] = linked.get(hid, False) or entities[link["entity_id"]]["new_type"] == "true"
    f[17] = len(linked)
    f[18] = sum(1 for p in data["persons"] if p["household_id"] in linked)
    f[19] = round(100 * sum(linked.values()) / len(linked), 1) if linked else 0.0
    poor_pm = [
        p
        for p in data["persons"]
        if p["party_member"] == "true"
        and p["household_id"]
        and households[p["household_id"]]["registered_poor"] != "false"
        and (
            not households[p["household_id"]]["exited_on"]
            or households[p["household_id"]]["exited_on"] > day
        )
    ]
    f[20] = len({p["household_id"] for p in poor_pm})
    f[21] = len(poor_pm)
    f[22] = sum(1 for o in data["organizations"] if o["setting"] == "youth_talent")
    posts = data["posts"]
    f[23] = len({p["person_id"] for p in posts if p["post"] == "reserve_cadre" and current(p, day)})
    events = data["events"]
    f[24] = len(
        {e["person_id"] for e in events if e["event"] == "training" and e["on"][:4] == year}
    )

    def in_listed_county(region_id: str) -> bool:
        while region_id:
            r = regions[region_id]
            if r["level"] == "county":
                return r["poverty_listed"] == "true"
            region_id = r["parent_id"]
        return False

    heads = ("party_secretary", "government_head")
    adjusted = [
        p
        for p in posts
        if p["post"] in heads
        and p["end_reason"] == "adjustment"
        and p["region_id"]
        and regions[p["region_id"]]["poverty_listed"] == "true"
        and "2016-01-01" <= p["end_on"] <= day
    ]
    town_adj = [p for p in adjusted if regions[p["region_id"]]["level"] == "township"]

    def six_months_after_exit(p: dict[str, str]) -> bool:
        exited = regions[p["region_id"]]["exited_on"]
        if not exited:
            return False
        limit = add_months(dt.date.fromisoformat(exited), 6).isoformat()
        return p["end_on"] >= limit

    f[25] = len(town_adj)
    f[26] = sum(1 for p in town_adj if six_months_after_exit(p))
    f[27] = sum(1 for p in town_adj if p["end_on"] >= "2019-01-01")
    f[28] = sum(1 for p in adjusted if not six_months_after_exit(p) and not p["approval_ref"])
    county_adj = [p for p in adjusted if regions[p["region_id"]]["level"] == "county"]
    f[29] = (len(county_adj), all(p["approval_ref"] for p in county_adj))
    promotions = [p for p in posts if p["end_reason"] == "promotion" and p["end_on"] <= day]
    poor = [
        p
        for p in promotions
        if p["end_on"] >= "2016-01-01" and p["region_id"] and in_listed_county(p["region_id"])
    ]
    f[30] = len({p["person_id"] for p in poor})
    f[31] = len(
        {
            p["person_id"]
            for p in poor
            if p["post"] in heads and regions[p["region_id"]]["level"] == "township"
        }
    )
    team_starts: dict[str, list[str]] = defaultdict(list)
    for m in data["team_members"]:
        team_starts[m["person_id"]].append(m["start_on"])
    f[32] = len(
        {p["person_id"] for p in poor if any(s < p["end_on"] for s in team_starts[p["person_id"]])}
    )
    f[33] = len({p["person_id"] for p in promotions if p["end_on"] >= "2019-01-01"})
    seconded = [p for p in posts if p["post"] == "seconded_cadre" and p["start_on"] >= "2016-01-01"]
    f[34] = sum(1 for p in seconded if p["region_id"] and p["place"] == "上海市闵行区")
    f[35] = sum(1 for p in seconded if not p["region_id"] and p["place"].startswith("上海市"))
    f[36] = len(
        {e["person_id"] for e in events if e["event"] == "phone_check" and e["on"][:4] == year}
    )
    census = (
        "census_chief",
        "census_deputy",
        "census_enumerator",
        "census_instructor",
        "census_auditor",
    )
    f[37] = tuple(
        len({p["person_id"] for p in posts if p["post"] == c and current(p, day)}) for c in census
    )
    f[38] = sum(1 for a in assess if a["year"] == "2020" and a["honor"] == "top_ten_branch")
    f[39] = sum(
        1
        for e in events
        if e["event"] == "award" and e["on"][:4] == "2020" and e["detail"] == "十佳支书"
    )
    f[40] = sum(
        1
        for e in events
        if e["event"] == "award" and e["on"][:4] == "2020" and e["detail"] == "百名好支书"
    )
    return f


#: figures that do not change with --scale
FIXED = {
    1: 5,
    2: 75,
    3: 950,
    4: 413,
    5: 1466,
    6: 0,
    7: 223,
    8: 147,
    10: 0,
    11: 106,
    12: 82,
    13: 106,
    14: 950,
    15: 37,
    16: 126_000_000,
    22: 75,
    23: 3199,
    24: 665,
    25: 23,
    26: 13,
    27: 18,
    28: 0,
    29: (1, True),
    30: 117,
    31: 31,
    32: 10,
    33: 454,
    34: 11,
    35: 30,
    36: 56,
    37: (4, 8, 707, 114, 20),
    38: 10,
    39: 10,
    40: 7,
}
#: figures multiplied by --scale (relocated party members scale with relocated households)
SCALED = {9: 2706, 17: 90_866, 18: 373_043, 20: 104, 21: 109}


def expected(scale: float) -> dict[int, object]:
    out = dict(FIXED)
    out.update({k: scaled(v, scale) for k, v in SCALED.items()})
    out[19] = 96.6
    return out


def _digest(folder: Path) -> dict[str, str]:
    return {
        name: hashlib.sha256((folder / f"{name}.csv").read_bytes()).hexdigest() for name in FILES
    }


# -- fixtures -----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def small(tmp_path_factory: pytest.TempPathFactory) -> Data:
    folder = tmp_path_factory.mktemp("baoshan_001")
    generate(folder, scale=0.01, seed=1)
    return Data(folder)


@pytest.fixture(scope="module")
def full(tmp_path_factory: pytest.TempPathFactory) -> Data:
    folder = tmp_path_factory.mktemp("baoshan_1")
    generate(folder, scale=1.0, seed=1)
    return Data(folder)


# -- tests at scale 0.01 ------------------------------------------------------------------


def test_same_seed_same_bytes_other_seed_other_data(tmp_path: Path) -> None:
    generate(tmp_path / "a", scale=0.01, seed=7)
    generate(tmp_path / "b", scale=0.01, seed=7)
    generate(tmp_path / "c", scale=0.01, seed=8)
    assert _digest(tmp_path / "a") == _digest(tmp_path / "b")
    assert _digest(tmp_path / "a")["persons"] != _digest(tmp_path / "c")["persons"]


def test_every_file_in_the_contract(small: Data) -> None:
    for name, columns in FILES.items():
        assert small.header(name) == list(columns)
        raw = (small.folder / f"{name}.csv").read_bytes()
        raw.decode("utf-8")
        assert not raw.startswith(b"\xef\xbb\xbf") and b"\r\n" not in raw
        assert small[name], f"{name} is empty"


def test_small_scale_honours_the_contract(small: Data) -> None:
    assert contract_problems(small) == []


def test_small_scale_figures(small: Data) -> None:
    assert figures(small) == expected(0.01)


def test_work_in_progress_at_earlier_dates(small: Data) -> None:
    assert households_without_helper(small, "2016-06-30")
    assert not households_without_helper(small, AS_OF)
    assert uncovered_villages(small, "2015-06-30")


def test_pairing_shapes(small: Data) -> None:
    classes, match, mismatch = pairing_patterns(small, AS_OF)
    assert classes["one_to_one"] and classes["one_to_many"] and classes["many_to_one"]
    assert 0 < mismatch < match / 10


def test_membership_transfers_are_back_to_back(small: Data) -> None:
    by_person = defaultdict(list)
    for m in small["memberships"]:
        by_person[m["person_id"]].append(m)
    back_to_back = 0
    for rows in by_person.values():
        rows.sort(key=lambda m: m["start_on"])
        for before, after in zip(rows, rows[1:], strict=False):
            # one organisation at a time: a membership ends before (or when) the next begins
            assert before["end_on"] and before["end_on"] <= after["start_on"], (before, after)
            back_to_back += before["end_on"] == after["start_on"]
    assert back_to_back, "no membership was transferred on the day it ended"


def test_id_numbers() -> None:
    import random

    from generator.idnumber import IdNumberIssuer, check_digit

    assert check_digit("11010519491231002") == "X"
    issuer = IdNumberIssuer()
    rng = random.Random(5)
    seen = set()
    for _ in range(5000):
        county = rng.choice(sorted(COUNTY_CODE_HISTORY))
        birth = dt.date(rng.randint(1981, 2020), rng.randint(1, 12), rng.randint(1, 28))
        number = issuer.issue(county, birth, rng.choice("MF"))
        assert ric.is_valid(number) and number not in seen
        seen.add(number)


def test_cli_help_and_run(tmp_path: Path) -> None:
    from kg.commands.generate import generate as command

    runner = CliRunner()
    result = runner.invoke(command, ["--help"])
    assert result.exit_code == 0
    for option in ("--profile", "--scale", "--seed", "--out"):
        assert option in result.output
    result = runner.invoke(command, ["--scale", "0.002", "--out", str(tmp_path / "x")])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "x" / "regions.csv").exists()
    result = runner.invoke(command, ["--profile", "other", "--out", str(tmp_path / "y")])
    assert result.exit_code != 0


# -- scale 1: all 40 figures --------------------------------------------------------------


@pytest.mark.slow
def test_scale_one_reproduces_the_seed(full: Data) -> None:
    assert figures(full) == expected(1.0)


@pytest.mark.slow
def test_scale_one_honours_the_contract(full: Data) -> None:
    assert contract_problems(full) == []


@pytest.mark.slow
def test_scale_one_work_in_progress(full: Data) -> None:
    before = unassigned_relocated(full, "2018-12-31")
    assert "not_transferred" in before.values() and "no_membership" in before.values()
    assert households_without_helper(full, "2016-06-30")
    assert not households_without_helper(full, AS_OF)
    assert uncovered_villages(full, "2015-06-30")
    assert uncovered_villages(full, "2018-12-31")
    assert not uncovered_villages(full, AS_OF)
    classes, match, mismatch = pairing_patterns(full, AS_OF)
    assert min(classes["one_to_one"], classes["one_to_many"], classes["many_to_one"]) > 1000
    assert 0 < mismatch < match / 20


@pytest.mark.slow
def test_scale_one_size(full: Data) -> None:
    assert 95_000 <= len(full["households"]) <= 105_000
    in_households = sum(1 for p in full["persons"] if p["household_id"])
    assert 395_000 <= in_households <= 420_000
    members = sum(1 for p in full["persons"] if p["party_member"] == "true")
    assert 80_000 <= members <= 90_000
    nodes = sum(
        len(full[n])
        for n in (
            "regions",
            "relocation_sites",
            "organizations",
            "persons",
            "households",
            "work_teams",
            "enterprises",
        )
    )
    assert 550_000 <= nodes <= 650_000


def test_fixed_entities_do_not_depend_on_scale(tmp_path: Path) -> None:
    generate(tmp_path / "a", scale=0.01, seed=1)
    generate(tmp_path / "b", scale=0.03, seed=1)
    a, b = _digest(tmp_path / "a"), _digest(tmp_path / "b")
    for name in (
        "regions",
        "relocation_sites",
        "organizations",
        "work_teams",
        "team_members",
        "posts",
        "enterprises",
        "collective_income",
        "org_assessments",
        "events",
    ):
        assert a[name] == b[name], name
    assert a["households"] != b["households"]
