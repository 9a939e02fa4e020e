import datetime as dt

import pytest
from pydantic_core import PydanticCustomError

from core.vocabulary import LEVELS
from loaders import cells as f


@pytest.mark.parametrize(
    "text",
    [
        "2020-12-31",
        "2020/12/31",
        "2020.12.31",
        "2020年12月31日",
        "2020-12-31 00:00:00",
        " 2020/1/5 ",
    ],
)
def test_dates_in_every_contract_format(text):
    expected = dt.date(2020, 1, 5) if "1/5" in text else dt.date(2020, 12, 31)
    assert f.parse_date(text) == expected


def test_excel_date_cells_and_empty():
    assert f.parse_date(dt.datetime(2019, 3, 1, 0, 0)) == dt.date(2019, 3, 1)
    assert f.parse_date(None) is None
    assert f.parse_date("  ") is None


@pytest.mark.parametrize("text", ["2020-02-30", "31/12/2020", "yesterday", "2020年13月1日"])
def test_bad_dates(text):
    with pytest.raises(PydanticCustomError) as e:
        f.parse_date(text)
    assert e.value.type == "bad_date"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("true", True),
        ("1", True),
        ("是", True),
        ("Y", True),
        (1, True),
        ("false", False),
        ("0", False),
        ("否", False),
        ("n", False),
        (0.0, False),
    ],
)
def test_booleans(value, expected):
    assert f.parse_bool(value) is expected


def test_excel_number_in_code_column_stands_for_its_digits():
    assert f.parse_key(530521202201.0) == "530521202201"
    assert f.parse_key(530521202201) == "530521202201"
    with pytest.raises(PydanticCustomError):
        f.parse_key(12.5)


def test_id_number_check_digit_and_excel_number():
    assert f.parse_id_number("110101198001010010") == "110101198001010010"
    assert f.parse_id_number("11010119800101007x") == "11010119800101007X"
    for bad, code in [
        ("110101198001010011", "bad_id_number_check"),
        ("11010119800101001", "bad_id_number_format"),
        ("110101198002300116", "bad_id_number_birth"),
    ]:
        with pytest.raises(PydanticCustomError) as e:
            f.parse_id_number(bad)
        assert e.value.type == code, bad
    with pytest.raises(PydanticCustomError) as e:
        f.parse_id_number(110101198001010010.0)
    assert e.value.type == "id_number_as_number"


def test_enumerations_accept_english_and_chinese():
    parse = f.enum_parser(LEVELS)
    assert parse("township") == "township"
    assert parse("乡镇") == "township"
    assert parse("社区") == "community"
    with pytest.raises(PydanticCustomError) as e:
        parse("省")
    assert e.value.type == "bad_enum"


def test_numbers():
    assert f.parse_int("3") == 3
    assert f.parse_int(4.0) == 4
    assert f.parse_non_negative("1,250,000.5") == 1250000.5
    with pytest.raises(PydanticCustomError):
        f.parse_int("3.5")
    with pytest.raises(PydanticCustomError) as e:
        f.parse_non_negative("-1")
    assert e.value.type == "negative_number"
