"""access.params and access.paging: strict query-string values (ASCII digits, ranges, one value
per name) and pages."""

from __future__ import annotations

import datetime as dt

import pytest
from werkzeug.datastructures import MIMEAccept, MultiDict

from access.errors import HttpError
from access.paging import MAX_PAGE_SIZE, Page, page_of
from access.params import output_format, parse_date, single_args, strict_params, whole_number
from access.principal import Principal

FULL_WIDTH = "２０１９"
ARABIC_INDIC = "٢٠١٩"


def _refused(call, *args):
    with pytest.raises(HttpError) as info:
        call(*args)
    assert info.value.status == 400 and info.value.code == "bad_parameter"
    return info.value.message


@pytest.mark.parametrize(
    ("name", "raw"),
    [
        ("weak_organizations", {"year": FULL_WIDTH}),
        ("weak_organizations", {"year": ARABIC_INDIC}),
        ("weak_organizations", {"year": "-2019"}),
        ("weak_organizations", {"year": "1948"}),
        ("weak_organizations", {"year": "2101"}),
        ("weak_organizations", {"year": "+2019"}),
        ("search", {"q": "张", "limit": "0"}),
        ("search", {"q": "张", "limit": "101"}),
        ("search", {"q": "张", "limit": "18022383402"}),
        ("search", {"q": "张", "limit": "１"}),
        ("one_helps_many", {"as_of": "２０２０-01-01"}),
        ("one_helps_many", {"as_of": "20201231"}),
        ("help_trace", {"id": "P1", "history": "yes"}),
        ("one_helps_many", {"scope": "530521000000"}),
        ("one_helps_many", {"nonsense": "1"}),
    ],
)
def test_strict_params_refuse(name, raw):
    message = _refused(strict_params, name, raw)
    for value in raw.values():  # a refusal says what is expected, never echoes the value
        if len(value) < 3:
            continue
        assert value not in message


def test_strict_params_say_the_range():
    message = _refused(strict_params, "weak_organizations", {"year": "1900"})
    assert message == "year: expected a whole number from 1949 to 2100"


def test_strict_params_accept():
    assert strict_params("weak_organizations", {"year": "1949"}) == {"year": "1949"}
    assert strict_params("search", {"q": "张", "limit": "100"}, exclude=()) == {
        "q": "张",
        "limit": "100",
    }
    assert strict_params("one_helps_many", {"as_of": "2020-12-31", "page": "2"}, ("page",)) == {
        "as_of": "2020-12-31"
    }


def test_single_args_refuses_a_repeated_parameter():
    assert single_args(MultiDict([("a", "1"), ("b", "2")])) == {"a": "1", "b": "2"}
    _refused(single_args, MultiDict([("a", "1"), ("a", "2")]))


def test_whole_number_and_dates():
    assert whole_number({}, "page", 1, 1, 10) == 1
    assert whole_number({"page": "10"}, "page", 1, 1, 10) == 10
    for bad in ("0", "11", "-1", "１", "1.0", ""):
        _refused(whole_number, {"page": bad}, "page", 1, 1, 10)
    assert parse_date("2020-02-29") == dt.date(2020, 2, 29)
    for bad in ("2020-02-30", "2020-2-1", "٢٠٢٠-01-01"):
        _refused(parse_date, bad)


def test_output_format_needs_the_export_right():
    viewer = Principal("t1", "viewer", None)
    analyst = Principal("t2", "analyst", None)
    accept = MIMEAccept([("text/csv", 1)])
    assert output_format({}, MIMEAccept(), viewer) == "json"
    assert output_format({}, accept, analyst) == "csv"
    with pytest.raises(HttpError) as info:
        output_format({"format": "xlsx"}, MIMEAccept(), viewer)
    assert info.value.status == 403
    _refused(output_format, {"format": "pdf"}, MIMEAccept(), analyst)


def test_pages():
    page = page_of({"page": "2", "page_size": "2"}, 5)
    assert page.cut([1, 2, 3, 4, 5]) == [3, 4]
    assert page.to_json() == {"page": 2, "page_size": 2, "total_rows": 5, "pages": 3}
    assert Page(9, 2, 5).cut([1, 2, 3]) == []
    assert page_of({}, 0).page_size == 100
    _refused(page_of, {"page_size": str(MAX_PAGE_SIZE + 1)}, 5)
