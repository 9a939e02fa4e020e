import datetime as dt
import random

import pytest
from pydantic_core import PydanticCustomError
from stdnum.cn import ric

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


def test_id_number_birth_date_as_python_stdnum_reads_it():
    """Dates of every kind (leap days, month 13, day 0, year 0000) with valid check digits:
    accepted exactly when stdnum's ric.get_birth_date accepts them."""
    rng = random.Random(5)
    for _ in range(3000):
        year, month, day = rng.randrange(0, 10000), rng.randrange(0, 14), rng.randrange(0, 33)
        body = f"530521{year:04d}{month:02d}{day:02d}{rng.randrange(0, 1000):03d}"
        number = body + ric.calc_check_digit(body + "0")
        try:
            ric.get_birth_date(number)
        except Exception:  # noqa: BLE001 - stdnum raises its own errors
            with pytest.raises(PydanticCustomError) as e:
                f.parse_id_number(number)
            assert e.value.type == "bad_id_number_birth", number
        else:
            assert f.parse_id_number(number) == number


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


# -- cells as people type them (issue 12) ---------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "normal"),
    [
        ("５３０５２１２０２２０１", "530521202201"),
        ("Ｈ００１", "H001"),
        ("ＡＺＤ００１\u3000", "AZD001"),
        ("\u3000是\u3000", "是"),
        ("１，２３４", "1,234"),
        ("２０１９．６．１", "2019.6.1"),
        ("县（区、市）", "县(区、市)"),
        (" P001 ", "P001"),
    ],
)
def test_normalise_is_nfkc_and_trimmed(text, normal):
    assert f.normalise(text) == normal


def test_names_and_free_text_are_not_normalised():
    assert "text" not in f.NFKC_KINDS
    assert f.parse_text(" 杨　春华 ") == "杨　春华"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2019.6.1", dt.date(2019, 6, 1)),
        ("2019年6月1日", dt.date(2019, 6, 1)),
        ("2019 年 6 月 1 日", dt.date(2019, 6, 1)),
        ("2019年6月1", dt.date(2019, 6, 1)),
        ("20190601", dt.date(2019, 6, 1)),
        (20190601, dt.date(2019, 6, 1)),
        ("43617", dt.date(2019, 6, 1)),  # an Excel date serial in a text cell
        (43617, dt.date(2019, 6, 1)),  # ... in a number cell not formatted as a date
        (43617.5, dt.date(2019, 6, 1)),
        ("2019/6/1 0:00", dt.date(2019, 6, 1)),
        ("2019-06-01T00:00:00", dt.date(2019, 6, 1)),
    ],
)
def test_dates_as_people_type_them(value, expected):
    assert f.parse_date(value) == expected


@pytest.mark.parametrize("value", [2019, "2019", "20191301", 1.5, "99999"])
def test_numbers_that_are_no_dates(value):
    with pytest.raises(PydanticCustomError) as e:
        f.parse_date(value)
    assert e.value.type == "bad_date"


@pytest.mark.parametrize(
    ("value", "expected"),
    [(" 是 ", True), ("是\u3000", True), ("否 ", False), ("有", True), ("无", False), ("Y ", True)],
)
def test_booleans_with_stray_spaces(value, expected):
    assert f.parse_bool(value) is expected


def test_numbers_with_thousands_separators_and_units():
    assert f.parse_int("1,234") == 1234
    assert f.parse_non_negative("62,000元") == 62000
    assert f.parse_non_negative("1 250 000") == 1250000
    assert f.parse_year("2020年") == 2020
    assert f.parse_year("2020年度") == 2020
    with pytest.raises(PydanticCustomError):
        f.parse_year("2020年底")


def test_enumerations_accept_the_normalised_alias():
    parse = f.enum_parser({"county": ("县（区、市）",), "one_to_many": ("一帮多",)})
    assert parse(f.normalise("县（区、市）")) == "county"
    assert parse("县（区、市）") == "county"
    assert parse(f.normalise("ｏｎｅ＿ｔｏ＿ｍａｎｙ")) == "one_to_many"


@pytest.mark.parametrize(
    "parser",
    [f.parse_key, f.parse_text, f.parse_date, f.parse_bool, f.parse_int, f.parse_id_number],
)
def test_unreadable_cells_are_rejected_by_every_parser(parser):
    cell = f.Unreadable("formula_no_value", "=SUM(C5:C7)", formula="=SUM(C5:C7)")
    with pytest.raises(PydanticCustomError) as e:
        parser(cell)
    assert e.value.type == "formula_no_value"
    assert e.value.context == {"formula": "=SUM(C5:C7)"}
    # the message a validation that does not know the code shows as its detail
    assert e.value.message().startswith("公式“=SUM(C5:C7)”没有保存计算结果")


def test_unreadable_error_values_are_rejected_by_enumerations():
    with pytest.raises(PydanticCustomError) as e:
        f.enum_parser(LEVELS)(f.Unreadable("cell_error", "#N/A", value="#N/A"))
    assert e.value.type == "cell_error"
