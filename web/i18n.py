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
    EMPTY,
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
    "EMPTY",
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
    "skip": ("跳到正文", "Skip to the content"),
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
    "found": ("找到 {n} 条，显示第 {first}–{last} 条", "{n} found, showing {first}–{last}"),
    "found_cut": (
        "（结果过多，只列出前 1,000 条；请输入更完整的姓名）",
        "(too many: only the first 1,000 are listed; type more of the name)",
    ),
    "born": ("{year} 年生", "born {year}"),
    "role_is_helper": ("帮扶人", "helper"),
    "role_is_party_member": ("党员", "party member"),
    "role_is_head": ("户主", "head of household"),
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
    "edge_legend": ("连线含义", "Lines"),
    "members_hidden": (
        "家庭成员默认隐藏，可在上方勾选显示",
        "household members are hidden: tick them above",
    ),
    "network_keys": (
        "关系网络：点击或按 Tab 选中后，方向键平移，+ 和 - 缩放",
        "network: once focused, arrow keys pan, + and - zoom",
    ),
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
    "components": ("帮扶组", "Pairing groups"),
    "class": ("类型", "Class"),
    "count": ("个数", "Count"),
    "form_mismatches": ("申报帮扶形式与实际不符的结对", "pairings whose declared form differs"),
    "pairings": ("当前结对数", "current pairings"),
    "shapes": ("帮扶组的构成（帮扶人数 × 户数）", "Groups by size (helpers × households)"),
    "helpers": ("帮扶人数", "Helpers"),
    "households": ("户数", "Households"),
    "load_hist": ("帮扶人帮扶户数分布", "Households per helper"),
    "load_axis": ("帮扶户数", "households helped"),
    "central_orgs": ("帮扶关系最集中的党组织", "Organisations where help comes together"),
    "central_helpers": ("帮扶关系最集中的帮扶人", "Helpers where help comes together"),
    "degree": ("直接联系（户、组织）", "Direct links (households, organisations)"),
    "betweenness": ("桥梁作用", "Bridging"),
    "centrality_note": (
        "以下按“桥梁作用”排序：帮扶人、贫困户和党组织之间的联系，有多少要经过这个人或组织"
        "（0 至 1，越大越多）；“直接联系”是其直接帮扶的户、所属或下级组织的个数。"
        "统计范围：当前结对、当前组织关系和党组织上下级，共 {n} 个人、户、组织，{m} 条联系。",
        "Ranked by bridging: how much of the links between helpers, households and "
        "organisations pass through this person or organisation (0 to 1, more is higher); "
        "direct links: the households they help, the organisations they belong to or that are "
        "under them. Counted over current pairings, current memberships and the organisation "
        "tree: {n} people, households and organisations, {m} links.",
    ),
    "sampled": (
        "数量较多，桥梁作用按 {k} 个随机起点估算，排名前列的结果可靠。",
        "Many nodes: bridging estimated from {k} random starting points; the top of the list "
        "is reliable.",
    ),
    "exact": ("桥梁作用为精确计算值。", "Bridging computed exactly."),
    "def_one_helps_many": (
        "一帮多帮扶人：截至该日同时帮扶 2 户及以上的帮扶人（按人计，含与其他帮扶人共同帮扶的）。"
        "“结对帮扶模式”和网络分析中的“一帮多”按帮扶组计，只含仅有这一名帮扶人的组，所以数字较小。",
        "One helps many: helpers with two or more current households (counted by helper, those "
        "who share a household with another helper included). Pairing patterns and the "
        "analytics count groups instead: their one-helps-many groups have a single helper, "
        "so their figure is smaller.",
    ),
    "def_pairing_patterns": (
        "帮扶组：通过结对相互连在一起的帮扶人和户。一帮多 = 1 名帮扶人、2 户及以上的组；"
        "与他人共同帮扶的帮扶人归入多帮多。首页和“一帮多帮扶人”清单按人计，所以数字较大。",
        "A group: helpers and households joined by pairings. One helps many = one helper, two "
        "households or more; a helper who shares a household counts under many-to-many. The "
        "home page and the one-helps-many worklist count helpers, so their figure is larger.",
    ),
    "tile_one_helps_many": ("帮扶 2 户及以上的帮扶人", "helpers of two households or more"),
    "current_ended": (
        "当前 {now} {unit}，另有已结束 {ended} {unit}",
        "{now} current, {ended} ended",
    ),
    "current_later": ("，{later} {unit}尚未开始", ", {later} not yet started"),
    "current_only": ("当前 {now} {unit}", "{now} current"),
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
    "not_a_county": ("没有编号为 {id} 的县（区）", "there is no county {id}"),
    "not_a_township": ("没有编号为 {id} 的乡镇（街道）", "there is no township {id}"),
    "township_not_in_county": (
        "所选乡镇“{township}”不属于“{county}”，现显示“{county}”全部乡镇。",
        "The township {township} is not in {county}: all of {county} is shown.",
    ),
    "sort_by": ("按此列排序", "sort by this column"),
    "pages": ("分页", "pages"),
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
