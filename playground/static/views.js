// The playground's views: the decision regions, the loss curves, and
// inside the network each layer's lens and neurons (the network's graph is
// graph.js, the layers' health chart health.js).
// They draw what the engine posted (app.js keeps it in state); nothing here
// changes the run.
'use strict';

// COLORS are the classes' colours (and orange above 0, blue below).
const COLORS = ['#e69f00', '#0072b2', '#009e73', '#cc79a7', '#d55e00', '#56b4e9', '#f0e442', '#000000'];

// ---- drawing ----------------------------------------------------------------

function hexToRGB(hex) {
  const n = parseInt(hex.slice(1), 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
}
const RGB = COLORS.map(hexToRGB);

function drawRegions() {
  const peek = peekImage(), name = peek ? graphNodeName(...state.peek) : '';
  drawRegionsOn($('regions'), state.view, peek);
  $('regions').dataset.peek = name; // for the tests
  if (peek) peekLabel($('regions'), name);
  if (state.view && state.view.twin) drawRegionsOn($('regions-compare'), state.view.twin);
}

// peekImage is the map of the graph's node under the pointer (an input or
// a hidden neuron), which the plot shows in place of the network's output
// while it is hovered, as TensorFlow Playground does; null for none.
function peekImage() {
  const peek = state.peek, g = state.graph;
  if (!peek || !g || !state.info || !state.info.plane) return null;
  const [c, j] = peek;
  if (c === 0) return j < g.inputs.length ? inputMaps([g.inputs[j]], state.neuronGrid || 16)[0] : null; // (a node of a graph since redrawn: none)
  return c < g.edges.length && j < g.edges[c - 1].to ? neuronImage(c - 1, j) : null;
}

// neuronImage is hidden layer k's unit j's map over the plane, as the
// layers' cards, the graph's nodes and the plot show it; null before the
// engine has sent the maps.
function neuronImage(k, j) {
  if (state.info && !state.info.plane) return null; // the 1-D set's units are curves (drawNeuron)
  const maps = state.neurons && state.neurons[k], n = state.neuronGrid || 16;
  return maps ? mapImage(maps.subarray(j * n * n, (j + 1) * n * n), n) : null;
}

// setPeek shows the map of column c's node j in the plot (null: the
// network's output again).
function setPeek(node) {
  if (JSON.stringify(node) === JSON.stringify(state.peek)) return;
  state.peek = node;
  drawRegions();
}

// peekLabel names the node whose map the plot shows, in its top left
// corner (a caption above would move the plot while the pointer moves),
// smaller where the plot is shown narrow (two side by side on a phone).
function peekLabel(canvas, text) {
  const ctx = canvas.getContext('2d');
  let s = shownScale(canvas);
  ctx.font = `${Math.round(13 * s)}px system-ui, sans-serif`;
  s *= Math.min(1, canvas.width / 2 / (ctx.measureText(text).width + 12 * s));
  ctx.font = `${Math.round(13 * s)}px system-ui, sans-serif`;
  const w = ctx.measureText(text).width;
  ctx.fillStyle = 'rgba(29,35,48,.85)';
  ctx.fillRect(6 * s, 6 * s, w + 12 * s, 22 * s);
  ctx.fillStyle = '#fff';
  ctx.fillText(text, 12 * s, 22 * s);
}

function drawRegionsOn(canvas, view, peek) {
  const ctx = canvas.getContext('2d');
  const W = canvas.width, H = canvas.height;
  ctx.fillStyle = '#fff';
  ctx.fillRect(0, 0, W, H);
  const info = state.info;
  if (!info) return;
  const b = info.bounds;
  const curve = !info.plane; // the 1-D regression set: a curve over x
  const valued = info.plane && !info.classes; // a 2-D regression set: cells and points coloured by value
  if (peek) drawCells(ctx, peek, W, H);
  else if (valued && view && view.values) drawCells(ctx, valueImage(view.values, view.grid, state.valueScale), W, H); // (a view of the run before is not drawn over a new set)
  if (!peek && view && view.cells) {
    const n = view.grid;
    const img = new ImageData(n, n);
    const k = Math.max(info.classes, 2);
    for (let i = 0; i < n * n; i++) {
      const [r, g, bl] = RGB[view.cells[2 * i] % RGB.length];
      const strength = state.discrete ? 1 : Math.max(0, (view.cells[2 * i + 1] / 255 - 1 / k) / (1 - 1 / k));
      const a = 0.12 + 0.5 * strength;
      img.data[4 * i] = Math.round(255 * (1 - a) + r * a);
      img.data[4 * i + 1] = Math.round(255 * (1 - a) + g * a);
      img.data[4 * i + 2] = Math.round(255 * (1 - a) + bl * a);
      img.data[4 * i + 3] = 255;
    }
    drawCells(ctx, img, W, H);
  }
  const px = (x) => (x - b.xmin) / (b.xmax - b.xmin) * W;
  const py = (y) => (b.ymax - y) / (b.ymax - b.ymin) * H;
  drawAxes(ctx, px, py, W, H);
  if (curve && view && view.curve) {
    ctx.strokeStyle = COLORS[1];
    ctx.lineWidth = 3;
    ctx.beginPath();
    view.curve.forEach((y, i) => {
      const x = b.xmin + (b.xmax - b.xmin) * i / (view.curve.length - 1);
      if (i === 0) ctx.moveTo(px(x), py(y)); else ctx.lineTo(px(x), py(y));
    });
    ctx.stroke();
  }
  const dot = (p, test) => {
    if (valued) {
      valueDot(ctx, px(p.x), py(p.y), p.value || 0, test);
      return;
    }
    ctx.beginPath();
    ctx.arc(px(p.x), py(p.y), test ? 3.6 : 3.4, 0, 2 * Math.PI);
    const color = curve ? '#1d2330' : COLORS[p.label % COLORS.length];
    if (test) {
      ctx.fillStyle = '#fff';
      ctx.fill();
      ctx.lineWidth = 2;
      ctx.strokeStyle = color;
    } else {
      ctx.fillStyle = color;
      ctx.fill();
      ctx.lineWidth = 1;
      ctx.strokeStyle = '#fff';
    }
    ctx.stroke();
  };
  for (const p of info.train) dot(p, false);
  if (state.showTest) for (const p of info.test) dot(p, true);
  drawTicks(ctx, px, py, W, H, b);
}

// drawCells draws an image of the plot's n×n cells over the whole canvas,
// smoothly unless the output is discretised (each cell's own colour,
// edges and all).
function drawCells(ctx, img, W, H) {
  ctx.imageSmoothingEnabled = !state.discrete;
  ctx.drawImage(imageCanvas(img), 0, 0, W, H);
}

// imageCanvas is an offscreen canvas holding img, for drawImage to scale.
function imageCanvas(img) {
  const off = document.createElement('canvas');
  off.width = img.width;
  off.height = img.height;
  off.getContext('2d').putImageData(img, 0, 0);
  return off;
}

// valueRGB is a value's colour on the scale the plot shares between the
// network's predictions and the points: orange above 0, blue below,
// white at 0, full at ±scale. Discretised, only the sign shows.
function valueRGB(v, scale, discrete = state.discrete) {
  const [r, g, b] = v >= 0 ? RGB[0] : RGB[1];
  const a = discrete ? (v === 0 ? 0 : 0.75) : Math.min(1, Math.abs(v) / scale);
  return [255 * (1 - a) + r * a, 255 * (1 - a) + g * a, 255 * (1 - a) + b * a].map(Math.round);
}

// valueImage colours n×n values over the plane by valueRGB: a 2-D
// regression set's predictions, or a neuron's map (mapImage).
function valueImage(values, n, scale, discrete = state.discrete) {
  const img = new ImageData(n, n);
  for (let c = 0; c < n * n; c++) {
    const [r, g, b] = valueRGB(values[c], scale, discrete);
    img.data.set([r, g, b, 255], 4 * c);
  }
  return img;
}

// valueDot draws a point of a 2-D regression set in its value's colour,
// outlined so that it stands out from the predictions behind it: a dot
// for training, a square for test.
function valueDot(ctx, x, y, v, test) {
  const [r, g, b] = valueRGB(v, state.valueScale);
  ctx.beginPath();
  if (test) ctx.rect(x - 3.6, y - 3.6, 7.2, 7.2);
  else ctx.arc(x, y, 3.6, 0, 2 * Math.PI);
  ctx.fillStyle = `rgb(${r},${g},${b})`;
  ctx.fill();
  ctx.lineWidth = 1;
  ctx.strokeStyle = '#1d2330';
  ctx.stroke();
}

// shownScale is how many of canvas's pixels one CSS pixel of the page
// shows: its lettering is that many times 12 pixels high to read at 12 on
// the page, whatever width the layout gives it.
function shownScale(canvas) {
  const shown = canvas.getBoundingClientRect().width;
  return shown > 0 ? canvas.width / shown : 1;
}

function drawAxes(ctx, px, py, W, H) {
  ctx.strokeStyle = 'rgba(29,35,48,.25)';
  ctx.lineWidth = 1;
  ctx.beginPath();
  ctx.moveTo(px(0), 0); ctx.lineTo(px(0), H);
  ctx.moveTo(0, py(0)); ctx.lineTo(W, py(0));
  ctx.stroke();
}

// drawTicks marks the plot's bottom and left edges with values, over the
// points, so that a place reads as numbers (an uploaded set's own scale
// too). Ticks near the corners are left out: their labels would meet
// each other or the name of the node shown.
function drawTicks(ctx, px, py, W, H, b) {
  const s = shownScale(ctx.canvas);
  ctx.font = `${Math.round(11 * s)}px system-ui, sans-serif`;
  ctx.lineJoin = 'round';
  for (const v of ticks(b.xmin, b.xmax, W / (64 * s))) {
    const x = px(v);
    if (x < 34 * s || x > W - 14 * s) continue;
    tickMark(ctx, x, H, x, H - 5 * s, s);
    haloText(ctx, tickText(v), x, H - 7 * s, 'center', 'bottom', s);
  }
  for (const v of ticks(b.ymin, b.ymax, H / (64 * s))) { // as far apart as x's: one step on both axes of a square plane
    const y = py(v);
    if (y < 34 * s || y > H - 22 * s) continue;
    tickMark(ctx, 0, y, 5 * s, y, s);
    haloText(ctx, tickText(v), 7 * s, y, 'left', 'middle', s);
  }
  ctx.textAlign = 'left';
  ctx.textBaseline = 'alphabetic';
}

// ticks are the multiples of a round step (1, 2 or 5 times a power of
// ten) from lo to hi, about count of them.
function ticks(lo, hi, count) {
  if (!(hi > lo) || !(count >= 1)) return [];
  const raw = (hi - lo) / count, unit = Math.pow(10, Math.floor(Math.log10(raw)));
  const step = unit * (raw / unit < 1.5 ? 1 : raw / unit < 3.5 ? 2 : raw / unit < 7.5 ? 5 : 10);
  const out = [];
  for (let k = Math.ceil(lo / step); k * step <= hi; k++) out.push(k * step);
  return out;
}

// tickText writes a tick's value without float noise (0.30000000000000004)
// or a minus zero.
const tickText = (v) => String(Number(v.toPrecision(10)) || 0);

function tickMark(ctx, x0, y0, x1, y1, s) {
  ctx.strokeStyle = 'rgba(29,35,48,.6)';
  ctx.lineWidth = Math.max(1, s);
  ctx.beginPath();
  ctx.moveTo(x0, y0); ctx.lineTo(x1, y1);
  ctx.stroke();
}

// haloText writes text ringed in white, to read over the plot's colours.
function haloText(ctx, text, x, y, align, baseline, s) {
  ctx.textAlign = align;
  ctx.textBaseline = baseline;
  ctx.strokeStyle = 'rgba(255,255,255,.85)';
  ctx.lineWidth = 3 * s;
  ctx.strokeText(text, x, y);
  ctx.fillStyle = '#1d2330';
  ctx.fillText(text, x, y);
}

// drawCurves draws each epoch's training loss, and the test loss where the
// worker measured it (after each slice of training). The scale reaches
// twice the first loss of any curve at most: a spike of a high learning rate
// (43 where the loss starts at 1.1) is cut at the top, its label says so,
// rather than flatten the curves the lesson is about.
function drawCurves() {
  const canvas = $('curves');
  const ctx = canvas.getContext('2d');
  const s = shownScale(canvas);
  const W = canvas.width, H = canvas.height, left = 36 * s, bottom = 20 * s, top = 14 * s, right = 8 * s;
  ctx.fillStyle = '#fff';
  ctx.fillRect(0, 0, W, H);
  const { train, test, twinTrain, twinTest } = state.history;
  ctx.fillStyle = '#5b6475';
  ctx.font = `${Math.round(12 * s)}px system-ui, sans-serif`;
  if (train.length === 0) {
    ctx.fillText(t(state.stopped ? 'stoppedChart' : 'pressPlay'), left, H / 2);
    return;
  }
  const epochs = train.length;
  const log = state.logEpochs && epochs > 1;
  const along = log ? (e) => Math.log(e) / Math.log(epochs) : (e) => (epochs === 1 ? 1 : (e - 1) / (epochs - 1));
  const epochAt = log ? (f) => Math.exp(f * Math.log(epochs)) : (f) => 1 + f * (epochs - 1); // along's inverse
  const x = (e) => left + (W - left - right) * along(e);
  // the points drawn, a half pixel apart at most: the scale is theirs
  const halfPixels = Math.ceil((2 * (W - left - right)) / s);
  const curves = [sampled(train, epochAt, halfPixels), thinned(test, x, s),
    sampled(twinTrain, epochAt, halfPixels), thinned(twinTest, x, s)];
  canvas.dataset.points = curves[0].length; // for the tests: bounded by the width, not the run
  let most = 0;
  for (const points of curves) for (const [, v] of points) most = Math.max(most, v);
  // (test holds the test loss where it was measured)
  const firsts = [train[0], twinTrain[0], test.length && test[0][1], twinTest.length && twinTest[0][1]]; // each curve's first loss
  const cap = 2 * Math.max(...firsts.filter((v) => v > 0));
  const cut = most > cap && cap > 0;
  if (cut) most = cap;
  most = most || 1;
  const y = (v) => top + (H - top - bottom) * (1 - Math.min(v, most) / most);
  ctx.strokeStyle = '#dfe3ea';
  ctx.lineWidth = 1;
  ctx.beginPath();
  ctx.moveTo(left, top); ctx.lineTo(left, H - bottom); ctx.lineTo(W - right, H - bottom);
  ctx.stroke();
  const yLabel = (text, v) => ctx.fillText(text, left - 4 * s - ctx.measureText(text).width, y(v) + 4 * s);
  yLabel(most.toPrecision(2) + (cut ? '+' : ''), most); // + : higher values cut at the top
  yLabel('0', 0);
  const last = `${t('epoch')} ${epochs}`;
  const lastAt = W - right - ctx.measureText(last).width;
  ctx.fillText(last, lastAt, H - 4 * s);
  // the decades labelled, each with its place along the axis (0 to 1), for the tests
  canvas.dataset.ticks = log ? decadeTicks(ctx, x, epochs, lastAt, H - bottom, s)
    .map((e) => `${e}@${along(e).toFixed(3)}`).join(',') : '';
  // gap: points further apart than this are not joined but dotted (the
  // test loss, measured after each slice of training: on a log scale its
  // first two measurements, epochs 1 and 39 say, lie half the chart apart,
  // and a line between them would say nothing of the epochs between)
  const line = (points, color, dash, gap = Infinity) => {
    ctx.strokeStyle = ctx.fillStyle = color;
    ctx.lineWidth = 2;
    ctx.setLineDash(dash);
    ctx.beginPath();
    points.forEach(([e, v], i) => {
      const joined = i > 0 && x(e) - x(points[i - 1][0]) <= gap;
      if (joined) ctx.lineTo(x(e), y(v));
      else ctx.moveTo(x(e), y(v));
      const alone = !joined && !(i + 1 < points.length && x(points[i + 1][0]) - x(e) <= gap);
      if (alone) ctx.fillRect(x(e) - 2 * s, y(v) - 2 * s, 4 * s, 4 * s);
    });
    ctx.stroke();
    ctx.setLineDash([]);
  };
  line(curves[0], '#1d2330', []);
  line(curves[1], COLORS[4], [5, 3], 24 * s);
  line(curves[2], '#0072b2', []);
  line(curves[3], '#56b4e9', [5, 3], 24 * s);
}

// sampled returns [epoch, loss] for the epochs at each of slots places
// along the axis (epochAt, from 0 to 1, gives the epoch there), to the end
// of losses (a twin's may stop short), and the last: a long run's epochs
// share pixels, on a log scale the first lie pixels apart. It visits the
// chart's width, not the run's epochs: the chart is redrawn many times a
// second and a run left playing reaches hundreds of thousands.
function sampled(losses, epochAt, slots) {
  const n = losses.length;
  const kept = [];
  let prev = 0;
  for (let k = 0; k <= slots; k++) {
    const e = Math.round(epochAt(k / slots));
    if (e > n) break;
    if (e <= prev) continue; // a place whose epoch the last one took
    kept.push([e, losses[e - 1]]);
    prev = e;
  }
  if (prev < n) kept.push([n, losses[n - 1]]);
  return kept;
}

// thinned keeps the [epoch, loss] points a half CSS pixel apart at least
// on the scale x, and the last: the test loss, measured after each slice
// of training.
function thinned(points, x, s) {
  const kept = [];
  let at = -Infinity;
  points.forEach((p, i) => {
    if (x(p[0]) - at < s / 2 && i < points.length - 1) return;
    kept.push(p);
    at = x(p[0]);
  });
  return kept;
}

// decadeTicks marks epochs 1, 10, 100, … on a log scale's axis at height
// y, and 2 to 9 times each shorter, each decade labelled where it clears
// the last one's and the closing "epoch N" label (at lastAt), and returns
// the epochs labelled.
function decadeTicks(ctx, x, epochs, lastAt, y, s) {
  const drawn = [];
  let clear = -Infinity;
  ctx.strokeStyle = '#b9c0cc';
  ctx.lineWidth = 1;
  for (let e = 1; e <= epochs; e *= 10) {
    ctx.beginPath();
    ctx.moveTo(x(e), y); ctx.lineTo(x(e), y + 5 * s);
    for (let m = 2 * e; m < 10 * e && m <= epochs; m += e) { // 2e … 9e, shorter: the marks crowd toward each decade, as on a log axis
      ctx.moveTo(x(m), y); ctx.lineTo(x(m), y + 3 * s);
    }
    ctx.stroke();
    const text = e >= 1000 ? `${e / 1000}k` : String(e);
    const w = ctx.measureText(text).width, at = Math.max(x(e) - w / 2, x(1));
    if (at < clear || at + w > lastAt - 6 * s) continue;
    ctx.fillText(text, at, y + 16 * s);
    drawn.push(e);
    clear = at + w + 6 * s;
  }
  return drawn;
}

// ---- inside the network ----------------------------------------------------

// drawLayers draws a card per hidden layer: its lens and its neurons.
function drawLayers() {
  const box = $('layers');
  const layers = state.layers || [];
  const plane = String(!state.info || state.info.plane);
  if (box.children.length !== layers.length || layers.some((l, i) => box.children[i].dataset.units !== String(l.units) || box.children[i].dataset.plane !== plane)) {
    box.replaceChildren(...layers.map(layerCard));
  }
  layers.forEach((l, k) => {
    const card = box.children[k];
    const stats = card.querySelector('.stats');
    const maxout = l.act === 'maxout'; // never saturated; its pieces may go idle
    stats.textContent = `${l.units} ${t(l.units === 1 ? 'unit' : 'units')} · ${percent(l.deadFraction)} ${t('dead')} · ` +
      (maxout ? `${percent(l.idlePieces)} ${t('idlePieces')}` : t('flatShort').replace('{p}', percent(l.saturatedFraction))); // a share of points, not of units: a unit is marked saturated on most of them
    stats.title = t(maxout ? 'idleTip' : 'flatTip');
    drawLens(card.querySelector('canvas.lens'), l);
    card.querySelectorAll('.neurons canvas').forEach((c, j) => {
      c.classList.toggle('dead', l.dead[j]);
      c.classList.toggle('saturated', !l.dead[j] && l.saturated[j] > 0.5);
      c.dataset.state = l.dead[j] ? 'dead' : l.saturated[j] > 0.5 ? 'saturated' : 'alive';
      drawNeuron(c, k, j);
    });
  });
}

// neuronButtons are a layer's − and +, a neuron fewer or more, as in
// TensorFlow Playground: from 1 to the engine's widest layer.
function neuronButtons(l, k) {
  const box = document.createElement('span');
  box.className = 'neuron-buttons';
  for (const [label, delta, key, id] of [['−', -1, 'removeNeuron', 'remove'], ['+', 1, 'addNeuron', 'add']]) {
    const b = document.createElement('button');
    b.textContent = label;
    b.dataset.testid = `layer-${k + 1}-${id}`;
    b.setAttribute('aria-label', `${t('layer')} ${k + 1}: ${t(key)}`);
    b.disabled = l.units + delta < 1 || l.units + delta > state.catalogue.maxWidth;
    b.addEventListener('click', () => {
      const hidden = (state.wanted || state.config).hidden.slice();
      const next = hidden[k] + delta;
      if (k >= hidden.length || next < 1 || next > state.catalogue.maxWidth) return;
      hidden[k] = next;
      changeConfig({ hidden });
    });
    box.append(b);
  }
  return box;
}

function layerCard(l, k) {
  const card = document.createElement('div');
  card.className = 'layer-card';
  card.dataset.units = String(l.units);
  card.dataset.plane = String(!state.info || state.info.plane);
  card.dataset.testid = 'layer-' + (k + 1);
  const h = document.createElement('h3');
  h.textContent = `${t('layer')} ${k + 1} `;
  h.append(neuronButtons(l, k));
  const pick = document.createElement('select');
  pick.dataset.testid = 'layer-act-' + (k + 1);
  pick.setAttribute('aria-label', `${t('layer')} ${k + 1}: ${t('activation')}`);
  option(pick, '', t('sameAct'));
  for (const a of state.catalogue.activations) option(pick, a.name);
  const acts = state.config.acts || [];
  pick.value = acts[k] ? actName(acts[k]) : '';
  pick.addEventListener('change', () => {
    const n = state.config.hidden.length;
    const next = (state.config.acts || new Array(n).fill('')).slice(0, n);
    while (next.length < n) next.push('');
    next[k] = pick.value;
    changeConfig({ acts: next.every((a) => a === '') ? null : next });
  });
  const stats = document.createElement('p');
  stats.className = 'stats';
  const lens = document.createElement('canvas');
  lens.className = 'lens';
  lens.width = 440;
  lens.height = 220;
  lens.dataset.testid = 'lens-' + (k + 1);
  lens.setAttribute('aria-label', `Layer ${k + 1}: the activation and the histogram of its pre-activations`);
  const grid = document.createElement('div');
  grid.className = 'neurons';
  for (let j = 0; j < l.units; j++) {
    const c = document.createElement('canvas');
    c.width = c.height = card.dataset.plane === 'true' ? 16 : 32; // a map's cells, or a curve's finer line
    c.dataset.testid = `neuron-${k + 1}-${j + 1}`;
    c.tabIndex = j === 0 ? 0 : -1; // one tab stop a layer; the arrow keys go from neuron to neuron (neuronKeys)
    c.setAttribute('aria-label', `Layer ${k + 1}, neuron ${j + 1}`);
    const ask = () => send({ type: 'unit', layer: k + 1, unit: j });
    const hover = (x, y) => { state.hover = { el: c, x, y, ask }; ask(); setPeek([k + 1, j]); };
    const leave = () => hideUnit([k + 1, j]);
    c.addEventListener('mouseenter', (e) => hover(e.clientX, e.clientY));
    c.addEventListener('focus', () => { if (c.matches(':focus-visible')) { const r = c.getBoundingClientRect(); hover(r.right, r.bottom); } }); // by keyboard: a click's focus would outlast the pointer
    c.addEventListener('mouseleave', leave);
    c.addEventListener('blur', leave);
    grid.append(c);
  }
  grid.addEventListener('keydown', neuronKeys);
  card.append(h, pick, stats, lens, grid);
  return card;
}

// neuronKeys moves the focus along a layer's neurons: → and ↓ to the
// next, ← and ↑ to the one before, Home and End to the ends. The neuron
// left keeps the layer's one tab stop, so that Tab comes back to it.
function neuronKeys(e) {
  const all = [...e.currentTarget.children], at = all.indexOf(document.activeElement);
  const step = { ArrowRight: 1, ArrowDown: 1, ArrowLeft: -1, ArrowUp: -1 }[e.key];
  let to = step ? at + step : e.key === 'Home' ? 0 : e.key === 'End' ? all.length - 1 : -1;
  if (at < 0 || to < 0 && !step) return;
  to = Math.min(Math.max(to, 0), all.length - 1);
  e.preventDefault();
  all.forEach((c, i) => { c.tabIndex = i === to ? 0 : -1; });
  all[to].focus();
}

// drawNeuron colours a unit's outputs over the plane: orange above 0, blue
// below, white at 0, scaled by the largest |value|; over the 1-D set's x,
// it draws them as a curve (unitCurve). Without them (a run that diverged)
// it is blank, not the run before's.
function drawNeuron(canvas, k, j) {
  const ctx = canvas.getContext('2d');
  if (state.info && !state.info.plane) {
    const maps = state.neurons && state.neurons[k], n = state.neuronGrid || 16;
    unitCurve(ctx, canvas.width, canvas.height, maps ? maps.subarray(j * n, (j + 1) * n) : null);
    return;
  }
  const img = neuronImage(k, j);
  if (img) ctx.putImageData(img, 0, 0);
  else ctx.clearRect(0, 0, canvas.width, canvas.height);
}

// unitPicture is hidden layer k's unit j's map (or, for the 1-D set, its
// curve) on a canvas of its own, for a tooltip: the big plot shows it
// too, but often off the screen from the node or card hovered. Null
// before the engine has sent the maps.
function unitPicture(k, j) {
  const maps = state.neurons && state.neurons[k];
  if (!maps) return null;
  const c = document.createElement('canvas');
  c.className = 'unit-picture';
  c.dataset.testid = 'tooltip-picture';
  if (state.info && !state.info.plane) {
    c.width = c.height = 64;
    const n = state.neuronGrid || 16;
    unitCurve(c.getContext('2d'), 64, 64, maps.subarray(j * n, (j + 1) * n));
    return c;
  }
  const img = neuronImage(k, j);
  if (!img) return null;
  c.width = c.height = img.width;
  c.getContext('2d').putImageData(img, 0, 0);
  return c;
}

// unitCurve draws a unit's values over x as a line on a W×H canvas, over
// their span with 0 in it (a grey line), orange above 0 and blue below,
// as the maps colour them; where it is 0 the grey line shows alone.
function unitCurve(ctx, W, H, values) {
  ctx.fillStyle = '#fff';
  ctx.fillRect(0, 0, W, H);
  if (!values || values.length < 2) return;
  let lo = 0, hi = 0; // the values' span with 0 in it: a relu unit's fills the square
  for (const v of values) if (Number.isFinite(v)) { lo = Math.min(lo, v); hi = Math.max(hi, v); }
  if (hi - lo < 1e-9) { lo -= 1; hi += 1; } // 0 everywhere (a dead unit): a grey line at 0
  const y = (v) => H - 2 - (H - 4) * (v - lo) / (hi - lo);
  ctx.strokeStyle = '#c3c8d2';
  ctx.lineWidth = 1;
  ctx.beginPath();
  ctx.moveTo(0, y(0));
  ctx.lineTo(W, y(0));
  ctx.stroke();
  ctx.lineWidth = 2;
  for (let i = 1; i < values.length; i++) {
    const a = values[i - 1], b = values[i];
    if (!Number.isFinite(a) || !Number.isFinite(b) || (a === 0 && b === 0)) continue; // a gap, or the 0 line itself
    ctx.strokeStyle = a + b >= 0 ? COLORS[0] : COLORS[1];
    ctx.beginPath();
    ctx.moveTo(W * (i - 1) / (values.length - 1), y(a));
    ctx.lineTo(W * i / (values.length - 1), y(b));
    ctx.stroke();
  }
}

// mapImage colours n×n values over the plane: orange above 0, blue below,
// white at 0, scaled by the largest |value| (never discretised).
function mapImage(values, n) {
  let most = 1e-9;
  for (let c = 0; c < n * n; c++) most = Math.max(most, Math.abs(values[c]));
  return valueImage(values, n, most, false);
}

// drawLens draws f and f′ over the layer's range of pre-activations, the
// histogram of the pre-activations beneath, and shades where f′ is flat.
function drawLens(canvas, l) {
  const ctx = canvas.getContext('2d');
  const W = canvas.width, H = canvas.height, pad = 6;
  const lettering = `${Math.round(12 * shownScale(canvas))}px system-ui, sans-serif`;
  ctx.fillStyle = '#fff';
  ctx.fillRect(0, 0, W, H);
  if (!l.f) { // maxout: each unit its own piecewise-linear function
    ctx.fillStyle = '#5b6475';
    ctx.font = lettering;
    ctx.fillText(t('noLens'), pad + 4, H / 2);
    return;
  }
  const n = l.f.length;
  const x = (i) => pad + (W - 2 * pad) * i / (n - 1);
  let maxSlope = 0;
  for (const d of l.df) maxSlope = Math.max(maxSlope, Math.abs(d));
  l.df.forEach((d, i) => { // flat: saturated (pink), or off where f is 0 too (grey: relu's x ≤ 0 is no saturation)
    if (!(Math.abs(d) < 0.01 * maxSlope || maxSlope === 0)) return;
    ctx.fillStyle = d === 0 && l.f[i] === 0 ? 'rgba(91,100,117,.13)' : 'rgba(204,121,167,.18)';
    ctx.fillRect(x(i) - (W - 2 * pad) / (2 * (n - 1)), 0, (W - 2 * pad) / (n - 1) + 1, H);
  });
  const most = Math.max(1, ...l.hist);
  const bw = (W - 2 * pad) / l.hist.length;
  ctx.fillStyle = 'rgba(29,35,48,.22)';
  l.hist.forEach((c, b) => {
    const h = (H - 2 * pad) * 0.9 * c / most;
    ctx.fillRect(pad + b * bw + 1, H - pad - h, bw - 2, h);
  });
  // f and f′ on one scale with 0 in it, so that their sizes compare
  // (sigmoid′ tops at 0.25 of tanh′'s 1) and a zero-centred f shows so;
  // at most four times f′'s largest each way, so that a wide range keeps
  // f′ in sight (relu over ±30 runs f off the top instead).
  const reach = maxSlope > 0 ? 4 * maxSlope : Infinity;
  let lo = Math.max(-reach, Math.min(0, ...l.f, ...l.df)), hi = Math.min(reach, Math.max(0, ...l.f, ...l.df));
  if (hi - lo < 1e-6) { lo -= 1; hi += 1; }
  const y = (u) => H - pad - (H - 2 * pad) * (u - lo) / (hi - lo);
  ctx.strokeStyle = '#9aa1ad';
  ctx.lineWidth = 1;
  ctx.beginPath();
  ctx.moveTo(pad, y(0));
  ctx.lineTo(W - pad, y(0));
  ctx.stroke();
  const curve = (v, color, dash) => {
    ctx.strokeStyle = color;
    ctx.lineWidth = 3;
    ctx.setLineDash(dash);
    ctx.beginPath();
    v.forEach((u, i) => (i === 0 ? ctx.moveTo(x(i), y(u)) : ctx.lineTo(x(i), y(u))));
    ctx.stroke();
    ctx.setLineDash([]);
  };
  curve(l.f, '#1d2330', []);
  curve(l.df, COLORS[1], [8, 5]);
  ctx.font = lettering;
  const ascent = ctx.measureText('0').actualBoundingBoxAscent;
  // the values' scale at the right (its top, 0 and bottom), the
  // pre-activations' range at the bottom left, each on white over the
  // curves
  const label = (text, right, baseline) => {
    const w = ctx.measureText(text).width;
    const at = right ? W - pad - w - 2 : pad + 2;
    ctx.fillStyle = 'rgba(255,255,255,.85)';
    ctx.fillRect(at - 2, baseline - ascent - 2, w + 4, ascent + 4);
    ctx.fillStyle = '#5b6475';
    ctx.fillText(text, at, baseline);
  };
  const roomAt = (v) => y(v) > pad + 2 * ascent + 6 && y(v) < H - pad - 2 * ascent - 6;
  label(String(+hi.toPrecision(2)), true, pad + ascent + 2);
  if (roomAt(0)) label('0', true, y(0) + ascent / 2);
  if (lo < 0) label(String(+lo.toPrecision(2)), true, H - pad - 2);
  label(`x ${l.lo} … ${l.hi}`, false, H - pad - 2);
}

function showUnit(m) {
  const tip = $('tooltip');
  if (!state.hover || m.weights.error) return;
  const rows = m.weights.in.map((row, p) => { // one, or a maxout unit's pieces, each its own
    const w = `[${row.map((v) => v.toFixed(3)).join(', ')}], ${t('bias')} ${m.weights.bias[p].toFixed(3)}`;
    return m.weights.in.length > 1 ? `${t('piece')} ${p + 1} ${w}` : w;
  });
  tip.textContent = `${t('layer')} ${m.layer}, ${t('neuron')} ${m.unit + 1} — ${t('incoming')} ${rows.join('; ')}`;
  const picture = unitPicture(m.layer - 1, m.unit);
  if (picture) tip.append(picture);
  tip.style.left = Math.min(state.hover.x + 12, window.innerWidth - 330) + 'px';
  tip.style.top = (state.hover.y + 12) + 'px';
  tip.hidden = false;
}

// hideUnit ends a card's neuron's hover: its tooltip, and its map in the
// plot if the plot still shows that neuron's (the graph's may since).
function hideUnit(node) {
  state.hover = null;
  $('tooltip').hidden = true;
  if (JSON.stringify(node) === JSON.stringify(state.peek)) setPeek(null);
}
