"""A figure no target can have is left out of the graph, with a warning that names it."""

from kg.build import build_graph


def test_an_impossible_growth_is_not_read_and_is_named(tmp_path):
    p = tmp_path / "lixia-2025-work-report.txt"
    p.write_text("济南市历下区2025年政府工作报告\n主要预期目标是：地区生产总值增长99999999999999999999%，"
                 "一般公共预算收入增长5%。\n", encoding="utf-8")
    r = build_graph([p], {"region": "历下区", "year": 2025}, workers=1)
    metrics = {d.get("metric"): d.get("target") for _, d in r.graph.nodes(data=True) if d.get("type") == "Indicator"}
    assert metrics.get("一般公共预算收入") == 5.0 and "地区生产总值" not in metrics
    (warning,) = [w for w in r.problems if "is not read" in w.message]
    assert warning.line == 2 and "1e+20%" in warning.message and "99999999999999999999%" in warning.quote
