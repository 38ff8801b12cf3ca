"""A written list of unit names splits into names with offsets into the text."""

import pytest

from kg.extract.unitlist import split_unit_list


@pytest.mark.parametrize(
    "text, names",
    [
        # the enumeration comma, the comma and the semicolon separate names
        ("区发展改革局、区财政局", ["区发展改革局", "区财政局"]),
        ("大学城管委会，区工业信息化和科技局、区住房城乡建设局，各街镇",
         ["大学城管委会", "区工业信息化和科技局", "区住房城乡建设局", "各街镇"]),
        ("区城管局,区交警大队;区水务局", ["区城管局", "区交警大队", "区水务局"]),
        # line breaks and blank lines separate names (table cells)
        ("济南槐荫经济开发区管委会\n\n济南西站枢纽经济商务区\n区投资促进局",
         ["济南槐荫经济开发区管委会", "济南西站枢纽经济商务区", "区投资促进局"]),
        # brackets inside a name do not split it
        ("中国（山东）自由贸易试验区济南片区历下区块管理办公室、区商务局",
         ["中国（山东）自由贸易试验区济南片区历下区块管理办公室", "区商务局"]),
        ("市场监管局（知识产权局，食安办）、区财政局", ["市场监管局（知识产权局，食安办）", "区财政局"]),
        # 等 before a collective starts a new name
        ("区科技局、区商务局、区投资促进局等各惠企政策发布部门",
         ["区科技局", "区商务局", "区投资促进局", "各惠企政策发布部门"]),
        ("区消防救援大队等各行业主管部门，各依申请政务服务事项实施部门",
         ["区消防救援大队", "各行业主管部门", "各依申请政务服务事项实施部门"]),
        # a trailing 等 (or 等部门, 等有关部门, 等相关部门, 等省直有关部门) is not a unit
        ("区民政局等相关部门", ["区民政局"]),
        ("市财政局等有关部门，各区、县（市）政府及开发区管委会", ["市财政局", "各区、县（市）政府", "开发区管委会"]),
        ("省农业厅等省直有关部门和各市人民政府", ["省农业厅", "各市人民政府"]),
        ("区发展改革局、区财政局等", ["区发展改革局", "区财政局"]),
        ("区发展改革局、区财政局等部门", ["区发展改革局", "区财政局"]),
        # whitespace and empty items go
        (" 区财政局 、、 区税务局。", ["区财政局", "区税务局"]),
        ("", []),
        ("\n\n", []),
    ],
)
def test_split_unit_list_names(text, names):
    assert [n for n, _, _ in split_unit_list(text)] == names


@pytest.mark.parametrize(
    "text, base",
    [
        ("区发展改革局、区财政局等各惠企政策发布部门", 0),
        (" 中国（山东）自由贸易试验区济南片区、\n\n区商务局 ", 17),
    ],
)
def test_split_unit_list_offsets_are_base_plus_index(text, base):
    padded = "x" * base + text
    for name, s, e in split_unit_list(text, base=base):
        assert padded[s:e] == name
