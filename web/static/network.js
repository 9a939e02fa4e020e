// The network of an entity page: vis-network over the data the server put in #kg-data, with
// type filters (client-side, on the DataSet), tooltips (escaped text from the server: <br> is
// their only markup) and expansion (JSON from /web/expand.json: the neighbours of nodes).
(function () {
  "use strict";
  var source = document.getElementById("kg-data");
  if (!source || !window.vis) { return; }
  var data = JSON.parse(source.textContent);
  var started = performance.now();
  window.kgTiming = { script: started };
  var kinds = data.edgeKinds;
  var depth = {};
  var expanded = {};
  var physics = !!(data.options.physics && data.options.physics.enabled);

  function edgeItem(e) {
    var k = kinds[e.k] || { color: "#999", dashes: false, width: 1, tip: e.k };
    e.id = e.from + "|" + e.to + "|" + e.k;
    e.color = { color: k.color, highlight: k.color, hover: k.color, opacity: data.big ? 0.3 : 1 };
    e.dashes = k.dashes;
    e.width = k.width;
    if (!e.tip) { e.tip = k.tip; }
    return e;
  }
  var seenEdges = {};
  var edgeList = [];
  data.edges.forEach(function (e) {
    edgeItem(e);
    if (!seenEdges[e.id]) { seenEdges[e.id] = true; edgeList.push(e); }
  });
  // categories off when the page opens (household members of a village): ticked in the legend
  var hiddenGroups = {};
  (data.hide || []).forEach(function (group) { hiddenGroups[group] = true; });
  data.nodes.forEach(function (n) {
    depth[n.id] = n.id === data.root ? 0 : 1;
    if (hiddenGroups[n.group]) { n.hidden = true; }
  });
  var nodes = new vis.DataSet(data.nodes);
  var edges = new vis.DataSet(edgeList);
  var container = document.getElementById("network");
  var network = new vis.Network(container, { nodes: nodes, edges: edges }, data.options);
  window.kgNetwork = network;
  window.kgNodes = nodes;
  window.kgEdges = edges;

  var painted = false;
  var interactive = false;
  function ready() {
    if (interactive) { return; }
    interactive = true;
    window.kgTiming.interactive = performance.now();
    document.body.setAttribute("data-kg-ready", "1");
  }
  network.on("afterDrawing", function () {
    if (!painted) {
      painted = true;
      window.kgTiming.firstPaint = performance.now();
      document.body.setAttribute("data-kg-painted", "1");
      if (!physics) { ready(); }
    }
  });
  function settle() {
    network.once("stabilizationIterationsDone", function () {
      network.setOptions({ physics: { enabled: false } });
      ready();
    });
  }
  if (physics) {
    settle();
    network.once("stabilizationIterationsDone", function () { network.fit(); });
  }

  // -- tooltips --------------------------------------------------------------------------------
  var tip = document.getElementById("tip");
  function show(html, pointer) {
    tip.innerHTML = html;
    tip.style.left = (pointer.DOM.x + container.offsetLeft + 14) + "px";
    tip.style.top = (pointer.DOM.y + container.offsetTop + 14) + "px";
    tip.style.display = "block";
  }
  function hide() { tip.style.display = "none"; }
  network.on("hoverNode", function (p) { var n = nodes.get(p.node); if (n) { show(n.tip, p.pointer); } });
  network.on("hoverEdge", function (p) { var e = edges.get(p.edge); if (e) { show(e.tip, p.pointer); } });
  network.on("blurNode", hide);
  network.on("blurEdge", hide);
  network.on("dragStart", hide);
  network.on("zoom", hide);

  // -- filters by type -------------------------------------------------------------------------
  var list = document.getElementById("groups");
  function legend() {
    var counts = {};
    nodes.forEach(function (n) { counts[n.group] = (counts[n.group] || 0) + 1; });
    while (list.firstChild) { list.removeChild(list.firstChild); }
    Object.keys(data.groupNames).forEach(function (group) {
      if (!counts[group]) { return; }
      var li = document.createElement("li");
      var label = document.createElement("label");
      var box = document.createElement("input");
      box.type = "checkbox";
      box.checked = !hiddenGroups[group];
      box.setAttribute("data-group", group);
      box.addEventListener("change", function () { toggle(group, !box.checked); });
      var swatch = document.createElement("span");
      swatch.className = "swatch";
      var style = data.options.groups[group];
      swatch.style.backgroundColor = style ? style.color.background : "#999";
      var name = document.createElement("span");
      name.textContent = data.groupNames[group];
      var count = document.createElement("span");
      count.className = "count";
      count.textContent = counts[group].toLocaleString("en-US");
      label.appendChild(box);
      label.appendChild(swatch);
      label.appendChild(name);
      label.appendChild(count);
      li.appendChild(label);
      list.appendChild(li);
    });
  }
  function toggle(group, hidden) {
    hiddenGroups[group] = hidden;
    var changes = [];
    nodes.forEach(function (n) { if (n.group === group) { changes.push({ id: n.id, hidden: hidden }); } });
    nodes.update(changes);
  }
  window.kgFilter = toggle;
  // what each colour of line means (the kinds of relationship drawn)
  var kindList = document.getElementById("kinds");
  function edgeLegend() {
    if (!kindList) { return; }
    var counts = {};
    edges.forEach(function (e) { counts[e.k] = (counts[e.k] || 0) + 1; });
    while (kindList.firstChild) { kindList.removeChild(kindList.firstChild); }
    Object.keys(kinds).forEach(function (k) {
      if (!counts[k]) { return; }
      var li = document.createElement("li");
      li.setAttribute("data-kind", k);
      var line = document.createElement("span");
      line.className = "line" + (kinds[k].dashes ? " dashed" : "");
      line.style.borderTopColor = kinds[k].color;
      var name = document.createElement("span");
      name.textContent = kinds[k].name;
      var count = document.createElement("span");
      count.className = "count";
      count.textContent = counts[k].toLocaleString("en-US");
      li.appendChild(line);
      li.appendChild(name);
      li.appendChild(count);
      kindList.appendChild(li);
    });
  }
  legend();
  edgeLegend();

  // -- expanding -------------------------------------------------------------------------------
  var status = document.getElementById("status");
  var hops = document.getElementById("hops");
  var counts = document.getElementById("counts");
  var selectedButton = document.getElementById("expand-selected");
  function updateCounts() {
    if (!counts) { return; }
    var n = nodes.length.toLocaleString("en-US");
    var m = edges.length.toLocaleString("en-US");
    counts.textContent = document.documentElement.lang === "en" ? n + " nodes · " + m + " edges"
      : "节点 " + n + " 个 · 关系 " + m + " 条";
  }
  function place(added, addedEdges) {
    // a new node goes on a circle around a node it hangs from
    var around = {};
    addedEdges.forEach(function (e) {
      var a = nodes.get(e.from) ? e.from : null;
      var b = nodes.get(e.to) ? e.to : null;
      added.forEach(function (n) {
        if (around[n.id]) { return; }
        if (n.id === e.to && a) { around[n.id] = a; }
        else if (n.id === e.from && b) { around[n.id] = b; }
      });
    });
    var perParent = {};
    added.forEach(function (n) {
      var parent = around[n.id];
      var k = perParent[parent] = (perParent[parent] || 0) + 1;
      var base = parent ? network.getPosition(parent) : { x: 0, y: 0 };
      var angle = k * 2.399963;  // the golden angle: no two nodes on the same ray
      var radius = 60 + 12 * Math.sqrt(k);
      n.x = base.x + radius * Math.cos(angle);
      n.y = base.y + radius * Math.sin(angle);
      depth[n.id] = (parent !== undefined && depth[parent] !== undefined ? depth[parent] : 0) + 1;
      if (hiddenGroups[n.group]) { n.hidden = true; }
    });
  }
  function expand(keys) {
    keys = keys.filter(function (k) { return !expanded[k]; }).slice(0, 200);
    if (!keys.length) { return Promise.resolve(0); }
    var url = data.expandUrl + keys.map(function (k) { return "&key=" + encodeURIComponent(k); }).join("");
    status.textContent = "…";
    return fetch(url, { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (r) {
        if (!r.ok) { throw new Error("HTTP " + r.status); }
        return r.json();
      })
      .then(function (more) {
        keys.forEach(function (k) { expanded[k] = true; });
        var added = more.nodes.filter(function (n) { return !nodes.get(n.id); });
        var addedEdges = more.edges.map(edgeItem).filter(function (e) {
          if (seenEdges[e.id]) { return false; }
          seenEdges[e.id] = true;
          return true;
        });
        place(added, addedEdges);
        nodes.add(added);
        edges.add(addedEdges);
        var deepest = 0;
        Object.keys(depth).forEach(function (k) { if (depth[k] > deepest) { deepest = depth[k]; } });
        hops.textContent = String(deepest);
        status.textContent = "+" + added.length;
        legend();
        edgeLegend();
        updateCounts();
        if (physics && added.length && nodes.length <= 2000) {
          network.setOptions({ physics: { enabled: true } });
          network.once("stabilizationIterationsDone", function () {
            network.setOptions({ physics: { enabled: false } });
          });
          network.stabilize(120);
        }
        return added.length;
      })
      .catch(function (err) { status.textContent = String(err.message || err); return -1; });
  }
  window.kgExpand = expand;
  hops.textContent = nodes.length > 1 ? "1" : "0";
  network.on("doubleClick", function (p) { if (p.nodes.length) { expand(p.nodes); } });
  network.on("select", function (p) { selectedButton.disabled = !p.nodes.length; });
  selectedButton.addEventListener("click", function () { expand(network.getSelectedNodes()); });
  document.getElementById("expand-all").addEventListener("click", function () {
    var frontier = nodes.getIds({ filter: function (n) { return !n.hidden && !expanded[n.id]; } });
    expand(frontier);
  });
  document.getElementById("fit").addEventListener("click", function () { network.fit(); });
})();
