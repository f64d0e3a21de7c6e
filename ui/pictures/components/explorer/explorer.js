// The window explorer (ui/explorer.py builds its payload). This file only indexes and
// draws what Python sends: the tap map's arrays are read, never computed. Per axis,
// index[i * k + a] is the padded row (column) tap a of output row i reads, and
// by_cell[cell_ptr[r] .. cell_ptr[r + 1]] are the i * k + a reading padded row r; a 2-D
// window is a row window times a column window (see ui/explorer.py).

const STATE = new WeakMap(); // root element -> its explorer (the function runs on every rerun)

export default function (component) {
  const { data, parentElement, setTriggerValue } = component;
  let root = parentElement.querySelector(".cx-root");
  if (!root) {
    root = document.createElement("div");
    root.className = "cx-root";
    parentElement.appendChild(root);
  }
  const { pick, ...rest } = data;
  const sig = JSON.stringify(rest);
  let ex = STATE.get(root);
  if (!ex || ex.sig !== sig) {
    if (ex) ex.stop();
    ex = build(root, data);
    ex.sig = sig;
    STATE.set(root, ex);
  }
  ex.send = setTriggerValue;
  ex.serverPick(pick);
  return () => ex.stop();
}

function fill(template, values) {
  return String(template || "").replace(/\{(\w+)\}/g, (m, name) =>
    name in values ? String(values[name]) : m);
}

// The words for `key` given the numbers: "<key>_outside" for a cell outside its space's
// box (padding, a cropped cell), "<key>_one" where the template's first count is 1.
function pickWords(words, key, values, outside) {
  const base = outside && words[`${key}_outside`] ? `${key}_outside` : key;
  const first = /\{([nmq])\}/.exec(words[base] || "");
  const one = first && values[first[1]] === 1 ? words[`${base}_one`] : null;
  return fill(one || words[base], values);
}

function el(tag, cls, text) {
  const node = document.createElement(tag);
  if (cls) node.className = cls;
  if (text !== undefined) node.textContent = text;
  return node;
}

function build(root, data) {
  root.textContent = "";
  const words = data.words || {};
  const spaces = data.spaces;
  // Each space's box [top, left, rows, cols]: the input inside its padding, the real
  // output inside the canvas. Coordinates a learner reads count from the box's corner.
  const boxes = data.boxes || {};
  const boxOf = (space) => boxes[space] || [0, 0, ...spaces[space]];
  function inBox(space, k) {
    const [top, left, h, w] = boxOf(space);
    const r = Math.floor(k / spaces[space][1]) - top;
    const c = (k % spaces[space][1]) - left;
    return r >= 0 && r < h && c >= 0 && c < w;
  }
  function coords(space, k) {
    const [top, left] = boxOf(space);
    return { row: Math.floor(k / spaces[space][1]) - top, col: (k % spaces[space][1]) - left };
  }
  const pickSpace = data.pick_space || "output";
  const [pickRows, pickCols] = spaces[pickSpace];
  const ex = {
    panels: [], byId: {}, marks: [], cursor: 0, picked: null, hover: null,
    playing: false, speed: 8, steps: 0, draws: 0, frame: 0, last: 0, send: null, sig: "",
  };

  // ---- toolbar: Play, Step, speed; the hint; the status line ---------------------------
  const bar = el("div", "cx-bar");
  const play = el("button", "cx-play", words.play || "Play");
  play.type = "button";
  const stepBtn = el("button", "cx-step", words.step || "Step");
  stepBtn.type = "button";
  const speedLabel = el("label", "cx-speed");
  const speed = el("input");
  speed.type = "range";
  speed.min = "1";
  speed.max = "60";
  speed.value = String(ex.speed);
  const speedText = el("span", "", fill(words.speed_value, { n: ex.speed }));
  speedLabel.append(el("span", "", words.speed || "Speed"), speed, speedText);
  bar.append(play, stepBtn, speedLabel);
  const hint = el("div", "cx-hint", words.hint || "");
  const status = el("div", "cx-status");
  status.id = "cx-status";
  status.setAttribute("aria-live", "polite");
  root.append(bar, hint, status); // the status line stays in view above the panels

  // ---- the panels ---------------------------------------------------------------------------
  const rowsBox = el("div", "cx-rows");
  for (const row of data.rows) {
    const rowBox = el("div", "cx-row");
    for (const p of row) {
      const fig = el("div", "cx-fig");
      fig.append(el("div", "cx-title", p.title));
      const grid = el("div", "cx-grid");
      grid.dataset.panel = p.id;
      grid.style.gridTemplateColumns = `repeat(${p.cols}, ${p.px}px)`;
      grid.style.gridAutoRows = `${p.px}px`;
      grid.style.fontSize = `${p.font}px`; // numbers only where they fit at >= 10 px
      grid.style.setProperty("--cx-ring", p.px >= 16 ? "3px" : "2px"); // small cells: thin
      const shown = p.show ? p.fields[p.show] : null;
      const parts = new Array(p.rows * p.cols);
      for (let k = 0; k < parts.length; k++) {
        const f = p.fill[k];
        const text = shown ? escapeHtml(shown[k]) : "";
        parts[k] = `<div data-k="${k}" style="background:${p.palette[f]};color:${p.ink[f]}">${text}</div>`;
      }
      grid.innerHTML = parts.join("");
      const label = p.title;
      grid.setAttribute("aria-label", label);
      const pickable = p.space === pickSpace;
      if (pickable) {
        grid.classList.add("cx-pick");
        grid.tabIndex = 0;
        grid.setAttribute("aria-describedby", "cx-status");
      }
      fig.append(grid);
      rowBox.append(fig);
      const panel = { p, grid, cells: grid.children, pickable };
      ex.panels.push(panel);
      ex.byId[p.id] = panel;
    }
    rowsBox.append(rowBox);
  }
  root.append(rowsBox);
  if (data.legend && data.legend.length) {
    const leg = el("div", "cx-leg");
    for (const [colour, label, kind] of data.legend) {
      const item = el("span");
      const sw = el("i", kind === "outline" ? "cx-outline" : "");
      if (kind !== "outline") sw.style.background = colour;
      else sw.style.borderColor = colour;
      item.append(sw, document.createTextNode(label));
      leg.append(item);
    }
    root.append(leg);
  }

  // ---- what a cell links to: slices of the tap map's two axes --------------------------------
  // Returns {space: [[k, tap], ...]} for every space; the active cell itself has tap -1.
  const [rowAxis, colAxis] = data.axes;
  const [outRows, outCols] = spaces.output;
  const [kh, kw] = spaces.kernel;
  const padCols = spaces.input[1];
  function links(space, k) {
    const out = { output: [], input: [], kernel: [] };
    out[space].push([k, -1]);
    if (space === "output") { // output (i, j) tap (a, b) reads (rows[i, a], cols[j, b])
      const i = Math.floor(k / outCols);
      const j = k % outCols;
      for (let a = 0; a < kh; a++) {
        const r = rowAxis.index[i * kh + a];
        for (let b = 0; b < kw; b++) {
          out.input.push([r * padCols + colAxis.index[j * kw + b], a * kw + b]);
        }
      }
    } else if (space === "input") { // row r's readers times column c's readers
      const r = Math.floor(k / padCols);
      const c = k % padCols;
      const seen = new Set();
      for (let x = rowAxis.cell_ptr[r]; x < rowAxis.cell_ptr[r + 1]; x++) {
        const ia = rowAxis.by_cell[x];
        for (let y = colAxis.cell_ptr[c]; y < colAxis.cell_ptr[c + 1]; y++) {
          const jb = colAxis.by_cell[y];
          const a = (ia % kh) * kw + (jb % kw);
          out.output.push([Math.floor(ia / kh) * outCols + Math.floor(jb / kw), a]);
          if (!seen.has(a)) { seen.add(a); out.kernel.push([a, a]); }
        }
      }
    } else { // kernel tap (a, b): the cell it reads in every window
      const a = Math.floor(k / kw);
      const b = k % kw;
      for (let i = 0; i < outRows; i++) {
        const r = rowAxis.index[i * kh + a];
        for (let j = 0; j < outCols; j++) {
          out.input.push([r * padCols + colAxis.index[j * kw + b], k]);
        }
      }
    }
    return out;
  }

  // The numbers a status line states: n the links, m those inside the other space's box,
  // q (a kernel tap) the taps of in-box outputs that land inside the input's box.
  function counts(space, linked) {
    if (space === "output") {
      const n = linked.input.length;
      return { n, m: linked.input.filter(([k]) => inBox("input", k)).length };
    }
    if (space === "input") {
      const n = linked.output.length;
      return { n, m: linked.output.filter(([k]) => inBox("output", k)).length };
    }
    let m = 0;
    let q = 0;
    linked.input.forEach(([k], o) => { // one link per output cell, in order
      if (!inBox("output", o)) return;
      m += 1;
      if (inBox("input", k)) q += 1;
    });
    return { n: linked.input.length, m, q };
  }
  root.cxLinks = links; // for tests: the decoding itself, run in the browser

  function clearMarks() {
    for (const [node, badge] of ex.marks) {
      node.classList.remove("cx-on", "cx-tap");
      if (badge) badge.remove();
    }
    ex.marks = [];
  }

  function draw() {
    const active = ex.playing || !ex.hover ? { space: pickSpace, k: ex.cursor } : ex.hover;
    clearMarks();
    const linked = links(active.space, active.k);
    for (const panel of ex.panels) {
      const list = linked[panel.p.space];
      const weights = panel.p.weights ? ex.byId[panel.p.weights] : null;
      const room = panel.p.badges; // weight labels only where they fit at 10 px
      for (const [k, a] of list) {
        const node = panel.cells[k];
        if (!node) continue;
        const isActive = panel.p.space === active.space && a === -1;
        node.classList.add(isActive ? "cx-on" : "cx-tap");
        let badge = null;
        if (!isActive && weights && a >= 0 && room) {
          badge = el("span", "cx-w", weights.p.fields.value[a]);
          node.append(badge);
        }
        ex.marks.push([node, badge]);
      }
    }
    const cols = spaces[active.space][1];
    status.textContent = pickWords(words, `status_${active.space}`,
      { ...coords(active.space, active.k), ...counts(active.space, linked) },
      !inBox(active.space, active.k));
    ex.draws += 1;
    root.dataset.active = `${active.space}:${Math.floor(active.k / cols)},${active.k % cols}`;
    root.dataset.draws = String(ex.draws);
    root.dataset.steps = String(ex.steps);
  }

  function markPicked() {
    for (const panel of ex.panels) {
      if (!panel.pickable) continue;
      for (const node of panel.grid.querySelectorAll(".cx-picked")) node.classList.remove("cx-picked");
      if (ex.picked !== null && panel.cells[ex.picked]) panel.cells[ex.picked].classList.add("cx-picked");
    }
    root.dataset.picked = ex.picked === null ? "" : `${Math.floor(ex.picked / pickCols)},${ex.picked % pickCols}`;
  }

  function tip(panel, node) {
    if (node.title) return;
    const k = Number(node.dataset.k);
    const p = panel.p;
    const values = coords(p.space, k);
    for (const [name, list] of Object.entries(p.fields)) values[name] = list[k];
    if (p.names) values.role = p.names[p.fill[k]];
    node.title = fill(p.tip, values);
  }

  // ---- the learner's hand -----------------------------------------------------------------
  function pickCell(k) {
    ex.cursor = k;
    ex.picked = k;
    markPicked();
    draw();
    if (ex.send) ex.send("pick", [Math.floor(k / pickCols), k % pickCols]);
  }

  function moveCursor(k) {
    ex.cursor = k;
    draw();
  }

  for (const panel of ex.panels) {
    const { grid } = panel;
    grid.addEventListener("mouseover", (e) => {
      const node = e.target.closest("[data-k]");
      if (!node || node.parentNode !== grid) return;
      tip(panel, node);
      const k = Number(node.dataset.k);
      if (ex.hover && ex.hover.space === panel.p.space && ex.hover.k === k) return;
      ex.hover = { space: panel.p.space, k };
      draw();
    });
    grid.addEventListener("mouseleave", () => {
      ex.hover = null;
      draw();
    });
    if (!panel.pickable) continue;
    grid.addEventListener("click", (e) => {
      const node = e.target.closest("[data-k]");
      if (!node || node.parentNode !== grid) return;
      ex.hover = null;
      pickCell(Number(node.dataset.k));
    });
    grid.addEventListener("focus", () => {
      ex.hover = null;
      draw();
    });
    grid.addEventListener("keydown", (e) => {
      const r = Math.floor(ex.cursor / pickCols);
      const c = ex.cursor % pickCols;
      const moves = {
        ArrowUp: [Math.max(r - 1, 0), c], ArrowDown: [Math.min(r + 1, pickRows - 1), c],
        ArrowLeft: [r, Math.max(c - 1, 0)], ArrowRight: [r, Math.min(c + 1, pickCols - 1)],
        Home: [r, 0], End: [r, pickCols - 1],
      };
      if (e.key in moves) {
        e.preventDefault();
        const [nr, nc] = moves[e.key];
        ex.hover = null;
        moveCursor(nr * pickCols + nc);
      } else if (e.key === "Enter" || e.key === " ") {
        e.preventDefault();
        pickCell(ex.cursor);
      }
    });
  }

  // ---- Play: the window slides over every position of the pick space, in order ------------
  const total = pickRows * pickCols;
  function step() {
    ex.cursor = (ex.cursor + 1) % total;
    ex.steps += 1;
    draw();
  }
  function tick(now) {
    if (!ex.playing) return;
    const every = 1000 / ex.speed;
    if (now - ex.last >= every) {
      // Catch up without piling steps on a slow frame: at most one step per frame.
      ex.last = now - Math.min(now - ex.last - every, every);
      step();
      if (ex.cursor === total - 1) {
        setPlaying(false);
        return;
      }
    }
    ex.frame = requestAnimationFrame(tick);
  }
  function setPlaying(on) {
    ex.playing = on;
    play.textContent = on ? (words.pause || "Pause") : (words.play || "Play");
    play.setAttribute("aria-pressed", on ? "true" : "false");
    root.dataset.playing = on ? "1" : "0";
    cancelAnimationFrame(ex.frame);
    if (on) {
      if (ex.cursor === total - 1) { ex.cursor = 0; draw(); } // start over from the first
      ex.last = performance.now();
      ex.frame = requestAnimationFrame(tick);
    } else {
      draw();
    }
  }
  play.addEventListener("click", () => setPlaying(!ex.playing));
  stepBtn.addEventListener("click", () => {
    if (ex.playing) setPlaying(false);
    step();
  });
  speed.addEventListener("input", () => {
    ex.speed = Number(speed.value);
    speedText.textContent = fill(words.speed_value, { n: ex.speed });
  });

  ex.serverPick = (cell) => {
    if (Array.isArray(cell)) {
      const k = cell[0] * pickCols + cell[1];
      if (k !== ex.picked) {
        ex.picked = k;
        if (!ex.playing) ex.cursor = k;
      }
    } else {
      ex.picked = null;
    }
    markPicked();
    draw();
  };
  ex.stop = () => {
    ex.playing = false;
    cancelAnimationFrame(ex.frame);
  };
  return ex;
}

function escapeHtml(text) {
  return String(text).replace(/[&<>"]/g, (ch) =>
    ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[ch]);
}
