// The page of a kg network (viz/page.html): vis-network over the pyvis network in #kg-data.
// What is drawn as of a date follows one rule (viz/pages.py says it too, in Python): an edge
// without dates always; a dated one when s <= date < u, an ended one (u <= date) only with the
// history toggle on, dashed with its dates; a node marked dep only through a drawn edge to a
// node that is not; other nodes when s (a household's registration) is empty or <= date; a
// kind of node switched off in the legend never. Clusters (the county-scale view) open on a
// click into their content, embedded in the page as <script id="kg-c-ID"> and parsed only then.
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("kg-data").textContent);
  var kg = data.kg;
  var words = kg.words;
  var kinds = kg.kinds;
  window.kgTiming = { script: performance.now() };
  var date = kg.asOf;
  var history = false;
  var hidden = {};
  (kg.hide || []).forEach(function (g) { hidden[g] = true; });
  var all = {};        // every node the page knows, by id (cluster contents once opened)
  var allEdges = {};   // every edge, by id
  var present = {};    // nodes in the picture (before the date and legend filters)
  var presentEdges = {};
  var refs = {};       // how many opened clusters hold a node
  var nodes = new vis.DataSet();
  var edges = new vis.DataSet();
  var shownNode = {};  // what vis-network was last told
  var shownEdge = {};

  // -- colours of clusters (the county-scale view) ----------------------------------------
  var colourBy = document.getElementById("colour-by");
  var scales = {
    without: ["#fff5f0", "#a50f15"],
    many: ["#fff5eb", "#a63603"]
  };
  function mix(a, b, t) {
    function ch(h, i) { return parseInt(h.slice(1 + 2 * i, 3 + 2 * i), 16); }
    var out = "#";
    for (var i = 0; i < 3; i++) {
      var v = Math.round(ch(a, i) + (ch(b, i) - ch(a, i)) * t);
      out += (v < 16 ? "0" : "") + v.toString(16);
    }
    return out;
  }
  function mode() { return colourBy ? colourBy.value : "without"; }
  function colourCluster(n) {
    var m = mode();
    var top = (kg.clusters && kg.clusters.max[m]) || 1;
    var share = n.cluster.share[m] || 0;
    // a square-root scale: small shares stay apart from none
    var colour = mix(scales[m][0], scales[m][1], Math.sqrt(Math.min(1, share / top)));
    n.color = { background: colour, border: "#8c6d31", highlight: { background: colour, border: "#000" },
                hover: { background: colour, border: "#000" } };
  }
  function prepNode(n) {
    n.cat = n.group || n.cat;  // the kind of node (a bubble's is not a vis-network group)
    n.tip = n.title || "";
    delete n.title;
    n.hidden = true;
    if (n.cluster) { colourCluster(n); }
    all[n.id] = n;
    return n;
  }
  function prepEdge(e) {
    var k = kinds[e.k] || { color: "#999", dashes: false, width: 1, tip: e.k };
    if (e.id === undefined || e.id === null) { e.id = e.from + "|" + e.to + "|" + e.k + "|" + (e.s || ""); }
    e.id = String(e.id);
    e.tip = e.title || k.tip;
    delete e.title;
    e.color = { color: k.color, highlight: k.color, hover: k.color, opacity: kg.big ? 0.35 : 1 };
    e.dashes = k.dashes;
    e.width = e.width || k.width;
    e.baseDashes = k.dashes;
    e.baseLabel = e.label || "";
    e.hidden = true;
    allEdges[e.id] = e;
    return e;
  }

  // -- the rule ------------------------------------------------------------------------------
  function edgeState(e) {
    if (e.s && e.s > date) { return null; }
    if (e.u && e.u <= date) { return history ? "ended" : null; }
    return "now";
  }
  function apply() {
    var vis_ = {};
    var id;
    for (id in present) {
      var n = all[id];
      if (!n.dep) { vis_[id] = !hidden[n.cat] && (!n.s || n.s <= date); }
    }
    var states = {};
    for (id in presentEdges) {
      var e = allEdges[id];
      var st = edgeState(e);
      states[id] = st;
      if (!st || !present[e.from] || !present[e.to]) { continue; }
      var a = all[e.from], b = all[e.to];
      if (a.dep && !b.dep && vis_[b.id] && !hidden[a.cat]) { vis_[a.id] = true; }
      if (b.dep && !a.dep && vis_[a.id] && !hidden[b.cat]) { vis_[b.id] = true; }
    }
    var nodeChanges = [];
    var counts = {};
    var shown = 0;
    for (id in present) {
      var on = !!vis_[id];
      if (on) { shown++; counts[all[id].cat] = (counts[all[id].cat] || 0) + 1; }
      if (shownNode[id] !== on) { shownNode[id] = on; nodeChanges.push({ id: all[id].id, hidden: !on }); }
    }
    var edgeChanges = [];
    var drawn = 0;
    for (id in presentEdges) {
      var ed = allEdges[id];
      var state = states[id];
      var visible = !!state && !!vis_[ed.from] && !!vis_[ed.to];
      if (visible) { drawn++; }
      var key = visible ? state : "";
      if (shownEdge[id] !== key) {
        shownEdge[id] = key;
        var ended = state === "ended";
        edgeChanges.push({
          id: id, hidden: !visible, dashes: ended ? [6, 4] : ed.baseDashes,
          label: ended ? words.from_to.replace("{start}", ed.s || "…").replace("{end}", ed.u) : ed.baseLabel
        });
      }
    }
    if (nodeChanges.length) { nodes.update(nodeChanges); }
    if (edgeChanges.length) { edges.update(edgeChanges); }
    document.getElementById("counts").textContent = words.counts
      .replace("{nodes}", shown.toLocaleString("en-US")).replace("{edges}", drawn.toLocaleString("en-US"));
    var spans = document.querySelectorAll("#groups [data-count]");
    for (var i = 0; i < spans.length; i++) {
      var g = spans[i].getAttribute("data-count");
      spans[i].textContent = (counts[g] || 0).toLocaleString("en-US");
    }
    window.kgShown = { nodes: shown, edges: drawn, date: date, history: history };
  }

  // Items go in and out of the DataSets in batches (one event each, not one per item).
  function addNodes(list) {
    var fresh = list.filter(function (n) { return !present[n.id]; });
    fresh.forEach(function (n) { present[n.id] = true; shownNode[n.id] = false; n.hidden = true; });
    if (!fresh.length) { return; }
    nodes.update(fresh);
    // vis-network lets a group's options win over those of a node added after it drew:
    // set each node's own size and colour again
    var own = fresh.filter(function (n) { return n.size || n.color; }).map(function (n) {
      var o = { id: n.id };
      if (n.size) { o.size = n.size; }
      if (n.color) { o.color = n.color; }
      return o;
    });
    if (own.length) { nodes.update(own); }
  }
  function removeNodes(ids) {
    ids.forEach(function (id) { delete present[id]; delete shownNode[id]; });
    if (ids.length) { nodes.remove(ids); }
  }
  function addEdges(list) {
    var fresh = list.filter(function (e) { return !presentEdges[e.id]; });
    fresh.forEach(function (e) { presentEdges[e.id] = true; shownEdge[e.id] = ""; e.hidden = true; });
    if (fresh.length) { edges.update(fresh); }
  }
  function removeEdges(ids) {
    ids.forEach(function (id) { delete presentEdges[id]; delete shownEdge[id]; });
    if (ids.length) { edges.remove(ids); }
  }

  data.nodes.forEach(function (n) { prepNode(n); });
  data.edges.forEach(function (e) { prepEdge(e); });
  addNodes(data.nodes);
  addEdges(data.edges);
  apply();

  var container = document.getElementById("network");
  var network = new vis.Network(container, { nodes: nodes, edges: edges }, data.options);
  window.kgNetwork = network;
  window.kgNodes = nodes;
  window.kgEdges = edges;
  var ready = false;
  function markReady() {
    if (ready) { return; }
    ready = true;
    window.kgTiming.interactive = performance.now();
    document.body.setAttribute("data-kg-ready", "1");
  }
  var physics = !!(data.options.physics && data.options.physics.enabled);
  network.once("afterDrawing", function () {
    window.kgTiming.firstPaint = performance.now();
    document.body.setAttribute("data-kg-painted", "1");
    if (!physics) { markReady(); }
  });
  if (physics) {
    network.once("stabilizationIterationsDone", function () {
      network.setOptions({ physics: { enabled: false } });
      network.fit();
      markReady();
    });
  }

  // -- tooltips: the server escaped every value; <br> is the only markup in them ------------
  var tip = document.getElementById("tip");
  function show(html, pointer) {
    tip.innerHTML = html;
    tip.style.left = (pointer.DOM.x + 14) + "px";
    tip.style.top = (pointer.DOM.y + 14) + "px";
    tip.style.display = "block";
  }
  function hide() { tip.style.display = "none"; }
  network.on("hoverNode", function (p) { var n = all[p.node]; if (n) { show(n.tip, p.pointer); } });
  network.on("hoverEdge", function (p) { var e = allEdges[p.edge]; if (e) { show(e.tip, p.pointer); } });
  network.on("blurNode", hide);
  network.on("blurEdge", hide);
  network.on("dragStart", hide);
  network.on("zoom", hide);

  // -- legend: kinds of node on and off --------------------------------------------------------
  var boxes = document.querySelectorAll("#groups input[data-group]");
  for (var b = 0; b < boxes.length; b++) {
    boxes[b].addEventListener("change", function (ev) {
      hidden[ev.target.getAttribute("data-group")] = !ev.target.checked;
      apply();
    });
  }
  window.kgFilter = function (group, off) { hidden[group] = off; apply(); };

  // -- history and the year slider ----------------------------------------------------------------
  var historyBox = document.getElementById("history");
  if (historyBox) {
    historyBox.addEventListener("change", function () { history = historyBox.checked; apply(); });
  }
  var year = document.getElementById("year");
  var yearText = document.getElementById("year-text");
  function setDate(d) {
    date = d;
    if (yearText) { yearText.textContent = kg.asOfText.replace(kg.asOf, d); }
    apply();
  }
  if (year) {
    year.addEventListener("input", function () { setDate(year.value + "-12-31"); });
    document.getElementById("year-reset").addEventListener("click", function () {
      year.value = kg.asOf.slice(0, 4);
      setDate(kg.asOf);
    });
  }
  window.kgSetDate = setDate;
  window.kgSetHistory = function (on) { if (historyBox) { historyBox.checked = on; } history = on; apply(); };

  // -- find ----------------------------------------------------------------------------------------
  document.getElementById("find").addEventListener("keydown", function (ev) {
    if (ev.key !== "Enter") { return; }
    var text = ev.target.value.trim().toLowerCase();
    if (!text) { return; }
    for (var id in present) {
      var n = all[id];
      if (!shownNode[id]) { continue; }
      if (String(n.label).toLowerCase().indexOf(text) >= 0 || String(n.id).toLowerCase().indexOf(text) >= 0) {
        network.selectNodes([n.id]);
        network.focus(n.id, { scale: 1.2, animation: false });
        return;
      }
    }
  });

  // -- clusters --------------------------------------------------------------------------------
  function legendScale() {
    var bar = document.getElementById("scale-bar");
    if (!bar) { return; }
    var m = mode();
    bar.style.background = "linear-gradient(to right, " + scales[m][0] + ", " + scales[m][1] + ")";
    var top = (kg.clusters.max[m] || 0) * 100;
    document.getElementById("scale-text").textContent = "0 – " + top.toFixed(1) + "%";
  }
  if (colourBy) {
    colourBy.addEventListener("change", function () {
      var changes = [];
      for (var id in present) {
        var n = all[id];
        if (n.cluster) { colourCluster(n); changes.push({ id: n.id, color: n.color }); }
      }
      nodes.update(changes);
      legendScale();
    });
  }
  legendScale();

  var opened = {};   // cluster id -> { node, nodes: [ids], edges: [ids], hidden: [edge ids] }
  var openedList = document.getElementById("opened-list");
  // Where a cluster's content comes from: the page's own <script> (the explorer may replace
  // this with a fetch from its API).
  window.kgClusterSource = window.kgClusterSource || function (key) {
    var el = document.getElementById("kg-c-" + key);
    if (!el) { return Promise.reject(new Error("no content for " + key)); }
    return Promise.resolve(JSON.parse(el.textContent));
  };
  function listOpened() {
    while (openedList.firstChild) { openedList.removeChild(openedList.firstChild); }
    var ids = Object.keys(opened);
    document.getElementById("opened").style.display = ids.length ? "block" : "none";
    ids.forEach(function (id) {
      var li = document.createElement("li");
      var name = document.createElement("span");
      name.textContent = opened[id].node.cluster.name + " ";
      var button = document.createElement("button");
      button.type = "button";
      button.textContent = words.close;
      button.setAttribute("data-close", id);
      button.addEventListener("click", function () { closeCluster(id); });
      li.appendChild(name);
      li.appendChild(button);
      openedList.appendChild(li);
    });
  }
  function drawn() {
    return new Promise(function (resolve) { network.once("afterDrawing", function () { resolve(); }); network.redraw(); });
  }
  function openCluster(id) {
    var c = all[id];
    if (!c || !c.cluster || opened[id] || !present[id]) { return Promise.resolve(0); }
    var started = performance.now();
    return window.kgClusterSource(c.cluster.key).then(function (content) {
      var at = network.getPosition(id);
      var record = { node: c, nodes: [], edges: [], hidden: [] };
      var fresh = [];
      content.nodes.forEach(function (n) {
        record.nodes.push(n.id);
        if (present[n.id]) { refs[n.id] = (refs[n.id] || 1) + 1; return; }
        n.x = (n.x || 0) + at.x;
        n.y = (n.y || 0) + at.y;
        prepNode(n);
        refs[n.id] = 1;
        fresh.push(n);
      });
      Object.keys(presentEdges).forEach(function (eid) {
        var e = allEdges[eid];
        if (e.from === id || e.to === id) { record.hidden.push(eid); }
      });
      removeEdges(record.hidden);
      removeNodes([id]);
      addNodes(fresh);
      var newEdges = [];
      content.edges.forEach(function (e) {
        prepEdge(e);
        if (presentEdges[e.id]) { return; }
        record.edges.push(e.id);
        newEdges.push(e);
      });
      addEdges(newEdges);
      opened[id] = record;
      apply();
      listOpened();
      return drawn().then(function () {
        window.kgTiming.lastOpen = performance.now() - started;
        // then zoom on what opened
        if (record.nodes.length) { network.fit({ nodes: record.nodes, animation: false }); }
        return record.nodes.length;
      });
    });
  }
  function closeCluster(id) {
    var record = opened[id];
    if (!record) { return; }
    record.nodes.forEach(function (nid) { if (opened[nid]) { closeCluster(nid); } });
    removeEdges(record.edges.filter(function (eid) { return presentEdges[eid]; }));
    var gone = [];
    record.nodes.forEach(function (nid) {
      refs[nid] = (refs[nid] || 1) - 1;
      if (refs[nid] <= 0) { delete refs[nid]; if (present[nid]) { gone.push(nid); } }
    });
    removeNodes(gone);
    addNodes([record.node]);
    addEdges(record.hidden.map(function (eid) { return allEdges[eid]; }).filter(function (e) {
      return present[e.from] && present[e.to];
    }));
    delete opened[id];
    apply();
    listOpened();
  }
  window.kgOpenCluster = openCluster;
  window.kgCloseCluster = closeCluster;
  network.on("click", function (p) {
    if (p.nodes.length && all[p.nodes[0]] && all[p.nodes[0]].cluster) { openCluster(p.nodes[0]); }
  });
})();
