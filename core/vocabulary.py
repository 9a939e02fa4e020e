"""The domain's vocabulary: the enumerations of the data contract with their Chinese aliases.

Each mapping is ``English value → (Chinese alias, other accepted spellings...)``; the first
alias is the contract's. The loader accepts any of them (``loaders/cells.py``), the pages and
exports show the first (``web/i18n.py``, ``viz/text.py``).
"""

from __future__ import annotations

__all__ = [
    "CAUSES",
    "END_REASONS",
    "ENTERPRISE_KINDS",
    "EVENTS",
    "FORMS",
    "GENDERS",
    "HONORS",
    "LEVELS",
    "LEVEL_NAMES",
    "LEVEL_RANK",
    "LINKS",
    "ORG_KINDS",
    "PARTY_STATUS",
    "POSTS",
    "RELATIONS",
    "SETTINGS",
    "TEAM_ROLES",
    "VILLAGE_LEVELS",
    "WORKSHOP_TYPES",
]

LEVELS = {
    "city": ("市", "地级市", "州"),
    "county": ("县", "区", "县级市", "县区", "县/区"),
    "township": ("乡镇", "乡", "镇", "街道", "乡/镇"),
    "village": ("村", "行政村"),
    "community": ("社区",),
}
ORG_KINDS = {
    "committee": ("党委",),
    "general_branch": ("党总支",),
    "branch": ("党支部",),
    "temporary_branch": ("临时党支部",),
}
SETTINGS = {
    "village": ("村",),
    "community": ("社区",),
    "township": ("乡镇",),
    "county": ("县",),
    "organ": ("机关",),
    "enterprise": ("企业",),
    "cooperative": ("合作社",),
    "relocation_site": ("安置点",),
    "youth_talent": ("青年人才",),
    "other": ("其他",),
}
GENDERS = {"M": ("男",), "F": ("女",)}
RELATIONS = {
    "head": ("户主",),
    "spouse": ("配偶",),
    "child": ("子女",),
    "parent": ("父母",),
    "grandchild": ("孙子女",),
    "other": ("其他",),
}
PARTY_STATUS = {"full": ("正式", "正式党员"), "probationary": ("预备", "预备党员")}
CAUSES = {
    "illness": ("因病",),
    "disability": ("因残",),
    "education": ("因学",),
    "disaster": ("因灾",),
    "lack_land": ("缺土地",),
    "lack_water": ("缺水",),
    "lack_skills": ("缺技术",),
    "lack_labor": ("缺劳力",),
    "lack_capital": ("缺资金",),
    "poor_transport": ("交通条件落后",),
    "lack_motivation": ("自身发展动力不足",),
    "other": ("其他",),
}
FORMS = {"one_to_one": ("一帮一",), "one_to_many": ("一帮多",), "many_to_one": ("多帮一",)}
TEAM_ROLES = {"first_secretary": ("第一书记",), "leader": ("队长",), "member": ("队员",)}
POSTS = {
    "party_secretary": ("书记", "党委书记"),
    "government_head": ("行政正职", "乡镇长", "县长", "区长", "市长", "乡长", "镇长"),
    "deputy": ("副职",),
    "village_secretary": ("村党组织书记",),
    "village_director": ("村委会主任",),
    "reserve_cadre": ("村级后备力量", "后备力量"),
    "seconded_cadre": ("挂职干部",),
    "census_chief": ("普查总队长",),
    "census_deputy": ("普查副组长",),
    "census_enumerator": ("普查员",),
    "census_instructor": ("普查指导员",),
    "census_auditor": ("数据审核验收员",),
    "other": ("其他",),
}
END_REASONS = {
    "promotion": ("提拔",),
    "adjustment": ("调整",),
    "discipline": ("违纪违法",),
    "retirement": ("退休",),
    "term_end": ("期满",),
    "other": ("其他",),
}
ENTERPRISE_KINDS = {
    "cooperative": ("合作社",),
    "company": ("公司",),
    "family_farm": ("家庭农场",),
    "workshop": ("扶贫车间",),
    "other": ("其他",),
}
WORKSHOP_TYPES = {"factory": ("厂房式",), "home_based": ("居家式",), "integrated": ("融合式",)}
LINKS = {
    "member": ("入社",),
    "employment": ("就业",),
    "dividend": ("分红",),
    "partner": ("合作",),
    "leader": ("领办人",),
    "public_welfare_post": ("公益性岗位",),
}
HONORS = {"top_ten_branch": ("十强支部",), "other": ("其他",)}
EVENTS = {
    "training": ("培训",),
    "phone_check": ("电话抽查",),
    "award": ("表彰",),
    "other": ("其他",),
}

VILLAGE_LEVELS = ("village", "community")

#: depth of each region level in the tree (villages and communities are leaves)
LEVEL_RANK = {"city": 0, "county": 1, "township": 2, "village": 3, "community": 3}

#: how messages name a level: (zh, en)
LEVEL_NAMES = {
    "city": ("市", "city"),
    "county": ("县（区、市）", "county"),
    "township": ("乡镇（街道）", "township"),
    "village": ("村", "village"),
    "community": ("社区", "community"),
}
