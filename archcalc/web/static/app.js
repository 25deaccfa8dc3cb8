// archcalc serve: the page's script (served as a file: the Content-Security-Policy allows no
// inline script). It sends the editor's text to the server, which reads it with archcalc's
// readers, and draws what comes back. Nothing here computes a number.
"use strict";

(function () {
  const $ = (id) => document.getElementById(id);
  const SVG = "http://www.w3.org/2000/svg";
  const LINE_H = 20;
  const state = {
    pins: {},            // name -> typed value
    symbols: [],
    lastRows: {},        // layer name -> "shape|params" (to flash what changed)
    selected: null,      // the layer whose derivation is shown
    seq: 0,              // the latest analyse request (older answers are dropped)
    model: null,         // the last summary
    tab: "summary",
    diagramFor: null,    // the request body the diagram was drawn for
  };

  // -- HTTP ------------------------------------------------------------------------------
  async function post(url, body) {
    return answer(await send(url, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(body),
    }));
  }

  async function send(url, options) {
    try {
      return await fetch(url, options);
    } catch (e) {  // no answer at all: the server was stopped
      const message = "the archcalc server does not answer: is `archcalc serve` still running?";
      throw Object.assign(new Error(message), { detail: { message: message, text: "archcalc: error: " + message } });
    }
  }

  async function answer(response) {
    let data = null;
    try { data = await response.json(); } catch (e) { data = null; }
    if (!response.ok) {
      const err = (data && data.error) || { message: "the server answered " + response.status, text: "" };
      throw Object.assign(new Error(err.message), { detail: err });
    }
    return data;
  }

  function request() {
    const body = { text: $("text").value, format: $("format").value, pins: activePins() };
    if (state.modelName) body.model = state.modelName;
    return body;
  }

  function drawModelChoice(data) {
    const box = $("model-choice");
    const pick = $("model-pick");
    const models = data.models || [];
    box.hidden = models.length < 2;
    if (box.hidden) return;
    pick.replaceChildren(...models.map((name) => {
      const o = document.createElement("option");
      o.value = name;
      o.textContent = name;
      return o;
    }));
    pick.value = data.variable || models[models.length - 1];
  }

  function activePins() {
    const out = {};
    for (const name of state.symbols) {
      const v = (state.pins[name] || "").trim();
      if (v) out[name] = v;
    }
    return out;
  }

  // -- the editor --------------------------------------------------------------------------
  function lineCount() { return $("text").value.split("\n").length; }

  function drawGutter(marks) {
    const gutter = $("gutter");
    const n = lineCount();
    const bySeverity = {};
    for (const m of marks || []) {
      const cur = bySeverity[m.line];
      if (!cur || rank(m.severity) > rank(cur.severity)) bySeverity[m.line] = m;
    }
    const frag = document.createDocumentFragment();
    for (let i = 1; i <= n; i++) {
      const d = document.createElement("div");
      d.textContent = String(i);
      const m = bySeverity[i];
      if (m) { d.className = m.severity; d.title = m.message; }
      frag.appendChild(d);
    }
    gutter.replaceChildren(frag);
    const layer = $("marks");
    const inner = document.createElement("div");
    inner.className = "marks-inner";
    for (const m of marks || []) {
      if (!m.line) continue;
      const bar = document.createElement("div");
      bar.className = "mark " + m.severity;
      bar.style.top = (8 + (m.line - 1) * LINE_H) + "px";
      inner.appendChild(bar);
      if (m.column && m.severity === "error") {
        const col = document.createElement("div");
        col.className = "col";
        col.style.top = (8 + (m.line - 1) * LINE_H) + "px";
        col.style.left = "calc(10px + " + (m.column - 1) + "ch)";
        inner.appendChild(col);
      }
    }
    layer.replaceChildren(inner);
    syncScroll();
  }
  state.marks = [];

  function rank(sev) { return { info: 1, warning: 2, error: 3 }[sev] || 0; }

  function syncScroll() {
    const t = $("text");
    $("gutter").scrollTop = t.scrollTop;
    const inner = $("marks").firstChild;
    if (inner) {
      inner.style.transform = "translate(" + (-t.scrollLeft) + "px," + (-t.scrollTop) + "px)";
      inner.style.position = "absolute";
      inner.style.inset = "0";
    }
  }

  function goTo(line, column) {
    const t = $("text");
    const lines = t.value.split("\n");
    let pos = 0;
    for (let i = 0; i < Math.min(line - 1, lines.length); i++) pos += lines[i].length + 1;
    pos += Math.max(0, Math.min((column || 1) - 1, (lines[line - 1] || "").length));
    t.focus();
    t.setSelectionRange(pos, pos);
    t.scrollTop = Math.max(0, (line - 4) * LINE_H);
    syncScroll();
  }

  // -- messages -------------------------------------------------------------------------------
  function showMessages(items) {
    const box = $("messages");
    const frag = document.createDocumentFragment();
    for (const m of items) {
      const div = document.createElement("div");
      div.className = "msg " + (m.severity || "error");
      if (m.line) {
        div.dataset.line = m.line;
        div.dataset.column = m.column || 1;
        div.title = "Go to line " + m.line;
        const where = document.createElement("span");
        where.className = "where";
        where.textContent = "line " + m.line + ":" + (m.column || 1);
        div.appendChild(where);
      }
      if (m.code) {
        const code = document.createElement("span");
        code.className = "code";
        code.textContent = m.code;
        div.appendChild(code);
      }
      if (m.pre) {
        const pre = document.createElement("pre");
        pre.textContent = m.pre;
        div.appendChild(pre);
      } else {
        div.appendChild(document.createTextNode(m.message));
        if (m.hint) {
          const hint = document.createElement("span");
          hint.className = "hint";
          hint.textContent = "hint: " + m.hint;
          div.appendChild(hint);
        }
      }
      frag.appendChild(div);
    }
    box.replaceChildren(frag);
  }

  function showError(err) {
    const d = err.detail || { message: String(err.message || err), text: "" };
    showMessages([{ severity: "error", line: d.line, column: d.column, pre: d.text || d.message }]);
    state.marks = d.line ? [{ line: d.line, column: d.column, severity: "error", message: d.message }] : [];
    drawGutter(state.marks);
  }

  function setStatus(text, busy) {
    const s = $("status");
    s.textContent = text;
    s.classList.toggle("busy", !!busy);
  }

  // -- analyse as you type ----------------------------------------------------------------------
  let timer = null;
  function schedule(delay) {
    clearTimeout(timer);
    timer = setTimeout(analyse, delay === undefined ? 350 : delay);
  }

  async function analyse() {
    const seq = ++state.seq;
    const body = request();
    setStatus("reading…", true);
    let data;
    try {
      data = await post("/api/analyze", body);
    } catch (err) {
      if (seq !== state.seq) return;
      if (state.modelName && err.detail && /^no model named/.test(err.detail.message || "")) {
        state.modelName = null;  // the model picked is gone from the code: read the file's default
        schedule(0);
        return;
      }
      document.body.dataset.analysed = String(seq);
      setStatus("The model cannot be read: see the message below.");
      showError(err);
      document.body.dataset.state = "error";
      return;
    }
    if (seq !== state.seq) return;
    document.body.dataset.analysed = String(seq);  // for the browser tests: this text has been read
    state.model = data;
    state.request = body;
    document.body.dataset.state = "ok";
    const n = data.rows.length;
    setStatus("Read as " + ({ yaml: "a YAML spec", py: "Keras Python code", json: "a Keras JSON config" }[data.format] || data.format)
      + ": " + n + " layer" + (n === 1 ? "" : "s") + ", " + data.total_params + " parameters.");
    state.marks = data.lint.filter((f) => f.line);
    drawGutter(state.marks);
    showMessages(data.lint.map((f) => ({ severity: f.severity, line: f.line, column: f.column, code: f.code,
      message: f.message, hint: f.hint })));
    drawPins(data.symbols);
    drawModelChoice(data);
    drawTable(data);
    drawChart(data.rows);
    $("footer").textContent = data.footer.join("\n");
    $("model-name").textContent = "Model: " + data.name;
    if (state.selected && data.rows.some((r) => r.name === state.selected && r.explainable)) {
      explain(state.selected, false);
    }
    if (state.tab === "diagram") drawDiagram();
  }

  // -- pins -----------------------------------------------------------------------------------------
  function drawPins(symbols) {
    state.symbols = symbols;
    const box = $("pin-fields");
    $("pins").hidden = symbols.length === 0;
    const existing = {};
    for (const input of box.querySelectorAll("input")) existing[input.dataset.name] = input;
    const frag = document.createDocumentFragment();
    for (const name of symbols) {
      let input = existing[name];
      let label;
      if (input) {
        label = input.parentElement;
      } else {
        label = document.createElement("label");
        label.className = "field";
        const span = document.createElement("span");
        span.textContent = name;
        input = document.createElement("input");
        input.dataset.name = name;
        input.inputMode = "numeric";
        input.placeholder = "unknown";
        input.setAttribute("aria-label", "Pin " + name);
        input.value = state.pins[name] || "";
        input.addEventListener("input", () => { state.pins[name] = input.value; schedule(); });
        label.append(span, input);
      }
      frag.appendChild(label);
    }
    // pinned names stay as fields while they are pinned (they are no longer symbols)
    for (const name of Object.keys(state.pins)) {
      if (!symbols.includes(name) && (state.pins[name] || "").trim() && existing[name]) {
        frag.appendChild(existing[name].parentElement);
        state.symbols.push(name);
        $("pins").hidden = false;
      }
    }
    box.replaceChildren(frag);
  }

  // -- the table ----------------------------------------------------------------------------------
  function cell(tr, text, cls) {
    const td = document.createElement("td");
    td.textContent = text;
    if (cls) td.className = cls;
    tr.appendChild(td);
    return td;
  }

  function drawTable(data) {
    const body = document.querySelector("#summary tbody");
    const frag = document.createDocumentFragment();
    const seen = {};
    for (const r of data.rows) {
      const tr = document.createElement("tr");
      tr.dataset.layer = r.name;
      const key = r.output_shape + "|" + r.params;
      if (state.lastRows[r.name] !== undefined && state.lastRows[r.name] !== key) tr.classList.add("changed");
      seen[r.name] = key;
      if (r.name === state.selected) tr.classList.add("selected");
      const first = document.createElement("td");
      first.className = "layer-cell";
      const name = document.createElement("span");
      name.className = "name";
      name.textContent = r.name;
      const type = document.createElement("span");
      type.className = "type";
      type.textContent = r.type;
      first.append(name, type);
      tr.appendChild(first);
      cell(tr, r.output_shape, "shape");
      cell(tr, r.params, "num params");
      cell(tr, r.trainable, "num");
      cell(tr, r.non_trainable, "num");
      cell(tr, r.macs, "num");
      cell(tr, r.rf, "num");
      cell(tr, r.memory, "num");
      cell(tr, r.connected_to, "connected");
      const open = () => {
        if (!r.explainable) { selectRow(r.name); showTab("layer"); drawInputLayer(r); return; }
        explain(r.name, true);
      };
      tr.tabIndex = 0;
      tr.addEventListener("click", open);
      tr.addEventListener("keydown", (e) => { if (e.key === "Enter" || e.key === " ") { e.preventDefault(); open(); } });
      frag.appendChild(tr);
    }
    state.lastRows = seen;
    body.replaceChildren(frag);
    $("summary").classList.toggle("with-connections", !!data.connections);
  }

  function selectRow(name) {
    state.selected = name;
    for (const tr of document.querySelectorAll("#summary tbody tr")) {
      tr.classList.toggle("selected", tr.dataset.layer === name);
    }
  }

  // -- the chart: parameters and activation values per layer (an SVG drawn here) ---------------
  function svg(tag, attrs, text) {
    const el = document.createElementNS(SVG, tag);
    for (const k in attrs) el.setAttribute(k, attrs[k]);
    if (text !== undefined) el.textContent = text;
    return el;
  }

  // a count in the CLI's short form (3.32M); bytes in binary units, as the CLI prints them (4.00 MiB)
  function compact(n) {
    if (n === null || n === undefined) return "?";
    const units = [[1e9, "G"], [1e6, "M"], [1e3, "K"]];
    for (const [v, u] of units) if (Math.abs(n) >= v) return (n / v).toFixed(n / v >= 100 ? 0 : 1) + u;
    return String(n);
  }

  function bytes(n) {
    const units = ["B", "KiB", "MiB", "GiB", "TiB"];
    let i = 0;
    while (n >= 1024 && i < units.length - 1) { n /= 1024; i++; }
    return (i === 0 ? String(n) : n.toFixed(n >= 100 ? 0 : 1)) + " " + units[i];
  }

  function drawChart(rows) {
    const box = $("chart");
    const labelW = 150, barW = 230, rowH = 30, top = 28;
    const width = labelW + barW + 70;
    const height = top + rows.length * rowH + 6;
    const maxP = Math.max(1, ...rows.map((r) => r.params_value || 0));
    const maxA = Math.max(1, ...rows.map((r) => r.activations_value || 0));
    const root = svg("svg", { viewBox: "0 0 " + width + " " + height, width: width, height: height,
      role: "img", "aria-label": "Parameters and activation memory per layer" });
    const legend = svg("g", { class: "legend" });
    legend.append(svg("rect", { x: labelW, y: 6, width: 12, height: 10, class: "bar-params" }),
      svg("text", { x: labelW + 16, y: 15 }, "parameters"),
      svg("rect", { x: labelW + 100, y: 6, width: 12, height: 10, class: "bar-act" }),
      svg("text", { x: labelW + 116, y: 15 }, "activation memory (batch 1, float32)"));
    root.appendChild(legend);
    rows.forEach((r, i) => {
      const y = top + i * rowH;
      const name = r.name.length > 22 ? r.name.slice(0, 21) + "…" : r.name;
      root.appendChild(svg("text", { x: labelW - 6, y: y + 15, "text-anchor": "end" }, name));
      const p = r.params_value, a = r.activations_value;
      const pw = p === null ? 0 : Math.max(p > 0 ? 1 : 0, barW * p / maxP);
      const aw = a === null ? 0 : Math.max(a > 0 ? 1 : 0, barW * a / maxA);
      root.appendChild(svg("rect", { x: labelW, y: y + 3, width: pw, height: 10, class: "bar-params" }));
      root.appendChild(svg("text", { x: labelW + pw + 4, y: y + 12 }, p === null ? r.params : compact(p)));
      root.appendChild(svg("rect", { x: labelW, y: y + 15, width: aw, height: 10, class: "bar-act" }));
      root.appendChild(svg("text", { x: labelW + aw + 4, y: y + 24 }, a === null ? "symbolic" : bytes(a)));
    });
    box.replaceChildren(root);
  }

  // -- the diagram ---------------------------------------------------------------------------------
  async function drawDiagram() {
    const body = state.request;
    if (!body || state.diagramFor === JSON.stringify(body)) return;
    state.diagramFor = JSON.stringify(body);
    try {
      const data = await post("/api/diagram", body);
      const blob = new Blob([data.svg], { type: "image/svg+xml" });
      const img = $("diagram");
      if (img.dataset.url) URL.revokeObjectURL(img.dataset.url);
      img.dataset.url = URL.createObjectURL(blob);
      img.src = img.dataset.url;
      $("diagram-note").textContent = data.drawn_by === "graphviz"
        ? "Drawn by Graphviz (archcalc diagram --format svg): shapes on the edges."
        : "Drawn by archcalc (install Graphviz for the same drawing as archcalc diagram --format svg): shapes on the edges.";
    } catch (err) {
      state.diagramFor = null;
      $("diagram-note").textContent = "No diagram: " + (err.detail ? err.detail.message : err.message);
    }
  }

  // -- a layer's derivation --------------------------------------------------------------------------
  function setMath(el, mathml) {
    // MathML written by the server from archcalc's LaTeX (latex2mathml escapes every text)
    const doc = new DOMParser().parseFromString(mathml, "application/xml");
    if (doc.getElementsByTagName("parsererror").length) { el.textContent = ""; return false; }
    el.replaceChildren(document.importNode(doc.documentElement, true));
    return true;
  }

  function derivationCard(d, index) {
    const box = document.createElement("div");
    box.className = "derivation";
    if (d.quantity) {
      const h = document.createElement("h4");
      h.textContent = d.quantity;
      box.appendChild(h);
    }
    const math = document.createElement("div");
    math.className = "math";
    if (!setMath(math, d.mathml)) math.textContent = d.text.join("\n");
    box.appendChild(math);
    if (d.where && d.where.length) {
      const where = document.createElement("ul");
      where.className = "where";
      const label = document.createElement("li");
      label.textContent = "where";
      where.appendChild(label);
      for (const w of d.where) {
        const li = document.createElement("li");
        const m = document.createElement("span");
        setMath(m, w.mathml);
        li.appendChild(m);
        if (w.meaning) li.appendChild(document.createTextNode(" (" + w.meaning + ")"));
        where.appendChild(li);
      }
      box.appendChild(where);
    }
    for (const n of d.notes || []) {
      const p = document.createElement("p");
      p.className = "note";
      p.textContent = n;
      box.appendChild(p);
    }
    return box;
  }

  async function explain(name, switchTab) {
    selectRow(name);
    if (switchTab) showTab("layer");
    let data;
    try {
      data = await post("/api/explain", Object.assign(request(), { layer: name }));
    } catch (err) {
      $("layer-empty").hidden = false;
      $("layer-empty").textContent = "No derivation: " + (err.detail ? err.detail.text || err.detail.message : err.message);
      $("layer").hidden = true;
      return;
    }
    $("layer-empty").hidden = true;
    $("layer").hidden = false;
    $("layer-heading").textContent = data.name + " (" + data.type + ")";
    $("layer-call").textContent = data.heading.slice(data.name.length + data.type.length + 5);
    const box = $("derivations");
    box.replaceChildren(...data.derivations.map(derivationCard));
    const row = (state.model.rows || []).find((r) => r.name === name);
    drawReceptiveField(row);
  }

  function drawInputLayer(r) {
    $("layer-empty").hidden = true;
    $("layer").hidden = false;
    $("layer-heading").textContent = r.name + " (" + r.type + ")";
    $("layer-call").textContent = "the model's input: " + r.output_shape;
    $("derivations").replaceChildren();
    drawReceptiveField(r);
  }

  // -- the receptive-field picture: which input pixels one unit sees (an SVG drawn here) ------------
  function drawReceptiveField(row, unit) {
    const box = $("rf-picture");
    const pic = row && row.rf_picture;
    if (!pic) {
      box.textContent = row && row.rf !== "-" && row.rf
        ? "Receptive field " + row.rf + " (no picture: a size is symbolic)."
        : "This layer has no receptive field: it does not move over the input's positions.";
      return;
    }
    const two = pic.rf.length === 2;
    const H = two ? pic.input[0] : 1, W = two ? pic.input[1] : pic.input[0];
    const rfH = two ? pic.rf[0] : 1, rfW = two ? pic.rf[1] : pic.rf[0];
    const jH = two ? pic.jump[0] : 1, jW = two ? pic.jump[1] : pic.jump[0];
    const sH = two ? pic.start[0] : 0.5, sW = two ? pic.start[1] : pic.start[0];
    const outH = two ? pic.output[0] : 1, outW = two ? pic.output[1] : pic.output[0];
    // the unit shown: the one clicked in the output grid, else the middle one
    const uH = unit ? unit[0] : Math.floor((outH - 1) / 2), uW = unit ? unit[1] : Math.floor((outW - 1) / 2);
    // a unit's field is centred on start + index x jump, in input positions (position i spans [i, i+1))
    const cH = sH + uH * jH, cW = sW + uW * jW;
    const r0 = cH - rfH / 2, r1 = cH + rfH / 2, c0 = cW - rfW / 2, c1 = cW + rfW / 2;
    const narrow = box.clientWidth > 0 && box.clientWidth < 520;
    const inPx = Math.max(1, Math.min(14, Math.floor((narrow ? 300 : 280) / Math.max(H, W))));
    const outPx = Math.max(1, Math.min(14, Math.floor((narrow ? 200 : 170) / Math.max(outH, outW))));
    // room around the input for the fields of the edge units where they reach over the padding
    const over = Math.max(0, rfW / 2 - sW, sW + (outW - 1) * jW + rfW / 2 - W,
      two ? rfH / 2 - sH : 0, two ? sH + (outH - 1) * jH + rfH / 2 - H : 0);
    const m = 22 + Math.ceil(over * inPx), gap = 40 + Math.ceil(over * inPx);
    const gw = W * inPx, gh = H * inPx, ow = outW * outPx, oh = outH * outPx;
    const ox = narrow ? m : m + gw + gap, oy = narrow ? m + gh + gap : m;
    const width = narrow ? Math.max(gw, ow) + 2 * m : gw + gap + ow + 2 * m;
    const height = narrow ? gh + gap + oh + 2 * m : Math.max(gh, oh) + 2 * m;
    const root = svg("svg", { viewBox: "0 0 " + width + " " + height, width: width, height: height, role: "img",
      "aria-label": "The input positions one unit of the layer sees" });
    function grid(x, y, w, h, n, k, px) {
      const g = svg("g", {});
      g.appendChild(svg("rect", { x: x, y: y, width: w, height: h, fill: "#f0f2f6", stroke: "#8a93a5" }));
      if (px >= 4) {
        const lines = svg("g", { stroke: "#dfe3ea", "stroke-width": 1 });
        for (let i = 1; i < k; i++) lines.appendChild(svg("line", { x1: x + i * px, y1: y, x2: x + i * px, y2: y + h }));
        for (let j = 1; j < n; j++) lines.appendChild(svg("line", { x1: x, y1: y + j * px, x2: x + w, y2: y + j * px }));
        g.appendChild(lines);
      }
      return g;
    }
    root.appendChild(svg("text", { x: m, y: m - 7 - Math.ceil(over * inPx), class: "label" },
      "input " + (two ? H + "×" + W : W)));
    root.appendChild(svg("text", { x: ox, y: oy - 7, class: "label" }, "output " + (two ? outH + "×" + outW : outW)));
    root.appendChild(grid(m, m, gw, gh, H, W, inPx));
    const out = grid(ox, oy, ow, oh, outH, outW, outPx);
    out.classList.add("output-grid");
    root.appendChild(out);
    // the field inside the input, and (dashed) all of it where it reaches over the padding
    const x0 = Math.max(0, Math.floor(c0)), x1 = Math.min(W, Math.ceil(c1));
    const y0 = two ? Math.max(0, Math.floor(r0)) : 0, y1 = two ? Math.min(H, Math.ceil(r1)) : 1;
    const padded = c0 < 0 || c1 > W || (two && (r0 < 0 || r1 > H));
    if (x1 > x0 && y1 > y0) {
      root.appendChild(svg("rect", { x: m + x0 * inPx, y: m + y0 * inPx, width: (x1 - x0) * inPx,
        height: (y1 - y0) * inPx, class: "seen" }));
    }
    const fy0 = two ? r0 : 0, fy1 = two ? r1 : 1;
    if (padded) {
      root.appendChild(svg("rect", { x: m + c0 * inPx, y: m + fy0 * inPx, width: (c1 - c0) * inPx,
        height: (fy1 - fy0) * inPx, class: "pad" }));
    }
    // the unit, and lines from it to the corners of its field
    const ux = ox + uW * outPx, uy = oy + (two ? uH : 0) * outPx;
    for (const [fx, fy] of [[c0, fy0], [c1, fy0], [c0, fy1], [c1, fy1]]) {
      root.appendChild(svg("line", { x1: ux + outPx / 2, y1: uy + outPx / 2, x2: m + fx * inPx, y2: m + fy * inPx,
        class: "ray" }));
    }
    root.appendChild(svg("rect", { x: ux, y: uy, width: Math.max(outPx, 2), height: Math.max(outPx, 2), class: "unit" }));
    out.addEventListener("click", (e) => {
      const p = new DOMPoint(e.clientX, e.clientY).matrixTransform(root.getScreenCTM().inverse());
      const col = Math.min(outW - 1, Math.max(0, Math.floor((p.x - ox) / outPx)));
      const r = two ? Math.min(outH - 1, Math.max(0, Math.floor((p.y - oy) / outPx))) : 0;
      drawReceptiveField(row, [r, col]);
    });
    const caption = document.createElement("p");
    caption.className = "muted small";
    const seen = two ? rfH + "×" + rfW : String(rfW);
    caption.textContent = "The output unit at " + (two ? "row " + uH + ", column " + uW : "step " + uW)
      + " (orange) sees " + seen + " input positions (blue)"
      + (padded ? "; the dashed part lies on the padding." : ".")
      + " Neighbouring units are " + pic.jump.join("×") + " input positions apart (the jump)."
      + (pic.aligned ? "" : " Branches on different grids merge here: the field shown is the widest.")
      + " Click the output grid to pick another unit.";
    box.replaceChildren(root, caption);
  }

  // -- tabs ----------------------------------------------------------------------------------------------
  function showTab(name) {
    state.tab = name;
    for (const b of document.querySelectorAll(".tabs button")) b.setAttribute("aria-selected", String(b.dataset.tab === name));
    for (const t of document.querySelectorAll(".tab")) t.hidden = t.id !== "tab-" + name;
    if (name === "diagram") drawDiagram();
  }

  // -- samples and uploads -------------------------------------------------------------------------
  async function loadSamples() {
    const list = await answer(await fetch("/api/samples"));
    const select = $("sample");
    for (const s of list) {
      const o = document.createElement("option");
      o.value = s.id;
      o.textContent = s.title;
      select.appendChild(o);
    }
  }

  async function loadSample(id) {
    if (!id) return;
    try {
      const s = await answer(await send("/api/samples/" + encodeURIComponent(id)));
      setText(s.text, s.format);
      $("sample").value = "";  // a menu: choosing the same model again loads it afresh
    } catch (err) { showError(err); }
  }

  function setText(text, format) {
    $("text").value = text;
    $("format").value = format || "auto";
    state.pins = {};
    state.modelName = null;
    state.selected = null;
    state.lastRows = {};
    $("text").scrollTop = 0;
    drawGutter([]);
    schedule(0);
  }

  async function upload(file) {
    try {
      const response = await send("/api/upload?name=" + encodeURIComponent(file.name), {
        method: "POST", headers: { "Content-Type": "application/octet-stream" }, body: file });
      const data = await answer(response);
      $("sample").value = "";
      setText(data.text, data.format);
      if (data.note) setStatus(data.note);
    } catch (err) { showError(err); }
  }

  // -- downloads ----------------------------------------------------------------------------------
  async function download(kind) {
    try {
      const response = await send("/api/export/" + kind, {
        method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(request()) });
      if (!response.ok) { await answer(response); return; }
      const disposition = response.headers.get("Content-Disposition") || "";
      const match = /filename="([^"]+)"/.exec(disposition);
      const blob = await response.blob();
      const a = document.createElement("a");
      a.href = URL.createObjectURL(blob);
      a.download = match ? match[1] : "archcalc-" + kind;
      document.body.appendChild(a);
      a.click();
      setTimeout(() => { URL.revokeObjectURL(a.href); a.remove(); }, 1000);
    } catch (err) { showError(err); }
  }

  // -- the calculator --------------------------------------------------------------------------------
  const LETTERS = { conv: "IOKSPD", pool: "IOKSP", transpose: "IOKSD" };
  let calcTimer = null;

  function calcFields() {
    const kind = $("calc-kind").value;
    $("calc-P-field").hidden = !LETTERS[kind].includes("P");
    $("calc-D-field").hidden = !LETTERS[kind].includes("D");
    $("calc-padding-field").hidden = kind !== "transpose";
  }

  async function solve() {
    const kind = $("calc-kind").value;
    const values = {};
    for (const k of LETTERS[kind]) {
      const input = $("calc-" + k);
      input.classList.remove("solved");
      if (input.value.trim() !== "") values[k] = input.value.trim();
    }
    const box = $("calc-result");
    try {
      const data = await post("/api/calc", { kind: kind, values: values, padding: $("calc-padding").value });
      const solved = data.derivations.map((d) => d.quantity);
      const line = document.createElement("p");
      line.className = "values";
      line.textContent = Object.entries(data.values).map(([k, v]) => k + " = " + v).join("   ");
      for (const k of LETTERS[kind]) {
        const input = $("calc-" + k);
        input.placeholder = values[k] === undefined ? String(data.values[k]) : "";
        if (values[k] === undefined && solved.includes(k)) input.classList.add("solved");
      }
      const parts = [line, ...data.derivations.map(derivationCard)];
      for (const n of data.notes) {
        const p = document.createElement("p");
        p.className = "muted small";
        p.textContent = n;
        parts.push(p);
      }
      box.replaceChildren(...parts);
      box.dataset.state = "ok";
    } catch (err) {
      const d = err.detail || { message: err.message };
      const div = document.createElement("div");
      div.className = "msg error";
      div.textContent = d.message;
      if (d.hint) {
        const hint = document.createElement("span");
        hint.className = "hint";
        hint.textContent = "hint: " + d.hint;
        div.appendChild(hint);
      }
      box.replaceChildren(div);
      box.dataset.state = "error";
    }
  }

  // -- the quiz -----------------------------------------------------------------------------------
  const QUIZ_COUNT = 5;

  function quizArgs() {
    return { topic: $("quiz-topic").value, count: QUIZ_COUNT, seed: parseInt($("quiz-seed").value, 10) || 0 };
  }

  async function newQuiz() {
    const args = quizArgs();
    const list = $("quiz-questions");
    let questions;
    try {
      questions = await answer(await fetch("/api/quiz?" + new URLSearchParams(args)));
    } catch (err) { list.textContent = err.message; return; }
    const items = questions.map((q) => {
      const li = document.createElement("li");
      const p = document.createElement("div");
      p.textContent = q.prompt;
      li.appendChild(p);
      const asks = document.createElement("div");
      asks.className = "asks";
      for (const ask of q.asks) {
        const label = document.createElement("label");
        label.className = "field";
        const span = document.createElement("span");
        span.textContent = ask;
        const input = document.createElement("input");
        input.dataset.number = q.number;
        input.dataset.ask = ask;
        input.placeholder = ask === "output shape" ? "e.g. (None, 28, 28, 8)" : "a number";
        const verdict = document.createElement("span");
        verdict.className = "verdict";
        verdict.setAttribute("aria-live", "polite");
        let t = null;
        input.addEventListener("input", () => {
          clearTimeout(t);
          t = setTimeout(async () => {
            if (!input.value.trim()) { verdict.textContent = ""; verdict.className = "verdict"; return; }
            try {
              const r = await post("/api/quiz/check", Object.assign(quizArgs(), { number: q.number, ask: ask, answer: input.value }));
              verdict.textContent = r.correct ? "✓" : "✗";
              verdict.className = "verdict " + (r.correct ? "right" : "wrong");
              verdict.title = r.correct ? "right" : "not yet";
            } catch (err) { verdict.textContent = "?"; verdict.title = err.message; }
          }, 250);
        });
        const wrap = document.createElement("span");
        wrap.append(input, document.createTextNode(" "), verdict);
        label.append(span, wrap);
        asks.appendChild(label);
      }
      const show = document.createElement("button");
      show.type = "button";
      show.className = "link";
      show.textContent = "Show the working";
      const working = document.createElement("div");
      working.className = "working";
      show.addEventListener("click", async () => {
        try {
          const r = await post("/api/quiz/check", Object.assign(quizArgs(), { number: q.number, ask: q.asks[0], answer: "", reveal: true }));
          const parts = [];
          for (const w of r.working) {
            const h = document.createElement("p");
            h.className = "muted small";
            h.textContent = w.heading;
            parts.push(h, ...w.derivations.map(derivationCard));
          }
          working.replaceChildren(...parts);
          show.hidden = true;
        } catch (err) { working.textContent = err.message; }
      });
      asks.appendChild(show);
      li.append(asks, working);
      return li;
    });
    list.replaceChildren(...items);
  }

  // -- wiring ----------------------------------------------------------------------------------------
  function init() {
    const t = $("text");
    t.addEventListener("input", () => { drawGutter(state.marks); schedule(); });
    t.addEventListener("scroll", syncScroll);
    t.addEventListener("keydown", (e) => {
      if (e.key === "Tab" && !e.shiftKey && !e.ctrlKey && !e.metaKey && !e.altKey) {
        e.preventDefault();
        const s = t.selectionStart;
        t.setRangeText("    ", s, t.selectionEnd, "end");
        t.dispatchEvent(new Event("input"));
      }
    });
    $("format").addEventListener("change", () => schedule(0));
    $("model-pick").addEventListener("change", (e) => { state.modelName = e.target.value; schedule(0); });
    $("sample").addEventListener("change", (e) => loadSample(e.target.value));
    $("upload").addEventListener("change", (e) => { if (e.target.files[0]) upload(e.target.files[0]); e.target.value = ""; });
    $("messages").addEventListener("click", (e) => {
      const m = e.target.closest(".msg[data-line]");
      if (m) goTo(parseInt(m.dataset.line, 10), parseInt(m.dataset.column, 10));
    });
    for (const b of document.querySelectorAll(".tabs button")) b.addEventListener("click", () => showTab(b.dataset.tab));
    for (const b of document.querySelectorAll("[data-export]")) b.addEventListener("click", () => download(b.dataset.export));
    $("calc-kind").addEventListener("change", () => { calcFields(); solve(); });
    $("calc-padding").addEventListener("change", solve);
    for (const k of "IOKSPD") {
      $("calc-" + k).addEventListener("input", () => { clearTimeout(calcTimer); calcTimer = setTimeout(solve, 300); });
    }
    $("quiz-new").addEventListener("click", () => {
      $("quiz-seed").value = String((parseInt($("quiz-seed").value, 10) || 0) + 1);
      newQuiz();
    });
    $("quiz-topic").addEventListener("change", newQuiz);
    calcFields();
    drawGutter([]);
    loadSamples().then(() => {
      if (!t.value.trim()) { $("sample").value = "cnn"; loadSample("cnn"); }
    }).catch(showError);
    solve();
    newQuiz();
  }

  document.addEventListener("DOMContentLoaded", init);
})();
