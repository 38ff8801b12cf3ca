#!/usr/bin/env python3
"""A synthetic national corpus: documents of N real regions in the four layouts `kg build` reads,
and the truth they were generated from.

For each region (real names and codes from kg.resolve.regions.all_regions(), so that region
detection works without a manifest) it writes, into one folder, exactly what a user would hand
to `kg build`:

* ``<code>-work-report.txt``      narrative report with a header, the mayor's line, main targets;
* ``<code>-division.txt``         numbered division list ``N.task（牵头单位：…；责任单位：…）``
  (even regions) or ``<code>-decomposition.txt``, running text with ``（牵头领导：…；…）``
  after each clause (odd regions);
* ``<code>-progress.txt``         progress table, one cell per line, rows taken from the tasks.

Units are realistic per region: about 40 departments (with the spelling variants of
data/aliases.tsv, the region-prefixed form and, rarely, a one-character typo the resolver
repairs), streets or towns, zones and companies, and collectives. The standard spelling of a
unit is always its most frequent one, so it is the canonical name the resolver must find.

``truth.jsonl`` beside the documents holds one JSON object a line: ``document`` (file, region,
code, kind, year, author), ``task`` (doc, snippet, units as [role, as written, canonical],
leaders) and ``target`` (region code, metric, value, unit).

Deterministic: every region's content depends only on ``--seed`` and its code, and the region
order only on ``--seed``, so the first 30 regions of a 300-region corpus are those of a
30-region corpus, byte for byte.

Usage: python scripts/make_corpus.py --regions 30 --out /tmp/corpus-30 [--seed 1] [--year 2025]
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

# Departments: the name after the level character, and variants the resolver merges with it.
DEPARTMENTS = (
    ("发展改革局", ("发改局",)),
    ("财政局", ()),
    ("工业和信息化局", ("工信局", "工业信息化局")),
    ("科技局", ()),
    ("商务局", ()),
    ("投资促进局", ("投促局",)),
    ("住房城乡建设局", ("住建局", "住房和城乡建设局")),
    ("农业农村局", ()),
    ("教育局", ()),
    ("水务局", ()),
    ("交通运输局", ()),
    ("文化和旅游局", ("文旅局", "文化旅游局")),
    ("民政局", ()),
    ("人力资源社会保障局", ("人社局", "人力资源和社会保障局")),
    ("卫生健康局", ("卫健局",)),
    ("市场监督管理局", ("市场监管局",)),
    ("城市管理局", ("城管局",)),
    ("自然资源局", ()),
    ("应急管理局", ("应急局",)),
    ("医疗保障局", ("医保局",)),
    ("退役军人事务局", ("退役军人局",)),
    ("行政审批服务局", ("行政审批局",)),
    ("统计局", ()),
    ("审计局", ()),
    ("司法局", ()),
    ("政府办公室", ("政府办",)),
    ("大数据局", ()),
    ("体育局", ()),
    ("林业局", ()),
    ("生态环境局", ()),
    ("金融服务中心", ()),
    ("融媒体中心", ()),
    ("税务局", ()),
    ("公安局", ()),
    ("消防救援大队", ()),
    ("供销社", ()),
    ("委组织部", ()),
    ("委宣传部", ()),
    ("委统战部", ()),
    ("委政法委", ()),
)
# Look-alike characters for typos (a typo must lose the name's function to be repaired).
LOOKALIKE = {"政": "攻", "务": "各", "计": "汁", "法": "去", "管": "菅", "商": "啇", "财": "材",
             "科": "料", "技": "枝", "民": "氏", "农": "衣", "教": "敎", "交": "父", "卫": "工",
             "健": "建", "审": "宙", "统": "纨", "司": "可", "林": "材", "水": "永", "体": "休"}
COLLECTIVES = {"district": ("各街道", "相关部门", "各有关部门"),
               "county": ("各镇", "各乡镇", "相关部门", "各有关部门")}
STREET_CHARS = ("东西南北中新城河山湖泉桥林华安和平兴龙凤文昌德福仁义礼信阳明光清源金玉石云"
                "花园营庄堡店沟坡岭峰川溪塘洼岗集寨屯关口港湾滨江海岳松柏竹梅兰荷")
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段雷钱汤尹黎易常武乔贺赖龚"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华建国海燕玲志红斌鹏辉俊峰晨雪梅宇浩思远文博嘉欣若曦立新卫东晓光振永"

# Main targets: canonical metric, how it is written, value range and step, unit.
METRICS = (
    ("地区生产总值", "地区生产总值增长{v}%", (4.5, 7.0, 0.1), "%"),
    ("一般公共预算收入", "一般公共预算收入增长{v}%", (2.0, 6.0, 0.5), "%"),
    ("规模以上工业增加值", "规上工业增加值增长{v}%", (5.0, 10.0, 0.5), "%"),
    ("固定资产投资", "固定资产投资增长{v}%", (2.0, 8.0, 0.5), "%"),
    ("社会消费品零售总额", "社会消费品零售总额增长{v}%", (3.0, 7.0, 0.5), "%"),
    ("实际使用外资", "实际使用外资{v}万美元", (1000, 20000, 500), "万美元"),
    ("城镇新增就业", "新增城镇就业{v}万人", (0.5, 4.0, 0.05), "万人"),
    ("城镇居民人均可支配收入", "城镇居民人均可支配收入增长{v}%", (4.0, 6.5, 0.5), "%"),
)

VERBS = ("加快推进", "深入实施", "持续推进", "全面落实", "大力发展", "积极培育", "统筹推进", "扎实开展",
         "着力提升", "健全完善", "不断深化", "全力抓好", "稳步推进", "系统推进")
OBJECTS = ("城市更新行动", "老旧小区改造", "数字政府建设", "营商环境优化提升", "科技型中小企业培育",
           "农村人居环境整治", "智慧交通体系建设", "文旅融合发展", "养老服务体系建设", "义务教育优质均衡发展",
           "基层医疗卫生服务能力提升", "安全生产专项整治", "大气污染综合治理", "河湖生态保护修复", "精准招商",
           "重点项目全生命周期服务", "产业链供应链协同", "高校毕业生就业创业服务", "食品药品安全监管",
           "高标准农田建设", "农村集体经济发展壮大", "社区嵌入式服务设施建设", "公共文化服务体系建设",
           "全民健身设施补短板", "政务服务“一网通办”", "企业技术改造", "专精特新企业梯度培育", "跨境电商发展",
           "夜间经济消费场景打造", "防汛抗旱能力建设", "地质灾害隐患排查治理", "消防安全隐患整治",
           "背街小巷改造提升", "城市停车设施建设", "供热管网改造", "雨污分流改造", "校园安全综合治理",
           "医疗保障待遇落实", "退役军人服务保障", "社会救助兜底保障", "婴幼儿照护服务", "法治政府建设",
           "统计数据质量提升", "审计监督全覆盖", "国有资产管理改革", "金融风险防范化解", "信访问题源头治理")
DETAILS = ("完成{n}个重点项目建设", "新增市场主体{n}户以上", "打造{n}个示范样板", "年内改造{n}处以上",
           "确保{m}月底前全面完成", "推动形成长效机制", "不断提升群众满意度", "培育{n}家骨干企业",
           "新建改造{n}公里", "覆盖{n}个村居社区", "争取上级资金{n}亿元以上", "全年服务企业{n}家次")
SECTIONS = ("坚定不移扩大有效投资", "坚定不移提振消费市场", "坚定不移发展新质生产力",
            "坚定不移全面深化改革", "坚定不移改善城乡面貌", "坚定不移保障和改善民生",
            "坚定不移统筹发展和安全", "坚定不移推进乡村振兴", "坚定不移扩大对外开放")
CN_NUM = "一二三四五六七八九十"


@dataclass(frozen=True)
class Unit:
    canonical: str          # the standard spelling: the most frequent, the resolver's canonical
    kind: str               # department, street, committee, company, collective
    variants: tuple[str, ...] = ()


@dataclass
class Task:
    text: str
    leads: list[Unit]
    assists: list[Unit]
    leaders: list[str]
    written: dict            # (role, position) → spelling actually written


# --------------------------------------------------------------------------- regions

def _title_prefix(region) -> str:
    """The names a title writes before the region's own: its parent's (济南市槐荫区)."""
    from kg.resolve.regions import region_by_code

    parent = region_by_code(region.parent) if region.parent else None
    return (parent.name if parent else "") + region.name


def _detected(region) -> bool:
    from kg.resolve.regions import detect_region

    found, _conf, _how = detect_region(f"2025年《{_title_prefix(region)}政府工作报告》重点工作责任分工\n")
    return found is not None and found.code == region.code


def pick_regions(n: int, seed: int, ambiguous: bool = False) -> list:
    """The first ``n`` city- and county-level regions, in seeded order, whose title the
    tool places right.

    Without ``ambiguous``, the 70 or so regions whose name another region shares (铁西区 of
    沈阳 and of 四平) are left out: a document's region is kept as a name only
    (DocMeta.region), so the graph places them by name, in the first of them."""
    from collections import Counter

    from kg.resolve.regions import PROVINCE, all_regions

    names = Counter(r.name for r in all_regions())
    regions = sorted((r for r in all_regions() if r.level != PROVINCE
                      and (ambiguous or names[r.name] == 1)), key=lambda r: r.code)
    random.Random(seed).shuffle(regions)
    picked = []
    for r in regions:
        if len(picked) == n:
            break
        if _detected(r):
            picked.append(r)
    if len(picked) < n:
        raise SystemExit(f"only {len(picked)} regions are eligible, asked for {n}")
    return picked


# --------------------------------------------------------------------------- units

@lru_cache(maxsize=None)
def _typos() -> dict[str, tuple[str, ...]]:
    """Department base name → typos the resolver repairs: no function left, one char away
    from that department only."""
    from kg.resolve.functions import functions_of
    from kg.resolve.units import DEPARTMENT, unit_kind

    bases = [b for b, _ in DEPARTMENTS] + [v for _, vs in DEPARTMENTS for v in vs]
    out = {}
    for base, _ in DEPARTMENTS:
        found = []
        for i, ch in enumerate(base):
            if ch not in LOOKALIKE:
                continue
            typo = base[:i] + LOOKALIKE[ch] + base[i + 1:]
            near = [b for b in bases if len(b) == len(typo) and sum(x != y for x, y in zip(b, typo)) == 1]
            if (not functions_of("区" + typo) and functions_of("区" + base)
                    and unit_kind("区" + typo) == DEPARTMENT and near == [base]):
                found.append(typo)
        out[base] = tuple(found)
    return out


def _short(region) -> str:
    from kg.resolve.regions import _short_name

    return _short_name(region) or region.name[:-1]


def _streets(rng: random.Random, region, county: bool) -> list[str]:
    """6–10 street or town names with pairwise distinct first and second characters."""
    from kg.resolve.units import streets

    known = streets().get(region.code)
    if known:
        return sorted(s if s.endswith(("街道", "镇", "乡")) else s + "街道" for s in known)[:10]
    firsts = rng.sample(STREET_CHARS, 10)
    seconds = rng.sample([c for c in STREET_CHARS if c not in firsts], 10)
    n = rng.randint(6, 10)
    out = []
    for k in range(n):
        tail = ("镇" if k % 3 else "街道") if county else "街道"
        out.append(firsts[k] + seconds[k] + tail)
    return out


def level_char(region) -> str:
    """The character unit names start with: 区, 县, 市, and 旗 in a banner (鄂托克前旗),
    州 in an autonomous prefecture, 盟 in a league."""
    return region.name[-1] if region.name[-1] in "旗州盟" else region.level_char


def region_units(rng: random.Random, region) -> dict[str, list[Unit]]:
    lc = level_char(region)
    county = region.level == "county"
    short = _short(region)
    depts = []
    for base, variants in DEPARTMENTS:
        if base.startswith("委") and rng.random() < 0.3:
            continue
        vs = tuple(lc + v for v in variants)
        # The region-prefixed spelling (长清区财政局), except where the resolver cannot
        # yet undo it: units starting with 旗/州/盟, and a name starting with 市 (市场…).
        if not base.startswith(("委", "市")) and lc in "区县市" and lc == region.name[-1]:
            vs += (region.name + base,)
        depts.append(Unit(lc + base, "department", vs))
    committees = [Unit(f"{short}经济开发区管委会", "committee", (f"{short}经济开发区管理委员会",))]
    if rng.random() < 0.6:
        committees.append(Unit(f"{short}高新技术产业园区管委会", "committee"))
    companies = [Unit(f"{short}城投集团", "company"), Unit(f"{short}国有资产运营有限公司", "company")]
    if rng.random() < 0.5:
        companies.append(Unit(f"{short}文旅发展集团", "company"))
    streets = [Unit(s, "street", (s + "办事处",) if s.endswith("街道") else ()) for s in
               _streets(rng, region, county)]
    collectives = [Unit(c, "collective") for c in COLLECTIVES["county" if county else "district"]]
    return {"department": depts, "committee": committees, "company": companies,
            "street": streets, "collective": collectives}


def _leaders(rng: random.Random) -> list[str]:
    names: list[str] = []
    while len(names) < rng.randint(5, 7):
        name = rng.choice(SURNAMES) + "".join(rng.sample(GIVEN, rng.choice((1, 2, 2))))
        if name not in names:
            names.append(name)
    return names


# --------------------------------------------------------------------------- tasks

def _task_text(rng: random.Random, used: set) -> str:
    while True:
        detail = rng.choice(DETAILS).format(n=rng.randint(2, 60), m=rng.randint(3, 11))
        text = f"{rng.choice(VERBS)}{rng.choice(OBJECTS)}，{detail}。"
        if text[:14] not in used:
            used.add(text[:14])
            return text


def _pick_units(rng: random.Random, units: dict[str, list[Unit]]) -> tuple[list[Unit], list[Unit]]:
    n_lead = rng.choices((1, 2, 3), (70, 22, 8))[0]
    leads = rng.sample(units["department"], n_lead)
    if rng.random() < 0.12:
        leads[-1] = rng.choice(units["committee"] + units["company"][:1])
    n_assist = rng.choices(range(7), (18, 16, 18, 16, 14, 10, 8))[0]
    pool = [u for u in units["department"] + units["street"] + units["committee"] + units["company"]
            if u not in leads]
    assists = rng.sample(pool, n_assist)
    if assists and rng.random() < 0.25:
        assists[-1] = rng.choice(units["collective"])
    return leads, assists


def _spell(rng: random.Random, tasks: list[Task]) -> None:
    """Decide each mention's spelling: mostly the standard one, some variants, rare typos;
    the standard spelling stays strictly the most frequent of every unit."""
    mentions: dict[Unit, list[tuple[Task, tuple[str, int]]]] = {}
    for t in tasks:
        for role, us in (("lead", t.leads), ("assist", t.assists)):
            for k, u in enumerate(us):
                mentions.setdefault(u, []).append((t, (role, k)))
                t.written[(role, k)] = u.canonical
    typos = _typos()
    for u in sorted(mentions, key=lambda u: u.canonical):
        ms = mentions[u]
        if u.kind == "street" and len(ms) >= 3 and u.canonical.endswith("街道") and rng.random() < 0.1:
            t, key = ms[rng.randrange(1, len(ms))]
            t.written[key] = u.canonical[0] + "垕" + u.canonical[2:]   # a one-off typo
            continue
        if not u.variants or len(ms) < 3:
            continue
        budget = (len(ms) - 1) // 4
        picked = rng.sample(range(1, len(ms)), min(budget, len(ms) - 1))
        for j in picked:
            t, key = ms[j]
            t.written[key] = rng.choice(u.variants)
        base = u.canonical[1:]
        if u.kind == "department" and typos.get(base) and len(ms) >= 4 and rng.random() < 0.15:
            free = [j for j in range(1, len(ms)) if j not in picked]
            if free:
                t, key = ms[rng.choice(free)]
                t.written[key] = u.canonical[0] + rng.choice(typos[base])


def make_tasks(rng: random.Random, units, leaders: list[str], n: int) -> list[Task]:
    used: set = set()
    tasks = []
    for _ in range(n):
        leads, assists = _pick_units(rng, units)
        lead_leaders = [rng.choice(leaders[1:])] if rng.random() < 0.85 else rng.sample(leaders[1:], 2)
        tasks.append(Task(_task_text(rng, used), leads, assists, lead_leaders, {}))
    return tasks


# --------------------------------------------------------------------------- documents

def _targets(rng: random.Random) -> list[tuple[str, str, float, str]]:
    chosen = [m for m in METRICS if m[0] in ("地区生产总值", "一般公共预算收入") or rng.random() < 0.7]
    out = []
    for metric, pattern, (lo, hi, step), unit in chosen:
        v = round(lo + step * rng.randint(0, int(round((hi - lo) / step))), 2)
        shown = f"{v:g}" if unit != "万美元" else str(int(v))
        out.append((metric, pattern.format(v=shown), float(shown), unit))
    return out


def _annotation(t: Task, leaders: bool) -> str:
    parts = []
    if leaders:
        parts.append("牵头领导：" + "、".join(t.leaders))
    parts.append("牵头单位：" + "、".join(t.written[("lead", k)] for k in range(len(t.leads))))
    if t.assists:
        parts.append("责任单位：" + "、".join(t.written[("assist", k)] for k in range(len(t.assists))))
    return "（" + "；".join(parts) + "）"


def _truth_units(t: Task, lead_role: str = "lead", assist_role: str = "assist") -> list:
    out = [[lead_role, t.written[("lead", k)], u.canonical] for k, u in enumerate(t.leads)]
    out += [[assist_role, t.written[("assist", k)], u.canonical] for k, u in enumerate(t.assists)]
    return out


def _sections(rng: random.Random, tasks: list[Task]) -> list[tuple[str, list[Task]]]:
    titles = rng.sample(SECTIONS, 6)
    size = -(-len(tasks) // len(titles))
    return [(titles[i], tasks[i * size:(i + 1) * size]) for i in range(len(titles))]


def division(rng, region, year, targets, target_tasks, tasks) -> tuple[str, list]:
    lvl = level_char(region)
    lines = ["附件1", "", f"{year}年《{_title_prefix(region)}政府工作报告》重点工作责任分工", "",
             f"一、实现{year}年全{lvl}经济社会发展主要预期目标", ""]
    truth, n = [], 0
    for (metric, phrase, _v, _u), t in zip(targets, target_tasks):
        n += 1
        lines += [f"{n}.{phrase}。{_annotation(t, False)}", ""]
        truth.append({"number": str(n), "snippet": phrase, "units": _truth_units(t), "leaders": []})
    for i, (title, group) in enumerate(_sections(rng, tasks)):
        lines += [f"{CN_NUM[i + 1]}、{title}", ""]
        for t in group:
            n += 1
            lines += [f"{n}.{t.text}{_annotation(t, False)}", ""]
            truth.append({"number": str(n), "snippet": t.text[:14], "units": _truth_units(t), "leaders": []})
    return "\n".join(lines), truth


def decomposition(rng, region, year, targets, target_tasks, tasks) -> tuple[str, list]:
    lvl = level_char(region)
    lines = [f"{year}年《{_title_prefix(region)}政府工作报告》目标任务分解", "",
             f"今年政府工作的总体要求是：坚持稳中求进工作总基调，完整准确全面贯彻新发展理念，推动经济持续稳健向好。"]
    truth = []
    parts = []
    for k, ((metric, phrase, _v, _u), t) in enumerate(zip(targets, target_tasks)):
        end = "。" if k == len(targets) - 1 else "，"
        parts.append(f"{phrase}{end}{_annotation(t, True)}")
        truth.append({"number": None, "snippet": phrase, "units": _truth_units(t), "leaders": t.leaders})
    lines.append(f"今年经济社会发展主要预期目标是：" + "".join(parts))
    lines.append("围绕上述发展任务，我们将全力做好以下工作。")
    for i, (title, group) in enumerate(_sections(rng, tasks)):
        para = [f"（{CN_NUM[i]}）{title}，全力推动全{lvl}高质量发展。"]
        for t in group:
            para.append(f"{t.text}{_annotation(t, True)}")
            truth.append({"number": None, "snippet": t.text[:14], "units": _truth_units(t),
                          "leaders": t.leaders})
        lines.append("".join(para))
    return "\n".join(lines), truth


def progress(rng, region, year, tasks) -> tuple[str, list]:
    lines = ["附件1", f"{_title_prefix(region)}人民政府{year}年政府工作报告确定的重点任务推进情况（前三季度）", "",
             "\t序号", "\t主要任务", "\t责任单位", "\t推进情况", "\t后续举措", ""]
    truth = []
    for n, t in enumerate(tasks, 1):
        # Written apart from the division document: the standard spellings.
        units = t.leads + [u for u in t.assists[:1] if u.kind in ("department", "street")]
        written = [u.canonical for u in units]
        done = rng.randint(60, 95)
        lines += [f"\t{n}", f"\t{t.text}", "\t" + "、".join(written),
                  f"\t1-9月份，已完成年度计划的{done}%，各项工作按计划有序推进。",
                  "\t下一步，将进一步压实责任，加强调度，确保完成全年目标任务。", ""]
        truth.append({"number": str(n), "snippet": t.text[:14],
                      "units": [["responsible", w, u.canonical] for w, u in zip(written, units)],
                      "leaders": []})
    return "\n".join(lines), truth


def work_report(rng, region, year, targets, mayor, tasks) -> str:
    lvl = level_char(region)
    post = lvl + "长"                        # 区长, 县长, 市长, 旗长, 州长
    day = rng.randint(5, 20)
    lines = ["", "政 府 工 作 报 告", "",
             f"——{year}年1月{day}日在{_title_prefix(region)}第十九届", "人民代表大会第四次会议上", "",
             f"{region.name}{post}  {mayor}", "",
             "各位代表：",
             f"现在，我代表{lvl}人民政府向大会报告工作，请予审议，并请各位政协委员和列席会议的同志提出意见。",
             f"一、{year - 1}年工作回顾",
             f"{year - 1}年是实现“十四五”规划目标任务的关键一年。全{lvl}上下攻坚克难，顽强拼搏，经济社会发展迈出新步伐。",
             f"二、{year}年总体目标和主要任务",
             f"{year}年是“十四五”规划的收官之年，做好全年各项工作意义重大。",
             f"综合考虑发展实际，{year}年全{lvl}经济社会发展主要预期目标是："
             + "，".join(p for _m, p, _v, _u in targets) + "。",
             "围绕实现上述目标，我们将全力做好以下工作："]
    for i, (title, group) in enumerate(_sections(rng, tasks[:24])):
        lines.append(f"（{CN_NUM[i]}）{title}，在推动高质量发展上走在前列。")
        lines.append(f"{rng.choice(OBJECTS)}。" + "".join(t.text for t in group))
    lines += ["三、全面提升政府建设水平", "坚持依法行政，自觉接受各方面监督，持续转变政府职能。",
              "各位代表！新征程催人奋进，让我们团结一心，奋力开创高质量发展新局面！"]
    return "\n".join(lines) + "\n"


# --------------------------------------------------------------------------- corpus

def region_documents(region, seed: int, year: int) -> tuple[dict[str, str], list[dict]]:
    """The files of one region (name → text) and their truth lines."""
    rng = random.Random(f"{seed}:{region.code}")
    units = region_units(rng, region)
    leaders = _leaders(rng)
    targets = _targets(rng)
    n_tasks = rng.randint(95, 115)
    tasks = make_tasks(rng, units, leaders, len(targets) + n_tasks)
    _spell(rng, tasks)
    target_tasks, body = tasks[:len(targets)], tasks[len(targets):]
    layout = "division" if int(region.code) % 2 == 0 else "decomposition"
    maker = division if layout == "division" else decomposition
    code = region.code
    files, truth = {}, []
    base = {"region": region.name, "code": code, "year": year}
    text, rows = maker(rng, region, year, targets, target_tasks, body)
    files[f"{code}-{layout}.txt"] = text
    rows_progress = sorted(rng.sample(range(len(body)), min(40, len(body))))
    ptext, prows = progress(rng, region, year, [body[i] for i in rows_progress])
    files[f"{code}-progress.txt"] = ptext
    mayor = leaders[0]
    files[f"{code}-work-report.txt"] = work_report(rng, region, year, targets, mayor, body)
    kinds = {f"{code}-{layout}.txt": layout, f"{code}-progress.txt": "progress",
             f"{code}-work-report.txt": "work-report"}
    for name in sorted(files):
        doc = name[:-4]
        truth.append({"type": "document", "doc": doc, "file": name, **base, "kind": kinds[name],
                      "author": mayor if kinds[name] == "work-report" else None})
    for doc, rows_ in ((f"{code}-{layout}", rows), (f"{code}-progress", prows)):
        for r in rows_:
            truth.append({"type": "task", "doc": doc, **r})
    for metric, _phrase, value, unit in targets:
        truth.append({"type": "target", "code": code, "year": year, "metric": metric, "target": value,
                      "unit": unit})
    return files, truth


def write_corpus(out: Path, n: int, seed: int = 1, year: int = 2025, ambiguous: bool = False) -> dict:
    """Write the documents of ``n`` regions and truth.jsonl into ``out``; returns counts."""
    out.mkdir(parents=True, exist_ok=True)
    docs = tasks = 0
    with (out / "truth.jsonl").open("w", encoding="utf-8") as tf:
        for region in pick_regions(n, seed, ambiguous):
            files, truth = region_documents(region, seed, year)
            for name, text in files.items():
                (out / name).write_text(text, encoding="utf-8")
            docs += len(files)
            for line in truth:
                tasks += line["type"] == "task"
                tf.write(json.dumps(line, ensure_ascii=False, sort_keys=True) + "\n")
    return {"regions": n, "documents": docs, "tasks": tasks}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--regions", type=int, default=30, help="number of regions (3000 = the whole country)")
    ap.add_argument("--out", type=Path, required=True, help="folder for the documents and truth.jsonl")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--year", type=int, default=2025)
    ap.add_argument("--ambiguous", action="store_true",
                    help="also use regions whose name another region shares (铁西区)")
    args = ap.parse_args()
    counts = write_corpus(args.out, args.regions, args.seed, args.year, args.ambiguous)
    print(f"{counts['regions']} regions, {counts['documents']} documents, {counts['tasks']} tasks "
          f"with units → {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
