"""The explorer's 变更记录 page: the loads, what changed between two of them, and the worklist
rows that appeared or disappeared with a load — the page of ``/api/loads`` and ``/api/changes``,
with the same scope and masking (docs/explorer.md)."""

from __future__ import annotations

from typing import Any

from flask import g, render_template, request

from access.errors import HttpError
from access.exports import table_download
from access.paging import page_of
from access.params import MAX_LOAD, output_format, single_args, whole_number
from access.request import note
from access.services import services
from core.contract import SPECS
from loaders.archive import Archive
from loaders.changes import COLUMNS, ChangesError, between, flat_rows, scoped
from loaders.write import GraphWriter
from web.auth import signed_in, who
from web.blueprint import bp
from web.i18n import WORKLISTS

__all__ = ["changes"]

PAGE_SIZE = 100

#: the page's own words (zh, en)
WORDS: dict[str, tuple[str, str]] = {
    "title": ("变更记录", "Changes"),
    "loads": ("导入记录", "Loads"),
    "load": ("次", "load"),
    "started": ("开始", "started"),
    "finished": ("结束", "finished"),
    "status": ("状态", "status"),
    "path": ("数据", "dataset"),
    "read": ("读取", "read"),
    "added": ("新增", "added"),
    "changed": ("修改", "changed"),
    "retracted": ("删除", "retracted"),
    "complete": ("完成", "complete"),
    "interrupted": ("中断", "interrupted"),
    "failed": ("失败", "failed"),
    "running": ("进行中", "running"),
    "compare": ("比较", "Compare"),
    "from": ("从第", "from load"),
    "to": ("到第", "to load"),
    "between": ("第 {a} 次 → 第 {b} 次导入", "load {a} → load {b}"),
    "kind": ("类别", "kind"),
    "change": ("变化", "change"),
    "key": ("编号", "key"),
    "before": ("原内容", "before"),
    "after": ("新内容", "after"),
    "source": ("来源", "source"),
    "row_at": ("{file} 第 {row} 行", "{file} row {row}"),
    "facts": ("数据变化", "Facts"),
    "no_facts": (
        "这两次导入之间没有数据变化（在您的权限范围内）。",
        "No fact changed between these loads (within your region).",
    ),
    "no_loads": ("还没有任何导入记录。", "No load has been recorded yet."),
    "worklists": ("工作清单的变化（截至该次导入当天）", "Worklist rows (as of the load's day)"),
    "appeared": ("新出现 {n} 行", "{n} appeared"),
    "disappeared": ("消失 {n} 行", "{n} disappeared"),
    "only_consecutive": (
        "工作清单的变化只在相邻两次导入之间记录。",
        "Worklist rows are recorded between consecutive loads only.",
    ),
    "download": ("下载", "Download"),
    "prev": ("上一页", "previous"),
    "next": ("下一页", "next"),
    "page_of": ("第 {page} / {pages} 页", "page {page} of {pages}"),
}


def w(key: str, **values: Any) -> str:
    zh, en = WORDS[key]
    return (en if g.get("lang") == "en" else zh).format(**values)


def _words(fact: dict[str, Any]) -> dict[str, Any]:
    """A fact change as the page shows it: the kind in Chinese, the key and values as text."""

    def text(values: dict[str, Any] | None) -> str:
        if not values:
            return ""
        return "，".join(f"{k}={v}" for k, v in values.items() if v is not None)

    return {
        "kind": SPECS[fact["kind"]].zh,
        "stem": fact["kind"],
        "change": fact["change"],
        "key": text(fact["key"]),
        "before": text(fact.get("before")),
        "after": text(fact.get("after")),
        "file": fact.get("file") or "",
        "row": fact.get("row"),
    }


@bp.get("/web/changes")
@signed_in
def changes() -> Any:
    principal = who()
    args = single_args(request.args)
    fmt = args.get("format", "html")
    archive = Archive(services().settings.kg_home)
    loads = list(reversed([r.public() for r in archive.records()]))
    start = whole_number(args, "from", -1, 0, MAX_LOAD) if args.get("from") else None
    end = whole_number(args, "to", -1, 1, MAX_LOAD) if args.get("to") else None
    answer = None
    error = None
    if loads:
        try:
            answer = between(archive, start, end)
        except ChangesError as e:
            error = str(e)
    if answer is not None and principal.scope is not None:
        found = services()
        answer = scoped(answer, principal.scope, GraphWriter(found.driver(), found.database))
    if fmt in ("csv", "xlsx"):
        if answer is None:
            raise HttpError(404, "not_found", error or "no load has been recorded yet")
        output_format({"format": fmt}, request.accept_mimetypes, principal)  # the export right
        rows = principal.masked(flat_rows(answer))
        note(rows=len(rows))
        params = {"from": answer["from"], "to": answer["to"]}
        return table_download({"query": "changes", "params": params}, COLUMNS, rows, fmt)
    facts = [_words(f) for f in principal.masked(answer["facts"])] if answer else []
    page = page_of({"page": args.get("page", "1")}, len(facts), PAGE_SIZE)
    worklists = principal.masked(answer["worklists"]) if answer else {}
    counts: dict[str, dict[str, int]] = {}
    for fact in facts:
        counts.setdefault(fact["kind"], {"added": 0, "changed": 0, "retracted": 0})
        counts[fact["kind"]][fact["change"]] += 1
    return render_template(
        "changes.html",
        loads=loads,
        answer=answer,
        error=error,
        facts=page.cut(facts),
        counts=counts,
        worklists={name: w for name, w in worklists.items() if w["appeared"] or w["disappeared"]},
        worklist_names=WORKLISTS,
        page=page.page,
        pages=page.pages,
        total=len(facts),
        can_export=principal.may("export"),
        w=w,
        args={k: v for k, v in args.items() if k in ("from", "to")},
    )
