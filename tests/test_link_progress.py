"""Progress rows are linked to the work-report task they report on (kg.link.progress)."""

from __future__ import annotations

import json

import pytest

from kg.link.progress import (_WORD, MIN_SCORE, RowScorer, _tokenizer, coverage, link_progress,
                              tokenize, tokenizer)
from kg.model import DocMeta, Document, Extraction, NormText, Span, TaskRecord, UnitMention

from conftest import GOLD

PROGRESS_ID = "huaiyin-2025-progress-q1-q3"
REPORT_ID = "huaiyin-2025-work-report"


def _gold() -> list[dict]:
    lines = (GOLD / "progress-links.jsonl").read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


def _doc(doc_id: str, kind: str, texts: list[str], region: str = "槐荫区") -> Extraction:
    text = "\n".join(texts)
    doc = Document(doc_id, f"{doc_id}.txt", text, NormText(text, tuple(range(len(text) + 1))),
                   meta=DocMeta(region=region, year=2025, kind=kind))
    tasks, pos = [], 0
    for seq, t in enumerate(texts, 1):
        units = (UnitMention("区发展改革局", "responsible", "责任单位", Span(doc_id, pos, pos)),)
        tasks.append(TaskRecord(doc_id, seq, str(seq), t, Span(doc_id, pos, pos + len(t)),
                                units=units if kind == "progress" else ()))
        pos += len(t) + 1
    return Extraction(doc, "test", 1.0, tuple(tasks))


REPORT = _doc("wr", "work-report", [
    "年内新谋划储备优质项目不少于100个，争取政策性资金额度50亿元以上，形成项目梯次储备、滚动开工的良好局面",
    "持续打造“经十西路汽车产业带”，新引入优质汽车品牌5家以上",
    "优化提升3处体育主题公园，打造群众身边的“十分钟健身圈”",
])


def test_several_rows_report_on_one_task_and_a_weak_row_stays_unlinked():
    rows = _doc("pr", "progress", ["新谋划储备优质项目不少于100个。", "争取政策性资金额度50亿元以上。",
                                   "全力守好“一排底线”，确保社会大局和谐稳定。"])
    result = link_progress([REPORT, rows])
    assert [(k.entry_seq, k.task_doc, k.task_seq, k.method) for k in result] == [
        (1, "wr", 1, "text"), (2, "wr", 1, "text")]
    assert [(u.entry_seq, u.best_score < MIN_SCORE) for u in result.unlinked] == [(3, True)]


def test_a_row_of_another_region_is_not_linked_to_this_work_report():
    rows = _doc("pr", "progress", ["新谋划储备优质项目不少于100个。"], region="长清区")
    result = link_progress([REPORT, rows])
    assert list(result) == []
    assert result.unlinked[0].reason == "no work report of 长清区 2025 among the documents"


def test_the_tokenizer_keeps_known_names_whole_without_touching_global_jieba():
    import jieba

    assert "济南槐荫经济开发区管委会" in tokenize("济南槐荫经济开发区管委会牵头", ("济南槐荫经济开发区管委会",))
    assert "济南槐荫经济开发区管委会" not in jieba.lcut("济南槐荫经济开发区管委会牵头")


@pytest.fixture(scope="module")
def seed_links(seed_build):
    return seed_build.extractions, link_progress(seed_build.extractions)


def test_every_row_of_the_progress_report_is_linked_as_the_hand_gold_says(seed_links):
    extractions, result = seed_links
    report = next(x for x in extractions if x.document.id == REPORT_ID)
    rows = [t for x in extractions if x.document.id == PROGRESS_ID for t in x.tasks if t.level == 0]
    gold = _gold()
    assert [g["entry_seq"] for g in gold] == [t.seq for t in rows] == list(range(1, 33))
    text = report.document.text
    tasks = [t for t in report.tasks if t.level == 0]
    links = {k.entry_seq: k for k in result if k.entry_doc == PROGRESS_ID}
    targets = {k.entry_seq: k for k in result.targets}
    unlinked = {u.entry_seq: u for u in result.unlinked}
    right = 0
    for g in gold:
        n = g["entry_seq"]
        snippet = g["task_snippet"] or g["target_snippet"]
        stating = [t.seq for t in tasks if snippet in text[t.span.start:t.span.end]]
        if g["task_snippet"] is None and not stating:
            assert n not in links, f"row {n} forced onto task {links[n].task_seq}"
            assert text[targets[n].start:targets[n].end] == g["target_snippet"]
            assert "主要预期目标" in unlinked[n].reason
            print(f"row {n:2}: unlinked (best {unlinked[n].best_score:.3f}): {unlinked[n].reason}")
            right += 1
            continue
        assert len(stating) == 1, f"gold snippet of row {n} names {stating}"
        assert n in links, f"row {n} unlinked: {unlinked.get(n)}"
        k = links[n]
        print(f"row {n:2} → task {k.task_seq:3} score {k.score:.3f} second {k.second:.3f} "
              f"margin {k.score - k.second:.3f} {k.method}")
        assert (k.task_doc, k.task_seq) == (REPORT_ID, stating[0]), f"row {n}"
        right += 1
    print(f"rows right: {right}/{len(gold)}; linked {len(links)}, unlinked {len(unlinked)}")
    assert right == len(gold) == 32


def test_a_main_target_row_links_to_the_task_that_states_the_target():
    from dataclasses import replace

    from kg.model import IndicatorRecord

    text = "主要预期目标是：地区生产总值增长5.7%，一般公共预算收入增长3%"
    start = text.index("地区")
    gdp = IndicatorRecord("地区生产总值", "地区生产总值", Span("wr", start, start + 12), "growth",
                          target=5.7, unit="%", main=True)
    report = _doc("wr", "work-report", [text])
    report = replace(report, indicators=(gdp,))
    rows = _doc("pr", "progress", ["地区生产总值增长5.7%。"])
    row = replace(rows.tasks[0], indicators=(replace(gdp, span=Span("pr", 0, 12), main=False,
                                                     actual=5.4, actual_unit="%"),))
    rows = replace(rows, tasks=(row,))
    result = link_progress([report, rows])
    assert [(k.entry_seq, k.task_seq, k.score, k.method) for k in result] == [(1, 1, 1.0, "main-target")]
    assert result.unlinked == () and result.targets == ()


def _difflib_coverage(part: str, whole: str) -> float:
    import difflib

    if not part:
        return 0.0
    sm = difflib.SequenceMatcher(None, part, whole, autojunk=False)
    return sum(b.size for b in sm.get_matching_blocks() if b.size >= 4) / len(part)


@pytest.mark.parametrize("part, whole", [
    ("新谋划储备优质项目不少于100个", "年内新谋划储备优质项目不少于100个，争取政策性资金额度50亿元以上"),
    ("争取政策性资金额度50亿元以上", "年内新谋划储备优质项目不少于100个，争取政策性资金额度50亿元以上"),
    ("深入实施背街小巷改造提升，不断提升群众满意度", "深入实施数字政府建设，不断提升群众满意度"),
    ("abcabcabc", "cabcabca"), ("abab", "ab"), ("", "abcd"), ("abcd", ""),
])
def test_coverage_counts_the_blocks_difflib_finds(part, whole):
    assert coverage(part, whole) == _difflib_coverage(part, whole)


@pytest.mark.parametrize("alphabet", ["ab", "abc", "推进建设项目"])
def test_coverage_equals_difflib_on_random_strings(alphabet):
    import random

    rnd = random.Random(alphabet)
    for _ in range(2000):
        a = "".join(rnd.choice(alphabet) for _ in range(rnd.randint(0, 30)))
        b = "".join(rnd.choice(alphabet) for _ in range(rnd.randint(0, 30)))
        if a and rnd.random() < 0.5:                  # a long common run
            i = rnd.randint(0, len(a))
            b = b[:rnd.randint(0, len(b))] + a[i:i + rnd.randint(4, 20)] + b
        assert coverage(a, b) == _difflib_coverage(a, b), (a, b)


def test_the_tokenizer_cuts_as_jieba_does_block_by_block():
    words = tokenizer(("区发展改革局",))
    text = "（一）区发展改革局牵头，2025年完成投资50亿元、新开工项目12个。（续建项目建设114个）"
    expected = [w for w in _tokenizer(("区发展改革局",)).lcut(text) if _WORD.search(w)]
    assert words(text) == expected
    assert words(text) == expected                       # again, from the remembered blocks


def test_the_best_match_and_the_second_score_are_those_every_score_ranks_first():
    texts = [t.text for t in REPORT.tasks] + ["新谋划储备项目不少于50个，争取资金额度", "打造健身圈"]
    scorer = RowScorer(texts)
    rows = ["新谋划储备优质项目不少于100个。", "争取政策性资金额度50亿元以上（含专项债）。",
            "优化提升3处体育主题公园", "全力守好“一排底线”", "打造健身圈", ""]
    for row in rows:
        ranked = sorted(((-s, i) for i, s in enumerate(scorer.scores(row))))
        assert scorer.best(row) == (-ranked[0][0], ranked[0][1], -ranked[1][0]), row
