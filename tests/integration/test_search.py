"""The search finds people (queries/search.cypher): persons first for a name, by any character
of it, by pinyin and its initials; with their division (names from the top), birth year and
roles; a count and pages; the API's /api/search the same; within the token's region.

On the small dataset plus a few people (tests/integration/web_support.py's PEOPLE): two 李伟军
in two villages both named 杨庄村, 王伟 who helps one of them, a village 李家寨村.
"""

from __future__ import annotations

import pytest

from queries.runner import execute
from tests.integration.api_support import SMALL, Api, make_api
from tests.integration.web_support import load_with_people

TOWN_A = "530521101000"  # 甸阳镇: P102's 杨庄村, 李家寨村
TOWN_B = "530521202000"  # 摆榔乡: P101's 杨庄村, P103 (helps H101)


@pytest.fixture(scope="module")
def api(driver, settings, tmp_path_factory) -> Api:
    tmp = tmp_path_factory.mktemp("search")
    load_with_people(driver, settings, SMALL, tmp)
    return make_api(settings, driver, tmp, regions={"town_a": TOWN_A, "town_b": TOWN_B})


def search(driver, settings, q: str, scope: str | None = None, **params):
    raw = {"q": q, **{k: str(v) for k, v in params.items()}}
    return execute(driver, settings.neo4j_database, "search", raw, scope=scope).rows


def ids(rows) -> list[str]:
    return [r["id"] for r in rows]


def test_a_character_in_the_middle_of_a_name_finds_the_person_first(api, driver, settings):
    rows = search(driver, settings, "伟")
    assert rows[0]["label"] == "Person"
    assert {"P101", "P102", "P103"} <= set(ids(rows))
    persons = [r for r in rows if r["label"] == "Person"]
    assert rows[: len(persons)] == persons  # persons before anything else
    assert rows[0]["id"] == "P103"  # 王伟: the shortest name holding 伟
    rows = search(driver, settings, "秀")  # 李秀英 (P002), 张秀兰 (P104): 秀 in the middle
    assert set(ids(rows)[:2]) == {"P002", "P104"}


def test_a_surname_finds_persons_before_villages(api, driver, settings):
    rows = search(driver, settings, "李")
    labels = [r["label"] for r in rows]
    assert labels[:3] == ["Person", "Person", "Person"]  # 李伟军 ×2, 李秀英
    assert {"P101", "P102", "P002"} == set(ids(rows)[:3])
    assert "530521101203" in ids(rows)  # 李家寨村, after them
    assert labels.index("Region") > 2


def test_pinyin_and_initials_find_the_person_first(api, driver, settings):
    for q in ("lwj", "LWJ", "liweijun", "liwei", "lw"):
        rows = search(driver, settings, q)
        assert set(ids(rows)[:2]) == {"P101", "P102"}, q
    rows = search(driver, settings, "li")
    assert {"P101", "P102", "P002"} <= set(ids(rows))  # liweijun, lixiuying
    assert all(r["label"] == "Person" for r in rows[:3])
    assert search(driver, settings, "zjh")[0]["id"] == "P007"  # 张建华


def test_a_result_says_where_who_and_when_born(api, driver, settings):
    rows = {r["id"]: r for r in search(driver, settings, "李伟军")}
    assert rows["P101"]["region_path"] == ["保山市", "施甸县", "摆榔彝族布朗族乡", "杨庄村"]
    assert rows["P102"]["region_path"] == ["保山市", "施甸县", "甸阳镇", "杨庄村"]
    assert rows["P101"]["birth_year"] == 1975 and rows["P102"]["birth_year"] == 1988
    assert rows["P101"]["roles"] == ["party_member", "head"]
    assert rows["P102"]["roles"] == ["head"]
    helper = search(driver, settings, "王伟")[0]
    assert helper["id"] == "P103" and helper["roles"] == ["helper", "party_member"]
    # a helper without a household: the division of the organisation they belong to
    assert helper["region_path"] == ["保山市", "施甸县", "摆榔彝族布朗族乡"]
    villages = [r for r in search(driver, settings, "杨庄村") if r["label"] == "Region"]
    assert sorted(v["region_path"][2] for v in villages) == ["摆榔彝族布朗族乡", "甸阳镇"]


def test_a_count_and_pages(api, driver, settings):
    every = search(driver, settings, "伟", limit=100)
    total = len(every)
    assert total >= 3 and all(r["total"] == total for r in every)
    first = search(driver, settings, "伟", limit=1)
    second = search(driver, settings, "伟", limit=1, offset=1)
    assert len(first) == len(second) == 1 and first[0]["total"] == total
    assert [first[0]["id"], second[0]["id"]] == ids(every)[:2]


def test_the_scope_keeps_other_townships_people_out(api, driver, settings):
    assert ids(search(driver, settings, "李伟军", scope=TOWN_A)) == ["P102"]
    found = search(driver, settings, "李伟军", scope=TOWN_B)
    assert ids(found) == ["P101"] and found[0]["total"] == 1
    assert "P103" not in ids(search(driver, settings, "wangwei", scope=TOWN_A))
    assert "P103" in ids(search(driver, settings, "wangwei", scope=TOWN_B))


def test_api_search_pages_and_counts(api):
    body = api.get("/api/search?q=伟&limit=1", who="viewer").json
    assert body["total_rows"] >= 3 and len(body["rows"]) == 1
    assert body["rows"][0]["label"] == "Person"
    later = api.get("/api/search?q=伟&limit=1&offset=1", who="viewer").json
    assert later["rows"][0]["id"] != body["rows"][0]["id"]
    assert later["total_rows"] == body["total_rows"]
    past = api.get("/api/search?q=伟&limit=5&offset=900", who="viewer").json
    assert past["rows"] == [] and past["total_rows"] == body["total_rows"]
    assert api.get("/api/search?q=lwj", who="town_a").json["rows"][0]["id"] == "P102"
    assert api.get("/api/search?q=x&offset=1001", who="viewer").status_code == 400
