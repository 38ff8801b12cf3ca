"""The view in a real browser: headless Chromium opens the file offline and it works, and stays safe.

Every test writes its page and a screenshot under tests/output/<test name>/.
"""

from __future__ import annotations

import json
import shutil
import tempfile
import time
from pathlib import Path

import pytest

from test_view import small_graph

OUTPUT = Path(__file__).resolve().parent / "output"
CHROMIUM = next((p for p in map(shutil.which, ("chromium", "chromium-browser", "google-chrome")) if p), None)
CHROMEDRIVER = shutil.which("chromedriver")
# Headless, and no connection of Chromium's own (updates, sync, field trials …).
FLAGS = ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--disable-default-apps", "--disable-dev-shm-usage", "--window-size=1600,1000",
         "--lang=zh-CN")

needs_browser = pytest.mark.skipif(
    not (CHROMIUM and CHROMEDRIVER),
    reason="chromium and chromedriver are not installed: run scripts/install-browser.sh (make browser)")


class Browser:
    """One headless Chromium with its own throw-away profile, logging console and network."""

    def __init__(self):
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service

        self.profile = tempfile.mkdtemp(prefix="govkg-chromium-")
        opts = webdriver.ChromeOptions()
        opts.binary_location = CHROMIUM
        for flag in (*FLAGS, f"--user-data-dir={self.profile}"):
            opts.add_argument(flag)
        opts.set_capability("goog:loggingPrefs", {"browser": "ALL", "performance": "ALL"})
        self.driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=opts)

    def open(self, page: Path, timeout: float = 60) -> float:
        """Open a file:// page and wait until the network has stabilized; the seconds it took."""
        from selenium.webdriver.support.ui import WebDriverWait

        t0 = time.monotonic()
        self.driver.get(page.resolve().as_uri())
        WebDriverWait(self.driver, timeout, poll_frequency=0.1).until(
            lambda d: d.execute_script("return !!(window.kgView && window.kgView.stabilized)"))
        return time.monotonic() - t0

    def pointer_on(self, node_id: str):
        """ActionChains with the mouse over a node of the network (to hover or click)."""
        from selenium.webdriver.common.action_chains import ActionChains
        from selenium.webdriver.common.by import By

        x, y = self.js("var p = kgView.network.canvasToDOM(kgView.network.getPosition(arguments[0]));"
                       "return [p.x, p.y];", node_id)
        canvas = self.driver.find_element(By.CSS_SELECTOR, "#kg-network canvas")
        w, h = canvas.size["width"], canvas.size["height"]
        return ActionChains(self.driver).move_to_element_with_offset(canvas, int(x - w / 2), int(y - h / 2))

    def js(self, script: str, *args):
        return self.driver.execute_script(script, *args)

    def console_errors(self) -> list[str]:
        return [e["message"] for e in self.driver.get_log("browser") if e["level"] == "SEVERE"]

    def requests(self) -> list[str]:
        """URLs of every request the page sent (performance log)."""
        urls = []
        for entry in self.driver.get_log("performance"):
            msg = json.loads(entry["message"])["message"]
            if msg["method"] == "Network.requestWillBeSent":
                urls.append(msg["params"]["request"]["url"])
        return urls

    def screenshot(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.driver.save_screenshot(str(path))

    def close(self):
        self.driver.quit()
        shutil.rmtree(self.profile, ignore_errors=True)


@pytest.fixture
def browser():
    b = Browser()
    yield b
    b.close()


@pytest.fixture
def outdir(request) -> Path:
    d = OUTPUT / request.node.name.replace("/", "_")
    d.mkdir(parents=True, exist_ok=True)
    return d


def write_page(outdir: Path, graph, **selection) -> Path:
    from kg.view import render_html

    page = outdir / "view.html"
    page.write_text(render_html(graph, **selection), encoding="utf-8")
    return page


def check_offline_and_clean(browser: Browser) -> None:
    assert [u for u in browser.requests() if u.startswith(("http:", "https:"))] == []
    assert browser.console_errors() == []


def counts(browser: Browser) -> tuple[int, int]:
    return tuple(browser.js("return [kgView.nodes.length, kgView.edges.length]"))


@needs_browser
def test_small_graph_opens_offline_and_search_selects(browser, outdir):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    g = small_graph()
    browser.open(write_page(outdir, g))
    assert counts(browser) == (g.number_of_nodes(), g.number_of_edges())
    box = browser.driver.find_element(By.ID, "kg-search")
    box.send_keys("发改局")
    expected = sorted(f"unit:{c}:区发展改革局" for c in ("370102", "370104", "370113"))
    WebDriverWait(browser.driver, 5).until(lambda d: d.execute_script("return (kgView.matches||[]).length"))
    assert sorted(browser.js("return kgView.network.getSelectedNodes()")) == expected
    assert browser.driver.find_element(By.ID, "kg-results").text.startswith("搜索结果：3")
    browser.screenshot(outdir / "search.png")
    check_offline_and_clean(browser)


@needs_browser
def test_click_on_a_task_shows_its_details_and_dims_the_rest(browser, outdir):
    from selenium.webdriver.common.by import By

    browser.open(write_page(outdir, small_graph(), unit="区发展改革局", region="槐荫区"))
    browser.pointer_on("task:d370104:1").click().perform()
    details = browser.driver.find_element(By.ID, "kg-details").text
    assert "全文\n推进重点项目建设第1项，做好投资工作" in details and "原文" in details
    colours = browser.js("var o = {}; kgView.nodes.forEach(function (n) {"
                         " o[n.id] = typeof n.color === 'string' ? n.color : n.color.background; }); return o;")
    assert colours["unit:370104:区发展改革局"] == "#1f77b4"          # a neighbour keeps its colour
    assert colours["region:370104"].startswith("rgba(200")          # the rest is dimmed
    browser.screenshot(outdir / "click.png")
    check_offline_and_clean(browser)


@needs_browser
def test_filters_hide_node_types_and_roles(browser, outdir):
    from selenium.webdriver.common.by import By

    browser.open(write_page(outdir, small_graph()))
    browser.driver.find_element(By.CSS_SELECTOR, "#kg-types input[value=Task]").click()
    browser.driver.find_element(By.CSS_SELECTOR, "#kg-roles input[value=ASSISTS]").click()
    hidden = browser.js("return kgView.nodes.get({filter: function (n) { return n.hidden; }})"
                        ".map(function (n) { return n.kg_type; })")
    assert set(hidden) == {"Task"} and len(hidden) == 6
    shown_roles = browser.js("return kgView.edges.get({filter: function (e) { return !e.hidden; }})"
                             ".map(function (e) { return e.kg_type; })")
    assert "ASSISTS" not in shown_roles and "LEADS" not in shown_roles and "IN_REGION" in shown_roles
    check_offline_and_clean(browser)


PAYLOADS = ('<script>window.__xss=1</script>', '<img src=x onerror="window.__xss=2;document.title=\'pwned\'">',
            '"><svg onload=window.__xss=3>', "'); window.__xss=4; ('", '\u2028</script><b>bold</b>&amp;')


@needs_browser
def test_script_payloads_in_names_stay_text(browser, outdir):
    from selenium.common.exceptions import NoAlertPresentException

    payload = "".join(PAYLOADS)
    g = small_graph(payload)
    browser.open(write_page(outdir, g))
    title = browser.driver.title
    unit = "unit:370104:区财政局" + payload
    browser.js("kgView.focusNode(arguments[0], true)", unit)
    browser.pointer_on(unit).pause(0.6).perform()                     # hover: vis-network's tooltip
    tooltip = browser.js("var t = document.querySelector('div.vis-tooltip');"
                         "return t && t.style.visibility !== 'hidden' ? t.textContent : null")
    assert tooltip is not None and payload in tooltip
    browser.js("kgView.search(arguments[0])", "区财政局<script>")
    assert browser.js("return window.__xss") is None
    assert title == browser.driver.title == "govkg 责任网络"
    with pytest.raises(NoAlertPresentException):
        browser.driver.switch_to.alert.text          # noqa: B018 (no alert() ran)
    assert payload in browser.js("return document.getElementById('kg-details').textContent")
    assert browser.js("return document.querySelectorAll('#kg-side img, #kg-side script, #kg-side svg, #kg-side b').length") == 0
    assert browser.js("return kgView.matches.length") == 3
    assert counts(browser) == (g.number_of_nodes(), g.number_of_edges())
    browser.screenshot(outdir / "xss.png")
    check_offline_and_clean(browser)


def synthetic_graph(units: int = 200, tasks: int = 1800):
    """About 2 000 nodes: ``units`` units in three districts sharing ``tasks`` tasks."""
    g = small_graph()
    codes = list(("370102", "370104", "370113"))
    for i in range(units):
        code = codes[i % 3]
        g.add_node(f"unit:{code}:单位{i}", type="Unit", name=f"单位{i}", label=f"单位{i}",
                   region=g.nodes[f"region:{code}"]["name"], aliases=[f"单位{i}"], functions=[])
    for j in range(tasks):
        code = codes[j % 3]
        tid = f"task:d{code}:{j + 10}"
        g.add_node(tid, type="Task", name=f"任务{j}", label=f"任务{j}", text=f"第{j}项任务的全文",
                   number=str(j + 10), doc_id=f"d{code}", region=g.nodes[f"region:{code}"]["name"])
        g.add_edge(tid, f"doc:d{code}", key="FROM_DOCUMENT", type="FROM_DOCUMENT")
        for k, role in ((j * 7 % units, "LEADS"), ((j * 13 + 5) % units, "ASSISTS")):
            g.add_edge(f"unit:{codes[k % 3]}:单位{k}", tid, key=role, type=role, role_word="牵头单位")
    return g


@needs_browser
def test_two_thousand_nodes_settle_in_seconds(browser, outdir):
    g = synthetic_graph()
    assert g.number_of_nodes() > 2000
    seconds = browser.open(write_page(outdir, g))
    assert counts(browser) == (g.number_of_nodes(), g.number_of_edges())
    browser.screenshot(outdir / "large.png")
    check_offline_and_clean(browser)
    assert seconds < 30, f"layout took {seconds:.1f} s"


@needs_browser
def test_seed_graph_opens_offline(browser, outdir, seed_graph):
    seconds = browser.open(write_page(outdir, seed_graph))
    assert counts(browser) == (seed_graph.number_of_nodes(), seed_graph.number_of_edges())
    browser.screenshot(outdir / "seed.png")
    check_offline_and_clean(browser)
    assert seconds < 30, f"layout took {seconds:.1f} s"


@needs_browser
def test_seed_function_view_shows_the_three_districts_units(browser, outdir, seed_graph):
    from kg.view import network

    net = network(seed_graph, function="发展改革")
    units = {n["kg_region"] for n in net.nodes if n["kg_type"] == "Unit"}
    assert {"槐荫区", "长清区", "历下区"} <= units
    browser.open(write_page(outdir, seed_graph, function="发展改革"))
    assert counts(browser) == (len(net.nodes), len(net.edges))
    browser.screenshot(outdir / "function.png")
    check_offline_and_clean(browser)
