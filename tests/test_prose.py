"""Roles written in prose are read only where every name is surely a unit."""

import pytest

from kg.extract.annotation import find_annotations
from kg.extract.prose import first_listed_rule, role_clauses
from kg.extract.unitlist import shared_prefixes, split_unit_list
from kg.model import Document
from kg.sources.normalize import normalize


def doc(raw: str) -> Document:
    return Document(id="t", path="t.txt", text=raw, norm=normalize(raw))


def units(raw: str):
    d = doc(raw)
    anns, problems = find_annotations(d, 0, len(d.norm.text))
    return [[(u.name, u.role, u.role_word) for u in a.units] for a in anns], [p.message for p in problems]


@pytest.mark.parametrize("raw, want", [
    ("任务。（区发改局牵头，区财政局、区统计局按职责分工负责）",
     [[("区发改局", "lead", "牵头"), ("区财政局", "assist", "按职责分工负责"), ("区统计局", "assist", "按职责分工负责")]]),
    ("任务。（区应急局、区消防救援大队等负责）", [[("区应急局", "responsible", "负责"), ("区消防救援大队", "responsible", "负责")]]),
    ("任务，由区发改局、区统计局负责落实。", [[("区发改局", "responsible", "负责落实"), ("区统计局", "responsible", "负责落实")]]),
    ("任务。\n部门分工:区商务局牵头,各街道、各部门配合。",
     [[("区商务局", "lead", "牵头"), ("各街道", "assist", "配合"), ("各部门", "assist", "配合")]]),
    ("任务。（区发改局、区统计局）", [[("区发改局", "responsible", ""), ("区统计局", "responsible", "")]]),
])
def test_prose_roles(raw, want):
    assert units(raw) == (want, [])


@pytest.mark.parametrize("raw", [
    "促进农业服务由“产中”向“产前”“产后”延伸。",
    "地区生产总值增长5.6%（力争超过5.6%）。",
    "推进中国（山东）自由贸易试验区建设，由区政府统一部署。",
    "区政务服务中心（区行政审批服务局）持续优化服务。",
    "深化改革。（一）稳增长。",
])
def test_ordinary_text_is_not_read_as_roles(raw):
    assert units(raw) == ([], [])


def test_a_bracket_with_role_verbs_it_cannot_read_is_reported():
    got, problems = units("任务。（区发改局牵头抓总，统筹推进）")
    assert got == [] and problems == ["bracket names units with role words that could not be read"]


def test_role_clauses_skip_the_rule_and_keep_offsets():
    text = "省发改委牵头，省财政厅配合，列第一位的为牵头单位，下同"
    got = role_clauses(text, 0, len(text))
    assert [(n.name, n.role, text[n.start:n.end]) for n in got] == [
        ("省发改委", "lead", "省发改委"), ("省财政厅", "assist", "省财政厅")]


@pytest.mark.parametrize("text, at", [
    ("说明：列第一位的为牵头单位。", 3),
    ("（…列第一位为牵头或汇总单位，下同）", 2),
    ("排在首位的为牵头部门", 0),
    ("牵头单位列在前面", None),
])
def test_first_listed_rule(text, at):
    assert first_listed_rule(text) == at


@pytest.mark.parametrize("text, names", [
    ("区发改局区统计局", ["区发改局", "区统计局"]),
    ("市发改委市财政局、市商务局", ["市发改委", "市财政局", "市商务局"]),
    ("区发改局市场监管局", ["区发改局市场监管局"]),       # not a region prefix: left whole
    ("区委区政府", ["区委区政府"]),                 # the second is no department: left whole
])
def test_run_together_names(text, names):
    assert [n for n, _, _ in split_unit_list(text)] == names


@pytest.mark.parametrize("names, prefixes", [
    (["市发改委", "财政局", "商务局"], [None, "市", "市"]),
    (["区住建局", "市场监管局", "各街道", "团区委", "供电公司"], [None, "区", None, None, None]),
    (["发改委", "财政局"], [None, None]),
    (["市场监管局", "财政局"], [None, None]),
])
def test_shared_prefixes(names, prefixes):
    assert shared_prefixes(names) == prefixes
