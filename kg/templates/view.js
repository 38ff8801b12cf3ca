(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("kg-data").textContent);
  var DIM = "rgba(200,200,200,0.35)";
  var nodes = new vis.DataSet(data.nodes);
  var edges = new vis.DataSet(data.edges);
  var state = { region: "", types: {}, roles: {}, focus: null };
  var kg = window.kgView = { nodes: nodes, edges: edges, stabilized: false, progress: 0 };

  function el(tag, text, cls) {
    var e = document.createElement(tag);
    if (text !== undefined && text !== null) e.textContent = String(text);
    if (cls) e.className = cls;
    return e;
  }
  function clear(e) { while (e.firstChild) e.removeChild(e.firstChild); }
  function check(parent, key, store, text) {
    var label = el("label", null, "kg-check"), box = el("input");
    box.type = "checkbox"; box.checked = true; box.value = key; store[key] = true;
    box.addEventListener("change", function () { store[key] = box.checked; applyFilters(); });
    label.appendChild(box); label.appendChild(document.createTextNode(text));
    parent.appendChild(label);
  }

  document.getElementById("kg-title").textContent = data.title;
  var legendText = {};
  data.legend.nodes.forEach(function (t) { legendText[t.type] = t.text; });
  data.legend.edges.forEach(function (t) { legendText[t.type] = t.text; });
  var regionSelect = document.getElementById("kg-region");
  data.regions.forEach(function (r) { var o = el("option", r); o.value = r; regionSelect.appendChild(o); });
  regionSelect.addEventListener("change", function () { state.region = regionSelect.value; applyFilters(); });
  var types = document.getElementById("kg-types");
  data.nodeTypes.forEach(function (t) { check(types, t, state.types, legendText[t] || t); });
  var roles = document.getElementById("kg-roles");
  data.edgeTypes.forEach(function (t) { check(roles, t, state.roles, legendText[t] || t); });

  (function legend() {
    var box = document.getElementById("kg-legend");
    box.appendChild(el("h3", "图例"));
    data.legend.nodes.forEach(function (t) {
      var row = el("div", null, "kg-row"), sw = el("span", null, "kg-swatch " + t.shape);
      sw.style.background = t.color; row.appendChild(sw); row.appendChild(el("span", t.text));
      box.appendChild(row);
    });
    data.legend.edges.forEach(function (t) {
      var row = el("div", null, "kg-row"), ln = el("span", null, "kg-line" + (t.dashed ? " dashed" : ""));
      ln.style.borderTopColor = t.color; row.appendChild(ln); row.appendChild(el("span", t.text));
      box.appendChild(row);
    });
    box.appendChild(el("p", "单位大小 = 承担任务数。" + data.nodes.length + " 个节点，" + data.edges.length + " 条关系。", "kg-hint"));
  })();

  function nodeShown(n) {
    return state.types[n.kg_type] !== false &&
      (!state.region || !n.kg_region || n.kg_region === state.region);
  }
  function applyFilters() {
    var shown = {};
    nodes.update(nodes.get().map(function (n) {
      var ok = nodeShown(n); shown[n.id] = ok; return { id: n.id, hidden: !ok };
    }));
    edges.update(edges.get().map(function (e) {
      return { id: e.id, hidden: !(state.roles[e.kg_type] !== false && shown[e.from] && shown[e.to]) };
    }));
  }

  var network = kg.network = new vis.Network(document.getElementById("kg-network"),
                                              { nodes: nodes, edges: edges }, data.options);
  var status = document.getElementById("kg-status");
  function settled() {
    network.setOptions({ physics: { enabled: false } });
    kg.stabilized = true;
    status.textContent = data.nodes.length + " 个节点 · " + data.edges.length + " 条关系";
  }
  network.on("stabilizationProgress", function (p) {
    kg.progress = p.iterations / p.total;
    status.textContent = "布局中 " + Math.round(100 * kg.progress) + "%";
  });
  network.once("stabilizationIterationsDone", settled);
  if (data.nodes.length === 0) settled();

  function highlight(ids) {
    var keep = {};
    ids.forEach(function (id) { keep[id] = true; });
    var all = ids.length === 0;
    nodes.update(nodes.get().map(function (n) {
      var on = all || keep[n.id];
      return { id: n.id, color: on ? n.kg_color : DIM, font: { color: on ? "#222" : "rgba(0,0,0,0.12)" } };
    }));
    edges.update(edges.get().map(function (e) {
      return { id: e.id, color: all || (keep[e.from] && keep[e.to]) ? e.kg_color : DIM };
    }));
  }
  function details(title, pairs) {
    var box = document.getElementById("kg-details");
    clear(box);
    box.appendChild(el("h3", title));
    var dl = el("dl");
    pairs.forEach(function (p) { dl.appendChild(el("dt", p[0])); dl.appendChild(el("dd", p[1])); });
    box.appendChild(dl);
  }
  function focusNode(id, move) {
    var n = nodes.get(id);
    if (!n) return;
    state.focus = id;
    var near = [id].concat(network.getConnectedNodes(id));
    highlight(near);
    network.selectNodes([id]);
    details(n.label, n.kg_details);
    if (move) network.fit({ nodes: near, maxZoomLevel: 1.5, animation: false });
  }
  kg.focusNode = focusNode;
  network.on("click", function (p) {
    if (p.nodes.length) { focusNode(p.nodes[0], false); return; }
    state.focus = null;
    highlight([]);
    if (p.edges.length) {
      var e = edges.get(p.edges[0]);
      details(legendText[e.kg_type] || e.kg_type, e.kg_details);
    }
  });

  var search = document.getElementById("kg-search"), results = document.getElementById("kg-results");
  function runSearch() {
    var q = search.value.trim().toLowerCase();
    clear(results);
    if (!q) { network.unselectAll(); highlight([]); kg.matches = []; return; }
    var found = nodes.get({ filter: function (n) { return n.kg_search.indexOf(q) >= 0; } });
    var ids = found.map(function (n) { return n.id; });
    kg.matches = ids;
    network.selectNodes(ids, false);
    var near = ids.length > 30 ? [] : [].concat.apply([], ids.map(function (id) { return network.getConnectedNodes(id); }));
    highlight(ids.concat(near));
    results.appendChild(el("h3", "搜索结果：" + ids.length));
    found.slice(0, 60).forEach(function (n) {
      var b = el("button", n.label + (n.kg_region ? "（" + n.kg_region + "）" : ""));
      b.title = n.kg_type;
      b.addEventListener("click", function () { focusNode(n.id, true); });
      results.appendChild(b);
    });
    if (ids.length) network.fit({ nodes: ids.concat(near), animation: false });
  }
  var timer = null;
  search.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(runSearch, 150); });
  search.addEventListener("keydown", function (ev) {
    if (ev.key === "Enter") { clearTimeout(timer); runSearch(); }
  });
  kg.search = function (q) { search.value = q; runSearch(); return kg.matches; };
})();
