"""A written list of unit names splits into names with offsets into the text."""

import pytest

from kg.extract.unitlist import shared_prefixes, split_unit_list


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


@pytest.mark.parametrize(
    "text, names",
    [
        # collectives with 、 inside stay whole
        ("市经信局、滁州经开区管委会等，各县、市、区政府", ["市经信局", "滁州经开区管委会", "各县、市、区政府"]),
        ("省政府各部门、各直属机构", ["省政府各部门、各直属机构"]),
        ("市财政局、农业局，各县（市）、区人民政府", ["市财政局", "农业局", "各县（市）、区人民政府"]),
        ("市直各单位、各区县市", ["市直各单位", "各区县市"]),
        # 和/及 split two names, never one
        ("岳麓区和市直相关单位", ["岳麓区", "市直相关单位"]),
        ("审计局、财政局和市直各单位", ["审计局", "财政局", "市直各单位"]),
        ("区工业和信息化局、区住房和城乡建设局", ["区工业和信息化局", "区住房和城乡建设局"]),
        # a name may start with 和 (和平街道), never with 及
        ("区文旅局、和平街道、和梅街道办事处", ["区文旅局", "和平街道", "和梅街道办事处"]),
        # a collective run together with the name before it
        ("县教体局各相关乡镇政府", ["县教体局", "各相关乡镇政府"]),
        # a name written down a table column, or wrapped by a PDF, is joined
        ("市\n监\n察\n局", ["市监察局"]),
        ("市政\n府办\n公厅", ["市政府办公厅"]),
        ("长沙\n先导\n区管委会", ["长沙先导区管委会"]),
        ("区委编办、园区党工\n委、各街道党工委", ["区委编办", "园区党工委", "各街道党工委"]),
        # … but two names on two lines stay two
        ("各街道\n各镇", ["各街道", "各镇"]),
    ],
)
def test_the_recognizer_decides_what_separators_cannot(text, names):
    assert [n for n, _, _ in split_unit_list(text)] == names


def test_a_space_removed_by_normalization_separates_two_names_only():
    # 市财政局 市工业和信息化局 各县市区政府 (a table cell): breaks where the raw text had spaces
    text = "市财政局市工业和信息化局各县市区政府"
    assert [n for n, _, _ in split_unit_list(text, breaks=[4, 12])] == ["市财政局", "市工业和信息化局", "各县市区政府"]
    assert [n for n, _, _ in split_unit_list("王健", breaks=[1])] == ["王健"]


def test_a_shared_prefix_is_not_given_to_a_name_that_starts_with_a_place():
    assert shared_prefixes(["省商务厅", "财政厅", "河南银保监局", "人行郑州中心支行"]) == [None, "省", None, None]
