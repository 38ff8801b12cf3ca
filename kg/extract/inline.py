"""Running text with an annotation after each clause (目标任务分解).

``…完成50处院落修缮，（牵头领导：赵冬梅；牵头单位：…）串联“泉道”…。（…）``:
each task is the text from the end of the previous annotation (or the start
of its paragraph) to its annotation. A paragraph that opens with a number
(``（一）…。``, ``1. …。``) opens a section titled up to its first 。; a
lead-in ending with ： (今年经济社会发展主要预期目标是：) is not task text.
"""

from __future__ import annotations

from kg.extract.annotation import find_annotations, problem
from kg.extract.base import strip_range
from kg.extract.division_list import MAIN_TARGETS, Outline, heading_leaders, heading_title, make_task
from kg.extract.patterns import CLAUSE_LEADING, CLAUSE_TRAILING, LEAD_IN, OUTLINE_NUMBER, PARAGRAPH
from kg.model import DECOMPOSITION, Document, Extraction, Problem, TaskRecord


def _clause(text: str, s: int, e: int) -> tuple[int, int]:
    """``text[s:e]`` without the separators left around it."""
    m = CLAUSE_LEADING.match(text, s, e)
    if m:
        s = m.end()
    m = CLAUSE_TRAILING.search(text, s, e)
    if m:
        e = m.start()
    return strip_range(text, s, e)


class InlineAnnotation:
    name = "inline-annotation"
    kind = DECOMPOSITION

    def fit(self, doc: Document) -> float:
        """Share of the text in paragraphs of several annotated clauses, up to their last annotation."""
        text = doc.norm.text
        total = covered = 0
        for p in PARAGRAPH.finditer(text):
            total += p.end() - p.start()
            anns, _ = find_annotations(doc, p.start(), p.end())
            if len(anns) >= 2:
                covered += anns[-1].end - p.start()
        return covered / total if total else 0.0

    def extract(self, doc: Document) -> Extraction:
        text = doc.norm.text
        outline = Outline()
        tasks: list[TaskRecord] = []
        problems: list[Problem] = []
        for p in PARAGRAPH.finditer(text):
            pos, end = p.start(), p.end()
            m = OUTLINE_NUMBER.match(text, pos, end)
            anns, probs = find_annotations(doc, m.end() if m else pos, end)
            problems += probs
            number = None
            if m:
                number = text[m.start():m.end()].strip().rstrip(".、")
                first = anns[0].start if anns else end
                ts, te = heading_title(text, m.end(), first)
                cs, ce = _clause(text, te + 1, first)
                if anns and cs >= ce:
                    pos = m.end()          # "1.task（牵头单位：…）": a numbered task, not a heading
                else:
                    seq = len(tasks) + 1
                    chiefs = heading_leaders(doc, ts, te)
                    level, parent, parent_title = outline.open(m.lastgroup, seq, text[ts:te], chiefs)
                    tasks.append(make_task(doc, seq, number, ts, te, section=parent_title,
                                           parent_seq=parent, level=level, leaders=chiefs))
                    pos, number = te + 1, None
            main = outline.in_main_targets()
            for k, a in enumerate(anns):
                problems += a.problems
                s, e = _clause(text, pos, a.start)
                lead_in = LEAD_IN.match(text, s, e) if k == 0 else None
                if lead_in:
                    main = main or MAIN_TARGETS in lead_in.group()
                    s, e = _clause(text, lead_in.end(), e)
                pos = a.end
                if s >= e:
                    problems.append(problem(doc, a.start, a.end, "annotation without a task before it"))
                    continue
                parent, section = outline.current()
                tasks.append(make_task(doc, len(tasks) + 1, number if k == 0 else None, s, e,
                                       section=section, parent_seq=parent, annotations=[a], main=main,
                                       leaders=outline.leaders()))
        return Extraction(document=doc, layout=self.name, fit=self.fit(doc), tasks=tuple(tasks),
                          problems=tuple(problems))


INLINE = InlineAnnotation()
