"""Named projects are read conservatively: lists before 等…项目/工程, X项目 after a verb,
names with a project-ish ending after a verb; generic words are dropped."""

import pytest

from kg.extract.projects import projects_in
from kg.model import Document
from kg.sources.normalize import normalize


def projects(raw: str):
    d = Document(id="t", path="t.txt", text=raw, norm=normalize(raw))
    found = projects_in(d, 0, len(d.norm.text))
    for p in found:
        assert d.text[p.span.start:p.span.end] == p.name
    return [p.name for p in found]


@pytest.mark.parametrize("raw, names", [
    ("加快汉云谷绿色金融总部、国安地块商业综合体、中川街等项目建设。",
     ["汉云谷绿色金融总部", "国安地块商业综合体", "中川街"]),
    ("服务保障京台高速、轨道交通、腊山河西路北延等工程，完成腊山河西路南延道路建设。",
     ["京台高速", "腊山河西路北延"]),
    ("推动细胞与基因药谷项目6月份竣工。", ["细胞与基因药谷"]),
    ("加快推进济南先进材料智造港等重点项目竣工投产，支持力冠微电子、晶芯半导体等企业增产扩能。",
     ["济南先进材料智造港"]),
    ("提速比亚迪整车二期、爱旭太阳能电池、天岳碳化硅等产业项目。",
     ["比亚迪整车二期", "爱旭太阳能电池", "天岳碳化硅"]),
    ("（牵头单位：区发展改革局）确保智汇云谷等31个项目开工。", ["智汇云谷"]),
    ("加快共建大学科技园。", []),
    ("谋划一批教育、文化、体育、养老等重点民生项目。", []),
    ("统筹推进总投资3017亿元的216个重点项目。", []),
    ("推动68个安置房项目建设。", []),
    ("加快推进人才公寓、商业、酒店等配套项目。", []),
    ("谋划启动儿童医院东片区、生活配套和公共服务设施等项目。", ["儿童医院东片区"]),
])
def test_projects(raw, names):
    assert projects(raw) == names
