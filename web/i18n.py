"""The explorer's words (Chinese first, English on request).

How values, worklists and their columns are written is the access layer's
(:mod:`access.present`, shared with the downloads), re-exported here for the pages: dates as
Chinese users write them (``2020年12月31日``; ISO ``2020-12-31`` in English), whole numbers with
thousands separators (``1,234``), booleans 是/否, enumeration values by their Chinese aliases;
properties by the contract's Chinese headers where the contract has the column, else from
:data:`COLUMNS`.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from typing import Any

from access.present import (
    COLUMNS,
    LANGS,
    WORKLISTS,
    column_name,
    fmt_date,
    fmt_number,
    fmt_value,
)
from core import contract as c

__all__ = [
    "COLUMNS",
    "LABELS",
    "LANGS",
    "RELATIONSHIPS",
    "WORDS",
    "WORKLISTS",
    "column_name",
    "fmt_date",
    "fmt_number",
    "fmt_value",
    "label_name",
    "ordered_props",
    "prop_name",
    "relationship_name",
    "word",
]


#: words of the pages: key -> (zh, en)
WORDS: dict[str, tuple[str, str]] = {
    "site": ("党建扶贫知识图谱", "Party building × poverty alleviation graph"),
    "home": ("首页", "Home"),
    "search": ("搜索", "Search"),
    "search_hint": ("姓名、户编号、党组织、区划代码…", "name, household id, organisation, code…"),
    "worklists": ("工作清单", "Worklists"),
    "analytics": ("网络分析", "Network analytics"),
    "signin": ("登录", "Sign in"),
    "signout": ("退出", "Sign out"),
    "token": ("访问令牌", "Access token"),
    "token_hint": (
        "粘贴 kg token create 生成的令牌（kg_ 开头）",
        "paste a token made by kg token create (starts with kg_)",
    ),
    "bad_token": ("令牌无效或已吊销", "the token is not valid or has been revoked"),
    "signin_intro": (
        "请使用管理员发放的 API 访问令牌登录。令牌决定您的角色和可查看的区划范围。",
        "Sign in with an API token from your administrator: it sets your role and the "
        "divisions you may see.",
    ),
    "role": ("角色", "Role"),
    "role_admin": ("管理员", "admin"),
    "role_analyst": ("分析员", "analyst"),
    "role_viewer": ("查看者", "viewer"),
    "scope": ("范围", "Scope"),
    "whole_city": ("全市", "whole city"),
    "as_of": ("截至日期", "As of"),
    "as_of_day": ("截至 {date}", "as of {date}"),
    "apply": ("查询", "Apply"),
    "county": ("县（区）", "County"),
    "township": ("乡镇（街道）", "Township"),
    "all": ("全部", "All"),
    "since": ("起始日期", "Since"),
    "year": ("年度", "Year"),
    "rows": ("共 {n} 条", "{n} rows"),
    "page_of": ("第 {page} / {pages} 页", "page {page} of {pages}"),
    "prev": ("上一页", "Previous"),
    "next": ("下一页", "Next"),
    "download": ("导出", "Download"),
    "no_export": (
        "导出需要分析员或管理员角色",
        "downloads need the analyst or admin role",
    ),
    "none": ("（无）", "(none)"),
    "no_rows": ("没有符合条件的记录", "no rows"),
    "key_figures": ("主要指标", "Key figures"),
    "figure": ("指标", "Figure"),
    "value": ("图谱数值", "From the graph"),
    "seed": ("报道数值", "Stated in the review"),
    "report_region": (
        "全市报告仅对不限区划的令牌开放；以下为您权限范围内的工作清单条数。",
        "The report covers the whole city and is open to tokens without a region; below, the "
        "worklists within your scope.",
    ),
    "worklist_counts": ("工作清单条数", "Worklist rows"),
    "results": ("搜索结果", "Results"),
    "no_results": ("没有找到“{q}”", "nothing found for “{q}”"),
    "type": ("类型", "Type"),
    "name": ("名称", "Name"),
    "id": ("编号", "Id"),
    "region_id": ("所在区划", "Division"),
    "card": ("档案卡", "Card"),
    "properties": ("基本信息", "Properties"),
    "neighbours": ("关联", "Related"),
    "more": ("另有 {n} 项未列出", "{n} more not listed"),
    "network": ("关系网络", "Network"),
    "view": ("视图", "View"),
    "view_neighbours": ("直接关联", "direct neighbours"),
    "expand": ("展开所选节点", "Expand selected"),
    "expand_all": ("全部再展开一层", "Expand one more hop"),
    "hops": ("已展开层数", "Hops"),
    "filter": ("按类型筛选", "Filter by type"),
    "fit": ("适应窗口", "Fit"),
    "expand_hint": ("双击节点可展开其关联", "double-click a node to expand it"),
    "too_big": (
        "网络过大（{n} 个节点，网页上限 {max} 个）：请选择更小的范围，或用 kg viz 导出",
        "the network is too large ({n} nodes, at most {max} in a page): choose a smaller one, "
        "or export it with kg viz",
    ),
    "big_region": (
        "县、市的帮扶网络节点很多，默认只显示直接关联；",
        "a county's or the city's help network is large: only direct neighbours are shown; ",
    ),
    "draw_anyway": ("仍要绘制全部村的帮扶网络", "draw every village's help network anyway"),
    "masked_note": ("身份证号、联系电话已脱敏", "id and phone numbers are masked"),
    "unmasked_note": (
        "管理员视图：身份证号、联系电话未脱敏，请妥善保管",
        "admin view: id and phone numbers are not masked",
    ),
    "downloads": ("导出网络", "Export the network"),
    "nodes_edges": ("节点 {n} 个 · 关系 {m} 条", "{n} nodes · {m} edges"),
    "components": ("结对帮扶连通分量", "Pairing components"),
    "class": ("类型", "Class"),
    "count": ("个数", "Count"),
    "form_mismatches": ("申报帮扶形式与实际不符的结对", "pairings whose declared form differs"),
    "pairings": ("当前结对数", "current pairings"),
    "shapes": ("分量构成（帮扶人 × 户）", "Component shapes (helpers × households)"),
    "helpers": ("帮扶人数", "Helpers"),
    "households": ("户数", "Households"),
    "load_hist": ("帮扶人帮扶户数分布", "Households per helper"),
    "load_axis": ("帮扶户数", "households helped"),
    "central_orgs": ("帮扶网络中最关键的党组织", "Most central organisations"),
    "central_helpers": ("帮扶网络中最关键的帮扶人", "Most central helpers"),
    "degree": ("度", "Degree"),
    "betweenness": ("介数中心性", "Betweenness"),
    "centrality_note": (
        "帮扶网络：帮扶人—贫困户（当前结对）、帮扶人—党组织（当前组织关系）、党组织上下级；"
        "共 {n} 个节点、{m} 条边。",
        "Help network: helpers–households (current pairings), helpers–organisations (current "
        "memberships) and the organisation tree; {n} nodes, {m} edges.",
    ),
    "sampled": (
        "节点较多，介数中心性由 {k} 个抽样源点估算（networkx，k 抽样）。",
        "Large graph: betweenness estimated from {k} sampled sources (networkx, k-sampling).",
    ),
    "exact": ("介数中心性为精确值。", "Betweenness computed exactly."),
    "export_graph": ("导出帮扶网络", "Export the help network"),
    "error": ("出错了", "Error"),
    "not_found": ("没有找到（或不在您的权限范围内）", "not found (or outside your scope)"),
    "forbidden": ("没有权限", "not allowed"),
    "bad_request": ("请求有误", "bad request"),
    "unavailable": (
        "图数据库暂时无法访问，请稍后再试",
        "Neo4j is not answering; try again shortly",
    ),
    "internal": ("服务器内部错误（已记录）", "an internal error (logged)"),
    "too_many": ("请求过于频繁，请稍后再试", "too many requests: try again shortly"),
    "too_long": ("请求地址过长", "the address of the request is too long"),
    "signin_throttled": (
        "登录失败次数过多，请 {minutes} 分钟后再试",
        "too many failed sign-ins: try again in {minutes} minutes",
    ),
    "sign_in_first": ("请先登录", "sign in first"),
    "bad_number": (
        "{name} 应为 {low} 至 {high} 之间的整数",
        "{name}: a whole number from {low} to {high}",
    ),
    "out_of_scope": ("所选区划不在您的权限范围内", "that division is outside your scope"),
    "bad_date": ("日期格式应为 YYYY-MM-DD", "dates are YYYY-MM-DD"),
    "lang_other": ("English", "中文"),
    "back_home": ("返回首页", "Back to the home page"),
    "loading": ("正在加载…", "loading…"),
}


#: node labels of the graph (cards, search)
LABELS: dict[str, tuple[str, str]] = {
    "Person": ("人员", "Person"),
    "Household": ("户", "Household"),
    "Organization": ("党组织", "Party organisation"),
    "Region": ("行政区划", "Division"),
    "RelocationSite": ("安置点", "Relocation site"),
    "Enterprise": ("经营主体", "Business entity"),
    "WorkTeam": ("驻村工作队", "Village work team"),
    "Post": ("职务", "Post"),
    "CollectiveIncome": ("村集体经济收入", "Collective income"),
    "Assessment": ("党组织考核", "Assessment"),
    "Event": ("事项", "Event"),
}
#: the file of the contract behind each label (for the Chinese names of properties)
LABEL_FILES = {
    "Person": "persons",
    "Household": "households",
    "Organization": "organizations",
    "Region": "regions",
    "RelocationSite": "relocation_sites",
    "Enterprise": "enterprises",
    "WorkTeam": "work_teams",
    "Post": "posts",
    "CollectiveIncome": "collective_income",
    "Assessment": "org_assessments",
    "Event": "events",
}
#: relationship types: (zh, en) read from the node the card is of, outwards / inwards
RELATIONSHIPS: dict[str, tuple[str, str, str, str]] = {
    "HELPS": ("帮扶", "helps", "帮扶人", "helped by"),
    "IN_HOUSEHOLD": ("所在户", "household", "家庭成员", "members"),
    "MEMBER_OF": ("组织关系", "member of", "党员", "members"),
    "SUBORDINATE_TO": ("上级党组织", "subordinate to", "下级党组织", "subordinates"),
    "LOCATED_IN": ("位于", "located in", "辖内", "located here"),
    "AT_SITE": ("设在安置点", "at the site", "安置点党组织", "organisations here"),
    "RELOCATED_TO": ("搬迁至", "relocated to", "搬迁户", "relocated households"),
    "PART_OF": ("上级区划", "part of", "下级区划", "divisions"),
    "SERVES_ON": ("驻村工作队", "serves on", "队员", "members"),
    "STATIONED_IN": ("驻村", "stationed in", "驻村工作队", "work teams"),
    "HOLDS": ("职务", "posts", "任职人", "holders"),
    "AT_ORG": ("任职党组织", "at organisation", "职务", "posts"),
    "IN_REGION": ("任职区划", "in division", "职务", "posts"),
    "LEADS": ("领办", "leads", "领办党组织", "led by"),
    "LINKS": ("利益联结", "links", "利益联结", "linked by"),
    "HAS_INCOME": ("集体经济收入", "income", "区划", "division"),
    "ASSESSED": ("考核", "assessments", "党组织", "organisation"),
    "HAD_EVENT": ("事项", "events", "人员", "person"),
}
#: relationship properties: the contract file whose column names them
_REL_FILES = ("pairings", "memberships", "team_members", "enterprise_links", "posts")
REL_FILES = {
    "HELPS": "pairings",
    "MEMBER_OF": "memberships",
    "SERVES_ON": "team_members",
    "LINKS": "enterprise_links",
    "RELOCATED_TO": "households",
}


def word(key: str, lang: str, **values: Any) -> str:
    zh, en = WORDS[key]
    text = zh if lang == "zh" else en
    return text.format(**values) if values else text


def label_name(label: str | None, lang: str) -> str:
    zh, en = LABELS.get(label or "", (label or "", label or ""))
    return zh if lang == "zh" else en


def relationship_name(kind: str, direction: str, lang: str) -> str:
    names = RELATIONSHIPS.get(kind)
    if names is None:
        return kind
    out_zh, out_en, in_zh, in_en = names
    if direction == "out":
        return out_zh if lang == "zh" else out_en
    return in_zh if lang == "zh" else in_en


@functools.cache
def prop_name(label: str, name: str, lang: str) -> str:
    """The Chinese header of property ``name`` of a node ``label`` or of a relationship type
    (``HELPS``, ...; any relationship when ``label`` is empty), else the name itself."""
    if lang == "zh":
        if label in LABEL_FILES:
            stems: tuple[str, ...] = (LABEL_FILES[label],)
        elif label in REL_FILES:
            stems = (REL_FILES[label],)
        else:
            stems = _REL_FILES
        for stem in stems:
            try:
                return c.spec_for(stem).column(name).zh
            except KeyError:
                continue
        if name in COLUMNS:
            return COLUMNS[name][0]
    return name.replace("_", " ")


def ordered_props(label: str, props: Mapping[str, Any]) -> list[tuple[str, Any]]:
    """A node's properties in the order of its contract file's columns, others after."""
    order: dict[str, int] = {}
    if label in LABEL_FILES:
        try:
            order = {n: i for i, n in enumerate(c.spec_for(LABEL_FILES[label]).column_names)}
        except KeyError:
            order = {}
    return sorted(props.items(), key=lambda kv: (order.get(kv[0], len(order)), kv[0]))
