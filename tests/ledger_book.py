"""The small fixture dataset (tests/data/small) laid out as county clerks keep their ledgers.

Every sheet starts with a merged title row (施甸县贫困户台账（截至2020年12月31日）) and a blank
row; headers are Chinese, one with a two-row merged header and a 序号 column, one with a Chinese
and an English header row; village codes and an id are typed full-width (５３０５２１…, Ｐ００１),
booleans with stray spaces, dates as 2014.6.1, 2014年6月1日, Excel date cells or a serial in a
text cell, numbers with thousands separators; the same village, helper or household is merged
down over consecutive rows; total (合计), signature (填表人) and note (注：) rows lie below the
tables; sheet names carry spaces, a year or 台账; a 说明 sheet, a 封面 sheet with an image, a
hidden sheet (an older copy of 人员, which must not be read) and a formula with a saved result
(and one without, in a total row). It holds exactly the facts of tests/data/small.

:func:`write_workbook` writes it as ``.xlsx``; :func:`write_csv_folder` as the CSV files Excel
would export from it (titles and totals kept, merged values repeated in each row).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import struct
import sys
import zipfile
import zlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import openpyxl
from openpyxl.drawing.image import Image
from openpyxl.styles import Alignment, Font

from core.contract import SPECS

__all__ = ["SMALL", "LedgerSheet", "ledger_sheets", "write_csv_folder", "write_workbook"]

SMALL = Path(__file__).parent / "data" / "small"
AS_OF = "（截至2020年12月31日）"


@dataclass
class LedgerSheet:
    title: str
    #: the rows from row 1 (an empty list is a blank row)
    rows: list[list[Any]]
    #: merged ranges, e.g. ``"A1:F1"``
    merges: list[str] = field(default_factory=list)
    hidden: bool = False
    #: the saved result of a formula cell ("D5" → 3): written into the file like Excel does
    cached: dict[str, Any] = field(default_factory=dict)
    #: where an image is anchored (None: no image)
    image: str | None = None
    #: the contract file the sheet holds (None for 说明, 封面 ...)
    stem: str | None = None
    #: the row numbers of the data rows (as Excel shows them)
    data_rows: list[int] = field(default_factory=list)


def _small(stem: str) -> list[dict[str, str]]:
    with (SMALL / f"{stem}.csv").open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def _full_width(text: str) -> str:
    """ASCII letters and digits as a Chinese input method in full-width mode types them."""
    return "".join(chr(ord(c) + 0xFEE0) if c.isascii() and c.isalnum() else c for c in text)


def _day(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text)


def _dotted(text: str) -> str:
    d = dt.date.fromisoformat(text)
    return f"{d.year}.{d.month}.{d.day}"


def _chinese_date(text: str) -> str:
    d = dt.date.fromisoformat(text)
    return f"{d.year}年{d.month}月{d.day}日"


def _serial(text: str) -> str:
    return str((dt.date.fromisoformat(text) - dt.date(1899, 12, 30)).days)


def _zh(stem: str, english: str) -> str:
    """The first Chinese alias of an enumeration value of the contract."""
    for column in SPECS[stem].columns:
        values = column.type.values
        if values and english in values:
            return values[english][0]
    raise KeyError(english)


def _letter(i: int) -> str:
    return openpyxl.utils.get_column_letter(i + 1)


Transform = Callable[[str, str, int], Any]


def _table(
    stem: str,
    title: str,
    *,
    transform: Transform | None = None,
    merge_down: tuple[str, ...] = (),
    english_row: bool = False,
    english_only: bool = False,
    below: list[list[Any]] | None = None,
) -> LedgerSheet:
    """A sheet with a title row, a blank row, a header and the rows of ``stem``."""
    spec = SPECS[stem]
    records = _small(stem)
    names = list(records[0])
    width = len(names)
    last = _letter(width - 1)
    rows: list[list[Any]] = [[f"施甸县{spec.zh}台账{AS_OF}"], []]
    merges = [f"A1:{last}1"]
    if english_only:
        rows.append(list(names))
    else:
        rows.append([spec.column(n).zh for n in names])
        if english_row:
            rows.append(list(names))
    first_data = len(rows) + 1
    for k, record in enumerate(records):
        cells = []
        for name in names:
            value = record[name]
            out: Any = value or None
            if transform is not None:
                out = transform(name, value, k)
            cells.append(out)
        rows.append(cells)
    data_rows = list(range(first_data, first_data + len(records)))
    # Merge runs of equal values down the columns named (the top cell keeps the value).
    for name in merge_down:
        col = names.index(name)
        k = 0
        while k < len(records):
            j = k
            while j + 1 < len(records) and records[j + 1][name] == records[k][name]:
                j += 1
            if j > k and records[k][name]:
                merges.append(f"{_letter(col)}{first_data + k}:{_letter(col)}{first_data + j}")
                for m in range(k + 1, j + 1):
                    rows[first_data - 1 + m][col] = None
            k = j + 1
    for extra in below or []:
        rows.append(extra)
    return LedgerSheet(title, rows, merges, stem=stem, data_rows=data_rows)


def _households() -> LedgerSheet:
    """A two-row header with group labels, a 序号 column, a formula with a saved result,
    full-width village codes, a total row with a formula without one, a signature row."""
    records = _small("households")
    title = f"施甸县贫困户台账{AS_OF}"
    top = ["序号", "户编号", "所在村区划代码", "家庭人口数", "识别情况", None, None]
    top += ["脱贫情况", None, "易地扶贫搬迁", None]
    sub = [None, None, None, None, "是否建档立卡", "识别日期", "主要致贫原因"]
    sub += ["脱贫日期", "有产业发展条件", "安置点编号", "搬迁日期"]
    rows: list[list[Any]] = [[title], [], top, sub]
    merges = ["A1:K1", "A3:A4", "B3:B4", "C3:C4", "D3:D4", "E3:G3", "H3:I3", "J3:K3"]
    dates = {
        "registered_on": [_dotted, _chinese_date, _day],
        "exited_on": [_chinese_date, _chinese_date, _day],
        "relocated_on": [_serial, _serial, _serial],
    }
    spaces = ["是 ", "是\u3000", " 是"]
    for k, r in enumerate(records):
        cells: list[Any] = [k + 1, r["household_id"], _full_width(r["region_id"])]
        cells.append("=1+2" if k == 0 else int(r["size"]))
        cells.append(spaces[k] if r["registered_poor"] == "true" else "否")
        for name in ("registered_on", "poverty_cause", "exited_on", "industry_conditions"):
            value = r[name]
            if not value:
                cells.append(None)
            elif name in dates:
                cells.append(dates[name][k](value))
            elif name == "poverty_cause":
                cells.append(_zh("households", value))
            else:
                cells.append("有" if value == "true" else "无")
        cells.append(_full_width(r["relocation_site_id"]) if r["relocation_site_id"] else None)
        cells.append(dates["relocated_on"][k](r["relocated_on"]) if r["relocated_on"] else None)
        rows.append(cells)
    assert int(records[0]["size"]) == 3  # the formula =1+2 stands for it
    n = len(rows)
    rows.append(["合计", None, None, f"=SUM(D5:D{n})"] + [None] * 7)
    rows.append([])
    rows.append(["填表人：张三\u3000\u3000审核人：李四\u3000\u3000填表日期：2020年12月31日"])
    merges.append(f"A{n + 3}:K{n + 3}")
    sheet = LedgerSheet(
        "贫困户（2020）",
        rows,
        merges,
        cached={"D5": 3},
        image="M3",
        stem="households",
        data_rows=list(range(5, 5 + len(records))),
    )
    return sheet


def _persons() -> LedgerSheet:
    def transform(name: str, value: str, k: int) -> Any:
        if not value:
            return None
        if name == "person_id" and value == "P001":
            return _full_width(value)  # Ｐ００１: stored as P001
        if name in ("gender", "relation", "party_status"):
            return _zh("persons", value)
        if name == "party_member":
            return "是" if value == "true" else "否"
        if name == "birth_date":
            return _day(value)
        if name == "party_joined_on":
            return _chinese_date(value)
        return value

    return _table("persons", "人 员", transform=transform, merge_down=("household_id",))


def _old_persons() -> LedgerSheet:
    """An older, hidden copy of 人员: never to be read while the visible one is there."""
    sheet = _persons()
    sheet.title = "人员（2019）"
    sheet.hidden = True
    sheet.rows.append(["P999", "旧记录", None, "男", None, None, "H009", "户主", "否", None, None])
    sheet.stem = None
    return sheet


def _regions() -> LedgerSheet:
    def transform(name: str, value: str, k: int) -> Any:
        if not value:
            return None
        if name == "level":
            return _zh("regions", value)
        if name == "poverty_listed":
            return "是" if value == "true" else "否"
        if name == "exited_on":
            return _dotted(value)
        return value

    # 大竹园村 and 长城社区 of 甸阳镇 come one after the other: their parent is merged down.
    return _table("regions", "行政区划", transform=transform, merge_down=("parent_id",))


def _enum_zh(stem: str, *columns: str, bools: tuple[str, ...] = ()) -> Transform:
    def transform(name: str, value: str, k: int) -> Any:
        if not value:
            return None
        if name in columns:
            return _zh(stem, value)
        if name in bools:
            return " 是" if value == "true" else "否 "
        return value

    return transform


def _collective_income() -> LedgerSheet:
    def transform(name: str, value: str, k: int) -> Any:
        if name == "income_yuan":
            number = int(value)
            return [_full_width(f"{number:,}").replace(",", "，"), f"{number:,}", number][k]
        if name == "year":
            return f"{value}年" if k == 0 else int(value)
        return value or None

    return _table("collective_income", "村级集体经济收入", transform=transform)


def _pairings() -> LedgerSheet:
    def transform(name: str, value: str, k: int) -> Any:
        if not value:
            return None
        if name == "declared_form":
            return _zh("pairings", value)
        if name in ("start_on", "end_on"):
            return _dotted(value)
        return value

    n = len(_small("pairings"))
    return _table(
        "pairings",
        "结对帮扶 2020",
        transform=transform,
        merge_down=("helper_id", "start_on", "declared_form"),
        below=[
            ["合计", f"{n}户"],
            [],
            ["填表人：王五", None, None, "审核人：赵六"],
            ["注：帮扶措施按实际填写"],
        ],
    )


def _memberships() -> LedgerSheet:
    def transform(name: str, value: str, k: int) -> Any:
        if not value:
            return None
        if name == "person_id" and value == "P001":
            return _full_width(value)
        if name in ("start_on", "end_on"):
            return _chinese_date(value) if k % 2 else _dotted(value)
        return value

    return _table("memberships", "组织关系", transform=transform, english_row=True)


def _plain(stem: str, title: str, **kw: Any) -> LedgerSheet:
    return _table(stem, title, **kw)


def ledger_sheets() -> list[LedgerSheet]:
    """The sheets of the workbook, in its order."""
    cover = LedgerSheet(
        "封面",
        [["施甸县脱贫攻坚基础台账"], [], ["填报单位：施甸县扶贫开发领导小组办公室"]],
        ["A1:F1"],
        image="B5",
    )
    notes = LedgerSheet(
        "说明",
        [
            ["填表说明"],
            ["1. 区划代码填写12位统计用区划代码。"],
            ["2. 日期可写成 2020-12-31 或 2020年12月31日。"],
        ],
    )
    lists = LedgerSheet("下拉选项", [["男"], ["女"]], hidden=True)
    return [
        cover,
        notes,
        _regions(),
        _plain("relocation_sites", "安置点"),
        _table(
            "organizations",
            "党组织台账",
            transform=_enum_zh("organizations", "kind", "setting"),
        ),
        _households(),
        _persons(),
        _old_persons(),
        _memberships(),
        _pairings(),
        _plain("work_teams", "驻村工作队"),
        _table("team_members", "team_members", transform=_enum_zh("team_members", "role")),
        _plain("posts", "职务"),
        _table(
            "enterprises",
            "经营主体",
            transform=_enum_zh("enterprises", "kind", bools=("new_type",)),
            merge_down=("region_id",),
        ),
        _plain("enterprise_links", "利益联结"),
        _collective_income(),
        _table(
            "org_assessments",
            "党组织考评",
            transform=_enum_zh("org_assessments", "honor", bools=("weak", "standardized")),
        ),
        _table("events", "events", english_only=True),
        lists,
    ]


# -- writing -------------------------------------------------------------------------------------
def _png(width: int = 48, height: int = 24) -> bytes:
    """A small red PNG (no imaging library needed)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    raw = b"".join(b"\x00" + b"\xcc\x22\x22" * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )


class _Png(Image):
    """openpyxl's image without Pillow: the PNG's bytes and size given."""

    def __init__(self, data: bytes, width: int, height: int):
        self.ref = io.BytesIO(data)
        self._bytes = data
        self.width, self.height = width, height
        self.format = "png"

    def _data(self) -> bytes:
        return self._bytes


def write_workbook(path: Path, titles: Sequence[str] = ()) -> Path:
    """The ledger as an ``.xlsx`` workbook at ``path`` (only the sheets ``titles`` if given)."""
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    sheets = [s for s in ledger_sheets() if not titles or s.title in titles]
    for sheet in sheets:
        ws = wb.create_sheet(sheet.title)
        # Printed as a clerk prints it (and as docs/screenshots/ shows it): landscape, one
        # page wide, with the grid and Excel's row and column headings.
        ws.page_setup.orientation = "landscape"
        ws.sheet_properties.pageSetUpPr.fitToPage = True
        ws.page_setup.fitToHeight = 0
        ws.print_options.gridLines = True
        ws.print_options.headings = True
        for cells in sheet.rows:
            ws.append(cells if cells else [None])
        for merged in sheet.merges:
            ws.merge_cells(merged)
        if sheet.hidden:
            ws.sheet_state = "hidden"
        if sheet.image:
            ws.add_image(_Png(_png(), 96, 48), sheet.image)
        ws["A1"].font = Font(bold=True, size=14)
        ws["A1"].alignment = Alignment(horizontal="center")
        ws.row_dimensions[1].height = 24
        header_rows = range(3, (sheet.data_rows or [3])[0])
        widths: dict[int, float] = {}
        for row in ws.iter_rows(min_row=3):
            for cell in row:
                if isinstance(cell.value, dt.datetime):
                    cell.number_format = "yyyy-mm-dd"
                if cell.row in header_rows:
                    cell.font = Font(bold=True)
                    cell.alignment = Alignment(horizontal="center", vertical="center")
                if sheet.data_rows and cell.row <= sheet.data_rows[-1] and cell.value is not None:
                    text = str(cell.value)
                    wide = sum(2 if ord(c) > 0x2E80 else 1 for c in text)
                    widths[cell.column] = max(widths.get(cell.column, 8), wide * 1.1 + 2)
        for column, width in widths.items():
            ws.column_dimensions[_letter(column - 1)].width = min(width, 40)
        if sheet.data_rows:
            last = max(len(r) for r in sheet.rows)
            ws.print_area = f"A1:{_letter(last - 1)}{len(sheet.rows)}"
    wb.save(path)
    _save_cached_values(path, {s.title: s.cached for s in sheets if s.cached})
    return path


def _save_cached_values(path: Path, cached: dict[str, dict[str, Any]]) -> None:
    """Write the saved results of formulas into the sheets' XML, as Excel does on saving
    (openpyxl writes formulas without one)."""
    wb = openpyxl.load_workbook(path, read_only=True)
    parts = {ws.title: ws._worksheet_path for ws in wb.worksheets if ws.title in cached}
    wb.close()
    with zipfile.ZipFile(path) as src:
        items = [(info, src.read(info.filename)) for info in src.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst:
        for info, data in items:
            for title, part in parts.items():
                if info.filename == part:
                    text = data.decode("utf-8")
                    for ref, value in cached[title].items():
                        pattern = re.compile(rf'(<c r="{ref}"[^>]*>\s*<f>[^<]*</f>)\s*<v\s*/>')
                        text, n = pattern.subn(rf"\1<v>{value}</v>", text)
                        if n == 0:
                            pattern = re.compile(
                                rf'(<c r="{ref}"[^>]*>\s*<f>[^<]*</f>)\s*<v>\s*</v>'
                            )
                            text, n = pattern.subn(rf"\1<v>{value}</v>", text)
                        assert n == 1, (title, ref)
                    data = text.encode("utf-8")
            dst.writestr(info, data)


def _csv_value(value: Any, cached: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, str) and value.startswith("="):
        return "" if cached is None else str(cached)
    if isinstance(value, dt.datetime):
        return f"{value.year}/{value.month}/{value.day}"
    return str(value)


def write_csv_folder(folder: Path, encoding: str = "utf-8") -> Path:
    """The ledger's visible sheets as CSV files, as Excel exports them (``<sheet>.csv``),
    with merged values repeated in each row they span (an export of unmerged cells)."""
    folder.mkdir(parents=True, exist_ok=True)
    for sheet in ledger_sheets():
        if sheet.hidden:
            continue
        rows = [list(r) for r in sheet.rows]
        for merged in sheet.merges:
            min_col, min_row, _, max_row = openpyxl.utils.cell.range_boundaries(merged)
            if max_row > min_row and min_row in sheet.data_rows:
                for r in range(min_row + 1, max_row + 1):
                    rows[r - 1][min_col - 1] = rows[min_row - 1][min_col - 1]
        width = max(len(r) for r in rows)
        with (folder / f"{sheet.title}.csv").open("w", encoding=encoding, newline="") as fh:
            writer = csv.writer(fh)
            for number, cells in enumerate(rows, start=1):
                cached = [sheet.cached.get(f"{_letter(i)}{number}") for i in range(len(cells))]
                out = [_csv_value(v, cached[i]) for i, v in enumerate(cells)]
                writer.writerow(out + [""] * (width - len(out)))
    return folder


if __name__ == "__main__":
    # python -m tests.ledger_book OUT.xlsx [SHEET ...]: the workbook (or some of its sheets),
    # e.g. to render docs/screenshots/ledger-households.png (README, "Ledgers as clerks keep
    # them").
    write_workbook(Path(sys.argv[1]), sys.argv[2:])
