"""An annotation bracket gives unit and leader mentions whose spans quote the raw text."""

import pytest

from kg.extract.annotation import find_annotations, match_bracket, parse_annotation
from kg.model import Document
from kg.sources.normalize import normalize


def doc(raw: str) -> Document:
    return Document(id="t", path="t.txt", text=raw, norm=normalize(raw))


def only(raw: str):
    d = doc(raw)
    anns, problems = find_annotations(d, 0, len(d.norm.text))
    assert len(anns) == 1
    return d, anns[0], problems


def quotes(d, mentions):
    return [d.text[m.span.start:m.span.end] for m in mentions]


def test_leaders_lead_and_assist_units():
    d, a, problems = only("任务。（牵头领导：武毅、王若曦；牵头单位：区发展改革局；责任单位：区工业和信息化局、区统计局）")
    assert [(m.name, m.role_word) for m in a.leaders] == [("武毅", "牵头领导"), ("王若曦", "牵头领导")]
    assert [(u.name, u.role, u.role_word) for u in a.units] == [
        ("区发展改革局", "lead", "牵头单位"),
        ("区工业和信息化局", "assist", "责任单位"),
        ("区统计局", "assist", "责任单位"),
    ]
    assert quotes(d, a.leaders) == ["武毅", "王若曦"]
    assert quotes(d, a.units) == ["区发展改革局", "区工业和信息化局", "区统计局"]
    assert d.norm.text[a.start:a.end].startswith("（牵头领导") and d.norm.text[a.end - 1] == "）"
    assert problems == []


def test_responsible_units_without_a_lead_stay_responsible():
    _, a, _ = only("预防事故。（牵头领导：武毅；责任单位：区应急局、区消防救援大队）")
    assert [(u.name, u.role) for u in a.units] == [("区应急局", "responsible"), ("区消防救援大队", "responsible")]


@pytest.mark.parametrize(
    "raw, word, role",
    [
        ("做好工作。（配合单位：区财政局）", "配合单位", "assist"),
        ("做好工作。（主办单位：区财政局）", "主办单位", "lead"),
        ("做好工作。（协办单位：区财政局）", "协办单位", "assist"),
    ],
)
def test_other_role_words_come_from_the_table(raw, word, role):
    _, a, _ = only(raw)
    assert [(u.role_word, u.role) for u in a.units] == [(word, role)]


def test_ascii_brackets_and_separators_map_back_to_the_raw_text():
    d, a, _ = only("全面提升。(牵头单位:区水务局;责任单位:文昌街道,平安街道)")
    assert [(u.name, u.role) for u in a.units] == [
        ("区水务局", "lead"), ("文昌街道", "assist"), ("平安街道", "assist")]
    assert quotes(d, a.units) == ["区水务局", "文昌街道", "平安街道"]


def test_a_label_split_by_a_page_break_is_read():
    d, a, _ = only("分别增长5.5%和6%以上。（牵头\n\n单位：区发展改革局、区农业农村局；责任单位：各街镇）")
    assert [(u.name, u.role) for u in a.units] == [
        ("区发展改革局", "lead"), ("区农业农村局", "lead"), ("各街镇", "assist")]
    assert quotes(d, a.units) == ["区发展改革局", "区农业农村局", "各街镇"]


def test_nested_brackets_do_not_end_the_annotation():
    d, a, _ = only("开展联动。（牵头领导：武毅；牵头单位：中国（山东）自由贸易试验区济南片区历下区块管理办公室）加快发展")
    assert quotes(d, a.units) == ["中国（山东）自由贸易试验区济南片区历下区块管理办公室"]
    assert d.norm.text[a.end:] == "加快发展"


def test_a_unit_repeated_in_one_annotation_is_kept_once():
    _, a, _ = only("任务。（牵头单位：区商务局；责任单位：区商务局、区财政局、区财政局）")
    assert [(u.name, u.role) for u in a.units] == [("区商务局", "lead"), ("区财政局", "assist")]


def test_a_stretch_target_is_not_an_annotation():
    d = doc("1.地区生产总值增长5.6%（力争超过5.6%）。（牵头单位：区发展改革局）")
    anns, problems = find_annotations(d, 0, len(d.norm.text))
    assert [d.norm.text[a.start:a.end] for a in anns] == ["（牵头单位：区发展改革局）"]
    assert problems == []


def test_an_unknown_role_word_is_a_problem_with_its_line():
    d = doc("标题\n任务一。（督办单位：区政府办公室）")
    anns, problems = find_annotations(d, 0, len(d.norm.text))
    assert anns == []
    assert [(p.line, p.quote) for p in problems] == [(2, "（督办单位：区政府办公室）")]
    assert "督办单位" in problems[0].message


def test_an_unclosed_annotation_is_read_to_its_line_end_and_reported():
    d = doc("任务。（牵头单位：区财政局；责任单位：各街镇\n下一段")
    anns, problems = find_annotations(d, 0, len(d.norm.text))
    assert [u.name for u in anns[0].units] == ["区财政局", "各街镇"]
    assert [p.line for p in problems] == [1]


def test_parse_annotation_reads_one_bracket_given_its_bounds():
    d = doc("（牵头单位：区财政局、区税务局）")
    a = parse_annotation(d, 0, len(d.norm.text))
    assert [u.name for u in a.units] == ["区财政局", "区税务局"] and a.problems == ()


@pytest.mark.parametrize(
    "text, at, want",
    [("（a（b）c）d", 0, 7), ("（a（b）c", 0, None), ("（a）", 0, 3)],
)
def test_match_bracket_counts_depth(text, at, want):
    assert match_bracket(text, at, len(text)) == want


def test_a_note_sentence_after_a_labelled_list_is_no_name():
    _d, a, _p = only("加强市场体系建设。〔责任单位：省发展改革委、省市场监管局按职责分工负责。具体任务均涉及相关市（州）人民政府，不再做分工，下同。〕")
    assert [(u.name, u.role) for u in a.units] == [("省发展改革委", "responsible"), ("省市场监管局", "responsible")]


def test_a_collective_owned_by_a_level_joins_another_with_ji():
    _d, a, _p = only("清单管理。（市政府办公室牵头，市级各有关部门及各县市区政府按职责分工负责）")
    assert [(u.name, u.role) for u in a.units] == [("市政府办公室", "lead"), ("市级各有关部门", "assist"),
                                                   ("各县市区政府", "assist")]
