"""Organisation assessments for 2019 and 2020: weak and lax organisations (软弱涣散) with
their category and rectification, standardisation (规范化达标), and honours (十强支部)."""

from __future__ import annotations

from generator.dates import D, rand_date
from generator.sink import F, T
from generator.world import World

__all__ = ["write_assessments"]

VILLAGE_CATEGORIES = (
    "党组织书记长期缺职、不胜任现职、工作不在状态",
    "班子不团结、内耗严重、工作处于瘫痪半瘫痪状态",
    "组织制度形同虚设、不开展组织活动",
    "村务管理混乱、集体经济薄弱",
    "宗族宗教和黑恶势力干扰渗透、信访矛盾集中",
)
COMMUNITY_CATEGORIES = (
    "社区党组织书记不胜任、班子配备不齐",
    "服务功能弱化、群众意见大",
    "组织生活不规范、党员管理松散",
    "社区治理薄弱、矛盾纠纷突出",
    "驻区单位党组织联系松散、共驻共建不力",
)


def write_assessments(world: World, params) -> None:
    rng = world.rng
    emit = world.emit["org_assessments"]
    village_orgs = list(world.village_org)
    level = {world.village_org[v.idx]: v.level for v in world.villages}
    others = (
        [s.org_id for s in world.sites if s.org_id]
        + list(world.youth_branch)
        + list(world.township_organ)
    )
    weak19 = set(rng.sample(village_orgs, params.weak_2019))
    again = rng.sample(sorted(weak19), params.weak_again_2020)
    fresh = rng.sample(
        [o for o in village_orgs if o not in weak19], params.weak_2020 - params.weak_again_2020
    )
    weak20 = set(again) | set(fresh)
    strong20 = [o for o in village_orgs if o not in weak20]
    top_ten = set(rng.sample(strong20, params.top_ten_branches))

    def category(org: str) -> str:
        pool = COMMUNITY_CATEGORIES if level[org] == "community" else VILLAGE_CATEGORIES
        return rng.choice(pool)

    for year, weak in ((2019, weak19), (2020, weak20)):
        share = params.standardized_share[year]
        for org in village_orgs + others:
            if world.orgs[org].founded > D(f"{year}-12-31"):
                continue
            is_weak = org in weak
            rectified = None
            cat = None
            if is_weak:
                cat = category(org)
                if year == 2019:
                    rectified = rand_date(rng, D("2019-09-01"), D("2019-12-25"))
                elif rng.random() < 0.85:
                    rectified = rand_date(rng, D("2020-08-01"), D("2020-12-20"))
            standardized = (not is_weak) and (org in top_ten or rng.random() < share)
            honor = None
            if year == 2020 and org in top_ten:
                honor = "top_ten_branch"
            elif not is_weak and standardized and rng.random() < 0.02:
                honor = "other"
            emit((org, year, T if is_weak else F, cat, rectified, T if standardized else F, honor))
