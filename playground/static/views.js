// The playground's views: the decision regions with their axes' values,
// and the loss curves (inside the network, each layer's lens and neurons,
// is layers.js; the network's graph graph.js, the layers' health chart
// health.js).
// They draw what the engine posted (app.js keeps it in state); nothing here
// changes the run.
'use strict';

// COLORS are the classes' colours; class 1's blue and class 0's orange are
// also a value's sign, as in TensorFlow Playground: blue above 0 (ABOVE),
// orange below (BELOW).
const COLORS = ['#e69f00', '#0072b2', '#009e73', '#cc79a7', '#d55e00', '#56b4e9', '#f0e442', '#000000'];

// ---- drawing ----------------------------------------------------------------

function hexToRGB(hex) {
  const n = parseInt(hex.slice(1), 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
}
const RGB = COLORS.map(hexToRGB);
const ABOVE = 1, BELOW = 0; // the signs' colours, indexes into COLORS and RGB

// MARKS are the classes' shapes, so that classes differ by more than their
// colour: a circle (null), a square, a triangle, a diamond, a triangle down,
// a star and a four-pointed star, each a polygon near a unit circle's size
// around (0, 0), y down, within ±MARK_REACH. Seven of them against eight
// colours: class c and c + 8 differ in shape, c and c + 7 in colour.
const MARK_REACH = 1.25;
const MARKS = [null, [[-0.89, -0.89], [0.89, -0.89], [0.89, 0.89], [-0.89, 0.89]],
  [[0, -1.25], [1.17, 0.78], [-1.17, 0.78]], [[0, -1.25], [1.25, 0], [0, 1.25], [-1.25, 0]],
  [[0, 1.25], [1.17, -0.78], [-1.17, -0.78]], starPoints(5, 1.25, 0.55), starPoints(4, 1.25, 0.5)];

// starPoints are the corners of a star of n points, alternately outer and
// inner from the centre (equal: a polygon of 2n corners), the first up.
function starPoints(n, outer, inner) {
  return Array.from({ length: 2 * n }, (_, i) => {
    const r = i % 2 ? inner : outer, a = Math.PI * i / n - Math.PI / 2;
    return [r * Math.cos(a), r * Math.sin(a)].map((v) => Math.round(v * 100) / 100);
  });
}

// markPath begins a path of class c's mark, r pixels for a unit, at (x, y).
function markPath(ctx, c, x, y, r) {
  const corners = MARKS[c % MARKS.length];
  ctx.beginPath();
  if (!corners) {
    ctx.arc(x, y, r, 0, 2 * Math.PI);
    return;
  }
  corners.forEach(([u, v], i) => (i ? ctx.lineTo : ctx.moveTo).call(ctx, x + r * u, y + r * v));
  ctx.closePath();
}

// markClip is class c's mark as a CSS clip-path, for a legend's swatch.
function markClip(c) {
  const corners = MARKS[c % MARKS.length], pct = (v) => `${(50 + 50 * v / MARK_REACH).toFixed(1)}%`;
  return corners ? `polygon(${corners.map(([u, v]) => pct(u) + ' ' + pct(v)).join(', ')})` : `circle(${(50 / MARK_REACH).toFixed(1)}%)`;
}

function drawRegions() {
  const peek = peekImage(), name = peek ? graphNodeName(...state.peek) : '';
  drawRegionsOn($('regions'), state.view, peek);
  $('regions').dataset.peek = name; // for the tests
  if (peek) peekLabel($('regions'), name);
  if (state.cursor && state.info && state.info.classes && document.activeElement === $('regions')) drawCursor($('regions'), state.cursor); // where the keys add points
  if (state.view && state.view.twin) drawRegionsOn($('regions-compare'), state.view.twin);
}

// showTip shows a tooltip below and right of the point (x, y) of the
// window, kept inside it (on a 320-pixel phone too: its width is at most
// the window's less 8 pixels, style.css).
function showTip(tip, x, y) {
  tip.hidden = false;
  tip.style.left = tip.style.top = '0px'; // measured with the whole window's room
  const w = tip.offsetWidth, h = tip.offsetHeight;
  tip.style.left = Math.max(4, Math.min(x + 12, window.innerWidth - w - 4)) + 'px';
  const below = y + 12 + h <= window.innerHeight - 4;
  tip.style.top = Math.max(4, below ? y + 12 : y - 12 - h) + 'px'; // above the point where below it would run off the window
}

// drawCursor draws the keys' cursor (plotKeys) at the point c of the
// plane: a cross in the chosen class's colour, ringed in white.
function drawCursor(canvas, c) {
  const ctx = canvas.getContext('2d'), b = state.info.bounds, s = shownScale(canvas);
  const x = (c.x - b.xmin) / (b.xmax - b.xmin) * canvas.width, y = (b.ymax - c.y) / (b.ymax - b.ymin) * canvas.height;
  for (const [color, width] of [['#fff', 5 * s], [COLORS[(state.pointClass || 0) % COLORS.length], 2 * s]]) {
    ctx.strokeStyle = color;
    ctx.lineWidth = width;
    ctx.beginPath();
    ctx.moveTo(x - 9 * s, y); ctx.lineTo(x + 9 * s, y);
    ctx.moveTo(x, y - 9 * s); ctx.lineTo(x, y + 9 * s);
    ctx.stroke();
  }
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
  const s = Math.max(1, shownScale(canvas)); // a dot of the same size on the page however narrow the plot is shown (a phone's)
  const dot = (p, test) => {
    if (valued) {
      valueDot(ctx, px(p.x), py(p.y), p.value || 0, test, s);
      return;
    }
    const r = (test ? 3.6 : 3.4) * s, c = curve ? 0 : p.label;
    markPath(ctx, c, px(p.x), py(p.y), r);
    const color = curve ? '#1d2330' : COLORS[p.label % COLORS.length];
    if (test) {
      ctx.fillStyle = '#fff';
      ctx.fill();
      ctx.lineWidth = 2 * s;
      ctx.strokeStyle = color;
    } else {
      ctx.fillStyle = color;
      ctx.fill();
      ctx.lineWidth = s;
      ctx.strokeStyle = '#fff';
    }
    ctx.stroke();
    if (!curve) { // a thin dark edge around each: a light class's colour (yellow, 1.3:1) stands out from white and from its region too
      markPath(ctx, c, px(p.x), py(p.y), r + (test ? 1 : 0.5) * s);
      ctx.lineWidth = 0.75 * s;
      ctx.strokeStyle = 'rgba(29,35,48,.6)';
      ctx.stroke();
    }
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
// network's predictions and the points: blue above 0, orange below,
// white at 0, full at ±scale. Discretised, only the sign shows.
function valueRGB(v, scale, discrete = state.discrete) {
  const [r, g, b] = v >= 0 ? RGB[ABOVE] : RGB[BELOW];
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
function valueDot(ctx, x, y, v, test, s) {
  const [r, g, b] = valueRGB(v, state.valueScale);
  ctx.beginPath();
  if (test) ctx.rect(x - 3.6 * s, y - 3.6 * s, 7.2 * s, 7.2 * s);
  else ctx.arc(x, y, 3.6 * s, 0, 2 * Math.PI);
  ctx.fillStyle = `rgb(${r},${g},${b})`;
  ctx.fill();
  ctx.lineWidth = s;
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
  for (let k = Math.ceil(lo / step); k * step <= hi && out.length <= 3 * count; k++) out.push(k * step); // bounded: far from 0, k + 1 may be k
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
  canvas.setAttribute('aria-label', curvesText(train, test));
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

// curvesText says the loss chart in words, for its aria-label: the last
// epoch's training loss beside the first's, and the last test loss.
function curvesText(train, test) {
  if (!train.length) return t('lossChart');
  const said = t('lossSaid').replace('{train}', train[train.length - 1].toPrecision(3)).replace('{epoch}', train.length).replace('{first}', train[0].toPrecision(3));
  return test.length ? `${said}; ${t('testSaid').replace('{test}', test[test.length - 1][1].toPrecision(3))}` : said;
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
