// Inside the network: a card per hidden layer, its lens (the activation
// and its derivative over the range the layer's pre-activations take, with
// their histogram) and its neurons' maps over the plane, and the unit
// shown large when one is chosen. Like views.js, whose colours and scales
// it shares, it draws what the engine posted.
'use strict';

// drawLayers draws a card per hidden layer: its lens and its neurons.
function drawLayers() {
  const box = $('layers');
  const layers = state.layers || [];
  const plane = String(!state.info || state.info.plane);
  if (box.children.length !== layers.length || layers.some((l, i) => box.children[i].dataset.units !== String(l.units) || box.children[i].dataset.plane !== plane)) {
    const focused = box.contains(document.activeElement) ? document.activeElement.dataset.testid : null;
    box.replaceChildren(...layers.map(layerCard));
    if (focused) refocus(box, focused); // a − or + pressed from the keys keeps the focus (the card it was in is new)
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
      const named = `${t('layer')} ${k + 1}, ${t('neuron')} ${j + 1}`; // its state in words, as its border shows it
      c.setAttribute('aria-label', c.dataset.state === 'alive' ? named : `${named}: ${t(c.dataset.state === 'dead' ? 'dead' : 'saturatedState')}`);
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
      $('run-said').textContent = `${t('layer')} ${k + 1}: ${next} ${t(next === 1 ? 'unit' : 'units')}`; // the new width said, the focus kept on the button
    });
    box.append(b);
  }
  return box;
}

// refocus gives the focus back to the element of box whose data-testid is
// id, after its card was made anew: to the other of − and + where that
// one is now off (the layer at its widest or narrowest), else to the
// card's first neuron.
function refocus(box, id) {
  const el = box.querySelector(`[data-testid="${id}"]`);
  const other = id.endsWith('-add') ? id.replace(/-add$/, '-remove') : id.replace(/-remove$/, '-add');
  const card = el && el.closest('.layer-card');
  const to = [el, box.querySelector(`[data-testid="${other}"]`), card && card.querySelector('.neurons canvas')].find((e) => e && !e.disabled);
  if (to) to.focus();
}

function layerCard(l, k) {
  const card = document.createElement('div');
  card.className = 'layer-card';
  card.dataset.units = String(l.units);
  card.dataset.plane = String(!state.info || state.info.plane);
  card.dataset.testid = 'layer-' + (k + 1);
  const h = document.createElement('div'); // the heading's name its own, the buttons beside it
  h.className = 'layer-head';
  const title = document.createElement('h3');
  title.textContent = `${t('layer')} ${k + 1}`;
  h.append(title, neuronButtons(l, k));
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
  lens.setAttribute('aria-label', `${t('layer')} ${k + 1}: ${t('lensLabel')}`);
  const grid = document.createElement('div');
  grid.className = 'neurons';
  for (let j = 0; j < l.units; j++) {
    const c = document.createElement('canvas');
    c.width = c.height = card.dataset.plane === 'true' ? 16 : 32; // a map's cells, or a curve's finer line
    c.dataset.testid = `neuron-${k + 1}-${j + 1}`;
    c.tabIndex = j === 0 ? 0 : -1; // one tab stop a layer; the arrow keys go from neuron to neuron (neuronKeys)
    c.setAttribute('aria-label', `${t('layer')} ${k + 1}, ${t('neuron')} ${j + 1}`); // its state added as it is drawn
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
  if (e.key === 'Escape') { // the tooltip closed, the neuron kept: no longer hovered, so that the next view does not open it again
    if (state.hover) state.hover.el.removeAttribute('aria-describedby');
    state.hover = null;
    $('tooltip').hidden = true;
    return;
  }
  const step = { ArrowRight: 1, ArrowDown: 1, ArrowLeft: -1, ArrowUp: -1 }[e.key];
  let to = step ? at + step : e.key === 'Home' ? 0 : e.key === 'End' ? all.length - 1 : -1;
  if (at < 0 || to < 0 && !step) return;
  to = Math.min(Math.max(to, 0), all.length - 1);
  e.preventDefault();
  all.forEach((c, i) => { c.tabIndex = i === to ? 0 : -1; });
  all[to].focus();
}

// drawNeuron colours a unit's outputs over the plane: blue above 0, orange
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
// their span with 0 in it (a grey line), blue above 0 and orange below,
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
    ctx.strokeStyle = a + b >= 0 ? COLORS[ABOVE] : COLORS[BELOW];
    ctx.beginPath();
    ctx.moveTo(W * (i - 1) / (values.length - 1), y(a));
    ctx.lineTo(W * i / (values.length - 1), y(b));
    ctx.stroke();
  }
}

// mapImage colours n×n values over the plane: blue above 0, orange below,
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
  showTip(tip, state.hover.x, state.hover.y);
  if (document.activeElement === state.hover.el) state.hover.el.setAttribute('aria-describedby', 'tooltip'); // from the keys: its weights heard with its name
}

// hideUnit ends a card's neuron's hover: its tooltip, and its map in the
// plot if the plot still shows that neuron's (the graph's may since).
function hideUnit(node) {
  if (state.hover) state.hover.el.removeAttribute('aria-describedby');
  state.hover = null;
  $('tooltip').hidden = true;
  if (JSON.stringify(node) === JSON.stringify(state.peek)) setPeek(null);
}
