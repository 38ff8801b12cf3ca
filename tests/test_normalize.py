"""The normalized view undoes conversion artefacts and maps every offset back to the raw text."""

import pytest

from kg.sources.normalize import normalize


@pytest.mark.parametrize(
    "raw, want",
    [
        # Word bookmark residue is deleted
        ("[bookmark: _GoBack]216个重点项目", "216个重点项目"),
        ("[bookmark: OLE_LINK5][bookmark: OLE_LINK6]2025年", "2025年"),
        # spaces between Chinese and digits go; spaces between Latin words stay
        ("增长 5.6%（力争超过 5.6%）", "增长5.6%（力争超过5.6%）"),
        ("政 府 工 作 报 告", "政府工作报告"),
        ("RISC-V 芯片 and open source", "RISC-V芯片and open source"),
        # ASCII separators become full-width; digit grouping commas stay
        ("(牵头单位:区水务局;责任单位:文昌街道,平安街道)", "（牵头单位：区水务局；责任单位：文昌街道，平安街道）"),
        ("累计完成432,066万元", "累计完成432,066万元"),
        # full-width digits and signs become ASCII
        ("增长５．６％", "增长5.6%"),
        # a page break inside a bracket or a word is joined
        ("6.城乡居民人均可支配收入分别增长5.5%和6%以上。（牵头\n\n单位：区发展改革局）", "6.城乡居民人均可支配收入分别增长5.5%和6%以上。（牵头单位：区发展改革局）"),
        ("38.培养一批懂项目、懂企业的专业人才，\n\n建强高素质队伍。", "38.培养一批懂项目、懂企业的专业人才，建强高素质队伍。"),
        # ... but not before a new numbered item, a heading, or after a finished sentence
        ("1.第一项任务内容很长很长。\n\n2.第二项", "1.第一项任务内容很长很长。\n\n2.第二项"),
        ("第一项任务内容很长很长很长\n\n（二）优势产业", "第一项任务内容很长很长很长\n\n（二）优势产业"),
        # table cells (tab lines) and short lines are not joined
        ("\t区财政局\n\n区发展改革局", "\t区财政局\n\n区发展改革局"),
        # Markdown and HTML residue
        ("## （二）招大引强", "（二）招大引强"),
        ("**全面提升谋划建设质量。**聚焦", "全面提升谋划建设质量。聚焦"),
        ("PM<sub>2.5</sub>降至36微克", "PM2.5降至36微克"),
        # pinyin glosses inside words, doubled commas, PDF page footers, invisible format characters
        ("經(jīng)濟社會發(fā)展", "经济社会发展"),
        ("目标,。全面贯彻,,深入落实,、省政府", "目标。全面贯彻，深入落实、省政府"),
        ("第一段内容。\n— — — 3 —\n第二段内容。", "第一段内容。\n第二段内容。"),
        ("区财\u00ad政局\u200d和区\u202e商务局", "区财政局和区商务局"),
        # a name written with an ASCII bracket of a list is not a pinyin gloss
        ("统计局(a)", "统计局（a）"),
    ],
)
def test_normalize_exact(raw, want):
    assert normalize(raw).text == want


@pytest.mark.parametrize(
    "raw, needle",
    [
        ("6.城乡居民人均可支配收入分别增长6%。（牵头\n\n单位：区发展改革局）", "牵头单位"),
        ("[bookmark: _GoBack]216个重点项目", "216个"),
        ("增长 5.6 %", "5.6%"),
        ("大学城\n\n管委会；责任单位：文昌街道", "文昌街道"),
    ],
)
def test_offsets_map_back_to_the_raw_text(raw, needle):
    nt = normalize(raw)
    i = nt.text.index(needle)
    span = nt.span("d", i, i + len(needle))
    quote = raw[span.start:span.end]
    # the raw quote holds the same characters, with only the removed artefacts between them
    assert quote.replace("\n", "").replace(" ", "") == needle.replace(" ", "")
    assert len(nt.offsets) == len(nt.text) + 1
    assert list(nt.offsets) == sorted(nt.offsets)


def test_blank_lines_between_names_of_one_table_cell_are_kept():
    raw = "\t10\n\t\n\t签约过亿元项目30个以上。\n\t济南槐荫经济开发区管委会\n\n济南西站枢纽经济商务区\n\n区投资促进局\n\t1-9月份"
    assert normalize(raw).text == raw


@pytest.mark.parametrize(
    "raw",
    [
        "人民代表大会第四次会议上\n\n槐荫区区长  刘敬涛\n\n各位代表：",
        "一、2024年工作回顾与今后工作安排建议\n\n刚刚过去的2024年，是实现规划目标任务的关键一年",
        "（一）主导产业更聚焦更加聚焦更加聚焦\n\n8.生物医药方面",
    ],
)
def test_short_lines_and_headings_are_not_joined(raw):
    assert "\n\n" in normalize(raw).text


def test_a_pdf_wrapped_at_a_fixed_width_is_joined_where_a_line_ends_no_sentence():
    lines = ["为贯彻落实北京市街道工作会议精神及《中共北京市委北京", "市人民政府关于加强新时代街道工作的意见》相关要求，以首善",
             "标准建设文明街道、活力街道、宜居街道、平安街道，现结合石", "景山区实际，制定如下任务分解方案。",
             "1.完善街道党工委对地区治理重大工作的领导体制机制，优", "化决策程序，涉及基层治理的重大事项、重点工作、重要问题由",
             "街道党工委讨论决定，全面提升街道抓党建、抓治理、抓服务的", "领导能力。",
             "牵头单位：区委组织部", "协办单位：区委编办、区民政局（区委社会工委）、园区党工", "委、各街道党工委"]
    text = normalize("\n".join(lines)).text
    assert text.split("\n") == [
        "为贯彻落实北京市街道工作会议精神及《中共北京市委北京市人民政府关于加强新时代街道工作的意见》相关要求，"
        "以首善标准建设文明街道、活力街道、宜居街道、平安街道，现结合石景山区实际，制定如下任务分解方案。",
        "1.完善街道党工委对地区治理重大工作的领导体制机制，优化决策程序，涉及基层治理的重大事项、重点工作、重要问题由"
        "街道党工委讨论决定，全面提升街道抓党建、抓治理、抓服务的领导能力。",
        "牵头单位：区委组织部", "协办单位：区委编办、区民政局（区委社会工委）、园区党工委、各街道党工委"]


def test_paragraphs_of_many_lengths_are_not_joined():
    raw = "一、总体要求\n今年的工作很多很多很多很多很多很多很多很多\n二、主要任务\n做好就业工作，稳定就业岗位\n"
    assert normalize(raw).text == raw
