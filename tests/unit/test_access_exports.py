"""access.exports: CSV with a BOM and xlsx downloads named after the query and its date."""

from __future__ import annotations

import io

from openpyxl import load_workbook

from access.exports import attachment, table_download

ANSWER = {"query": "one_helps_many", "params": {"as_of": "2020-12-31"}}
ROWS = [{"helper_id": "P007", "name": "张建华", "household_count": 2}]


def test_csv():
    response = table_download(ANSWER, ["helper_id", "name", "household_count"], ROWS, "csv")
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert (
        response.headers["Content-Disposition"]
        == 'attachment; filename="one_helps_many-2020-12-31.csv"'
    )
    assert response.data.decode("utf-8") == (
        "\ufeffhelper_id,name,household_count\r\nP007,张建华,2\r\n"
    )


def test_xlsx():
    answer = {"query": "weak_organizations", "params": {"year": 2019}}
    response = table_download(answer, ["helper_id", "name"], ROWS, "xlsx")
    assert 'filename="weak_organizations-2019.xlsx"' in response.headers["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(response.data), read_only=True).worksheets[0]
    assert list(sheet.iter_rows(values_only=True)) == [("helper_id", "name"), ("P007", "张建华")]


def test_attachment_names_are_plain():
    response = attachment(b"x", "application/json", 'helper-P"0/07\r\n-2020.json')
    assert response.headers["Content-Disposition"] == (
        'attachment; filename="helper-P_0_07_-2020.json"'
    )
