// The playground's network graph, as TensorFlow Playground draws it: a
// column of nodes a layer and a line a weight. The pointer over a line
// names its weight, over a node shows the node's map in the big plot; a
// click on a line (or Enter on the line chosen with the arrow keys) opens
// an editor that sets the weight through the engine. It draws what the
// engine posted (app.js keeps it in state) and sends only the edits.
'use strict';

// INPUT_MAPS are the inputs as functions of the point (x, y), for their
// nodes' maps.
const INPUT_MAPS = { x: (x) => x, y: (x, y) => y, x2: (x) => x * x, y2: (x, y) => y * y, xy: (x, y) => x * y, sinx: (x) => Math.sin(x), siny: (x, y) => Math.sin(y) };
const INPUT_LABELS = { x2: 'x²', y2: 'y²', xy: 'x·y', sinx: 'sin x', siny: 'sin y' };

// drawGraph draws the network as TensorFlow Playground does: a column of
// nodes a layer (each hidden unit's and input's map over the plane, the
// outputs in their classes' colours) and a line for each weight, blue
// above 0 and orange below (as TensorFlow Playground colours them), thicker and darker as |w| grows to 1 (or to the
// largest between the two columns, where one is larger); a weight under
// 1% of that is not drawn, so that L1 is seen thinning the network out.
function drawGraph() {
  const g = state.graph, canvas = $('graph');
  if (!g || !state.info) return;
  const cssW = canvas.getBoundingClientRect().width || 720, cssH = 320;
  const dpr = window.devicePixelRatio || 1;
  canvas.width = Math.round(cssW * dpr);
  canvas.height = Math.round(cssH * dpr);
  const ctx = canvas.getContext('2d');
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  ctx.fillStyle = '#fff';
  ctx.fillRect(0, 0, cssW, cssH);
  const columns = [g.inputs.length, ...g.edges.map((e) => e.to)];
  const top = 22, bottom = 6, side = 40;
  const x = (c) => side + (cssW - 2 * side) * c / (columns.length - 1);
  const gap = (cssW - 2 * side) / (columns.length - 1); // between columns: a node takes at most half, leaving the lines room
  const size = (c) => Math.max(3, Math.min(28, gap / 2, (cssH - top - bottom) / columns[c] - 3));
  const y = (c, j) => top + (cssH - top - bottom) * (j + 0.5) / columns[c];
  let edges = 0;
  let faint = 0;
  g.edges.forEach((e, c) => {
    const most = lineScale(e);
    for (const w of e.w) if (!drawnLine(w, most)) faint++;
    const x0 = x(c) + size(c) / 2, x1 = x(c + 1) - size(c + 1) / 2;
    for (let b = 1; b <= GRAPH_BUCKETS; b++) { // one path per colour and band of |w|: thousands of lines in a few strokes
      for (const positive of [true, false]) {
        ctx.beginPath();
        for (let j = 0; j < e.to; j++) {
          for (let i = 0; i < e.from; i++) {
            const w = e.w[j * e.from + i];
            if ((w > 0) !== positive || !drawnLine(w, most) || Math.ceil(Math.abs(w) / most * GRAPH_BUCKETS) !== b) continue;
            ctx.moveTo(x0, y(c, i));
            ctx.lineTo(x1, y(c + 1, j));
            edges++;
          }
        }
        const [r, gr, bl] = positive ? RGB[ABOVE] : RGB[BELOW];
        ctx.strokeStyle = `rgba(${r},${gr},${bl},${(0.12 + 0.78 * b / GRAPH_BUCKETS).toFixed(2)})`;
        ctx.lineWidth = 0.4 + 3.2 * b / GRAPH_BUCKETS;
        ctx.stroke();
      }
    }
  });
  const n = state.neuronGrid || 16;
  const plane = state.info.plane ? inputMaps(g.inputs, n) : null;
  const last = columns.length - 1;
  const surface = state.info.plane && !state.info.classes && state.view && state.view.values ? imageCanvas(valueImage(state.view.values, state.view.grid, state.valueScale)) : null;
  const off = document.createElement('canvas');
  off.width = off.height = n;
  const offCtx = off.getContext('2d');
  const curveCanvas = document.createElement('canvas'); // the 1-D set's units: curves over x, as their cards draw them
  curveCanvas.width = curveCanvas.height = 32;
  let nodes = 0;
  columns.forEach((units, c) => {
    const s = size(c);
    for (let j = 0; j < units; j++) {
      const cx = x(c) - s / 2, cy = y(c, j) - s / 2;
      let img = null;
      if (c === 0 && plane && state.info.bounds) img = plane[j];
      else if (c < last && c > 0) img = neuronImage(c - 1, j);
      const maps = !state.info.plane && c > 0 && c < last && state.neurons && state.neurons[c - 1];
      if (c === last && surface) { // a 2-D regression set's output: the prediction over the plane
        ctx.imageSmoothingEnabled = true;
        ctx.drawImage(surface, cx, cy, s, s);
      } else if (maps) {
        unitCurve(curveCanvas.getContext('2d'), 32, 32, maps.subarray(j * n, (j + 1) * n));
        ctx.imageSmoothingEnabled = true;
        ctx.drawImage(curveCanvas, cx, cy, s, s);
      } else if (img) {
        offCtx.putImageData(img, 0, 0); // one canvas for every node: drawImage copies it at once
        ctx.imageSmoothingEnabled = false;
        ctx.drawImage(off, cx, cy, s, s);
      } else {
        const classNode = c === last && state.info.classes && units > 1; // one output (logistic): a score, no class of its own
        ctx.fillStyle = classNode ? COLORS[j % COLORS.length] : '#c9ced8';
        ctx.fillRect(cx, cy, s, s);
      }
      ctx.strokeStyle = '#5b6475';
      ctx.lineWidth = 1;
      ctx.strokeRect(cx, cy, s, s);
      nodes++;
    }
  });
  ctx.fillStyle = '#5b6475';
  ctx.font = '12px system-ui, sans-serif';
  ctx.textAlign = 'center';
  const titles = columns.map((_, c) => c === 0 ? t('graphInputs') : c === columns.length - 1 ? t('graphOutputs') : `${t('layer')} ${c}`);
  const crowded = titles.some((title) => ctx.measureText(title).width > gap - 6); // a phone's deep network: numbers alone
  columns.forEach((units, c) => {
    const title = crowded && c > 0 && c < columns.length - 1 ? String(c) : titles[c];
    ctx.textAlign = crowded && c === 0 ? 'left' : crowded && c === columns.length - 1 ? 'right' : 'center';
    ctx.fillText(title, crowded && c === 0 ? 2 : crowded && c === columns.length - 1 ? cssW - 2 : x(c), 14);
  });
  ctx.textAlign = 'right';
  g.inputs.forEach((name, j) => ctx.fillText(INPUT_LABELS[name] || name, x(0) - size(0) / 2 - 4, y(0, j) + 4));
  ctx.textAlign = 'left';
  state.graphDrawn = { nodes, edges, faint, columns }; // for the tests
  state.graphGeom = { // where the nodes lie, in CSS pixels, for hovering (graphHit)
    xs: columns.map((_, c) => x(c)),
    ys: columns.map((units, c) => Array.from({ length: units }, (_, j) => y(c, j))),
    sizes: columns.map((_, c) => size(c)),
  };
  outlineChosenLine(ctx);
}

// lineSpan is where column c's lines begin and end across the graph, in
// CSS pixels: from its nodes' right edges to the next column's left.
function lineSpan(c) {
  const g = state.graphGeom;
  return [g.xs[c] + g.sizes[c] / 2, g.xs[c + 1] - g.sizes[c + 1] / 2];
}

// linePoint is where along (0 to 1) column c's line from node i to node j
// lies, in CSS pixels on the graph.
function linePoint(c, i, j, along) {
  const g = state.graphGeom, [x0, x1] = lineSpan(c);
  return [x0 + (x1 - x0) * along, g.ys[c][i] + (g.ys[c + 1][j] - g.ys[c][i]) * along];
}

// graphHit finds what lies under (px, py), CSS pixels on the graph: a
// node, or else the nearest line drawn within reach pixels (4 for a
// mouse, more for a finger). Returns {node: [c, j]} or {edge: [c, i, j]}
// (column c's node i to column c+1's node j), or null.
function graphHit(px, py, reach = 4) {
  const geom = state.graphGeom, g = state.graph;
  if (!geom || !g) return null;
  for (let c = 0; c < geom.xs.length; c++) {
    const half = geom.sizes[c] / 2;
    if (Math.abs(px - geom.xs[c]) > half) continue;
    const j = geom.ys[c].findIndex((yj) => Math.abs(py - yj) <= half);
    if (j >= 0) return { node: [c, j] };
  }
  let best = null, bestDist = reach;
  g.edges.forEach((_, c) => {
    const [x0, x1] = lineSpan(c);
    if (px < x0 || px > x1) return;
    const along = (px - x0) / (x1 - x0);
    for (const [i, j] of drawnLines(c)) { // a line not drawn is not there to hover or click
      const y0 = geom.ys[c][i], y1 = geom.ys[c + 1][j];
      const dist = Math.abs(py - (y0 + (y1 - y0) * along)) / Math.hypot(1, (y1 - y0) / (x1 - x0)); // to the line, not straight down
      if (dist < bestDist) { bestDist = dist; best = { edge: [c, i, j] }; }
    }
  });
  return best;
}

// graphNodeName names column c's node j: an input, a hidden layer's
// neuron or an output.
function graphNodeName(c, j) {
  const g = state.graph;
  if (c === 0) return `${t('graphInput')} ${INPUT_LABELS[g.inputs[j]] || g.inputs[j]}`;
  if (c === g.edges.length) return `${t('graphOutput')} ${j + 1}`;
  return `${t('layer')} ${c}, ${t('neuron')} ${j + 1}`;
}

// editWeight opens an editor over a clicked line of the graph, holding its
// weight, as TensorFlow Playground does: Enter sets it (setWeight),
// Escape or a click elsewhere leaves it.
function editWeight(e) {
  const r = $('graph').getBoundingClientRect();
  const hit = graphHit(e.clientX - r.left, e.clientY - r.top, e.pointerType === 'touch' ? 12 : 4);
  if (!hit || !hit.edge) {
    closeWeightEditor();
    return;
  }
  openWeightEditor(hit.edge, e.clientX, e.clientY, false);
}

// openWeightEditor opens the editor on a line at (x, y) on the page; byKeys
// gives the focus back to the graph when it closes.
function openWeightEditor(line, x, y, byKeys) {
  const box = $('weight-edit');
  if (maxoutLine(line[0]) || state.shown !== state.asked) { // a maxout line stands for several pieces' weights (its tooltip says so); while a new run is on its way the graph is the old one's
    closeWeightEditor();
    return;
  }
  const [c, i, j] = line, edge = state.graph.edges[c];
  box.classList.remove('invalid');
  box.dataset.edge = JSON.stringify(line);
  box.dataset.run = state.shown;
  box.dataset.byKeys = byKeys ? '1' : '';
  box.value = box.dataset.was = edge.w[j * edge.from + i].toFixed(3);
  box.title = `${graphNodeName(c, i)} → ${graphNodeName(c + 1, j)}`;
  box.style.left = Math.min(x + 8, window.innerWidth - 130) + 'px';
  box.style.top = (y - 16) + 'px';
  box.hidden = false;
  $('tooltip').hidden = true;
  box.focus();
  box.select();
}

// setWeight sends the edited weight to the engine, which sets it and
// draws the network with it; a weight left as it was shown is not sent
// (it would undo the training since, rounded).
function setWeight() {
  const box = $('weight-edit');
  if (box.hidden || !box.dataset.edge) return; // sent already (Enter, then the change as the box closes), or closed
  const w = Number(box.value);
  if (box.value.trim() === '' || !Number.isFinite(w)) { // said where the eye is: the editor stays, marked, the reason beneath it
    box.classList.add('invalid');
    box.setAttribute('aria-invalid', 'true');
    $('graph-said').textContent = t('weightNotNumber'); // said too, not only shown
    const tip = $('tooltip'), r = box.getBoundingClientRect();
    tip.textContent = t('weightNotNumber');
    tip.style.left = r.left + 'px';
    tip.style.top = (r.bottom + 4) + 'px';
    tip.hidden = false;
    return;
  }
  const [c, i, j] = JSON.parse(box.dataset.edge), run = Number(box.dataset.run);
  const changed = box.value !== box.dataset.was, byKeys = box.dataset.byKeys === '1';
  closeWeightEditor();
  if (!changed) return;
  if (byKeys) state.sayWeightSet = { line: [c, i, j], w: Math.fround(w) }; // said once the engine's graph holds it
  send({ type: 'setWeight', c, to: j, from: i, w, run });
}

// closeWeightEditor hides the editor and forgets its line; opened from the
// keys, it gives the focus back to the graph, on the same line.
function closeWeightEditor() {
  const box = $('weight-edit');
  const back = !box.hidden && box.dataset.byKeys === '1';
  box.hidden = true;
  box.removeAttribute('aria-invalid');
  delete box.dataset.edge;
  box.dataset.byKeys = '';
  $('tooltip').hidden = true;
  if (back) $('graph').focus();
}

// ---- the keys -------------------------------------------------------------
// The graph takes the focus (Tab); ←/→ choose a column of lines, ↑/↓ a line
// in it (of those drawn), which is outlined and named; Enter opens the
// editor on it, Escape lets it go.

// drawnLines are column c's drawn lines as [i, j], in order of j, then i.
function drawnLines(c) {
  const e = state.graph.edges[c], most = lineScale(e), out = [];
  for (let j = 0; j < e.to; j++) for (let i = 0; i < e.from; i++) if (drawnLine(e.w[j * e.from + i], most)) out.push([i, j]);
  return out;
}

// graphKey moves the chosen line, or acts on it.
function graphKey(e) {
  const g = state.graph;
  if (!g || !state.graphGeom || !g.edges.length) return;
  const move = { ArrowLeft: [-1, 0], ArrowRight: [1, 0], ArrowUp: [0, -1], ArrowDown: [0, 1] }[e.key];
  const chosen = state.graphLine;
  if (e.key === 'Enter' && chosen) {
    const [x, y] = linePoint(...chosen, 0.3), r = $('graph').getBoundingClientRect();
    openWeightEditor(chosen, r.left + x, r.top + y, true);
  } else if (e.key === 'Escape') {
    chooseLine(null);
  } else if (move) {
    let c = chosen ? Math.min(Math.max(chosen[0] + move[0], 0), g.edges.length - 1) : 0;
    let lines = drawnLines(c);
    for (let tries = 0; !lines.length && tries < g.edges.length; tries++) { // a column with none drawn: the next that has
      c = (c + (move[0] || 1) + g.edges.length) % g.edges.length;
      lines = drawnLines(c);
    }
    if (!lines.length) return;
    const at = chosen ? lines.findIndex(([i, j]) => i === chosen[1] && j === chosen[2]) : -1;
    const k = at < 0 ? 0 : Math.min(Math.max(at + move[1], 0), lines.length - 1);
    chooseLine([c, ...lines[k]]);
  } else {
    return;
  }
  e.preventDefault();
}

// chooseLine makes line ([c, i, j], or null) the chosen one: outlined on
// the graph and named beside it, and said where say (a key chose it).
function chooseLine(line, say = true) {
  state.graphLine = line;
  drawGraph();
  const tip = $('tooltip');
  if (say) $('graph-said').textContent = line ? lineText(...line) : ''; // the line chosen, said: the tooltip is only seen
  if (!line) {
    tip.hidden = true;
    return;
  }
  const [x, y] = linePoint(...line, 0.3), r = $('graph').getBoundingClientRect();
  tip.textContent = lineText(...line);
  showTip(tip, r.left + x, r.top + y);
}

// outlineChosenLine draws the line chosen by the keys over the others,
// while the graph has the focus.
function outlineChosenLine(ctx) {
  const line = state.graphLine, g = state.graph;
  if (!line || document.activeElement !== $('graph')) return;
  const [c, i, j] = line;
  if (c >= g.edges.length || i >= g.edges[c].from || j >= g.edges[c].to) return; // the network changed under it
  ctx.beginPath();
  ctx.moveTo(...linePoint(c, i, j, 0));
  ctx.lineTo(...linePoint(c, i, j, 1));
  ctx.strokeStyle = '#1d2330';
  ctx.lineWidth = 3;
  ctx.setLineDash([6, 4]);
  ctx.stroke();
  ctx.setLineDash([]);
}

// lineText names a line's weight and its two ends.
function lineText(c, i, j) {
  const edge = state.graph.edges[c];
  const maxout = maxoutLine(c) ? ` (${t('largestPiece')})` : '';
  return `${t('weight')} ${edge.w[j * edge.from + i].toFixed(3)}${maxout}: ${graphNodeName(c, i)} → ${graphNodeName(c + 1, j)}`;
}

// maxoutLine is whether the graph's column c of lines leads into a maxout
// layer: each line stands for the largest of a unit's pieces' weights.
function maxoutLine(c) {
  return !!(state.layers && state.layers[c] && state.layers[c].act === 'maxout');
}

// refreshGraph draws the graph anew; the line chosen from the keys, while
// the graph has the focus, is named again with its weight as the engine
// now has it (set by hand, or moved by training), which draws it too.
function refreshGraph() {
  if (state.graphLine && document.activeElement === $('graph')) chooseLine(state.graphLine, weightSetNow()); // its new weight shown, not said each view
  else drawGraph();
}

// weightSetNow reports whether the graph now holds the weight the keys set
// on the line chosen (state.sayWeightSet), once: a screen reader hears the
// new weight when the engine has it, not the old one it announced before.
function weightSetNow() {
  const set = state.sayWeightSet, line = state.graphLine;
  if (!set || !state.graph || set.line.join() !== line.join()) return false;
  const edge = state.graph.edges[line[0]];
  if (!edge || Math.fround(edge.w[line[2] * edge.from + line[1]]) !== set.w) return false;
  state.sayWeightSet = null;
  return true;
}

// showGraphTip says what the pointer is over on the graph: a line's
// weight and its ends, or a node's name.
function showGraphTip(e) {
  const canvas = $('graph'), tip = $('tooltip');
  const r = canvas.getBoundingClientRect();
  const hit = graphHit(e.clientX - r.left, e.clientY - r.top);
  setPeek(hit && hit.node ? hit.node : null);
  if (!hit) {
    tip.hidden = true;
    canvas.style.cursor = '';
    return;
  }
  tip.textContent = hit.node ? graphNodeName(...hit.node) : lineText(...hit.edge);
  const [c, j] = hit.node || [];
  const picture = hit.node && c > 0 && c < state.graph.edges.length ? unitPicture(c - 1, j) : null; // a hidden unit's map beside the pointer
  if (picture) tip.append(picture);
  canvas.style.cursor = hit.edge && !maxoutLine(hit.edge[0]) ? 'pointer' : '';
  showTip(tip, e.clientX, e.clientY);
}

const GRAPH_BUCKETS = 8;

// lineScale is the |w| at which a column's lines are drawn their thickest:
// 1, or the column's largest weight where one is larger.
function lineScale(e) {
  let most = 1;
  for (const w of e.w) most = Math.max(most, Math.abs(w));
  return most;
}

// drawnLine is whether a weight's line is drawn: not under 1% of its
// column's scale, so that weights L1 brings near 0 vanish.
function drawnLine(w, most) {
  return Math.abs(w) >= 0.01 * most;
}

// inputMaps are the inputs' values over the plane's n×n grid (as the
// neuron maps lay it out), as images.
function inputMaps(names, n) {
  const b = state.info.bounds;
  return names.map((name) => {
    const f = INPUT_MAPS[name] || (() => 0);
    const values = new Float32Array(n * n);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) {
        const px = b.xmin + (b.xmax - b.xmin) * (j + 0.5) / n;
        const py = b.ymax - (b.ymax - b.ymin) * (i + 0.5) / n;
        values[i * n + j] = f(px, py);
      }
    }
    return mapImage(values, n);
  });
}
