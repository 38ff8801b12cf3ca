"""Item numbers of every style open blocks, at a line start or inside a line where something ended."""

import pytest

from kg.extract.outline import blocks, heading_roles
from kg.model import Document
from kg.sources.normalize import normalize


def doc(raw: str) -> Document:
    return Document(id="t", path="t.txt", text=raw, norm=normalize(raw))


def numbered(raw: str):
    d = doc(raw)
    return [(b.style, b.number, d.norm.text[b.body:b.end]) for b in blocks(d, 0, len(d.norm.text))]


@pytest.mark.parametrize("raw, want", [
    ("1﹒全省生产总值增长7%以上。", [("item", "1", "全省生产总值增长7%以上。")]),
    ("1、加强经济运行分析。", [("item", "1", "加强经济运行分析。")]),
    ("(一)地区生产总值增长11%。", [("section", "（一）", "地区生产总值增长11%。")]),
    ("一、确保完成主要预期目标", [("chapter", "一", "确保完成主要预期目标")]),
    ("●城镇新增就业110万人以上", [("bullet", "●", "城镇新增就业110万人以上")]),
    ("▲增加值可比增长14%左右", [("bullet", "▲", "增加值可比增长14%左右")]),
    ("①建设公园。", [("circled", "①", "建设公园。")]),
    # a figure is no item number
    ("2025年重点工作", [(None, None, "2025年重点工作")]),
    ("1.5万人参加培训。", [(None, None, "1.5万人参加培训。")]),
])
def test_every_numbering_style(raw, want):
    assert numbered(raw) == want


def test_several_items_on_one_line_after_a_bracket_a_full_stop_or_a_removed_space():
    raw = "(一)增长11%。(省发改委负责)(二)增长13%。(省财政厅负责)\n完成。 一、提振信心 (一)促进消费。 1.扩大消费。"
    assert [(s, n) for s, n, _ in numbered(raw)] == [
        ("section", "（一）"), ("section", "（二）"), (None, None), ("chapter", "一"), ("section", "（一）"),
        ("item", "1")]


def test_a_number_inside_a_bracket_opens_nothing():
    assert [s for s, _, _ in numbered("做好工作（1.落实；2.检查）。")] == [None]


@pytest.mark.parametrize("title, leaders, units", [
    ("县示范区管委会牵头工作（8项）", [], [("县示范区管委会", "lead")]),
    ("省监察厅牵头的工作", [], [("省监察厅", "lead")]),
    ("孟学农省长负责的工作", [("孟学农", "省长")], []),
    ("于海田市长主抓重点工作", [("于海田", "市长")], []),
    ("加快产业发展", [], []),
])
def test_a_heading_names_who_answers_for_the_tasks_below_it(title, leaders, units):
    d = doc(title)
    got_leaders, got_units = heading_roles(d, 0, len(d.norm.text))
    assert [(m.name, m.post) for m in got_leaders] == leaders
    assert [(u.name, u.role) for u in got_units] == units
